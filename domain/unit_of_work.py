"""One transaction per user action; events are published only once it has committed."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from . import events


class UnitOfWork:
    def __init__(self) -> None:
        self._transaction = in_transaction()
        self._pending: list[tuple[str, Any]] = []
        self.connection: BaseDBAsyncClient

    async def __aenter__(self) -> UnitOfWork:
        self.connection = await self._transaction.__aenter__()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self._transaction.__aexit__(exc_type, exc, tb)
        if exc_type is None:
            for topic, payload in self._pending:
                events.bus.publish(topic, payload)

    def publish_after_commit(self, topic: str, payload: Any) -> None:
        self._pending.append((topic, payload))
