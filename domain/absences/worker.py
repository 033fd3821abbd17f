"""The absences' background round, every five minutes in every process: confirm the absences whose class ended
with no roster, expire the credits past their last day, remind a family a week before one expires, and mark the
credits whose makeup took place used.

Every step claims each row by a conditional update from the state it was read in, and writes its log line and
email in that same transaction, so two processes running the round at once act on each row once.
"""

from __future__ import annotations

import datetime as dt
import logging

from domain import clock, portal_log
from domain.absences import absences, credits
from domain.absences.rules import REMIND_BEFORE
from domain.models import Course, CreditStatus, Family, Makeup, MakeupCredit, MakeupStatus, Participant
from domain.periodic import Periodic
from domain.portal_log import LogSubject, log_day
from domain.studio import settings
from domain.unit_of_work import UnitOfWork

log = logging.getLogger('kinroll.absences')

EVERY = dt.timedelta(minutes=5)


async def expire_credits() -> int:
    """AVAILABLE credits past their last day become EXPIRED, with a log line and an email. A booked one is left:
    its makeup is still to come, or the round marks it used."""
    today = settings.today()
    ids = await MakeupCredit.filter(status=CreditStatus.AVAILABLE, expires_on__lt=today).values_list('id', flat=True)
    expired = 0
    for credit_id in ids:
        async with UnitOfWork() as uow:
            db = uow.connection
            changed = (
                await MakeupCredit.filter(id=credit_id, status=CreditStatus.AVAILABLE, expires_on__lt=today)
                .using_db(db)
                .update(status=CreditStatus.EXPIRED, closed_at=clock.now())
            )
            if not changed:
                continue  # booked, or expired by another process, since it was read
            credit = await MakeupCredit.get(id=credit_id, using_db=db)
            child = await Participant.get(id=credit.participant_id, using_db=db)
            course = await Course.get(id=credit.course_id, using_db=db)
            family = await Family.get(id=credit.family_id, using_db=db)
            await portal_log.record(
                uow,
                LogSubject(family.id, family.name),
                'makeup_credit_expired',
                f'Makeup credit expired: {child.full_name} - {course.name} - {log_day(credit.missed_on)}',
            )
            await credits.tell_expired(uow, credit)
            expired += 1
    return expired


async def remind_expiring() -> int:
    """One email per AVAILABLE credit a week (REMIND_BEFORE) before its last day."""
    today = settings.today()
    soon = today + REMIND_BEFORE
    due = MakeupCredit.filter(
        status=CreditStatus.AVAILABLE, reminded_at__isnull=True, expires_on__gte=today, expires_on__lte=soon
    )
    reminded = 0
    for credit_id in await due.values_list('id', flat=True):
        async with UnitOfWork() as uow:
            db = uow.connection
            changed = (
                await MakeupCredit.filter(id=credit_id, status=CreditStatus.AVAILABLE, reminded_at__isnull=True)
                .using_db(db)
                .update(reminded_at=clock.now())
            )
            if not changed:
                continue
            await credits.tell_expiring(uow, await MakeupCredit.get(id=credit_id, using_db=db))
            reminded += 1
    return reminded


async def use_past_makeups() -> int:
    """BOOKED credits whose makeup's day has passed are USED (a roster taken of it may have said so already)."""
    today = settings.today()
    ids = await Makeup.filter(status=MakeupStatus.BOOKED, date__lt=today).values_list('credit_id', flat=True)
    if not ids:
        return 0
    return await MakeupCredit.filter(id__in=set(ids), status=CreditStatus.BOOKED).update(
        status=CreditStatus.USED, closed_at=clock.now()
    )


async def run_once() -> int:
    """One round; a step that fails is logged and the others still run. Returns how many rows changed."""
    done = 0
    for step in (absences.confirm_overdue, expire_credits, remind_expiring, use_past_makeups):
        try:
            done += await step()
        except Exception:
            log.exception('absences: %s failed', step.__name__)
    return done


class AbsenceWorker(Periodic):
    """The round at start and every five minutes, for as long as the process lives."""

    def __init__(self, every_seconds: float = EVERY.total_seconds()) -> None:
        super().__init__('absence worker', run_once, every_seconds)
