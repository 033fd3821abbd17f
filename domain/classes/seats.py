"""The one capacity rule for classes, used by the listing, the checkout and the staff screens.

A class's free seats from a day are its capacity, less the enrolments that still meet on or after that day
(active ones and future ones alike), less the seats live checkouts hold, the seats live waitlist offers keep and
the approved trials on or after that day. A free seat belongs to the waitlist: while a child waits (and staff
have not released the class's free seats), a family that is not on the list finds no openings.

One meeting (a class on one date) has its own count too, `meeting_seats`: the enrolments attending that day,
its trials and makeups, and the live holds and offers, less the children reported absent. A makeup may take what
is left and the studio's extra makeup seats; a trial only what is left.

Seats are taken only by a caller that holds the class's row lock (`lock_classes`) for the rest of its
transaction: PostgreSQL's `SELECT … FOR UPDATE`, and SQLite's single writer (Tortoise runs one transaction at a
time on its one connection).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q, RawSQL
from tortoise.functions import Count

from domain import clock
from domain.models import (
    Absence,
    ClassRequest,
    Course,
    Enrolment,
    Makeup,
    MakeupStatus,
    OpeningsShown,
    RequestKind,
    RequestStatus,
    SeatHold,
    WaitlistEntry,
    WaitlistStatus,
)
from domain.studio import settings

SEATS_FREED = 'seats_freed'  # published after a commit that may have freed seats; the payload is the class's id


def still_meeting(on: dt.date) -> Q:
    """Enrolments that meet on or after `on`: not dropped, or dropped only after it and after their own first
    day (a child dropped from the day they were to start never takes the seat, before or after that day)."""
    return Q(dropped_on__isnull=True) | (Q(dropped_on__gt=on) & Q(dropped_on__gt=RawSQL('"enrolment"."starts_on"')))


def live_holds(now: dt.datetime) -> Q:
    """Seats live checkouts hold, but not one held for a live offer being accepted: the offer counts that one.
    Once the offer has run out (its checkout kept a moment longer to charge a card), the hold counts again."""
    live = Q(checkout__closed_at__isnull=True, checkout__expires_at__gt=now)
    not_offered = (
        Q(waitlist_entry_id__isnull=True)
        | Q(waitlist_entry__offer_expires_at__lte=now)
        | ~Q(waitlist_entry__status=WaitlistStatus.OFFERED)
    )
    return live & not_offered


def live_offers(now: dt.datetime) -> Q:
    return Q(status=WaitlistStatus.OFFERED, offer_expires_at__gt=now)


class Taken(NamedTuple):
    enrolled: int  # and approved trials
    held: int  # by live checkouts and live offers
    waiting: int = 0  # children on the waitlist who may be offered a seat (not held back)


async def taken(
    course_ids: Iterable[int],
    *,
    on: dt.date | None = None,
    besides_checkout: int | None = None,
    using_db: BaseDBAsyncClient | None = None,
) -> dict[int, Taken]:
    """What is taken of each class from `on` (today by default); a checkout's own holds left out when asked."""
    ids = list(set(course_ids))
    if not ids:
        return {}
    day, now = on or settings.today(), clock.now()
    enrolled = await _counted(Enrolment.filter(still_meeting(day), course_id__in=ids), using_db)
    trials = await _counted(
        ClassRequest.filter(kind=RequestKind.TRIAL, status=RequestStatus.APPROVED, on_date__gte=day, course_id__in=ids),
        using_db,
    )
    holds = SeatHold.filter(live_holds(now), course_id__in=ids)
    if besides_checkout is not None:
        holds = holds.exclude(checkout_id=besides_checkout)
    held = await _counted(holds, using_db)
    offered = await _counted(WaitlistEntry.filter(live_offers(now), course_id__in=ids), using_db)
    waiting = await _counted(
        WaitlistEntry.filter(status=WaitlistStatus.WAITING, held_back=False, course_id__in=ids), using_db
    )
    return {
        course_id: Taken(
            enrolled.get(course_id, 0) + trials.get(course_id, 0),
            held.get(course_id, 0) + offered.get(course_id, 0),
            waiting.get(course_id, 0),
        )
        for course_id in ids
    }


async def _counted(query, using_db: BaseDBAsyncClient | None) -> dict[int, int]:
    rows = (
        await query.using_db(using_db)
        .annotate(count=Count('id'))
        .group_by('course_id')
        .values_list('course_id', 'count')
    )
    return {course_id: count for course_id, count in rows}


