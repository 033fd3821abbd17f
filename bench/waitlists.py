"""The waitlist benchmark (issue 16): 200 offers running out at the same moment, ended and passed on by one round
of the waitlist worker, while the event loop is watched for stalls.

Four full classes of 50 seats each have 100 children in line: the first 50 hold offers made at one moment (the
seats were freed by drops before the session starts), the other 50 wait behind them. A day later every one of the
200 offers has run out; the worker's round (`end_overdue` then `offer_seats`, as `WaitlistWorker.run_once` does)
ends them and offers the 200 freed seats to the next 200 children. The studio is made through the services staff
and parents use; the measured round runs on a copy of it, so every round starts from the same rows.

This module seeds and measures; bench/run.py chooses the databases and reports the figures.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import shutil
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.classes import _open_studio
from domain import clock, db
from domain.classes import catalogue, enrolment, waitlists
from domain.classes.catalogue import CourseForm, LocationForm, PatternForm, RoomForm, TermForm
from domain.config import Config
from domain.models import Channel, Contact, Course, Enrolment, OutboxMessage, PortalEvent, WaitlistEntry, WaitlistStatus
from domain.studio import settings
from tests.domain.classes.making import family

CLASSES = 4
SEATS = 50  # per class: 4 × 50 = 200 offers running out at once
IN_LINE = 2 * SEATS  # per class: the 50 holding offers and the 50 next in line
OFFERS = CLASSES * SEATS
ROUNDS = 3
TICK = 0.005  # the monitor's sleep: how finely a stall is seen


@dataclass(frozen=True)
class Seeded:
    offered_at: dt.datetime  # when the 200 offers were made
    runs_out_at: dt.datetime  # when every one of them has run out
    course_ids: list[int]
    seed_seconds: float


@dataclass
class Stalls:
    """The longest gaps the event loop took to come back to a task that slept `TICK`, overall and per step; and
    how much CPU the loop's own thread spent in the worst gap: near the gap, the loop was busy (our code); near
    nothing, the process was waiting for a core (outside load on a shared machine)."""

    worst: float = 0.0
    worst_cpu: float = 0.0
    longest_gc: float = 0.0  # the longest garbage collection in the round, which stops the loop as long
    gc_generation: int = 0
    by_step: dict[str, float] = field(default_factory=dict)
    step: str = ''

    def saw(self, gap: float, cpu: float) -> None:
        if gap > self.worst:
            self.worst, self.worst_cpu = gap, cpu
        self.by_step[self.step] = max(self.by_step.get(self.step, 0.0), gap)

    def busy(self) -> str:
        """The loop thread's CPU time in the worst window (the sleep and its stall) against the window, in ms."""
        return f'{self.worst_cpu * 1000:.1f} of {(self.worst + TICK) * 1000:.1f}'


@dataclass(frozen=True)
class Round:
    stalls: Stalls
    end_seconds: float  # end_overdue alone
    offer_seconds: float  # offer_seats alone
    ended: int  # as end_overdue said
    offered: int  # as offer_seats said
    expired_rows: int  # entries now OFFER_EXPIRED
    expired_lines: int  # 'Waitlist offer expired' lines in the Parent Portal Log
    ended_emails: int  # 'waitlist_ended' emails queued
    new_offer_rows: int  # entries OFFERED by this round (offered_at after the seeded offers)
    new_offer_emails: int
    new_offer_texts: int
    offers_in_line_order: bool  # each class offered its seats to ranks 51..100, the next in line
    seats_counted_once: bool  # in every class, live offers never exceed the free seats

    @property
    def ended_per_second(self) -> float:
        return self.ended / self.end_seconds

    @property
    def exact(self) -> bool:
        """Every overdue offer ended exactly once, and every freed seat offered exactly once."""
        return (
            self.ended == self.expired_rows == self.expired_lines == self.ended_emails == OFFERS
            and self.offered == self.new_offer_rows == self.new_offer_emails == self.new_offer_texts == OFFERS
            and self.offers_in_line_order
            and self.seats_counted_once
        )


