"""The studio's rules for absences and makeups, as one value read from its settings, and the few sums that
follow from them (when an absence is in time, when a credit expires, until when a makeup is booked or
cancelled). Pure: no database, no clock of its own, so every screen and service asks the same questions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from domain.i18n import N_
from domain.models import AbsenceReason


class CreditRule(StrEnum):
    NEVER = 'never'
    ALWAYS = 'always'
    IN_TIME = 'in_time'  # only an absence reported within the notice
    STAFF = 'staff'  # staff decide each absence


class NoticeRule(StrEnum):
    HOURS = 'hours'  # `notice_hours` before the class starts
    DAY_BEFORE = 'day_before'  # by 23:59 the day before, on the studio's clock


class ExpiryRule(StrEnum):
    NONE = 'none'
    DAYS = 'days'
    WEEKS = 'weeks'
    MONTHS = 'months'
    TERM_END = 'term_end'  # the last day of the missed class's session


class MakeupScope(StrEnum):
    SAME_TYPE = 'same_type'  # a class sharing the missed class's type (its second-tier category: Ballet)
    SAME_LEVEL = 'same_level'  # a class in one of the missed class's own categories (Ballet › Level 2)
    ANY = 'any'  # any class the child is old enough for


REASON_NAMES = {
    AbsenceReason.SICK: N_('Sick'),
    AbsenceReason.TRAVEL: N_('Travel'),
    AbsenceReason.SCHOOL_EVENT: N_('School event'),
    AbsenceReason.OTHER: N_('Other'),
}
LOG_REASONS = {  # the Parent Portal Log is written in English, as every other line of it
    AbsenceReason.SICK: 'Sick',
    AbsenceReason.TRAVEL: 'Travel',
    AbsenceReason.SCHOOL_EVENT: 'School event',
    AbsenceReason.OTHER: 'Other',
}
CONFIRM_AFTER = dt.timedelta(minutes=30)  # an absence is confirmed this long after its class ends without a roster
REMIND_BEFORE = dt.timedelta(days=7)  # the email before a credit expires

# Bounds of the counts staff type on the settings screen
NOTICE_HOURS = (0, 72)
AHEAD_DAYS = (1, 365)
EXPIRY_COUNT = (1, 365)
CREDITS_PER_ENROLMENT = (1, 20)
MAKEUP_AHEAD_DAYS = (1, 180)
CUTOFF_HOURS = (0, 72)
CANCEL_HOURS = (0, 168)
EXTRA_SEATS = (0, 20)


@dataclass(frozen=True)
class AbsenceRules:
    reported: bool = True  # parents may report absences in the portal
    credit: CreditRule = CreditRule.IN_TIME
    notice: NoticeRule = NoticeRule.HOURS
    notice_hours: int = 2
    ahead_days: int = 60  # how far ahead an absence can be reported
    expiry: ExpiryRule = ExpiryRule.MONTHS
    expiry_count: int = 3
    per_enrolment: int = 2  # credits a child may hold at once from one class (pending, available or booked)
    scope: MakeupScope = MakeupScope.SAME_TYPE
    makeup_ahead_days: int = 30  # how far ahead a makeup can be booked
    cutoff_hours: int = 2  # a makeup is booked until this long before its class starts
    cancel_hours: int = 24  # a booked makeup is cancelled with its credit back until this long before
    extra_seats: int = 0  # makeup seats per meeting beyond capacity; 0: makeups fill real vacancies only
    closure_credits: bool = False  # a closed date credits every child enrolled in a class meeting on it

    def notice_deadline(self, starts_at: dt.datetime, timezone: str) -> dt.datetime:
        """The last moment an absence from a meeting starting at `starts_at` (UTC) counts as in time."""
        if self.notice == NoticeRule.DAY_BEFORE:
            zone = ZoneInfo(timezone)
            local_day = starts_at.astimezone(zone).date()
            midnight = dt.datetime.combine(local_day, dt.time(), tzinfo=zone)
            return (midnight - dt.timedelta(minutes=1)).astimezone(dt.UTC)
        return starts_at - dt.timedelta(hours=self.notice_hours)

    def earns_credit(self, *, in_time: bool) -> bool | None:
        """Whether a confirmed absence earns a credit: True, False, or None when staff decide."""
        if self.credit == CreditRule.STAFF:
            return None
        return self.credit == CreditRule.ALWAYS or (self.credit == CreditRule.IN_TIME and in_time)

    def expires_on(self, missed_on: dt.date, term_ends_on: dt.date) -> dt.date | None:
        """The last day a credit for a meeting missed on `missed_on` may be used; None: it never expires."""
        count = self.expiry_count
        match self.expiry:
            case ExpiryRule.NONE:
                return None
            case ExpiryRule.DAYS:
                return missed_on + dt.timedelta(days=count)
            case ExpiryRule.WEEKS:
                return missed_on + dt.timedelta(weeks=count)
            case ExpiryRule.MONTHS:
                return missed_on + relativedelta(months=count)
        return term_ends_on

    def booking_closes(self, starts_at: dt.datetime) -> dt.datetime:
        return starts_at - dt.timedelta(hours=self.cutoff_hours)

    def free_cancel_until(self, starts_at: dt.datetime) -> dt.datetime:
        return starts_at - dt.timedelta(hours=self.cancel_hours)


def meeting_start(day: dt.date, start: dt.time, timezone: str) -> dt.datetime:
    """A meeting's start as a UTC moment: its time of day is on the studio's clock."""
    return dt.datetime.combine(day, start, tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)
