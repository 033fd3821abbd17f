"""The one clock: every "now" in the domain reads it, so a test can pin the time instead of waiting for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

_pinned: dt.datetime | None = None


def now() -> dt.datetime:
    """The current moment in UTC, or the moment a test pinned."""
    return _pinned if _pinned is not None else dt.datetime.now(dt.UTC)


@contextmanager
def pinned(moment: dt.datetime) -> Iterator[None]:
    """Within the block, now() answers `moment` (timezone-aware)."""
    global _pinned
    assert moment.tzinfo is not None, 'the clock keeps UTC moments'
    before, _pinned = _pinned, moment
    try:
        yield
    finally:
        _pinned = before
