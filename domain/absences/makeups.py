"""Makeups: a family spends a makeup credit on one meeting of another class (issue 17).

The rules, in one place:
- a credit books the meetings the studio's scope allows: the same class type (a class sharing the missed
  class's second-tier category, Dance › Ballet), the same level (sharing one of its categories) or any class;
  the class shown to families, active or future, that the child's age and gender fit, that the child is not
  enrolled in, meeting on a day that is not closed, with no clash with the child's own classes that day, from
  now plus `cutoff_hours` to today plus `makeup_ahead_days`, and never after the credit expires;
- a meeting's makeup seats are its capacity plus `extra_seats`, less what is taken that day, plus the children
  reported absent (seats.meeting_seats);
- booking takes the seat and the credit in one transaction: the class's row lock, then the family's, the seats
  counted under them, the credit claimed AVAILABLE -> BOOKED by a conditional update; a seat gone meanwhile is
  SeatGone at once;
- a makeup cancelled before `cancel_hours` gives the credit back; after that the credit is used; once the
  meeting started it cannot be cancelled.
Every family action asks rights.require_manage inside its transaction; reading needs no tick. Each step is a
Parent Portal Log line and an email to the contact who booked, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import clock, i18n, portal_log
from domain.absences import credits, makeup_notices, rights
from domain.absences.rules import MakeupScope, meeting_start
from domain.access.actors import Actor
from domain.classes import seats
from domain.classes.catalogue import FAMILY_STATUSES
from domain.classes.eligibility import ChildFacts, ClassFacts, age_reason, gender_reason
from domain.classes.enrolment import child_facts, class_facts
from domain.classes.meetings import Meeting
from domain.errors import DomainError, NotFound
from domain.i18n import N_
from domain.models import (
    Category,
    Course,
    CourseInstructor,
    CreditOrigin,
    CreditStatus,
    Family,
    Location,
    Makeup,
    MakeupCredit,
    MakeupStatus,
    Participant,
    Room,
)
from domain.portal_log import log_day
from domain.studio import settings
from domain.unit_of_work import UnitOfWork

STARTED = N_('This class has started already, so the makeup cannot be cancelled')
ORDER = (
    CreditStatus.AVAILABLE,
    CreditStatus.BOOKED,
    CreditStatus.PENDING,
    CreditStatus.USED,
    CreditStatus.EXPIRED,
    CreditStatus.REVOKED,
    CreditStatus.REFUSED,
)


class SeatGone(DomainError):
    MESSAGE = N_('That makeup seat has just been taken. The list is up to date again.')


class CreditNotAvailable(DomainError):
    MESSAGE = N_('This credit cannot be used for a makeup now. The list is up to date again.')


class TooLate(DomainError):
    """Booking a meeting whose booking has closed (or that is not among the credit's options), or cancelling a
    makeup whose class has started (raised with STARTED)."""

    MESSAGE = N_('This class can no longer be booked for a makeup. The list is up to date again.')


@dataclass(frozen=True)
class MakeupLine:
    id: int
    course: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str
    status: MakeupStatus
    free_cancel_until: dt.datetime  # UTC: cancelled before it, the credit comes back
    credit_back_if_cancelled: bool  # cancelled now, the credit comes back
    cancellable: bool  # booked and the meeting has not started


@dataclass(frozen=True)
class CreditLine:
    id: int
    participant_id: int
    child: str  # first name
    course: str  # the class missed
    missed_on: dt.date
    origin: CreditOrigin
    status: CreditStatus
    expires_on: dt.date | None
    makeup: MakeupLine | None  # the live makeup booked with it, or the last one that used it


@dataclass(frozen=True)
class MakeupOption:
    course_id: int
    course: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str
    instructor: str
    seats_left: int
    credit_back_if_cancelled: bool = True  # booked now, a cancellation would still give the credit back


async def family_credits(actor: Actor) -> list[CreditLine]:
    """The family's credits: available first (soonest to expire first), then booked, pending, used, expired,
    revoked and refused, each with its live makeup (or the one that used it)."""
    rows = await MakeupCredit.filter(family_id=actor.family_id).select_related('participant', 'course')
    makeups = await Makeup.filter(
        credit_id__in=[row.id for row in rows], status__in=(MakeupStatus.BOOKED, MakeupStatus.LATE_CANCELLED)
    ).order_by('id')
    latest = {makeup.credit_id: makeup for makeup in makeups}  # the last one booked, or used by a late cancel
    lines = await _makeup_lines(None, list(latest.values()))
    rank = {status: place for place, status in enumerate(ORDER)}
    rows.sort(key=lambda c: (rank[c.status], c.expires_on or dt.date.max, c.missed_on, c.id))
    return [
        CreditLine(
            row.id,
            row.participant_id,
            row.participant.first_name,
            row.course.name,
            row.missed_on,
            CreditOrigin(row.origin),
            CreditStatus(row.status),
            row.expires_on,
            lines.get(latest[row.id].id) if row.id in latest else None,
        )
        for row in rows
    ]


async def makeup_options(actor: Actor, credit_id: int) -> list[MakeupOption]:
    """The meetings this credit may book, each with a free makeup seat, by date then time (CreditNotAvailable
    for a credit that is not available)."""
    credit = await _own_credit(None, actor, credit_id)
    if credit.status != CreditStatus.AVAILABLE:
        raise CreditNotAvailable()
    eligible = await _eligible(None, credit)
    if not eligible:
        return []
    extra = settings.current().absences.extra_seats
    counted = await seats.meetings_seats([(course.id, m.date) for course, m in eligible])
    free = {key: n.for_makeups(extra) for key, n in counted.items()}
    courses = list({course.id: course for course, _ in eligible}.values())
    places, teachers = await _places(None, courses), await _first_instructors(None, courses)
    options = [
        MakeupOption(
            course.id,
            course.name,
            meeting.date,
            meeting.start,
            meeting.end,
            places[course.id],
            teachers.get(course.id, ''),
            free[(course.id, meeting.date)],
            _free_cancel_open(meeting.date, meeting.start),
        )
        for course, meeting in eligible
        if free.get((course.id, meeting.date), 0) > 0
    ]
    return sorted(options, key=lambda o: (o.date, o.start, o.course.casefold(), o.course_id))


async def book(actor: Actor, credit_id: int, course_id: int, day: dt.date) -> Makeup:
    """Book the credit's child into one meeting: the seat and the credit taken in one transaction, under the
    family's row lock and the class's (in the order every seat-taking service locks them), so of two parents
    racing for the last seat one wins and the other hears SeatGone at once."""
    async with UnitOfWork() as uow:
        db = uow.connection
        await rights.require_manage(db, actor)
        await Family.select_for_update().filter(id=actor.family_id).using_db(db).first()
        locked = await seats.lock_classes(db, [course_id])
        credit = await _own_credit(db, actor, credit_id)
        if credit.status != CreditStatus.AVAILABLE:
            raise CreditNotAvailable()
        course = locked.get(course_id)
        if course is None:
            raise NotFound()
        chosen = [m for c, m in await _eligible(db, credit, only=course) if m.date == day]
        if not chosen:
            raise TooLate()
        counted = (await seats.meeting_seats([course.id], day, using_db=db))[course.id]
        if counted.for_makeups(settings.current().absences.extra_seats) < 1:
            raise SeatGone()
        claimed = (
            await MakeupCredit.filter(id=credit.id, status=CreditStatus.AVAILABLE)
            .using_db(db)
            .update(status=CreditStatus.BOOKED)
        )
        if not claimed:
            raise CreditNotAvailable()
        makeup = await Makeup.create(
            using_db=db,
            credit_id=credit.id,
            family_id=credit.family_id,
            participant_id=credit.participant_id,
            course_id=course.id,
            date=day,
            status=MakeupStatus.BOOKED,
            contact_id=actor.contact_id,
            booked_by=actor.contact_name,
            booked_at=clock.now(),
        )
        child = await Participant.get(id=credit.participant_id, using_db=db)
        missed = await Course.get(id=credit.course_id, using_db=db)
        await portal_log.record(
            uow,
            actor.subject,
            'makeup_scheduled',
            f'Makeup scheduled: {child.full_name} - {course.name} - {log_day(day)}'
            f' - Credit: {missed.name} {log_day(credit.missed_on)}',
        )
        line = (await _makeup_lines(db, [makeup]))[makeup.id]
        await _tell_booked(uow, actor, makeup, line, child, missed.name, credit.missed_on)
    return makeup


async def cancel(actor: Actor, makeup_id: int) -> bool:
    """Cancel a booked makeup: before the studio's cut-off the credit comes back (True); after it the credit is
    used (False); once the class has started it cannot be cancelled (TooLate)."""
    async with UnitOfWork() as uow:
        db = uow.connection
        await rights.require_manage(db, actor)
        await Family.select_for_update().filter(id=actor.family_id).using_db(db).first()
        makeup = await Makeup.filter(id=makeup_id, family_id=actor.family_id).using_db(db).first()
        if makeup is None:
            raise NotFound()
        line = (await _makeup_lines(db, [makeup]))[makeup.id]
        if not line.cancellable:
            raise TooLate(STARTED) if makeup.status == MakeupStatus.BOOKED else NotFound()
        now = clock.now()
        returned = line.credit_back_if_cancelled
        done = (
            await Makeup.filter(id=makeup.id, status=MakeupStatus.BOOKED)
            .using_db(db)
            .update(
                status=MakeupStatus.CANCELLED if returned else MakeupStatus.LATE_CANCELLED,
                cancelled_at=now,
                cancelled_by=actor.contact_name,
            )
        )
        if not done:
            raise NotFound()
        credit_changes: dict = (
            {'status': CreditStatus.AVAILABLE}
            if returned
            else {
                'status': CreditStatus.USED,
                'closed_at': now,
            }
        )
        await MakeupCredit.filter(id=makeup.credit_id, status=CreditStatus.BOOKED).using_db(db).update(**credit_changes)
        child = await Participant.get(id=makeup.participant_id, using_db=db)
        course = await Course.get(id=makeup.course_id, using_db=db)
        await portal_log.record(
            uow,
            actor.subject,
            'makeup_cancelled',
            f'Makeup cancelled: {child.full_name} - {course.name} - {log_day(makeup.date)}'
            f' - {"Credit returned" if returned else "Credit used"}',
        )
        await _tell_cancelled(uow, actor, makeup, child, course.name, returned=returned)
    return returned


def _free_cancel_open(day: dt.date, start: dt.time) -> bool:
    studio = settings.current()
    return clock.now() < studio.absences.free_cancel_until(meeting_start(day, start, studio.timezone))


# Which meetings a credit may book


async def _own_credit(db: BaseDBAsyncClient | None, actor: Actor, credit_id: int) -> MakeupCredit:
    credit = await MakeupCredit.filter(id=credit_id, family_id=actor.family_id).using_db(db).first()
    if credit is None:
        raise NotFound()  # another family's credit reads as none at all
    return credit


async def _eligible(
    db: BaseDBAsyncClient | None, credit: MakeupCredit, *, only: Course | None = None
) -> list[tuple[Course, Meeting]]:
    """The meetings the credit's child may take as a makeup, seats not counted yet: in the studio's scope, shown
    to families, active or future, ages and gender fitting, not a class the child is in, not the missed meeting,
    not closed (the meetings leave closed dates out), no clash with the child's own classes or makeups that
    day, from now plus the cut-off to today plus `makeup_ahead_days`, and not after the credit expires."""
    rules = settings.current().absences
    timezone, now, today = settings.current().timezone, clock.now(), settings.today()
    last = today + dt.timedelta(days=rules.makeup_ahead_days)
    if credit.expires_on is not None:
        last = min(last, credit.expires_on)
    if last < today:
        return []
    query = Course.filter(shown_to_families=True, status__in=FAMILY_STATUSES, starts_on__lte=last, ends_on__gte=today)
    if only is not None:
        query = query.filter(id=only.id)
    courses = await _in_scope(db, rules.scope, credit.course_id, list(await query.using_db(db)))
    child = await Participant.get(id=credit.participant_id, using_db=db)
    kid = (await child_facts(db, [child]))[child.id]
    attending = {e.course_id for e in kid.enrolments if e.dropped_on is None or e.dropped_on > today}
    courses = [c for c in courses if c.id not in attending and gender_reason(c, child) is None]
    facts = await class_facts(db, courses)
    courses = [c for c in courses if age_reason(facts[c.id], child) is None]
    booked = await _child_makeups(db, child.id, today, last)
    eligible = []
    for course in courses:
        for meeting in facts[course.id].meetings:
            if not today <= meeting.date <= last:
                continue
            if course.id == credit.course_id and meeting.date == credit.missed_on:
                continue
            if rules.booking_closes(meeting_start(meeting.date, meeting.start, timezone)) <= now:
                continue
            if _clashes(meeting, kid, booked):
                continue
            eligible.append((course, meeting))
    return eligible


async def _in_scope(db: BaseDBAsyncClient | None, scope: MakeupScope, missed_id: int, courses: list[Course]) -> list:
    """The classes within the studio's scope of the missed class: any class; one sharing a category with it (the
    same level); or one filed under the missed class's second-tier categories (the same type: Dance › Ballet, so
    Dance › Ballet › Level 3 too). A category at the top tier is its own type. A missed class filed under no
    category has no classes of its type or level."""
    if scope == MakeupScope.ANY:
        return courses
    ids = {course.id for course in courses} | {missed_id}
    filed: dict[int, set[int]] = {}
    for category_id, course_id in (
        await Category.filter(courses__id__in=ids).using_db(db).values_list('id', 'courses__id')
    ):
        filed.setdefault(course_id, set()).add(category_id)
    missed = filed.get(missed_id, set())
    if scope == MakeupScope.SAME_LEVEL:
        return [course for course in courses if filed.get(course.id, set()) & missed]
    parent_of: dict[int, int | None] = dict(await Category.all().using_db(db).values_list('id', 'parent_id'))
    types = {_ancestry(parent_of, category)[-2:][0] for category in missed}

    def of_type(course: Course) -> bool:
        return any(set(_ancestry(parent_of, category)) & types for category in filed.get(course.id, set()))

    return [course for course in courses if of_type(course)]


def _ancestry(parent_of: dict[int, int | None], category_id: int) -> list[int]:
    """The category and the tiers above it, the top one last."""
    chain: list[int] = []
    current: int | None = category_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parent_of.get(current)
    return chain


async def _child_makeups(
    db: BaseDBAsyncClient | None, participant_id: int, first: dt.date, last: dt.date
) -> list[Meeting]:
    """The child's booked makeups in the window, as meetings, so a second makeup cannot clash with the first."""
    rows = await Makeup.filter(
        participant_id=participant_id, status=MakeupStatus.BOOKED, date__gte=first, date__lte=last
    ).using_db(db)
    if not rows:
        return []
    courses = await Course.filter(id__in={row.course_id for row in rows}).using_db(db)
    facts = await class_facts(db, list(courses))
    return [m for row in rows for m in facts[row.course_id].meetings if m.date == row.date]


