"""The daily clean-up: message history past the studio's retention; spent codes, links, sessions; stale drafts."""

from __future__ import annotations

import datetime as dt
import logging

from domain import clock
from domain.messages import history
from domain.models import AccessCode, PasswordReset, PortalSession
from domain.periodic import Periodic
from domain.registration import drafts
from domain.studio import settings

log = logging.getLogger('kinroll.housekeeping')
KEEP_SPENT = dt.timedelta(days=1)
KEEP_ENDED_SESSIONS = dt.timedelta(days=30)


async def clean_up(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or clock.now()
    removed = {
        'messages': await history.purge_older_than(settings.current().message_retention_days, now),
        'codes': await AccessCode.filter(expires_at__lt=now - KEEP_SPENT).delete(),
        'reset_links': await PasswordReset.filter(expires_at__lt=now - KEEP_SPENT).delete(),
        'sessions': await PortalSession.filter(ended_at__lt=now - KEEP_ENDED_SESSIONS).delete(),
        'registration_drafts': await drafts.purge_stale(now),
    }
    log.info('clean-up removed %s', removed)
    return removed


def daily_clean_up() -> Periodic:
    """Runs at start and then once a day for as long as the process lives."""
    return Periodic('daily clean-up', clean_up, dt.timedelta(days=1).total_seconds())
