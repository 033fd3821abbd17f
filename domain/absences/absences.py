"""Absences a family reports in the portal (issue 17): for one child or several, one class or every class, a
day or a range of days, with a reason; cancelled before the class starts.

The rules, in one place:
- only a contact staff allow to manage absences reports or cancels one (rights.require_manage, read in the
  transaction), and only while the studio takes absences in the portal (rights.require_reporting);
- a meeting is reported from today up to the studio's `ahead_days`, never once it has started, never on a closed
  date; each meeting of each chosen class the child attends, counted and written under the family's row lock, so
  two taps never report one meeting twice (one row per enrolment and date: a cancelled one is reported again);
- an absence is in time when reported by the studio's notice deadline, which decides its credit later;
- it is confirmed when the roster is saved (domain.absences.attendance) or 30 minutes after the class ends with
  no roster (confirm_overdue, run by the worker); the credit it earns then follows domain.absences.credits.
Each report and cancellation is a Parent Portal Log line; a report emails the class's first instructor, the
family's primary contact and the contact who reported it, once each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import clock, i18n, portal_log
from domain.absences import absence_notices, credits, rights
from domain.absences.rules import CONFIRM_AFTER, LOG_REASONS, meeting_start
from domain.access.actors import Actor
from domain.classes import seats
from domain.classes.enrolment import _own_children, class_facts
from domain.classes.meetings import Meeting, closed_dates, pattern_days
from domain.classes.seats import still_meeting
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.outbox import Recipient
from domain.models import (
    Absence,
    AbsenceReason,
    Channel,
    Closure,
    Contact,
    Course,
    CourseInstructor,
    CreditOrigin,
    CreditStatus,
    Enrolment,
    Family,
    MakeupCredit,
    MeetingPattern,
    Participant,
    RollCall,
)
from domain.portal_log import LogSubject, log_day
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

LONG_NOTE = 500
PAST_DAYS = 60  # how far back the family's list of absences reaches

CHOOSE_CHILD = N_('Choose at least one child')
IN_THE_PAST = N_('Choose today or a later day')
TOO_FAR_AHEAD = N_('This is further ahead than the studio takes absences')
BEFORE_FIRST = N_('Choose a day on or after the first day')
NOT_IN_CLASS = N_('Choose a class the child is in')
NOT_IN_CLASS_ALL = N_('Not every chosen child is in this class')
CLOSED = N_('The studio is closed on this day')
NO_MEETING_DAY = N_('No chosen class meets on this day')
NO_MEETING_RANGE = N_('No chosen class meets on these days')
NOT_A_REASON = N_('Choose one of the reasons')


class AbsenceStarted(DomainError):
    MESSAGE = N_('This class has already started: an absence is reported before the class')


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
    by_studio: bool = False  # staff marked it on the roster (excused), nobody in the family reported it


# Reporting


@dataclass
class _Place:
    """One enrolment of a chosen child with its class's meetings (closures out)."""

    enrolment: Enrolment
    child: Participant
    course: Course
    meetings: list[Meeting] = field(default_factory=list)

    def attends(self, day: dt.date) -> bool:
        e = self.enrolment
        return e.starts_on <= day and (e.dropped_on is None or day < e.dropped_on)


async def _places(db: BaseDBAsyncClient | None, family_id: int, child_ids: set[int]) -> list[_Place]:
    """The children's enrolments that still meet from today, each with its class's meetings."""
    enrolments = (
        await Enrolment.filter(still_meeting(settings.today()), family_id=family_id, participant_id__in=child_ids)
        .using_db(db)
        .select_related('course', 'participant')
        .order_by('participant__first_name', 'course__name', 'id')
    )
    facts = await class_facts(db, list({e.course_id: e.course for e in enrolments}.values()))
    return [_Place(e, e.participant, e.course, facts[e.course_id].meetings) for e in enrolments]


def _in_time(day: dt.date, start: dt.time, now: dt.datetime) -> bool:
    studio = settings.current()
    return now <= studio.absences.notice_deadline(meeting_start(day, start, studio.timezone), studio.timezone)


def _started(day: dt.date, start: dt.time, now: dt.datetime) -> bool:
    return meeting_start(day, start, settings.current().timezone) <= now


