"""Each family's schedule: every child's class meetings, makeups and event registrations, next first.

One read model for the schedule page, the dashboard and the calendar feed (domain/classes/calendar.py): a handful
of queries per family whatever the number of children or classes, the meetings themselves counted in Python by
the same rrule as the catalogue's (domain/classes/meetings.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from enum import StrEnum

from tortoise.expressions import Q

from domain import db
from domain.access.actors import Actor
from domain.classes.meetings import last_day_of, pattern_days
from domain.models import (
    Absence,
    AbsenceReason,
    CalendarFeed,
    Closure,
    Course,
    Enrolment,
    EventRegistration,
    Makeup,
    MakeupStatus,
    MeetingPattern,
    Participant,
    full_name,
)
from domain.models.classes import time_of_day
from domain.studio import settings

SCHEDULE_DAYS = 28  # what the schedule page lists: the next four weeks


class Kind(StrEnum):
    CLASS = 'class'
    MAKEUP = 'makeup'  # a meeting of another class, booked with a makeup credit
    EVENT = 'event'


class Status(StrEnum):
    ON = 'on'
    CLOSED = 'closed'  # the studio is closed that day
    DROPPED = 'dropped'  # on or after the day the child left the class
    CANCELLED = 'cancelled'  # the registration, or the makeup, was cancelled
    ABSENT = 'absent'  # the family reported the child absent (or staff excused them)


@dataclass(frozen=True)
class Happening:
    """One child's class meeting, or one registration for an event occurrence (participant None: the family's)."""

    date: dt.date
    start: dt.time  # on the studio's clock
    end: dt.time
    kind: Kind
    source_id: int  # the course's id, or the occurrence's
    what: str  # the class's or the event's name
    participant_id: int | None
    who: str  # the child's first name, '' for the whole family
    location: str
    address: str  # the location's, one line per line
    room: str
    status: Status
    note: str = ''  # why the studio is closed that day, as staff typed it
    registration_id: int | None = None
    makeup_id: int | None = None
    reason: AbsenceReason | None = None  # why the child is absent

    @property
    def sort_key(self) -> tuple:
        return (self.date, self.start, self.end, self.what, self.who)


@dataclass(frozen=True)
class Child:
    id: int
    first_name: str
    full_name: str


@dataclass(frozen=True)
class Away:
    """A child reported absent from a meeting."""

    first_name: str
    reason: AbsenceReason


@dataclass(frozen=True)
class ScheduleItem:
    """One line of the schedule: siblings in the same meeting share it, those coming and those reported absent."""

    date: dt.date
    start: dt.time
    end: dt.time
    kind: Kind
    what: str
    who: tuple[str, ...]  # first names of those coming; empty: the whole family, or (`absent`) nobody
    location: str
    room: str
    closed: bool  # the studio is closed that day: the meeting does not happen
    note: str = ''
    absent: tuple[Away, ...] = ()


@dataclass(frozen=True)
class ChildSchedule:
    participant_id: int
    first_name: str
    full_name: str
    classes: tuple[str, ...]  # the classes they are enrolled in now or from a later day, by name
    next: ScheduleItem | None  # their next class meeting, makeup or event they come to, however far ahead


@dataclass(frozen=True)
class FamilySchedule:
    children: list[ChildSchedule]
    items: list[ScheduleItem]  # from the first day, for the days asked, next first
    feed_since: dt.datetime | None  # when the family's live calendar link was made; None: there is none


async def family_schedule(
    actor_or_family_id: Actor | int, *, from_date: dt.date | None = None, days: int = SCHEDULE_DAYS
) -> FamilySchedule:
    """The family's classes and events from `from_date` (the studio's today) for `days` days, and each child's
    next meeting. A parent passes themselves: they see only their own family."""
    family_id = actor_or_family_id.family_id if isinstance(actor_or_family_id, Actor) else actor_or_family_id
    first = from_date or settings.today()
    last = first + dt.timedelta(days=days - 1)
    family = await family_happenings(family_id, first)
    attended = [h for h in family.happenings if h.status in (Status.ON, Status.CLOSED, Status.ABSENT)]
    items = _merged([h for h in attended if h.date <= last])
    classes: dict[int, set[str]] = defaultdict(set)
    for enrolment in family.enrolments:
        if enrolment.dropped_on is None or enrolment.dropped_on > first:
            classes[enrolment.participant_id].add(enrolment.course.name)
    schedules = []
    for child in family.children:
        theirs = [h for h in attended if h.status == Status.ON and h.participant_id == child.id]
        schedules.append(
            ChildSchedule(
                child.id,
                child.first_name,
                child.full_name,
                tuple(sorted(classes[child.id])),
                _merged(theirs[:1])[0] if theirs else None,
            )
        )
    feed = await CalendarFeed.filter(family_id=family_id, revoked_at=None).order_by('-created_at').first()
    return FamilySchedule(schedules, items, feed.created_at if feed else None)


@dataclass(frozen=True)
class Gathered:
    children: list[Child]  # those still at the studio, by first name
    enrolments: list[Enrolment]  # theirs that meet, or were dropped, on or after the first day
    happenings: list[Happening]


@dataclass(frozen=True)
class NextUp:
    date: dt.date
    start: dt.time
    what: str  # the class's or the event's name
    who: tuple[str, ...]  # first names; empty: the whole family
    makeup: tuple[str, ...] = ()  # those of `who` who come to the class with a makeup credit


# The dashboard's reads, written by hand as the dashboard's own are (domain/db.fetch: the ORM costs ten times the
# query's CPU): each child's classes with their weekly meetings, a booked makeup read as a one-day enrolment in the
# class it visits (no enrolment id), the days off ahead (closed for everyone, or one enrolment's reported absence),
# the first event date.
_MEETINGS = (
    'SELECT e.id AS enrolment_id, c.name, c.starts_on AS course_starts, c.ends_on AS course_ends, '
    't.ends_on AS term_ends, e.starts_on, e.dropped_on, p.first_name, m.weekdays, m.start_minute '
    'FROM enrolment e JOIN course c ON c.id = e.course_id JOIN term t ON t.id = c.term_id '
    'JOIN participant p ON p.id = e.participant_id JOIN meeting_pattern m ON m.course_id = c.id '
    'WHERE e.family_id = ? AND p.removed_at IS NULL AND c.ends_on >= ? AND (e.dropped_on IS NULL OR e.dropped_on > ?) '
    'UNION ALL '
    'SELECT NULL, c.name, k.date, k.date, k.date, k.date, NULL, p.first_name, m.weekdays, m.start_minute '
    'FROM makeup k JOIN course c ON c.id = k.course_id JOIN participant p ON p.id = k.participant_id '
    'JOIN meeting_pattern m ON m.course_id = c.id '
    "WHERE k.family_id = ? AND k.status = 'booked' AND k.date >= ? AND p.removed_at IS NULL"
)
_DAYS_OFF = (
    'SELECT date, NULL AS enrolment_id FROM closure WHERE date >= ? UNION ALL '
    'SELECT date, enrolment_id FROM absence WHERE family_id = ? AND cancelled_at IS NULL AND date >= ?'
)
_FIRST_EVENT = (
    'SELECT o.date, o.start_minute, v.name, p.first_name FROM event_registration r '
    'JOIN event_occurrence o ON o.id = r.occurrence_id JOIN event_type v ON v.id = o.event_id '
    'LEFT JOIN participant p ON p.id = r.participant_id '
    'WHERE r.family_id = ? AND r.cancelled_at IS NULL AND o.date >= ? '
    'AND (r.participant_id IS NULL OR p.removed_at IS NULL) ORDER BY o.date, o.start_minute, r.id LIMIT 1'
)


def _date(value: dt.date | str) -> dt.date:
    day = db.as_date(value)
    assert day is not None, 'a column that is never empty'
    return day


async def next_up(actor: Actor) -> NextUp | None:
    """The family's next class meeting, makeup or event, whoever's, leaving out a child reported absent from it:
    what the dashboard says on every view, so it reads only that, in two or three hand-written queries; the
    schedule page reads the whole term."""
    first = settings.today()
    found: dict[tuple[dt.date, dt.time, str], set[str]] = defaultdict(set)
    makeups: set[tuple[dt.date, dt.time, str, str]] = set()
    rows = await db.fetch(_MEETINGS, actor.family_id, first, first, actor.family_id, first)
    if rows:
        off: dict[int | None, set[dt.date]] = defaultdict(set)  # None: the studio is closed
        for row in await db.fetch(_DAYS_OFF, first, actor.family_id, first):
            off[row['enrolment_id']].add(_date(row['date']))
        for row in rows:
            last = min(_date(row['course_ends']), _date(row['term_ends']))
            if row['dropped_on'] is not None:
                last = min(last, _date(row['dropped_on']) - dt.timedelta(days=1))
            starts = max(_date(row['course_starts']), _date(row['starts_on']), first)
            weekdays = row['weekdays'] if isinstance(row['weekdays'], list) else json.loads(row['weekdays'])
            pattern = MeetingPattern(weekdays=weekdays, start_minute=row['start_minute'])
            skipped = off[None] | off[row['enrolment_id']]  # a makeup's: the closed days only
            day = next((d for d in pattern_days(pattern, starts, last) if d not in skipped), None)
            if day is not None:
                meeting = (day, time_of_day(row['start_minute']), row['name'])
                found[meeting].add(row['first_name'])
                if row['enrolment_id'] is None:
                    makeups.add((*meeting, row['first_name']))
    for row in await db.fetch(_FIRST_EVENT, actor.family_id, first):
        comers = [row['first_name']] if row['first_name'] else []  # none: the whole family
        found[(_date(row['date']), time_of_day(row['start_minute']), row['name'])].update(comers)
    if not found:
        return None
    soonest = min(found)
    who = tuple(sorted(found[soonest]))
    return NextUp(*soonest, who, tuple(name for name in who if (*soonest, name) in makeups))


async def family_happenings(family_id: int, first: dt.date) -> Gathered:
    """Every meeting, makeup and registration of the family's children from `first` on, in date and time order,
    with those that will not happen (closed days, after a drop, a child reported absent, cancelled registrations
    and makeups) marked rather than left out."""
    children = [
        Child(row['id'], row['first_name'], full_name(row['first_name'], row['last_name']))
        for row in await Participant.filter(family_id=family_id, removed_at=None)
        .order_by('first_name', 'id')
        .values('id', 'first_name', 'last_name')
    ]
    names = {child.id: child.first_name for child in children}
    enrolments = await _enrolments(family_id, first, list(names))
    makeups = (
        await Makeup.filter(family_id=family_id, participant_id__in=list(names), date__gte=first)
        .select_related('course__location', 'course__room')
        .order_by('date', 'id')
    )
    patterns: dict[int, list[MeetingPattern]] = defaultdict(list)
    course_ids = {e.course_id for e in enrolments} | {m.course_id for m in makeups}
    for pattern in await MeetingPattern.filter(course_id__in=course_ids).order_by('id'):
        patterns[pattern.course_id].append(pattern)
    closed = dict(await Closure.filter(date__gte=first).values_list('date', 'reason'))
    absent = {
        (enrolment_id, day): AbsenceReason(reason)
        for enrolment_id, day, reason in await Absence.filter(
            family_id=family_id, cancelled_at=None, date__gte=first
        ).values_list('enrolment_id', 'date', 'reason')
    }
    happenings = []
    for enrolment in enrolments:
        course = enrolment.course
        first_day = max(course.starts_on, enrolment.starts_on, first)
        last_day = last_day_of(course, course.term)
        for pattern in patterns[course.id]:
            for day in pattern_days(pattern, first_day, last_day):
                reason = absent.get((enrolment.id, day))
                if day in closed:
                    status = Status.CLOSED
                elif enrolment.dropped_on is not None and day >= enrolment.dropped_on:
                    status = Status.DROPPED
                elif reason is not None:
                    status = Status.ABSENT
                else:
                    status = Status.ON
                meeting = _meeting(course, pattern, day, Kind.CLASS, enrolment.participant_id, names, status, closed)
                happenings.append(replace(meeting, reason=reason) if status == Status.ABSENT else meeting)
    for makeup in makeups:
        course = makeup.course
        meets = next((p for p in patterns[course.id] if makeup.date.weekday() in p.weekdays), None)
        if meets is None:  # the class no longer meets that weekday: no time to show it at
            continue
        if makeup.status != MakeupStatus.BOOKED:
            status = Status.CANCELLED
        else:
            status = Status.CLOSED if makeup.date in closed else Status.ON
        meeting = _meeting(course, meets, makeup.date, Kind.MAKEUP, makeup.participant_id, names, status, closed)
        happenings.append(replace(meeting, makeup_id=makeup.id))
    registrations = await EventRegistration.filter(family_id=family_id, occurrence__date__gte=first).select_related(
        'occurrence__event__location', 'occurrence__room'
    )
    for registration in registrations:
        if registration.participant_id is None:
            happenings.append(registration_happening(registration, ''))
        elif registration.participant_id in names:  # not a child who left the studio
            happenings.append(registration_happening(registration, names[registration.participant_id]))
    return Gathered(children, enrolments, sorted(happenings, key=lambda h: h.sort_key))


def _meeting(
    course: Course,
    pattern: MeetingPattern,
    day: dt.date,
    kind: Kind,
    participant_id: int,
    names: dict[int, str],
    status: Status,
    closed: dict[dt.date, str],
) -> Happening:
    """One child at one meeting of a class (its location and room loaded)."""
    return Happening(
        day,
        pattern.start_time,
        pattern.end_time,
        kind,
        course.id,
        course.name,
        participant_id,
        names[participant_id],
        course.location.name,
        course.location.address,
        course.room.name if course.room else '',
        status,
        closed.get(day, ''),
    )


def registration_happening(registration: EventRegistration, who: str) -> Happening:
    """A registration (its occurrence, event, location and room loaded) as a line of the schedule."""
    occurrence = registration.occurrence
    event = occurrence.event
    return Happening(
        occurrence.date,
        time_of_day(occurrence.start_minute),
        time_of_day(occurrence.end_minute),
        Kind.EVENT,
        occurrence.id,
        event.name,
        registration.participant_id,
        who,
        event.location.name,
        event.location.address,
        occurrence.room.name if occurrence.room else '',
        Status.CANCELLED if registration.cancelled_at else Status.ON,
        registration_id=registration.id,
    )


async def _enrolments(family_id: int, first: dt.date, participant_ids: list[int]) -> list[Enrolment]:
    """The children's enrolments that meet, or were dropped, on or after `first`, with their class's term,
    location and room."""
    return (
        await Enrolment.filter(family_id=family_id, participant_id__in=participant_ids, course__ends_on__gte=first)
        .filter(Q(dropped_on=None) | Q(dropped_on__gte=first))
        .select_related('course__term', 'course__location', 'course__room')
        .order_by('id')
    )


def _merged(happenings: list[Happening]) -> list[ScheduleItem]:
    """Siblings in the same meeting of the same class (or at the same event) on one line, in the given order,
    those reported absent named apart; the whole family at an event stands for every child."""
    lines: dict[tuple, ScheduleItem] = {}
    everyone: set[tuple] = set()
    for h in happenings:
        closed = h.status == Status.CLOSED
        key = (h.date, h.start, h.end, h.kind, h.source_id, closed)
        line = lines.get(key) or ScheduleItem(
            h.date, h.start, h.end, h.kind, h.what, (), h.location, h.room, closed, h.note
        )
        if h.status == Status.ABSENT and h.reason is not None:
            if h.who not in (away.first_name for away in line.absent):
                line = replace(line, absent=(*line.absent, Away(h.who, h.reason)))
        elif not h.who:
            everyone.add(key)
        elif h.who not in line.who:
            line = replace(line, who=(*line.who, h.who))
        lines[key] = line
    return [replace(line, who=()) if key in everyone else line for key, line in lines.items()]
