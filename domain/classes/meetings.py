"""The dates a class meets: its weekly patterns between its first and last day (and never past its term's end),
less the studio's closed dates. The weeks are counted by python-dateutil's rrule, not by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from dateutil.rrule import WEEKLY, rrule
from tortoise.backends.base.client import BaseDBAsyncClient

from domain.models import Closure, Course, MeetingPattern, Room, Term


@dataclass(frozen=True, order=True)
class Meeting:
    date: dt.date
    start: dt.time  # on the studio's clock
    end: dt.time
    room: str  # the room's name, or '' for a class without one


async def course_meetings(course: Course) -> list[Meeting]:
    """Every meeting of the class in date and time order, a closed date's taken out."""
    term = await course.term
    room = await Room.get_or_none(id=course.room_id) if course.room_id is not None else None
    patterns = await MeetingPattern.filter(course_id=course.id)
    return meetings_of(course, term, patterns, await closed_dates(), room.name if room else '')


async def closed_dates(using_db: BaseDBAsyncClient | None = None) -> frozenset[dt.date]:
    return frozenset(await Closure.all().using_db(using_db).values_list('date', flat=True))  # type: ignore[arg-type]


def meetings_of(
    course: Course, term: Term, patterns: Iterable[MeetingPattern], closed: frozenset[dt.date], room: str = ''
) -> list[Meeting]:
    """The meetings of a class whose records are loaded already (a listing of many classes reads them at once)."""
    last_day = last_day_of(course, term)
    meetings = [
        Meeting(day, pattern.start_time, pattern.end_time, room)
        for pattern in patterns
        for day in pattern_days(pattern, course.starts_on, last_day)
        if day not in closed
    ]
    return sorted(meetings)


def last_day_of(course: Course, term: Term) -> dt.date:
    return min(course.ends_on, term.ends_on)


def pattern_days(pattern: MeetingPattern, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days one weekly pattern falls on between two days, both included (closures not taken out)."""
    if not pattern.weekdays or last < first:
        return []
    return list(_weekly(tuple(sorted(pattern.weekdays)), first, last))


@lru_cache(maxsize=4096)
def _weekly(weekdays: tuple[int, ...], first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """rrule's days for these weekdays between two days. It depends on nothing else, so a listing of 200 classes,
    most of them sharing their session's dates, counts each set of weeks once for every process's lifetime; a
    class edited, or a closure added, asks with other values or filters after it, so nothing here goes stale."""
    weeks = rrule(WEEKLY, byweekday=weekdays, dtstart=_midnight(first), until=_midnight(last))
    return tuple(moment.date() for moment in weeks)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())
