"""The speed-ups answer as NiceGUI would, where NiceGUI asks, and refuse a NiceGUI they were not written for."""

import functools
import gc

import pytest
from nicegui import Client, app, helpers, ui
from nicegui.page import page
from nicegui.storage import Storage

from components.setup import speedups


@pytest.fixture
def restored(monkeypatch):
    """NiceGUI as it comes, for one test: a page test before may have installed the speed-ups, and gets them back."""
    names = ('_create_tab_storage', 'close_tab')
    before = {name: vars(app.storage).pop(name) for name in names if name in vars(app.storage)}
    monkeypatch.setattr(helpers, 'expects_arguments', speedups._original)
    monkeypatch.setattr(speedups, '_original', speedups._original)
    thresholds = gc.get_threshold()
    yield
    for name in names:
        vars(app.storage).pop(name, None)
    vars(app.storage).update(before)
    gc.set_threshold(*thresholds)


class Handler:
    def no_arguments(self) -> None: ...

    def one_argument(self, event) -> None: ...

    def optional_argument(self, event=None) -> None: ...

    def variable_arguments(self, *args, **kwargs) -> None: ...


def test_the_same_answers_as_nicegui_for_every_kind_of_callable():
    first, second = Handler(), Handler()
    callables = [
        first.no_arguments,
        first.one_argument,
        first.optional_argument,
        first.variable_arguments,
        second.one_argument,  # remembered from `first`, still right
        second.no_arguments,
        lambda: None,
        lambda event: None,
        functools.partial(lambda a, b: None, 1),
        print,
    ]
    for _ in range(2):  # once to remember, once from memory
        assert [speedups.expects_arguments(c) for c in callables] == [speedups._original(c) for c in callables]
    assert [speedups.expects_arguments(c) for c in callables[:4]] == [False, True, False, False]


def test_niceguis_elements_ask_the_installed_function(monkeypatch, restored):
    asked = []
    remembering = speedups.expects_arguments

    def spy(func):
        asked.append(func)
        return remembering(func)

    monkeypatch.setattr(speedups, 'expects_arguments', spy)
    speedups.install()
    with Client(page('/')) as client:  # a page of its own: an element outside one would start NiceGUI's script mode
        label = ui.label('Hello')
    try:
        assert {label._classes._update, label._style._update, label._props._update} <= set(asked)
        updated = []
        monkeypatch.setattr(label, 'update', lambda: updated.append(True))
        label.classes('big')
        assert updated == [True]  # the change reached the element, called as the remembered answer said
    finally:
        client.delete()


def test_install_refuses_a_nicegui_whose_expects_arguments_takes_other_arguments(monkeypatch, restored):
    monkeypatch.setattr(helpers, 'expects_arguments', lambda func, strict=True: True)
    with pytest.raises(RuntimeError, match=r"NiceGUI's helpers.expects_arguments is now \(func, strict=True\)"):
        speedups.install()
    assert 'close_tab' not in vars(app.storage)  # nothing is half installed


async def takes_a_flag(self, tab_id, *, force): ...


async def renamed_its_argument(self, tab): ...


def no_longer_awaited(self, tab_id): ...


async def forgot_the_old_tab(self, tab_id): ...


@pytest.mark.parametrize(
    ('name', 'changed', 'described'),
    [
        ('close_tab', takes_a_flag, r'async \(self, tab_id, \*, force\)'),
        ('close_tab', renamed_its_argument, r'async \(self, tab\)'),
        ('close_tab', no_longer_awaited, r'\(self, tab_id\), but'),
        ('_create_tab_storage', forgot_the_old_tab, r'async \(self, tab_id\), but'),
    ],
    ids=['takes a flag', 'renamed its argument', 'no longer awaited', 'forgot the old tab'],
)
def test_install_refuses_a_nicegui_whose_tab_storage_takes_other_arguments(
    monkeypatch, restored, name, changed, described
):
    monkeypatch.setattr(Storage, name, changed)
    with pytest.raises(RuntimeError, match=rf"NiceGUI's Storage.{name} is now {described}"):
        speedups.install()
    assert helpers.expects_arguments is not speedups.expects_arguments  # nothing is half installed


async def test_tab_storage_is_kept_in_memory_copied_for_a_duplicated_tab_and_dropped_on_close(monkeypatch):
    from nicegui import app, observables
    from nicegui.storage import Storage

    monkeypatch.setattr(Storage, 'redis_url', 'redis://127.0.0.1:1/0')  # NiceGUI would connect here
    monkeypatch.setattr(app.storage, '_tabs', {})
    speedups.install()
    try:
        await app.storage._create_tab_storage('first')
        app.storage._tabs['first']['step'] = {'n': 1}
        await app.storage._create_tab_storage('second', 'first')
        second = app.storage._tabs['second']
        assert type(second) is observables.ObservableDict
        assert second == {'step': {'n': 1}}
        second['step']['n'] = 2
        assert app.storage._tabs['first']['step'] == {'n': 1}  # a copy, not the same dictionary
        await app.storage._create_tab_storage('second')  # a reconnect keeps what the tab has
        assert app.storage._tabs['second']['step'] == {'n': 2}
        await app.storage.close_tab('first')
        assert set(app.storage._tabs) == {'second'}
    finally:
        del app.storage._create_tab_storage, app.storage.close_tab  # back to NiceGUI's own methods
        helpers.expects_arguments = speedups._original


def test_settle_heap_freezes_what_is_alive_and_collects_the_rest():
    import gc
    import weakref

    class Node:
        pass

    cycle, kept = Node(), Node()
    cycle.me, kept.me = cycle, kept
    gone, alive = weakref.ref(cycle), weakref.ref(kept)
    del cycle
    try:
        speedups.settle_heap()
        assert gone() is None  # garbage from before start-up is not frozen with the rest
        assert alive() is kept
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
