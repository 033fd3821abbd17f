"""What a class costs and what is posted for it.

Tuition is charged by period: a calendar month for classes priced per month or per meeting, the whole session
for classes priced per session. A child who starts (or drops) within a period pays for the meetings they
attend: per month and per session, the share of that period's meetings; per meeting, the meetings themselves.
Each period's fee is posted under a ledger source of its own (`tuition:<enrolment>:<period>`), which the ledger
accepts once, so posting twice for the same period posts once, whoever asks and however often.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import audit, i18n
from domain.access.actors import StaffActor, require_admin
from domain.billing import ledger
from domain.classes.meetings import Meeting, closed_dates, meetings_of
from domain.models import (
    Course,
    Enrolment,
    LedgerEntry,
    LedgerKind,
    MeetingPattern,
    StaffRole,
    StudioSettings,
    TuitionBasis,
)
from domain.periodic import Periodic
from domain.studio import settings
from domain.unit_of_work import UnitOfWork

WHOLE_TERM = 'term'


def period_of(course: Course, day: dt.date) -> str:
    return WHOLE_TERM if course.tuition_basis == TuitionBasis.PER_TERM else f'{day.year:04d}-{day.month:02d}'


def _in_period(course: Course, meeting: Meeting, period: str) -> bool:
    return period == WHOLE_TERM or period_of(course, meeting.date) == period


def _round(amount: Decimal) -> Decimal:
    places = Decimal(1).scaleb(-min(i18n.minor_units(settings.current().currency), 2))
    return amount.quantize(places, rounding=ROUND_HALF_UP)


def fee_for(
    course: Course, meetings: list[Meeting], period: str, *, attending_from: dt.date, until: dt.date | None
) -> Decimal:
    """The tuition of one period for a child attending from `attending_from` until the day before `until`."""
    tuition = Decimal(str(course.tuition))
    in_period = [m for m in meetings if _in_period(course, m, period)]
    attended = [m for m in in_period if m.date >= attending_from and (until is None or m.date < until)]
    if course.tuition_basis == TuitionBasis.PER_MEETING:
        return _round(tuition * len(attended))
    if not in_period:
        return Decimal('0')
    return _round(tuition * len(attended) / len(in_period))


@dataclass(frozen=True)
class Price:
    """A class's price as families see it: its tuition and basis, and what enrolling from a day posts now."""

    tuition: Decimal
    basis: TuitionBasis
    first_period: str  # 'term' or 'YYYY-MM'
    first_fee: Decimal  # posted at enrolment: the first period, prorated
    meetings_left: int


def price_from(course: Course, meetings: list[Meeting], starts: dt.date | None) -> Price:
    tuition = Decimal(str(course.tuition))
    if starts is None:
        return Price(tuition, TuitionBasis(course.tuition_basis), WHOLE_TERM, Decimal('0'), 0)
    period = period_of(course, starts)
    first = fee_for(course, meetings, period, attending_from=starts, until=None)
    left = sum(1 for meeting in meetings if meeting.date >= starts)
    return Price(tuition, TuitionBasis(course.tuition_basis), period, first, left)


def tuition_source(enrolment_id: int, period: str) -> str:
    return f'tuition:{enrolment_id}:{period}'


def registration_fee_source(family_id: int, term_id: int) -> str:
    return f'registration:{family_id}:{term_id}'


def describe_period(period: str) -> str:
    if period == WHOLE_TERM:
        return 'session'
    year, month = period.split('-')
    return dt.date(int(year), int(month), 1).strftime('%b %Y')


async def post_first_fees(
    uow: UnitOfWork, enrolment: Enrolment, course: Course, child_name: str, price: Price, *, posted_by: str
) -> list[LedgerEntry]:
    """At enrolment: the first period's tuition, and the studio's registration fee once per family and session
    for a class that carries it. Both in the enrolment's transaction."""
    posted = []
    if price.first_fee > 0:
        posted.append(
            await ledger.post_entry(
                enrolment.family_id,
                LedgerKind.FEE,
                price.first_fee,
                f'Tuition: {course.name} ({child_name}), {describe_period(price.first_period)}',
                using_db=uow.connection,
                source=tuition_source(enrolment.id, price.first_period),
                posted_by=posted_by,
            )
        )
    fee = settings.current().registration_fee
    source = registration_fee_source(enrolment.family_id, course.term_id)
    if (
        course.registration_fee
        and fee > 0
        and not await LedgerEntry.filter(source=source).using_db(uow.connection).exists()
    ):
        posted.append(
            await ledger.post_entry(
                enrolment.family_id,
                LedgerKind.FEE,
                fee,
                f'Registration fee: {(await course.term).name}',
                using_db=uow.connection,
                source=source,
                posted_by=posted_by,
            )
        )
    return posted


