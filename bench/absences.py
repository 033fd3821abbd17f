"""The absences and makeups benchmark (issue 17): 200 parents booking a makeup in one meeting at once, the
instructor's roster of a 30-child meeting, and the parent's Absences and makeups read.

One studio, seeded once through the services staff and parents use: four Monday classes of 50 children, each
child holding a credit for last Monday's meeting, and one Wednesday class whose next meeting has a few free
makeup seats (its capacity, less the children enrolled and two approved trials, plus the six children whose
parents reported them absent). Each round runs on a fresh copy of it:
- the race: all 200 parents call `makeups.book` for that meeting at once (asyncio.gather); each answer is timed
  from the moment they all tap, and the meeting's seats and makeups are counted afterwards;
- the roster: that meeting then has 30 children (enrolled, makeup visitors and trials); `attendance.meeting_roster`
  and `attendance.save_roll` are timed against the class's roster (`rosters.roster`), in turn, on the meeting day;
- the family read: a family with three children in two classes each and 20 credits in every state (their
  absences and makeups made as rows, as the roster and the worker leave them) reads `absences.family_absences`,
  `absences.report_choices` and `makeups.family_credits`, against the dashboard's read (`dashboard.dashboard`).

This module seeds and measures; bench/run.py chooses the databases and reports the figures.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench import waitlists
from bench.classes import _open_studio, percentile
from domain import clock, db
from domain.absences import absences, attendance, credits, makeups
from domain.absences.makeups import SeatGone
from domain.absences.rules import meeting_start
from domain.access.actors import Actor, StaffActor
from domain.classes import catalogue, enrolment, rosters, seats
from domain.classes.catalogue import CourseForm, LocationForm, PatternForm, RoomForm, TermForm
from domain.config import Config
from domain.family import dashboard
from domain.models import (
    Absence,
    AbsenceReason,
    ClassRequest,
    CreditOrigin,
    CreditStatus,
    Enrolment,
    Makeup,
    MakeupCredit,
    MakeupStatus,
    RequestKind,
    RequestStatus,
    StaffUser,
)
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from tests.domain.classes.making import family

PARENTS = 200  # each with an available credit, all booking the same meeting at once
MISSED_CLASSES = 4  # Monday classes of 50: where the 200 credits come from
CAPACITY = 24  # the Wednesday class
ENROLLED = 20
TRIALS = 2
ABSENT = 6  # reported absent for the raced meeting by their parents
SEATS = CAPACITY - ENROLLED - TRIALS + ABSENT  # free makeup seats in the raced meeting: 8
ON_ROSTER = ENROLLED + TRIALS + SEATS  # children on that meeting's roster once the seats are taken: 30
FAMILY_CREDITS = {  # the read's family: 20 credits in every state a family sees
    CreditStatus.AVAILABLE: 8,
    CreditStatus.BOOKED: 3,
    CreditStatus.USED: 5,
    CreditStatus.EXPIRED: 4,
}
READS = 15  # per round, for each timed read, taken in turn with its baseline
ROUNDS = 3


@dataclass(frozen=True)
class Seeded:
    course_id: int  # the Wednesday class
    day: dt.date  # its raced meeting
    parents: list[tuple[Actor, int]]  # each parent and their credit's id
    family: Actor  # the read's family
    staff: StaffActor
    seed_seconds: float


@dataclass(frozen=True)
class Round:
    race_seconds: float  # from the moment all 200 tap to the last answer
    waits: list[float]  # per answer, from the tap
    booking_waits: list[float]  # per booking
    booked: int
    seat_gone: int
    other: dict[str, int]  # answers that were neither a booking nor SeatGone, by kind
    overbooked: int  # makeups beyond the meeting's free seats
    makeup_rows: int  # live makeups in the meeting afterwards
    credits_booked: int  # of the 200 credits, BOOKED afterwards
    roster_lines: int
    meeting_roster_ms: float  # medians
    save_roll_ms: float
    first_save_ms: float  # the first save, which confirms the absences and issues their credits
    class_roster_ms: float
    read_ms: float  # family_absences + report_choices + family_credits
    read_parts_ms: dict[str, float]
    dashboard_ms: float
    read_sizes: tuple[int, int, int]  # absence lines, meetings to report, credit lines

    @property
    def bookings_per_second(self) -> float:
        return self.booked / max(self.booking_waits)

    @property
    def answers_per_second(self) -> float:
        return len(self.waits) / self.race_seconds

    @property
    def exact(self) -> bool:
        return (
            self.booked == SEATS == self.makeup_rows == self.credits_booked
            and self.seat_gone == PARENTS - SEATS
            and not self.other
        )


def _next(day: dt.date, weekday: int, *, at_least: int = 0) -> dt.date:
    day += dt.timedelta(days=at_least)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


async def seed(database_url: str, secret: str) -> Seeded:
    began = time.perf_counter()
    admin = await _open_studio(database_url, secret)
    await settings.update_absence_rules(admin, scope='any', per_enrolment=4)
    today = settings.today()
    starts = today - dt.timedelta(days=today.weekday(), weeks=8)  # a Monday eight weeks ago: meetings behind and ahead
    ends = starts + dt.timedelta(weeks=20, days=-2)
    term = await catalogue.add_term(
        admin, TermForm('Absences', starts, ends, f'{starts - dt.timedelta(days=30)}T09:00')
    )
    location = await catalogue.add_location(admin, LocationForm('Adams Street'))
    room = await catalogue.add_room(admin, location.id, RoomForm('Studio A'))

    async def course(name: str, weekday: int, capacity: int):
        form = CourseForm(
            name,
            term.id,
            location.id,
            starts,
            ends,
            str(capacity),
            '60.00',
            (PatternForm((weekday,), '17:00', '18:00'),),
            room_id=room.id,
            status='active',
            shown_to_families=True,
            self_enrol=True,
        )
        return await catalogue.add_course(admin, form)

    missed_on = _next(today, 0) - dt.timedelta(days=7)  # last Monday's meeting (a week ago at most)
    parents = []
    for number in range(MISSED_CLASSES):
        missed = await course(f'Ballet {number + 1}', 0, PARENTS // MISSED_CLASSES)
        for place in range(PARENTS // MISSED_CLASSES):
            actor, (child,) = await family(f'Maker{number}x{place}', children=(f'Kid{place}',))
            placed = await enrolment.enrol_by_staff(admin, child.id, missed.id)
            async with UnitOfWork() as uow:
                issued = await credits.issue(uow, placed, missed_on, origin=CreditOrigin.EXCUSED, issued_by=admin.name)
            if issued.credit is None:
                raise RuntimeError('the seeded studio issued no credit')
            parents.append((actor, issued.credit.id))
    raced = await course('Ballet Makeup', 2, CAPACITY)
    day = _next(today, 2, at_least=2)  # the next Wednesday at least two days ahead: open for booking
    seated = []
    for place in range(ENROLLED):
        actor, (child,) = await family(f'Seated{place}', children=('Kim',))
        await enrolment.enrol_by_staff(admin, child.id, raced.id)
        seated.append((actor, child))
    for actor, child in seated[:ABSENT]:
        await absences.report(
            actor, participant_ids=[child.id], course_id=raced.id, first_day=day, last_day=None, reason='sick'
        )
    for place in range(TRIALS):
        actor, (child,) = await family(f'Trial{place}', children=('Tess',))
        await ClassRequest.create(
            kind=RequestKind.TRIAL,
            status=RequestStatus.APPROVED,
            family_id=actor.family_id,
            participant_id=child.id,
            course_id=raced.id,
            on_date=day,
            requested_by=actor.contact_name,
            created_at=clock.now(),
            decided_at=clock.now(),
            decided_by=admin.name,
        )
    free = (await seats.meeting_seats([raced.id], day))[raced.id].for_makeups(0)
    if free != SEATS:
        raise RuntimeError(f'the raced meeting has {free} makeup seats, not {SEATS}')
    reader = await _family_to_read(admin, course, raced.id, day)
    await db.close_database()
    return Seeded(raced.id, day, parents, reader, admin, time.perf_counter() - began)


async def _family_to_read(admin: StaffActor, course, raced_id: int, raced_day: dt.date) -> Actor:
    """Three children in Jazz (Thursdays) and Tap (Fridays); 20 past absences, each with its credit in one of
    the states a family sees, the booked ones with a makeup ahead and the used ones with one behind; and three
    absences reported ahead through the service."""
    today, now = settings.today(), clock.now()
    actor, children = await family('Reader', children=('Ava', 'Ben', 'Cleo'))
    places = []
    for name, weekday in (('Jazz 1', 3), ('Tap 1', 4)):
        made = await course(name, weekday, 20)
        for child in children:
            places.append((await enrolment.enrol_by_staff(admin, child.id, made.id), weekday))
    await Enrolment.filter(id__in=[p.id for p, _ in places]).update(starts_on=today - dt.timedelta(weeks=8))
    statuses = [status for status, count in FAMILY_CREDITS.items() for _ in range(count)]
    ahead, behind = iter(range(1, 10)), iter(range(1, 10))
    for number, status in enumerate(statuses):
        place, weekday = places[number % len(places)]
        missed = _next(today, weekday) - dt.timedelta(weeks=1 + number // len(places))
        absence = await Absence.create(
            enrolment_id=place.id,
            family_id=place.family_id,
            participant_id=place.participant_id,
            course_id=place.course_id,
            date=missed,
            reason=AbsenceReason.SICK,
            contact_id=actor.contact_id,
            reported_by=actor.contact_name,
            reported_at=now - dt.timedelta(days=60),
            confirmed_at=now - dt.timedelta(days=50),
        )
        credit = await MakeupCredit.create(
            family_id=place.family_id,
            participant_id=place.participant_id,
            enrolment_id=place.id,
            course_id=place.course_id,
            missed_on=missed,
            absence_id=absence.id,
            status=status,
            issued_at=now - dt.timedelta(days=50),
            expires_on=missed + dt.timedelta(days=90 if status != CreditStatus.EXPIRED else 1),
        )
        if status in (CreditStatus.BOOKED, CreditStatus.USED):
            weeks = next(ahead) if status == CreditStatus.BOOKED else -1 - next(behind)  # used ones in the past
            await Makeup.create(
                credit_id=credit.id,
                family_id=place.family_id,
                participant_id=place.participant_id,
                course_id=raced_id,
                date=raced_day + dt.timedelta(weeks=weeks),
                status=MakeupStatus.BOOKED,
                contact_id=actor.contact_id,
                booked_by=actor.contact_name,
                booked_at=now - dt.timedelta(days=40),
            )
    thursday = _next(today, 3, at_least=1)
    await absences.report(
        actor,
        participant_ids=[child.id for child in children],
        course_id=None,
        first_day=thursday,
        last_day=None,
        reason='travel',
    )
    return actor


async def measure(database_url: str, secret: str, seeded: Seeded) -> Round:
    await db.open_database(database_url)
    await settings.ensure_settings(
        Config.from_env(demo=True, env={'PORTAL_DATABASE_URL': database_url, 'PORTAL_SECRET': secret})
    )
    try:
        await StaffUser.first()  # the ORM's first query (imports, caches) belongs to no figure
        race = await _race(seeded)
        roster = await _roster(seeded)
        read = await _read(seeded.family)
        return Round(**race, **roster, **read)
    finally:
        await db.close_database()


async def _race(seeded: Seeded) -> dict:
    began = time.perf_counter()

    async def tap(actor: Actor, credit_id: int) -> tuple[str, float]:
        try:
            await makeups.book(actor, credit_id, seeded.course_id, seeded.day)
        except SeatGone:
            return 'seat gone', time.perf_counter() - began
        except Exception as exc:
            return type(exc).__name__, time.perf_counter() - began
        return 'booked', time.perf_counter() - began

    answers = await asyncio.gather(*(tap(actor, credit_id) for actor, credit_id in seeded.parents))
    seconds = time.perf_counter() - began
    said = Counter(outcome for outcome, _ in answers)
    live = await Makeup.filter(course_id=seeded.course_id, date=seeded.day, status=MakeupStatus.BOOKED).count()
    counted = (await seats.meeting_seats([seeded.course_id], seeded.day))[seeded.course_id]
    booked_credits = await MakeupCredit.filter(
        id__in=[credit_id for _, credit_id in seeded.parents], status=CreditStatus.BOOKED
    ).count()
    return {
        'race_seconds': seconds,
        'waits': [wait for _, wait in answers],
        'booking_waits': [wait for outcome, wait in answers if outcome == 'booked'] or [seconds],
        'booked': said['booked'],
        'seat_gone': said['seat gone'],
        'other': {kind: n for kind, n in said.items() if kind not in ('booked', 'seat gone')},
        'overbooked': max(live - SEATS, -counted.vacancy, 0),  # extra_seats is 0: makeups fill vacancies only
        'makeup_rows': live,
        'credits_booked': booked_credits,
    }


async def _roster(seeded: Seeded) -> dict:
    """On the meeting day, before the class: the meeting's roster and its save, in turn with the class roster."""
    timezone = settings.current().timezone
    with clock.pinned(meeting_start(seeded.day, dt.time(12), timezone)):
        staff, course_id, day = seeded.staff, seeded.course_id, seeded.day
        await attendance.meeting_roster(staff, course_id, day)  # warm up
        await rosters.roster(staff, course_id)
        meeting, saves, classes = [], [], []
        first_save = 0.0
        version = None
        lines = 0
        for _ in range(READS):
            began = time.perf_counter()
            loaded = await attendance.meeting_roster(staff, course_id, day)
            meeting.append(time.perf_counter() - began)
            lines = len(loaded.lines)
            marks = {line.participant_id: 'absent' if line.reason else 'present' for line in loaded.lines}
            began = time.perf_counter()
            call = await attendance.save_roll(staff, course_id, day, marks, version)
            taken = time.perf_counter() - began
            if version is None:
                first_save = taken
            else:
                saves.append(taken)
            version = call.version
            began = time.perf_counter()
            await rosters.roster(staff, course_id)
            classes.append(time.perf_counter() - began)
    return {
        'roster_lines': lines,
        'meeting_roster_ms': statistics.median(meeting) * 1000,
        'save_roll_ms': statistics.median(saves) * 1000,
        'first_save_ms': first_save * 1000,
        'class_roster_ms': statistics.median(classes) * 1000,
    }


