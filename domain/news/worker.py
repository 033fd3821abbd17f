"""The news round, every minute in every process: each post whose time has come sends its email and texts.

Each post is sent in its own transaction, claimed under a row lock (notices.send_if_due), so two processes
running the round at once send it once."""

from __future__ import annotations

import datetime as dt
import logging

from domain.news import notices
from domain.periodic import Periodic
from domain.unit_of_work import UnitOfWork

log = logging.getLogger('kinroll.news')

EVERY = dt.timedelta(minutes=1)


async def run_once() -> int:
    """Send every post that is due; returns how many messages were queued. A post that fails is logged, the
    others still go."""
    queued = 0
    for post_id in await notices.due_posts():
        try:
            async with UnitOfWork() as uow:
                queued += await notices.send_if_due(uow, post_id)
        except Exception:
            log.exception('news: sending post %s failed', post_id)
    return queued


class NewsWorker(Periodic):
    """The round at start and every minute, for as long as the process lives."""

    def __init__(self, every_seconds: float = EVERY.total_seconds()) -> None:
        super().__init__('news worker', run_once, every_seconds)
