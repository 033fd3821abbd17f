"""The one capacity rule for classes, used by the listing, the checkout and the staff screens.

A class's openings from a day are its capacity, less the enrolments that still meet on or after that day
(active ones and future ones alike), less the seats live checkouts hold. Seats are taken only by a caller that
holds the class's row lock (`lock_classes`) for the rest of its transaction: PostgreSQL's `SELECT … FOR UPDATE`,
and SQLite's single writer (Tortoise runs one transaction at a time on its one connection).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.functions import Count

from domain import clock
from domain.models import Course, Enrolment, OpeningsShown, SeatHold
from domain.studio import settings


def still_meeting(on: dt.date) -> Q:
    """Enrolments that meet on or after `on`: not dropped, or dropped only after it."""
    return Q(dropped_on__isnull=True) | Q(dropped_on__gt=on)


def live_holds(now: dt.datetime) -> Q:
    return Q(checkout__closed_at__isnull=True, checkout__expires_at__gt=now)


async def taken(
    course_ids: Iterable[int],
    *,
    on: dt.date | None = None,
    besides_checkout: int | None = None,
    using_db: BaseDBAsyncClient | None = None,
) -> dict[int, tuple[int, int]]:
    """(enrolled, held) per class from `on` (today by default); a checkout's own holds left out when asked."""
    ids = list(set(course_ids))
    if not ids:
        return {}
    day = on or settings.today()
    enrolled = (
        await Enrolment.filter(still_meeting(day), course_id__in=ids)
        .using_db(using_db)
        .annotate(count=Count('id'))
        .group_by('course_id')
        .values_list('course_id', 'count')
    )
    holds = SeatHold.filter(live_holds(clock.now()), course_id__in=ids)
    if besides_checkout is not None:
        holds = holds.exclude(checkout_id=besides_checkout)
    held = (
        await holds.using_db(using_db)
        .annotate(count=Count('id'))
        .group_by('course_id')
        .values_list('course_id', 'count')
    )
    enrolled_by = {course_id: count for course_id, count in enrolled}
    held_by = {course_id: count for course_id, count in held}
    return {course_id: (enrolled_by.get(course_id, 0), held_by.get(course_id, 0)) for course_id in ids}


def openings(capacity: int, enrolled: int, held: int) -> int:
    return max(capacity - enrolled - held, 0)


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
