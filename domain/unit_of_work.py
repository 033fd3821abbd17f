"""One transaction per user action; events are published only once it has committed."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain import events

_open = 0  # units of work in progress in this process


async def drain(timeout: float = 10) -> bool:
    """Wait until every unit of work in this process has committed or rolled back (for a graceful stop)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while _open and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)
    return _open == 0


class UnitOfWork:
    def __init__(self) -> None:
        self._transaction = in_transaction()
        self._pending: list[tuple[str, Any]] = []
        self.connection: BaseDBAsyncClient

    async def __aenter__(self) -> UnitOfWork:
        global _open
        self.connection = await self._transaction.__aenter__()
        _open += 1
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        global _open
        try:
            await self._transaction.__aexit__(exc_type, exc, tb)
        finally:
            _open -= 1
        if exc_type is None:
            for topic, payload in self._pending:
                events.bus.publish(topic, payload)

    def publish_after_commit(self, topic: str, payload: Any) -> None:
        self._pending.append((topic, payload))