async def _read(actor: Actor) -> dict:
    """The Absences and makeups screen's reads, in turn with the dashboard's."""
    parts: dict[str, list[float]] = {'family_absences': [], 'report_choices': [], 'family_credits': []}
    reads, dashboards = [], []
    sizes = (0, 0, 0)
    await dashboard.dashboard(actor)  # warm up
    await makeups.family_credits(actor)
    for _ in range(READS):
        began = time.perf_counter()
        lines = await absences.family_absences(actor)
        after_absences = time.perf_counter()
        choices = await absences.report_choices(actor)
        after_choices = time.perf_counter()
        held = await makeups.family_credits(actor)
        done = time.perf_counter()
        parts['family_absences'].append(after_absences - began)
        parts['report_choices'].append(after_choices - after_absences)
        parts['family_credits'].append(done - after_choices)
        reads.append(done - began)
        sizes = (len(lines), sum(len(c.days) for child in choices for c in child.classes), len(held))
        began = time.perf_counter()
        await dashboard.dashboard(actor)
        dashboards.append(time.perf_counter() - began)
    return {
        'read_ms': statistics.median(reads) * 1000,
        'read_parts_ms': {name: statistics.median(values) * 1000 for name, values in parts.items()},
        'dashboard_ms': statistics.median(dashboards) * 1000,
        'read_sizes': sizes,
    }


def p(values: list[float], fraction: float) -> float:
    return percentile(values, fraction) * 1000


# Where the rounds run: the waitlist benchmark's places, SQLite in a folder of its own


def sqlite_place(folder: Path) -> waitlists.Place:
    folder.mkdir(parents=True, exist_ok=True)
    return waitlists.sqlite_place(folder)


async def run_rounds(place: waitlists.Place, secret: str) -> tuple[Seeded, list[Round]]:
    """Seed once, then `ROUNDS` rounds, each on its own copy of the seeded studio."""
    from tortoise.backends.base import executor

    executor.EXECUTOR_CACHE.clear()  # Tortoise keeps insert statements by connection name, not by dialect
    try:
        seeded = await seed(place.seed_url, secret)
        return seeded, [await measure(await place.copy(number), secret, seeded) for number in range(ROUNDS)]
    finally:
        await place.clean_up()
