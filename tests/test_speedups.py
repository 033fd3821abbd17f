"""The remembered answer to NiceGUI's `expects_arguments` is always the answer NiceGUI itself would give."""

import functools

from nicegui import helpers

from components.setup import speedups


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


def test_installed_where_niceguis_observables_look_it_up():
    before = helpers.expects_arguments
    try:
        speedups.install()
        assert helpers.expects_arguments is speedups.expects_arguments
    finally:
        helpers.expects_arguments = before


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
