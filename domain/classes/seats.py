"""The one capacity rule for classes, used by the listing, the checkout and the staff screens.

A class's free seats from a day are its capacity, less the enrolments that still meet on or after that day
(active ones and future ones alike), less the seats live checkouts hold, the seats live waitlist offers keep and
the approved trials on or after that day. A free seat belongs to the waitlist: while a child waits (and staff
have not released the class's free seats), a family that is not on the list finds no openings.

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
    ClassRequest,
    Course,
    Enrolment,
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
