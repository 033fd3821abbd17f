"""One transaction per user action; events are published only once it has committed.

A unit of work does not nest: a service that needs one while another is open takes the caller's `uow` instead.
Tortoise would turn an inner transaction into a savepoint of the outer one, so an inner unit of work that
published on leaving would tell everybody about a change the outer one may still roll back. Entering one while
another is open in the same task, or in a task started inside it (which shares its transaction), is refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import ContextVar, Token
from types import TracebackType
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient, TransactionContext
from tortoise.transactions import in_transaction

from domain import events

_open = 0  # units of work in progress in this process, for a graceful stop
_current: ContextVar[UnitOfWork | None] = ContextVar('unit_of_work', default=None)  # this task's, if any


class NestedUnitOfWork(RuntimeError):
    """A unit of work was entered while another was open in the same task: a programming error."""


async def drain(timeout: float = 10) -> bool:
    """Wait until every unit of work in this process has committed or rolled back (for a graceful stop)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while _open and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)
    return _open == 0


class UnitOfWork:
    def __init__(self) -> None:
        self._pending: list[tuple[str, Any]] = []
        self._committed: list[Callable[[], object]] = []
        self._rolled_back: list[Callable[[], object]] = []
        self._transaction: TransactionContext
        self._token: Token[UnitOfWork | None]
        self.connection: BaseDBAsyncClient

    async def __aenter__(self) -> UnitOfWork:
        global _open
        if _current.get() is not None:
            raise NestedUnitOfWork(
                'a UnitOfWork is already open in this task (or in the one that started it): '
                'pass its uow on instead of opening another'
            )
        self._transaction = in_transaction()
        self.connection = await self._transaction.__aenter__()
        self._token = _current.set(self)
        _open += 1
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        global _open
        committed = False
        try:
            await self._transaction.__aexit__(exc_type, exc, tb)
            committed = exc_type is None
        finally:
            _open -= 1
            _current.reset(self._token)  # before publishing: a subscriber may open a unit of work of its own
            if not committed:  # rolled back, or the commit itself failed
                for undo in self._rolled_back:
                    undo()
        if not committed:
            return
        for then in self._committed:
            then()
        for topic, payload in self._pending:
            events.bus.publish(topic, payload)

    def publish_after_commit(self, topic: str, payload: Any) -> None:
        self._pending.append((topic, payload))

    def after_commit(self, then: Callable[[], object]) -> None:
        """Run `then` in this process once the transaction has committed (never after a rollback)."""
        self._committed.append(then)

    def after_rollback(self, undo: Callable[[], object]) -> None:
        """Run `undo` in this process if the transaction rolls back: what it wrote outside the database (a
        stored file) is taken back."""
        self._rolled_back.append(undo)