def _clashes(meeting: Meeting, kid: ChildFacts, booked: list[Meeting]) -> bool:
    """The child has one of their own classes, or another makeup, at an overlapping time that day."""
    day = meeting.date
    if any(m.date == day and _overlap(meeting, m.start, m.end) for m in booked):
        return True
    for enrolment in kid.enrolments:
        course = enrolment.course
        if not seats.meets_on(day, enrolment.starts_on, enrolment.dropped_on):
            continue
        if not course.starts_on <= day <= course.ends_on:
            continue
        for pattern in kid.patterns.get(course.id, []):
            if day.weekday() in pattern.weekdays and _overlap(meeting, pattern.start_time, pattern.end_time):
                return True
    return False


def _overlap(meeting: Meeting, start: dt.time, end: dt.time) -> bool:
    return meeting.start < end and start < meeting.end


# Reading makeups


async def _makeup_lines(db: BaseDBAsyncClient | None, makeups: list[Makeup]) -> dict[int, MakeupLine]:
    if not makeups:
        return {}
    rules, timezone, now = settings.current().absences, settings.current().timezone, clock.now()
    courses = list(await Course.filter(id__in={m.course_id for m in makeups}).using_db(db))
    facts = await class_facts(db, courses)
    places = await _places(db, courses)
    named = {course.id: course.name for course in courses}
    lines = {}
    for makeup in makeups:
        start, end = _times(facts[makeup.course_id], makeup.date)
        starts_at = meeting_start(makeup.date, start, timezone)
        free_until = rules.free_cancel_until(starts_at)
        lines[makeup.id] = MakeupLine(
            makeup.id,
            named[makeup.course_id],
            makeup.date,
            start,
            end,
            places[makeup.course_id],
            MakeupStatus(makeup.status),
            free_until,
            now < free_until,
            makeup.status == MakeupStatus.BOOKED and now < starts_at,
        )
    return lines