class MeetingSeats(NamedTuple):
    """One meeting's seats (a class on one date): who is there that day, and who is not."""

    capacity: int
    enrolled: int  # enrolments meeting that day (started by then, not dropped)
    absent: int  # of those, children reported absent (the absence not cancelled)
    trials: int  # approved trials on that day
    makeups: int  # makeups booked into it
    held: int  # live checkouts' holds and live waitlist offers: seats promised from now on

    @property
    def vacancy(self) -> int:
        """Real seats nobody takes that day, the absent children's given back; may be below 0 (never shown)."""
        return self.capacity - self.enrolled - self.trials - self.makeups - self.held + self.absent

    def for_makeups(self, extra_seats: int) -> int:
        """Seats a makeup may take: the vacancy and the studio's extra makeup seats."""
        return max(self.vacancy + extra_seats, 0)

    def for_trials(self, *, waiting: bool) -> int:
        """Seats a trial may take: real vacancies only (the extra seats are the makeups'). While children wait for
        the class, its vacancies are theirs: a trial takes only a seat an absent child left that day."""
        if waiting:
            return max(min(self.vacancy, self.absent), 0)
        return max(self.vacancy, 0)


async def meeting_seats(
    course_ids: Iterable[int], day: dt.date, *, using_db: BaseDBAsyncClient | None = None
) -> dict[int, MeetingSeats]:
    """Each class's seats on one day. A caller taking a seat holds the class's row lock (`lock_classes`)."""
    counted = await meetings_seats([(course_id, day) for course_id in set(course_ids)], using_db=using_db)
    return {course_id: seats for (course_id, _), seats in counted.items()}


async def meetings_seats(
    meetings: Iterable[tuple[int, dt.date]], *, using_db: BaseDBAsyncClient | None = None
) -> dict[tuple[int, dt.date], MeetingSeats]:
    """The seats of many meetings, (class id, date) each, in a few reads for all (the makeup options, the trial
    dates). A class that does not exist is left out."""
    wanted = set(meetings)
    if not wanted:
        return {}
    ids = {course_id for course_id, _ in wanted}
    first, last = min(day for _, day in wanted), max(day for _, day in wanted)
    capacity = dict(await Course.filter(id__in=ids).using_db(using_db).values_list('id', 'capacity'))
    places = await (
        Enrolment.filter(still_meeting(first), course_id__in=ids, starts_on__lte=last)
        .using_db(using_db)
        .values_list('id', 'course_id', 'starts_on', 'dropped_on')
    )
    absences = await (
        Absence.filter(course_id__in=ids, date__gte=first, date__lte=last, cancelled_at__isnull=True)
        .using_db(using_db)
        .values_list('enrolment_id', 'date')
    )
    trials = await (
        ClassRequest.filter(
            kind=RequestKind.TRIAL,
            status=RequestStatus.APPROVED,
            course_id__in=ids,
            on_date__gte=first,
            on_date__lte=last,
        )
        .using_db(using_db)
        .values_list('course_id', 'on_date')
    )
    makeups = await (
        Makeup.filter(status=MakeupStatus.BOOKED, course_id__in=ids, date__gte=first, date__lte=last)
        .using_db(using_db)
        .values_list('course_id', 'date')
    )
    now = clock.now()
    held = await _counted(SeatHold.filter(live_holds(now), course_id__in=ids), using_db)
    offered = await _counted(WaitlistEntry.filter(live_offers(now), course_id__in=ids), using_db)
    absent_on = set(absences)
    counted = {}
    for course_id, day in wanted:
        if course_id not in capacity:
            continue
        meeting = [
            place_id
            for place_id, course, starts_on, dropped_on in places
            if course == course_id and meets_on(day, starts_on, dropped_on)
        ]
        counted[(course_id, day)] = MeetingSeats(
            capacity[course_id],
            len(meeting),
            sum((place_id, day) in absent_on for place_id in meeting),
            trials.count((course_id, day)),
            makeups.count((course_id, day)),
            held.get(course_id, 0) + offered.get(course_id, 0),
        )
    return counted


def meets_on(day: dt.date, starts_on: dt.date, dropped_on: dt.date | None) -> bool:
    """An enrolment attends the meeting on `day`: `still_meeting(day)` and started by then."""
    return starts_on <= day and (dropped_on is None or (dropped_on > day and dropped_on > starts_on))


def openings(capacity: int, enrolled: int, held: int) -> int:
    """Seats nobody has: what the waitlist is offered, and what staff see free."""
    return max(capacity - enrolled - held, 0)


def open_to_newcomers(course: Course, counted: Taken) -> int:
    """Seats a family not on the waitlist may take: none while children wait, unless staff released them."""
    free = openings(course.capacity, counted.enrolled, counted.held)
    if counted.waiting and not course.free_seats_released:
        return 0
    return free


async def lock_classes(connection: BaseDBAsyncClient, course_ids: Iterable[int]) -> dict[int, Course]:
    """Lock the classes' rows until the transaction ends, always in id order, so two checkouts holding seats in
    the same two classes wait for each other instead of deadlocking."""
    ids = sorted(set(course_ids))
    locked = await Course.select_for_update().filter(id__in=ids).using_db(connection).order_by('id')
    return {course.id: course for course in locked}


def shown_as(openings: int) -> str:
    """How a class's or an event date's openings read, as the studio chose: 'number', or 'open' / 'few' / 'full'."""
    studio = settings.current()
    if openings == 0:
        return 'full'
    if studio.openings_shown == OpeningsShown.NUMBER:
        return 'number'
    return 'few' if openings <= studio.few_left_at else 'open'
