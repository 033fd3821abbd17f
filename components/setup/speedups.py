"""Measured speed-ups to NiceGUI and to the Python process, installed by main.py.

Each was found by profiling the dashboard under load (`bench/run.py`, 50 parents loading it at once) and is
kept only because it moved that figure.

1. Signature inspection, once per function. Every NiceGUI element makes three observable collections
(classes, style, props), and each asks `helpers.expects_arguments(on_change)`, which runs `inspect.signature`
on a bound method of the new element: about a third of the time spent building a page. The answer
depends only on the function behind the bound method, not on the element it is bound to, so it is computed
once per function here. Anything that is not a bound method (a lambda, a partial) is inspected every time,
as before.

2. Tab storage in memory. With `Storage.redis_url` set (several processes), NiceGUI gives every new browser tab
its own Redis-backed dictionary: a new Redis client, a GET, and a pub/sub subscription on a second
connection, opened during the websocket handshake and closed when the page goes. Kinroll keeps nothing per
tab (a parent's session and language are in user storage, which stays in Redis), so that is two connections
per page load for nothing: the dashboard served about 30 % more pages a second without it. Tab storage still
works, in this process's memory, and goes when the tab's last page does.

3. The garbage collector. A page is a few thousand small objects, many in reference cycles (elements know
their parents and children). With CPython's default thresholds the collector ran a full pass over the heap,
every imported module included, every couple of seconds under load, each pass about 200-350 ms: a quarter of
the CPU and a stall for everyone connected. `settle_heap()` (after start-up) moves what was loaded at start
into the permanent generation, which the collector no longer scans, and a higher first threshold makes young
collections rarer; cyclic garbage is still collected. The threshold is a trade: at 50,000 a middle-generation
pass after 200 parents had come and gone took a whole second; at 10,000 the longest pass measured was about
110 ms, for the same throughput.

The first two replace private parts of NiceGUI, so pyproject.toml pins the minor version they were measured
against. `install()` refuses to start when what it replaces takes other arguments than its replacement (or is
no longer a coroutine), and tests/test_speedups.py fails when NiceGUI stops calling the replacement.
"""

from __future__ import annotations

import copy
import gc
import inspect
from collections.abc import Callable
from typing import Any

from nicegui import app, helpers, observables
from nicegui.storage import Storage

GC_THRESHOLDS = (10_000, 10, 10)  # CPython: (700, 10, 10)

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


async def create_tab_storage(tab_id: str, old_tab_id: str | None = None) -> None:
    """A tab's storage, in memory; a duplicated tab starts with a copy of its original's, as in NiceGUI."""
    tabs = app.storage._tabs
    if tab_id in tabs:
        return
    tabs[tab_id] = observables.ObservableDict()
    if old_tab_id in tabs:
        tabs[tab_id].update(copy.deepcopy(dict(tabs[old_tab_id])))


async def close_tab(tab_id: str | None) -> None:
    app.storage._tabs.pop(tab_id, None)


def _shape(function: Callable, *, method: bool = False) -> tuple[bool, inspect.Signature]:
    """What a caller relies on: sync or async, and the parameters' names, kinds and defaults (not annotations)."""
    signature = inspect.signature(function)
    parameters = list(signature.parameters.values())[1 if method else 0 :]  # a method's `self` is NiceGUI's
    plain = [parameter.replace(annotation=inspect.Parameter.empty) for parameter in parameters]
    return inspect.iscoroutinefunction(function), signature.replace(
        parameters=plain, return_annotation=inspect.Signature.empty
    )


def _described(function: Callable) -> str:
    return f'{"async " if inspect.iscoroutinefunction(function) else ""}{inspect.signature(function)}'


def _check(where: str, replaced: Callable, replacement: Callable, *, method: bool = False) -> None:
    """Refuse to start on a NiceGUI whose function no longer takes what its replacement here was written for."""
    if _shape(replaced, method=method) != _shape(replacement):
        raise RuntimeError(
            f"NiceGUI's {where} is now {_described(replaced)}, but components/setup/speedups.py replaces it with "
            f'{_described(replacement)}: review the speed-ups against this NiceGUI before starting'
        )


def install() -> None:
    """Install every speed-up, or none: each replacement is checked against what it replaces first."""
    global _original
    target = helpers.expects_arguments
    first_time = target is not expects_arguments  # a second install() finds its own function there
    if first_time:
        _check('helpers.expects_arguments', target, expects_arguments)
    if not isinstance(getattr(app.storage, '_tabs', None), dict):
        raise RuntimeError(
            "NiceGUI's app.storage no longer keeps its tabs in _tabs: review components/setup/speedups.py"
        )
    for name, replacement in (('_create_tab_storage', create_tab_storage), ('close_tab', close_tab)):
        replaced = getattr(Storage, name, None)
        if replaced is None:
            raise RuntimeError(f'NiceGUI no longer has Storage.{name}: review components/setup/speedups.py')
        _check(f'Storage.{name}', replaced, replacement, method=True)
    if first_time:
        _original = target
        helpers.expects_arguments = expects_arguments
    app.storage._create_tab_storage = create_tab_storage  # type: ignore[method-assign]
    app.storage.close_tab = close_tab  # type: ignore[method-assign]
    gc.set_threshold(*GC_THRESHOLDS)


def settle_heap() -> None:
    """After start-up: collect once, then keep everything loaded so far out of later collections."""
    gc.unfreeze()  # what an earlier call kept and has gone since is collected now
    gc.collect()
    gc.freeze()