async def seed(database_url: str, secret: str) -> Seeded:
    """Four classes of 50 seats, full; 100 children in line for each; the enrolled children dropped before the
    first meeting and the freed seats offered to the first 50 in line, all at one moment."""
    began = time.perf_counter()
    admin = await _open_studio(database_url, secret)
    today = settings.today()
    starts = today + dt.timedelta(days=7 - today.weekday() + 14)  # a Monday three weeks on: offers run 24 hours
    ends = starts + dt.timedelta(weeks=12, days=-2)
    term = await catalogue.add_term(admin, TermForm('Waitlist', starts, ends, f'{today - dt.timedelta(days=1)}T09:00'))
    location = await catalogue.add_location(admin, LocationForm('Adams Street'))
    room = await catalogue.add_room(admin, location.id, RoomForm('Studio A'))
    course_ids = []
    for number in range(CLASSES):
        course = await catalogue.add_course(
            admin,
            CourseForm(
                f'Ballet {number + 1}',
                term.id,
                location.id,
                starts,
                ends,
                str(SEATS),
                '60.00',
                (PatternForm((number % 5,), '17:00', '18:00'),),
                room_id=room.id,
                status='active',
                shown_to_families=True,
                self_enrol=True,
            ),
        )
        course_ids.append(course.id)
        _, seated = await family(f'Seated{number}', children=tuple(f'Kid{n}' for n in range(SEATS)))
        for child in seated:
            await enrolment.enrol_by_staff(admin, child.id, course.id)
        for place in range(IN_LINE):
            actor, (child,) = await family(f'Line{number}x{place}', children=(f'Child{place}',))
            await waitlists.join(actor, child.id, course.id)
    numbers = iter(range(10**6))
    for contact in await Contact.filter(last_name__startswith='Line'):  # offers go out by email and text
        contact.mobile_phone = f'+1312555{next(numbers):04d}'
        await contact.save(update_fields=['mobile_phone'])
    await Enrolment.filter(course_id__in=course_ids).update(dropped_on=starts)  # drops before the first class
    offered_at = clock.now().replace(microsecond=0)
    with clock.pinned(offered_at):
        made = await waitlists.offer_seats()
    if made != OFFERS:
        raise RuntimeError(f'the seeded studio made {made} offers, not {OFFERS}')
    runs_out = await WaitlistEntry.filter(status=WaitlistStatus.OFFERED).values_list('offer_expires_at', flat=True)
    if len(set(runs_out)) != 1:
        raise RuntimeError('the seeded offers do not all run out at one moment')
    await db.close_database()
    return Seeded(offered_at, runs_out[0], course_ids, time.perf_counter() - began)  # type: ignore[arg-type]


async def measure(database_url: str, secret: str, seeded: Seeded) -> Round:
    """One worker round, a minute after the 200 offers ran out, on a copy of the seeded studio."""
    from components.setup import speedups

    await db.open_database(database_url)
    await settings.ensure_settings(
        Config.from_env(demo=True, env={'PORTAL_DATABASE_URL': database_url, 'PORTAL_SECRET': secret})
    )
    try:
        moment = seeded.runs_out_at + dt.timedelta(minutes=1)
        with clock.pinned(moment):
            await _warm_up()
            speedups.settle_heap()  # as the portal does once started
            stalls = Stalls()
            running = True

            async def monitor() -> None:
                while running:
                    before, cpu_before = time.perf_counter(), time.thread_time()
                    await asyncio.sleep(TICK)
                    stalls.saw(time.perf_counter() - before - TICK, time.thread_time() - cpu_before)

            collecting = [0.0]

            def collection(phase: str, info: dict) -> None:
                if phase == 'start':
                    collecting[0] = time.perf_counter()
                elif time.perf_counter() - collecting[0] > stalls.longest_gc:
                    stalls.longest_gc, stalls.gc_generation = time.perf_counter() - collecting[0], info['generation']

            gc.callbacks.append(collection)
            watcher = asyncio.create_task(monitor())
            await asyncio.sleep(TICK * 2)  # the monitor is sleeping before the round begins
            ended, end_seconds = await _timed(stalls, 'end_overdue', waitlists.end_overdue)
            offered, offer_seconds = await _timed(stalls, 'offer_seats', waitlists.offer_seats)
            running = False
            await watcher
            gc.callbacks.remove(collection)
        return await _count(seeded, stalls, ended, end_seconds, offered, offer_seconds)
    finally:
        await db.close_database()


async def _warm_up() -> None:
    """What the portal's worker has done long before: its first queries through the ORM (imports, caches)."""
    await WaitlistEntry.filter(status=WaitlistStatus.OFFERED).select_related('course', 'participant').first()


async def _timed(stalls: Stalls, step: str, work: Callable[[], Awaitable[int]]) -> tuple[int, float]:
    stalls.step = step
    began = time.perf_counter()
    done = await work()
    return done, time.perf_counter() - began


