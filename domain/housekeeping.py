"""The daily clean-up: message history past the studio's retention, and spent codes, links and sessions."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from . import message_history, studio
from .models import AccessCode, PasswordReset, PortalSession

log = logging.getLogger('kinroll.housekeeping')
KEEP_SPENT = dt.timedelta(days=1)
KEEP_ENDED_SESSIONS = dt.timedelta(days=30)


async def clean_up(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or dt.datetime.now(dt.UTC)
    removed = {
        'messages': await message_history.purge_older_than(studio.current().message_retention_days, now),
        'codes': await AccessCode.filter(expires_at__lt=now - KEEP_SPENT).delete(),
        'reset_links': await PasswordReset.filter(expires_at__lt=now - KEEP_SPENT).delete(),
        'sessions': await PortalSession.filter(ended_at__lt=now - KEEP_ENDED_SESSIONS).delete(),
    }
    log.info('clean-up removed %s', removed)
    return removed


class DailyCleanUp:
    """Runs at start and then once a day for as long as the process lives."""

    def __init__(self, every: dt.timedelta = dt.timedelta(days=1)) -> None:
        self.every = every
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():  # starting twice must not leave an orphan running
            self._task = asyncio.create_task(self._run(), name='daily clean-up')

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                await clean_up()
            except Exception:
                log.exception('daily clean-up failed; trying again tomorrow')
            await asyncio.sleep(self.every.total_seconds())
