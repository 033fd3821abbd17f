"""One measured speed-up to NiceGUI itself, installed by main.py.

Every NiceGUI element makes three observable collections (classes, style, props), and each asks
`helpers.expects_arguments(on_change)`, which runs `inspect.signature` on a bound method of the new element.
Profiling the dashboard under load (`make bench`) showed that inspection at about a third of the time spent
building a page. The answer depends only on the function behind the bound method, not on the element it is
bound to, so it is computed once per function here. Anything that is not a bound method (a lambda, a
partial) is inspected every time, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import helpers

_original: Callable[[Callable], bool] = helpers.expects_arguments
_known: dict[Any, bool] = {}


def expects_arguments(func: Callable) -> bool:
    """NiceGUI's answer, remembered per function for bound methods."""
    function = getattr(func, '__func__', None)
    if function is None or getattr(func, '__self__', None) is None:
        return _original(func)
    try:
        return _known[function]
    except KeyError:
        _known[function] = answer = _original(func)
        return answer


def install() -> None:
    helpers.expects_arguments = expects_arguments