async def _count(seeded: Seeded, stalls: Stalls, ended: int, end_s: float, offered: int, offer_s: float) -> Round:
    rows = WaitlistEntry.filter(course_id__in=seeded.course_ids)
    new_offers = rows.filter(status=WaitlistStatus.OFFERED, offered_at__gt=seeded.offered_at)
    in_order = True
    for course_id in seeded.course_ids:
        offered_ranks = sorted(await new_offers.filter(course_id=course_id).values_list('rank', flat=True))
        in_order = in_order and offered_ranks == list(range(SEATS + 1, IN_LINE + 1))
    live: Counter[int] = Counter(
        await rows.filter(status=WaitlistStatus.OFFERED).values_list('course_id', flat=True)  # type: ignore[arg-type]
    )
    capacity = dict(await Course.filter(id__in=seeded.course_ids).values_list('id', 'capacity'))
    after = seeded.runs_out_at
    return Round(
        stalls,
        end_s,
        offer_s,
        ended,
        offered,
        await rows.filter(status=WaitlistStatus.OFFER_EXPIRED).count(),
        await PortalEvent.filter(kind='waitlist_offer_expired').count(),
        await OutboxMessage.filter(kind='waitlist_ended').count(),
        await new_offers.count(),
        await OutboxMessage.filter(kind='waitlist_offer', channel=Channel.EMAIL, created_at__gt=after).count(),
        await OutboxMessage.filter(kind='waitlist_offer', channel=Channel.SMS, created_at__gt=after).count(),
        in_order,
        all(live[course_id] <= capacity[course_id] for course_id in seeded.course_ids),
    )


def spread(values: list[float]) -> str:
    return ', '.join(f'{value:.1f}' for value in sorted(values))


def median(values: list[float]) -> float:
    return statistics.median(values)


# Where the rounds run


@dataclass
class Place:
    """A database server the benchmark seeds once and copies for each round."""

    name: str
    seed_url: str
    copy: Callable[[int], Awaitable[str]]  # a fresh copy of the seeded studio for round n; its URL
    clean_up: Callable[[], Awaitable[None]]


def sqlite_place(folder: Path) -> Place:
    from domain.config import sqlite_url

    seeded = folder / 'waitlists-seed.sqlite3'

    async def copy(number: int) -> str:
        target = folder / f'waitlists-{number}.sqlite3'
        for suffix in ('', '-wal', '-shm'):  # the seed is closed: a WAL left behind is copied with it
            if Path(f'{seeded}{suffix}').exists():
                shutil.copyfile(f'{seeded}{suffix}', f'{target}{suffix}')
        return sqlite_url(target)

    async def clean_up() -> None:
        return None  # the work folder goes with the run

    return Place('SQLite file, WAL, synchronous=FULL', sqlite_url(seeded), copy, clean_up)


def postgres_url() -> str:
    """KINROLL_BENCH_POSTGRES when it is a URL; otherwise the server the PostgreSQL test pass uses."""
    chosen = os.environ.get('KINROLL_BENCH_POSTGRES', '')
    if chosen.startswith('postgres'):
        return chosen.rstrip('/')
    return os.environ.get('KINROLL_TEST_POSTGRES_URL', 'postgres://postgres@127.0.0.1:5432').rstrip('/')


async def postgres_place() -> Place | str:
    """A PostgreSQL place, or why there is none: unreachable is a skip unless KINROLL_BENCH_POSTGRES asks for it."""
    import asyncpg

    server = postgres_url()
    prefix = f'kinroll_bench_waitlists_{os.getpid()}'
    try:
        admin = await asyncio.wait_for(asyncpg.connect(server + '/postgres'), timeout=5)
    except Exception as exc:
        if os.environ.get('KINROLL_BENCH_POSTGRES'):
            raise
        return f'no PostgreSQL server at {server} ({type(exc).__name__})'
    names = [f'{prefix}_seed']
    await admin.execute(f'DROP DATABASE IF EXISTS {names[0]} WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE {names[0]}')

    async def copy(number: int) -> str:
        name = f'{prefix}_{number}'
        names.append(name)
        await admin.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE {name} TEMPLATE {names[0]}')
        return f'{server}/{name}'

    async def clean_up() -> None:
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        await admin.close()

    version = await admin.fetchval('SHOW server_version')
    return Place(f'PostgreSQL {version.split()[0]}', f'{server}/{names[0]}', copy, clean_up)


async def run_rounds(place: Place, secret: str) -> tuple[Seeded, list[Round]]:
    """Seed once, then `ROUNDS` worker rounds, each on its own copy of the seeded studio."""
    from tortoise.backends.base import executor

    executor.EXECUTOR_CACHE.clear()  # Tortoise keeps insert statements by connection name, not by dialect
    try:
        seeded = await seed(place.seed_url, secret)
        return seeded, [await measure(await place.copy(number), secret, seeded) for number in range(ROUNDS)]
    finally:
        await place.clean_up()
