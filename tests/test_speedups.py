"""The remembered answer to NiceGUI's `expects_arguments` is always the answer NiceGUI itself would give."""

import functools

from nicegui import helpers

from components import speedups


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