@dataclass(frozen=True)
class TuitionRun:
    month: str
    posted: int
    total: Decimal


async def post_tuition(by: StaffActor, month: dt.date, *, posted_by: str = '') -> TuitionRun:
    """Post the month's tuition for every enrolment that meets in it (classes priced per month or per meeting).

    Runs one at a time (the settings row is locked), and skips what a source shows was posted already: the
    first month posted at enrolment, or an earlier run for the same month.
    """
    require_admin(by)
    return await _post_month(by, month, posted_by=posted_by or by.name)


# The automatic run's entries in the staff audit: no staff member pressed anything.
AUTOMATIC = StaffActor(0, 'Monthly tuition (automatic)', '', StaffRole.ADMIN)


async def post_this_month_if_due() -> TuitionRun | None:
    """When the studio has chosen it, post this month's tuition: what the first run of the month posts, later
    runs find posted (so every process may run this as often as it likes); a run that posts nothing leaves no
    audit entry. None when the studio posts tuition by hand."""
    if not settings.current().monthly_tuition:
        return None
    return await _post_month(AUTOMATIC, settings.today().replace(day=1), posted_by=AUTOMATIC.name, quiet=True)


def monthly_tuition(every_seconds: float = 3600.0) -> Periodic:
    """Every hour, in every process: the month's first hour posts it, the others find nothing new."""
    return Periodic('monthly tuition', post_this_month_if_due, every_seconds)


async def preview_tuition(by: StaffActor, month: dt.date) -> TuitionRun:
    """What posting the month would post now, posting nothing: what an administrator confirms first."""
    require_admin(by)
    fees = await _unposted_fees(None, month)
    return TuitionRun(_period(month), len(fees), sum((fee.amount for fee in fees), Decimal('0')))


@dataclass(frozen=True)
class _Fee:
    enrolment: Enrolment
    source: str
    amount: Decimal


def _period(month: dt.date) -> str:
    return f'{month.year:04d}-{month.month:02d}'


async def _unposted_fees(db: BaseDBAsyncClient | None, month: dt.date) -> list[_Fee]:
    """The month's fee of every enrolment that meets in it and has not had it posted yet."""
    period, first_day = _period(month), month.replace(day=1)
    closed = await closed_dates(db)
    billed = Enrolment.filter(
        course__tuition_basis__in=(TuitionBasis.PER_MONTH, TuitionBasis.PER_MEETING),
        starts_on__lte=_month_end(first_day),
    )
    enrolments = await billed.filter(dropped_on__isnull=True).using_db(db).select_related(
        'course', 'course__term', 'participant'
    ) + await billed.filter(dropped_on__gt=first_day).using_db(db).select_related(
        'course', 'course__term', 'participant'
    )
    sources = {tuition_source(e.id, period): e for e in enrolments}
    done = set(await LedgerEntry.filter(source__in=list(sources)).using_db(db).values_list('source', flat=True))
    patterns: dict[int, list[MeetingPattern]] = {}
    for pattern in await MeetingPattern.filter(course_id__in={e.course_id for e in enrolments}).using_db(db):
        patterns.setdefault(pattern.course_id, []).append(pattern)
    fees = []
    for source, enrolment in sources.items():
        if source in done:
            continue
        course = enrolment.course
        meetings = meetings_of(course, course.term, patterns.get(course.id, []), closed)
        fee = fee_for(course, meetings, period, attending_from=enrolment.starts_on, until=enrolment.dropped_on)
        if fee > 0:
            fees.append(_Fee(enrolment, source, fee))
    return fees


async def _post_month(by: StaffActor, month: dt.date, *, posted_by: str, quiet: bool = False) -> TuitionRun:
    period = _period(month)
    async with UnitOfWork() as uow:
        db = uow.connection
        await StudioSettings.select_for_update().using_db(db).first()
        fees = await _unposted_fees(db, month)
        for fee in fees:
            enrolment, course = fee.enrolment, fee.enrolment.course
            child = enrolment.participant.first_name + ' ' + enrolment.participant.last_name
            await ledger.post_entry(
                enrolment.family_id,
                LedgerKind.FEE,
                fee.amount,
                f'Tuition: {course.name} ({child}), {describe_period(period)}',
                using_db=db,
                source=fee.source,
                posted_by=posted_by,
            )
        total = sum((fee.amount for fee in fees), Decimal('0'))
        if fees or not quiet:
            await audit.record(
                uow, by, 'tuition_posted', f'Tuition: {period}', None, {'posted': len(fees), 'total': str(total)}
            )
    return TuitionRun(period, len(fees), total)


def _month_end(first_day: dt.date) -> dt.date:
    following = (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
