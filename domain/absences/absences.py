"""Absences a family reports in the portal (issue 17): for one child or several, one class or every class, a
day or a range of days, with a reason; cancelled before the class starts. Confirmed when the roster is saved
(domain.absences.attendance) or 30 minutes after the class ends with no roster (confirm_overdue, run by the
worker), when the studio's rules say whether it earns a makeup credit (domain.absences.credits).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.access.actors import Actor
from domain.errors import DomainError
from domain.i18n import N_
from domain.models import Absence, AbsenceReason, CreditStatus


class AbsenceStarted(DomainError):
    MESSAGE = N_('This class has already started')


@dataclass(frozen=True)
class MeetingDay:
    date: dt.date
    start: dt.time
    end: dt.time
    in_time: bool  # reported now, the absence is within the studio's notice
    reported: bool  # a live absence is reported for it


@dataclass(frozen=True)
class ClassDays:
    enrolment_id: int
    course_id: int
    course: str
    days: list[MeetingDay]


@dataclass(frozen=True)
class ChildDays:
    participant_id: int
    first_name: str
    classes: list[ClassDays]


@dataclass(frozen=True)
class AbsenceLine:
    id: int
    participant_id: int
    child: str
    course: str
    date: dt.date
    start: dt.time
    reason: AbsenceReason
    note: str
    reported_by: str
    in_time: bool
    cancellable: bool
    credit: CreditStatus | None


async def report_choices(actor: Actor) -> list[ChildDays]:
    """Each child's classes and their meetings from now to the studio's ahead_days (not closed, not started)."""
    raise NotImplementedError


async def report(
    actor: Actor,
    *,
    participant_ids: list[int],
    course_id: int | None,
    first_day: dt.date,
    last_day: dt.date | None,
    reason: str,
    note: str = '',
) -> list[Absence]:
    """Report absences. course_id None: every class of each chosen child meeting from first_day to last_day
    (None: that day only). Meetings already reported are left as they are; a cancelled one is reported again."""
    raise NotImplementedError


async def cancel(actor: Actor, absence_id: int) -> None:
    """Cancel a reported absence, only before its meeting starts (AbsenceStarted)."""
    raise NotImplementedError


async def family_absences(actor: Actor) -> list[AbsenceLine]:
    """The family's live absences: upcoming first (soonest first), then the last 60 days (latest first)."""
    raise NotImplementedError


async def upcoming_closures(days: int = 60) -> list[tuple[dt.date, str]]:
    """The studio's closed dates from today for `days` days, with their names."""
    raise NotImplementedError


async def confirm_overdue(now: dt.datetime | None = None) -> int:
    """Confirm absences whose class ended CONFIRM_AFTER ago with no roster, issuing their credits."""
    raise NotImplementedError
