"""A job that runs at start and then every so often, for as long as the process lives."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger('kinroll.periodic')


class Periodic:
    def __init__(self, name: str, job: Callable[[], Awaitable[object]], every_seconds: float) -> None:
        self.name, self.job, self.every_seconds = name, job, every_seconds
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():  # starting twice must not leave an orphan running
            self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                await self.job()
            except Exception:  # a failed round must not end the job: the next round tries again
                log.exception('%s failed; trying again in %s s', self.name, self.every_seconds)
            await asyncio.sleep(self.every_seconds)