def _times(facts: ClassFacts, day: dt.date) -> tuple[dt.time, dt.time]:
    """The meeting's times that day; a day closed since it was booked reads its weekday's pattern."""
    for meeting in facts.meetings:
        if meeting.date == day:
            return meeting.start, meeting.end
    for pattern in facts.patterns:
        if day.weekday() in pattern.weekdays:
            return pattern.start_time, pattern.end_time
    return dt.time(), dt.time()


async def _places(db: BaseDBAsyncClient | None, courses: list[Course]) -> dict[int, str]:
    """Where each class meets: its location, and its room when it has one ("Main studio, Room A")."""
    locations = dict(
        await Location.filter(id__in={c.location_id for c in courses}).using_db(db).values_list('id', 'name')
    )
    room_ids = {c.room_id for c in courses if c.room_id is not None}
    rooms = dict(await Room.filter(id__in=room_ids).using_db(db).values_list('id', 'name')) if room_ids else {}
    return {
        c.id: ', '.join(str(part) for part in (locations.get(c.location_id, ''), rooms.get(c.room_id, '')) if part)
        for c in courses
    }


async def _first_instructors(db: BaseDBAsyncClient | None, courses: list[Course]) -> dict[int, str]:
    teaching = (
        await CourseInstructor.filter(course_id__in=[c.id for c in courses])
        .using_db(db)
        .select_related('staff')
        .order_by('position', 'id')
    )
    first: dict[int, str] = {}
    for row in teaching:
        first.setdefault(row.course_id, row.staff.name)
    return first


