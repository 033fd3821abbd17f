"""Each family's schedule: every child's class meetings and event registrations, next first.

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
    CalendarFeed,
    Closure,
    Enrolment,
    EventRegistration,
    MeetingPattern,
    Participant,
    full_name,
)
from domain.models.classes import time_of_day
from domain.studio import settings

SCHEDULE_DAYS = 28  # what the schedule page lists: the next four weeks


class Kind(StrEnum):
    CLASS = 'class'
    EVENT = 'event'


class Status(StrEnum):
    ON = 'on'
    CLOSED = 'closed'  # the studio is closed that day
    DROPPED = 'dropped'  # on or after the day the child left the class
    CANCELLED = 'cancelled'  # the registration was cancelled


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

    @property
    def sort_key(self) -> tuple:
        return (self.date, self.start, self.end, self.what, self.who)


@dataclass(frozen=True)
class Child:
    id: int
    first_name: str
    full_name: str


@dataclass(frozen=True)
class ScheduleItem:
    """One line of the schedule: siblings in the same meeting share it."""

    date: dt.date
    start: dt.time
    end: dt.time
    kind: Kind
    what: str
    who: tuple[str, ...]  # first names; empty: the whole family
    location: str
    room: str
    closed: bool  # the studio is closed that day: the meeting does not happen
    note: str = ''


@dataclass(frozen=True)
class ChildSchedule:
    participant_id: int
    first_name: str
    full_name: str
    classes: tuple[str, ...]  # the classes they are enrolled in now or from a later day, by name
    next: ScheduleItem | None  # their next class meeting or event, however far ahead


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
    attended = [h for h in family.happenings if h.status in (Status.ON, Status.CLOSED)]
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


# The dashboard's reads, written by hand as the dashboard's own are (domain/db.fetch: the ORM costs ten times the
# query's CPU): each child's classes with their weekly meetings, the closed days ahead, the first event date.
_MEETINGS = (
    'SELECT c.name, c.starts_on AS course_starts, c.ends_on AS course_ends, t.ends_on AS term_ends, '
    'e.starts_on, e.dropped_on, p.first_name, m.weekdays, m.start_minute '
    'FROM enrolment e JOIN course c ON c.id = e.course_id JOIN term t ON t.id = c.term_id '
    'JOIN participant p ON p.id = e.participant_id JOIN meeting_pattern m ON m.course_id = c.id '
    'WHERE e.family_id = ? AND p.removed_at IS NULL AND c.ends_on >= ? AND (e.dropped_on IS NULL OR e.dropped_on > ?)'
)
_CLOSED = 'SELECT date FROM closure WHERE date >= ?'
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
    """The family's next class meeting or event, whoever's: what the dashboard says on every view, so it reads
    only that, in two or three hand-written queries; the schedule page reads the whole term."""
    first = settings.today()
    found: dict[tuple[dt.date, dt.time, str], set[str]] = defaultdict(set)
    rows = await db.fetch(_MEETINGS, actor.family_id, first, first)
    if rows:
        closed = {_date(row['date']) for row in await db.fetch(_CLOSED, first)}
        for row in rows:
            last = min(_date(row['course_ends']), _date(row['term_ends']))
            if row['dropped_on'] is not None:
                last = min(last, _date(row['dropped_on']) - dt.timedelta(days=1))
            starts = max(_date(row['course_starts']), _date(row['starts_on']), first)
            weekdays = row['weekdays'] if isinstance(row['weekdays'], list) else json.loads(row['weekdays'])
            pattern = MeetingPattern(weekdays=weekdays, start_minute=row['start_minute'])
            day = next((d for d in pattern_days(pattern, starts, last) if d not in closed), None)
            if day is not None:
                found[(day, time_of_day(row['start_minute']), row['name'])].add(row['first_name'])
    for row in await db.fetch(_FIRST_EVENT, actor.family_id, first):
        comers = [row['first_name']] if row['first_name'] else []  # none: the whole family
        found[(_date(row['date']), time_of_day(row['start_minute']), row['name'])].update(comers)
    if not found:
        return None
    soonest = min(found)
    return NextUp(*soonest, tuple(sorted(found[soonest])))


async def family_happenings(family_id: int, first: dt.date) -> Gathered:
    """Every meeting and registration of the family's children from `first` on, in date and time order, with
    those that will not happen (closed days, after a drop, cancelled registrations) marked rather than left out."""
    children = [
        Child(row['id'], row['first_name'], full_name(row['first_name'], row['last_name']))
        for row in await Participant.filter(family_id=family_id, removed_at=None)
        .order_by('first_name', 'id')
        .values('id', 'first_name', 'last_name')
    ]
    names = {child.id: child.first_name for child in children}
    enrolments = await _enrolments(family_id, first, list(names))
    patterns: dict[int, list[MeetingPattern]] = defaultdict(list)
    for pattern in await MeetingPattern.filter(course_id__in={e.course_id for e in enrolments}).order_by('id'):
        patterns[pattern.course_id].append(pattern)
    closed = dict(await Closure.filter(date__gte=first).values_list('date', 'reason'))
    happenings = []
    for enrolment in enrolments:
        course = enrolment.course
        room = course.room.name if course.room else ''
        first_day = max(course.starts_on, enrolment.starts_on, first)
        last_day = last_day_of(course, course.term)
        for pattern in patterns[course.id]:
            for day in pattern_days(pattern, first_day, last_day):
                if day in closed:
                    status = Status.CLOSED
                elif enrolment.dropped_on is not None and day >= enrolment.dropped_on:
                    status = Status.DROPPED
                else:
                    status = Status.ON
                happenings.append(
                    Happening(
                        day,
                        pattern.start_time,
                        pattern.end_time,
                        Kind.CLASS,
                        course.id,
                        course.name,
                        enrolment.participant_id,
                        names[enrolment.participant_id],
                        course.location.name,
                        course.location.address,
                        room,
                        status,
                        closed.get(day, ''),
                    )
                )
    registrations = await EventRegistration.filter(family_id=family_id, occurrence__date__gte=first).select_related(
        'occurrence__event__location', 'occurrence__room'
    )
    for registration in registrations:
        if registration.participant_id is None:
            happenings.append(registration_happening(registration, ''))
        elif registration.participant_id in names:  # not a child who left the studio
            happenings.append(registration_happening(registration, names[registration.participant_id]))
    return Gathered(children, enrolments, sorted(happenings, key=lambda h: h.sort_key))


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
    """Siblings in the same meeting of the same class (or at the same event) on one line, in the given order."""
    lines: dict[tuple, ScheduleItem] = {}
    for h in happenings:
        key = (h.date, h.start, h.end, h.kind, h.source_id, h.status)
        seen = lines.get(key)
        who = (h.who,) if h.who else ()
        if seen is None:
            lines[key] = ScheduleItem(
                h.date, h.start, h.end, h.kind, h.what, who, h.location, h.room, h.status == Status.CLOSED, h.note
            )
        elif who and who[0] not in seen.who and seen.who:
            lines[key] = replace(seen, who=(*seen.who, *who))
    return list(lines.values())