async def report_choices(actor: Actor) -> list[ChildDays]:
    """Each child's classes and their meetings from now to the studio's ahead_days (not closed, not started)."""
    now, today = clock.now(), settings.today()
    last = today + dt.timedelta(days=settings.current().absences.ahead_days)
    children = await Participant.filter(family_id=actor.family_id, removed_at__isnull=True).order_by('first_name', 'id')
    places = await _places(None, actor.family_id, {child.id for child in children})
    reported = set(
        await Absence.filter(
            family_id=actor.family_id, cancelled_at__isnull=True, date__gte=today, date__lte=last
        ).values_list('enrolment_id', 'date')
    )
    result = []
    for child in children:
        classes = []
        for place in (p for p in places if p.child.id == child.id):
            days = [
                MeetingDay(
                    m.date, m.start, m.end, _in_time(m.date, m.start, now), (place.enrolment.id, m.date) in reported
                )
                for m in place.meetings
                if today <= m.date <= last and place.attends(m.date) and not _started(m.date, m.start, now)
            ]
            classes.append(ClassDays(place.enrolment.id, place.course.id, place.course.name, days))
        if classes:
            result.append(ChildDays(child.id, child.first_name, classes))
    return result


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
    (None: that day only). Meetings already reported are left as they are (and not returned); a cancelled one is
    reported again. Returns the absences this report made, by date, child and class."""
    rights.require_reporting()
    now, today = clock.now(), settings.today()
    studio = settings.current()
    ahead = today + dt.timedelta(days=studio.absences.ahead_days)
    last = last_day or first_day
    async with UnitOfWork() as uow:
        db = uow.connection
        await rights.require_manage(db, actor)
        await Family.select_for_update().filter(id=actor.family_id).using_db(db).first()
        clean = Cleaner()
        ids = set(participant_ids)
        if not ids:
            clean.fail('participant_ids', CHOOSE_CHILD)
        children = await _own_children(db, actor, ids) if ids else {}  # another family's child: NotFound
        if first_day < today:
            clean.fail('first_day', IN_THE_PAST)
        elif first_day > ahead:
            clean.fail('first_day', TOO_FAR_AHEAD)
        if last < first_day:
            clean.fail('last_day', BEFORE_FIRST)
        elif last > ahead:
            clean.fail('last_day', TOO_FAR_AHEAD)
        if reason not in {r.value for r in AbsenceReason}:
            clean.fail('reason', NOT_A_REASON)
        text = clean.text('note', note or '', max_length=LONG_NOTE)
        places = await _places(db, actor.family_id, set(children))
        if course_id is not None:
            places = [p for p in places if p.course.id == course_id]
            if ids and {p.child.id for p in places} != set(children):
                clean.fail('course_id', NOT_IN_CLASS if len(ids) == 1 else NOT_IN_CLASS_ALL)
        clean.raise_if_invalid()
        chosen = [
            (place, meeting)
            for place in places
            for meeting in place.meetings
            if first_day <= meeting.date <= last and place.attends(meeting.date)
        ]
        if not chosen:
            raise await _no_meeting(db, places, first_day, last)
        if any(_started(m.date, m.start, now) for _, m in chosen):
            raise AbsenceStarted()
        made = await _write(uow, actor, chosen, AbsenceReason(reason), text, now)
        if made:
            await _tell_reported(uow, actor, made)
    return [absence for absence, _, _ in made]


async def _no_meeting(db: BaseDBAsyncClient, places: list[_Place], first: dt.date, last: dt.date) -> Exception:
    """Why nothing is chosen: a closed date on which a chosen class would have met says so."""
    closed = await closed_dates(db)
    patterns = await MeetingPattern.filter(course_id__in={p.course.id for p in places}).using_db(db)
    would_meet = {
        day
        for place in places
        for pattern in patterns
        if pattern.course_id == place.course.id
        for day in pattern_days(pattern, max(first, place.course.starts_on), min(last, place.course.ends_on))
        if place.attends(day)
    }
    if would_meet and would_meet <= closed:
        return ValidationFailed({'first_day': CLOSED})
    return ValidationFailed({'first_day': NO_MEETING_DAY if first == last else NO_MEETING_RANGE})


async def _write(
    uow: UnitOfWork,
    actor: Actor,
    chosen: list[tuple[_Place, Meeting]],
    reason: AbsenceReason,
    note: str,
    now: dt.datetime,
) -> list[tuple[Absence, _Place, Meeting]]:
    db = uow.connection
    existing = {
        (a.enrolment_id, a.date): a
        for a in await Absence.filter(
            enrolment_id__in={p.enrolment.id for p, _ in chosen}, date__in={m.date for _, m in chosen}
        ).using_db(db)
    }
    made = []
    for place, meeting in sorted(
        chosen, key=lambda c: (c[1].date, c[1].start, c[0].child.first_name, c[0].course.name)
    ):
        values = dict(
            reason=reason,
            note=note,
            contact_id=actor.contact_id,
            reported_by=actor.contact_name,
            reported_at=now,
            in_time=_in_time(meeting.date, meeting.start, now),
            cancelled_at=None,
            cancelled_by='',
            confirmed_at=None,
        )
        before = existing.get((place.enrolment.id, meeting.date))
        if before is not None and before.cancelled_at is None:
            continue  # reported already: left as it is
        if before is not None:
            await Absence.filter(id=before.id).using_db(db).update(**values)
            absence = await Absence.get(id=before.id, using_db=db)
        else:
            absence = await Absence.create(
                using_db=db,
                enrolment_id=place.enrolment.id,
                family_id=actor.family_id,
                participant_id=place.child.id,
                course_id=place.course.id,
                date=meeting.date,
                **values,
            )
        await portal_log.record(
            uow,
            actor.subject,
            'absence_scheduled',
            f'Absence scheduled: {place.child.full_name} - {place.course.name} - {log_day(meeting.date)}'
            f' - Reason: {LOG_REASONS[reason]}',
        )
        made.append((absence, place, meeting))
    return made


async def _tell_reported(uow: UnitOfWork, actor: Actor, made: list[tuple[Absence, _Place, Meeting]]) -> None:
    """One email to each person, in their language: the first instructor of each class (their classes' lines,
    in the studio's language, as staff have none of their own), the family's primary contact and the contact who
    reported (every line). One address is written to once, with every line meant for it."""
    db = uow.connection
    studio = settings.current()
    teachers: dict[int, CourseInstructor] = {}
    for taught in (
        await CourseInstructor.filter(course_id__in={p.course.id for _, p, _ in made})
        .using_db(db)
        .order_by('position', 'id')
        .select_related('staff')
    ):
        teachers.setdefault(taught.course_id, taught)
    contacts = await Contact.filter(family_id=actor.family_id, removed_at__isnull=True).using_db(db).order_by('id')
    everything = list(range(len(made)))
    people: dict[str, tuple[Recipient, str, list[int]]] = {}  # address -> (recipient, first name, lines)

    def add(recipient: Recipient, name: str, lines: list[int]) -> None:
        key = recipient.address.strip().casefold()
        if key in people:
            people[key][2].extend(i for i in lines if i not in people[key][2])
        else:
            people[key] = (recipient, name, list(lines))

    for contact in contacts:
        if contact.email and (contact.id == actor.contact_id or contact.is_primary):
            recipient = Recipient(
                contact.full_name, contact.email, contact.preferred_language, actor.family_id, contact.id
            )
            add(recipient, contact.first_name, everything)
    for course_id, taught in teachers.items():
        lines = [i for i, (_, place, _) in enumerate(made) if place.course.id == course_id]
        if taught.staff.email:
            add(Recipient(taught.staff.name, taught.staff.email, studio.default_language), taught.staff.name, lines)
    for recipient, name, lines in people.values():
        language = recipient.language
        rows = [
            absence_notices.Line(
                place.child.first_name if recipient.family_id else place.child.full_name,
                place.course.name,
                i18n.format_day(absence.date, language),
                absence.reason.value,
            )
            for i, (absence, place, _) in enumerate(made)
            if i in lines
        ]
        notice = absence_notices.reported(
            language, name, rows, note=made[0][0].note, to_family=bool(recipient.family_id)
        )
        await outbox.enqueue(uow, Channel.EMAIL, recipient, notice)


# Cancelling


async def cancel(actor: Actor, absence_id: int) -> None:
    """Cancel a reported absence, only before its meeting starts (AbsenceStarted)."""
    rights.require_reporting()
    now = clock.now()
    async with UnitOfWork() as uow:
        db = uow.connection
        await rights.require_manage(db, actor)
        await Family.select_for_update().filter(id=actor.family_id).using_db(db).first()
        absence = (
            await Absence.filter(id=absence_id, family_id=actor.family_id, cancelled_at__isnull=True)
            .using_db(db)
            .select_related('participant', 'course')
            .first()
        )
        if absence is None:
            raise NotFound()  # another family's, or cancelled already
        start, _ = await _times(db, absence.course_id, absence.date)
        if _started(absence.date, start, now) or absence.confirmed_at is not None:
            raise AbsenceStarted()
        changed = (
            await Absence.filter(id=absence.id, cancelled_at__isnull=True, confirmed_at__isnull=True)
            .using_db(db)
            .update(cancelled_at=now, cancelled_by=actor.contact_name)
        )
        if not changed:
            raise NotFound()
        await portal_log.record(
            uow,
            actor.subject,
            'absence_cancelled',
            f'Absence cancelled: {absence.participant.full_name} - {absence.course.name} - {log_day(absence.date)}',
        )


async def _times(db: BaseDBAsyncClient | None, course_id: int, day: dt.date) -> tuple[dt.time, dt.time]:
    """When a class meets on a day: its pattern for that weekday (the earliest, should two share it)."""
    patterns = await MeetingPattern.filter(course_id=course_id).using_db(db).order_by('start_minute', 'id')
    return _times_in(patterns, course_id, day)


def _times_in(patterns: list[MeetingPattern], course_id: int, day: dt.date) -> tuple[dt.time, dt.time]:
    matching = [p for p in patterns if p.course_id == course_id and day.weekday() in (p.weekdays or [])]
    if not matching:  # the class no longer meets that weekday: its day counts as begun at midnight
        return dt.time(), dt.time()
    first = min(matching, key=lambda p: p.start_time)
    return first.start_time, first.end_time


# Reading


async def family_absences(actor: Actor) -> list[AbsenceLine]:
    """The family's live absences: upcoming first (soonest first), then the last 60 days (latest first)."""
    now, today = clock.now(), settings.today()
    absences = (
        await Absence.filter(
            family_id=actor.family_id, cancelled_at__isnull=True, date__gte=today - dt.timedelta(days=PAST_DAYS)
        )
        .select_related('participant', 'course')
        .order_by('date', 'id')
    )
    patterns = await MeetingPattern.filter(course_id__in={a.course_id for a in absences}).order_by('start_minute', 'id')
    statuses = {
        (enrolment_id, day): status
        for enrolment_id, day, status in await MakeupCredit.filter(
            enrolment_id__in={a.enrolment_id for a in absences}
        ).values_list('enrolment_id', 'missed_on', 'status')
    }
    upcoming: list[AbsenceLine] = []
    past: list[AbsenceLine] = []
    for absence in absences:
        start, _ = _times_in(list(patterns), absence.course_id, absence.date)
        started = _started(absence.date, start, now)
        status = statuses.get((absence.enrolment_id, absence.date))
        line = AbsenceLine(
            absence.id,
            absence.participant_id,
            absence.participant.first_name,
            absence.course.name,
            absence.date,
            start,
            AbsenceReason(absence.reason),
            absence.note,
            absence.reported_by,
            absence.in_time,
            not started and absence.confirmed_at is None,
            CreditStatus(status) if status else None,
            absence.contact_id is None,
        )
        (past if started else upcoming).append(line)
    return upcoming + past[::-1]


async def upcoming_closures(days: int = 60) -> list[tuple[dt.date, str]]:
    """The studio's closed dates from today for `days` days, with their reasons, soonest first."""
    today = settings.today()
    rows = await Closure.filter(date__gte=today, date__lte=today + dt.timedelta(days=days)).order_by('date')
    return [(row.date, row.reason) for row in rows]


# Confirming


async def confirm_overdue(now: dt.datetime | None = None) -> int:
    """Confirm the absences whose class ended CONFIRM_AFTER ago with no roster taken, issuing the credit each
    earns. Each is claimed by a conditional update, so two processes confirm (and credit) it once."""
    now = now or clock.now()
    studio = settings.current()
    local_today = now.astimezone(ZoneInfo(studio.timezone)).date()
    candidates = await Absence.filter(
        cancelled_at__isnull=True, confirmed_at__isnull=True, date__lte=local_today
    ).order_by('date', 'id')
    if not candidates:
        return 0
    patterns = await MeetingPattern.filter(course_id__in={a.course_id for a in candidates}).order_by(
        'start_minute', 'id'
    )
    taken = set(
        await RollCall.filter(
            course_id__in={a.course_id for a in candidates}, date__in={a.date for a in candidates}
        ).values_list('course_id', 'date')
    )
    closed = await closed_dates()
    confirmed = 0
    for absence in candidates:
        if absence.date in closed:
            continue  # no meeting was missed: the closure cancels it, and may credit it as a closure
        _, end = _times_in(list(patterns), absence.course_id, absence.date)
        if meeting_start(absence.date, end, studio.timezone) + CONFIRM_AFTER > now:
            continue
        if (absence.course_id, absence.date) in taken:
            continue  # the roster decides: it confirmed the absence or found the child there
        confirmed += await _confirm(absence.id, now)
    return confirmed


async def _confirm(absence_id: int, now: dt.datetime) -> int:
    async with UnitOfWork() as uow:
        db = uow.connection
        absence = await Absence.get(id=absence_id, using_db=db)
        # The family's row, then the class's, as a roster being saved takes them: a roster committed meanwhile
        # is seen below, and it decides (it confirmed the absence or found the child there).
        await Family.select_for_update().filter(id=absence.family_id).using_db(db).first()
        await seats.lock_classes(db, [absence.course_id])
        if await RollCall.filter(course_id=absence.course_id, date=absence.date).using_db(db).exists():
            return 0
        changed = (
            await Absence.filter(id=absence_id, cancelled_at__isnull=True, confirmed_at__isnull=True)
            .using_db(db)
            .update(confirmed_at=now)
        )
        if not changed:
            return 0
        absence.confirmed_at = now
        enrolment = await Enrolment.get(id=absence.enrolment_id, using_db=db)
        family = await Family.get(id=absence.family_id, using_db=db)
        await credits.issue(
            uow,
            enrolment,
            absence.date,
            origin=CreditOrigin.ABSENCE,
            absence=absence,
            subject=LogSubject(family.id, family.name),
        )
    return 1