# Telling the family


async def _tell_booked(
    uow: UnitOfWork,
    actor: Actor,
    makeup: Makeup,
    line: MakeupLine,
    child: Participant,
    missed_course: str,
    missed_on: dt.date,
) -> None:
    contact = await credits.contact_to_tell(uow.connection, makeup.family_id, actor.contact_id)
    if contact is None:
        return
    studio = settings.current()
    starts_at = meeting_start(makeup.date, line.start, studio.timezone)

    def notice(language: str, name: str):
        return makeup_notices.booked(
            language,
            name,
            child.first_name,
            line.course,
            i18n.format_moment(starts_at, studio.timezone, language),
            line.location,
            i18n.format_day(missed_on, language),
            i18n.format_moment(line.free_cancel_until, studio.timezone, language),
        )

    await credits.email(uow, contact, makeup.family_id, notice)


async def _tell_cancelled(
    uow: UnitOfWork, actor: Actor, makeup: Makeup, child: Participant, course: str, *, returned: bool
) -> None:
    """The contact who cancelled, and the one who booked when that was someone else."""
    told: set[int] = set()
    for contact_id in (actor.contact_id, makeup.contact_id):
        contact = await credits.contact_to_tell(uow.connection, makeup.family_id, contact_id)
        if contact is None or contact.id in told:
            continue
        told.add(contact.id)
        day = makeup.date

        def notice(language: str, name: str, day: dt.date = day):
            return makeup_notices.cancelled(
                language, name, child.first_name, course, i18n.format_day(day, language), returned=returned
            )

        await credits.email(uow, contact, makeup.family_id, notice)
