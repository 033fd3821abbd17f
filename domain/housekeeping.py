"""The daily clean-up: message history past the studio's retention; spent codes, links, sessions; stale drafts."""

from __future__ import annotations

import datetime as dt
import logging

from . import message_history, registration, studio
from .models import AccessCode, PasswordReset, PortalSession
from .periodic import Periodic

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
        'registration_drafts': await registration.purge_stale(now),
    }
    log.info('clean-up removed %s', removed)
    return removed


def daily_clean_up() -> Periodic:
    """Runs at start and then once a day for as long as the process lives."""
    return Periodic('daily clean-up', clean_up, dt.timedelta(days=1).total_seconds())
