"""What a date the studio closes does to the families: its reported absences cancelled (no meeting is missed),
its booked makeups cancelled with their credits back, and, when the studio gives them, a makeup credit for each
child enrolled in a class that would have met on it. In the closure's own transaction."""

from __future__ import annotations

import datetime as dt

from domain import clock, portal_log
from domain.absences import credits
from domain.access.actors import StaffActor
from domain.family.participants import staff_subject
from domain.models import Absence, Family
from domain.portal_log import log_day
from domain.unit_of_work import UnitOfWork


async def close_day(uow: UnitOfWork, day: dt.date, *, by: StaffActor) -> None:
    await _cancel_absences(uow, day, by=by)
    await credits.release_makeups_on_closure(uow, day, by=by)
    await credits.issue_for_closure(uow, day, by=by)


async def _cancel_absences(uow: UnitOfWork, day: dt.date, *, by: StaffActor) -> int:
    """A date the studio just closed has no meetings to miss: the absences reported for it are cancelled (a
    closure credit, when the studio gives one, stands in their place). Returns how many."""
    db = uow.connection
    live = await (
        Absence.filter(date=day, cancelled_at__isnull=True, confirmed_at__isnull=True)
        .using_db(db)
        .select_related('participant', 'course', 'family')
        .order_by('family_id', 'id')
    )
    cancelled = 0
    for absence in live:
        await Family.select_for_update().filter(id=absence.family_id).using_db(db).first()
        changed = (
            await Absence.filter(id=absence.id, cancelled_at__isnull=True, confirmed_at__isnull=True)
            .using_db(db)
            .update(cancelled_at=clock.now(), cancelled_by=f'Closure - {by.name}')
        )
        if changed:
            cancelled += 1
            await portal_log.record(
                uow,
                staff_subject(absence.family, by),
                'absence_cancelled',
                f'Absence cancelled: {absence.participant.full_name} - {absence.course.name} - {log_day(day)}'
                ' - Studio closed',
            )
    return cancelled
