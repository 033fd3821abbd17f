"""The classes benchmarks' studios and measurements (issue 15): the parents' Classes screen over a catalogue of
200 classes, and fifty parents enrolling at once into fewer seats than there are parents.

This module seeds and measures; bench/run.py starts the servers, reads their CPU time and reports the figures.
Studios are made through the same services staff and parents use, so a render or an enrolment here costs what
it costs in the portal.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import time
from collections import Counter
from dataclasses import dataclass

import httpx

from bench.clients import Browser, element_count
from domain import db
from domain.access import sealed_secrets, staff_accounts
from domain.access.actors import Actor, StaffActor
from domain.classes import browsing, catalogue, enrolment
from domain.classes.catalogue import CategoryForm, CourseForm, LocationForm, PatternForm, RoomForm, TermForm
from domain.classes.enrolment import Choice, ClassFull
from domain.config import Config
from domain.models import Course, Enrolment, LedgerEntry, Participant, StaffRole
from domain.studio import settings
from tests.domain.classes.making import family
from tests.factories import PASSWORD, make_family

CLASSES_LISTED = 200
DISCIPLINES = {  # discipline: its category at the top tier
    'Ballet': 'Dance',
    'Jazz': 'Dance',
    'Tap': 'Dance',
    'Hip Hop': 'Dance',
    'Contemporary': 'Dance',
    'Gymnastics': 'Gym',
    'Tumbling': 'Gym',
    'Acro': 'Gym',
    'Swim': 'Swim',
    'Aerial': 'Gym',
}
LOCATIONS = {'Adams Street': ('Studio A', 'Studio B', 'Pool'), 'Riverside': ('Main Gym', 'Studio C', 'Lap Pool')}
DESCRIPTION = (
    'A class for children who love to move. We warm up together, learn **one new skill** each week and end '
    'with a short routine.\n\n- Comfortable clothes\n- A water bottle\n\nParents watch the last class of each month.'
)
RACE_PARENTS = 50
RACE_CLASSES = 5
RACE_SEATS = 8  # 40 seats for 50 parents: ten of them are told the class is full
RACE_ROUNDS = 5


def _season_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """A twenty-week session from next Monday, whatever day the benchmark runs: there are always meetings left."""
    starts = today + dt.timedelta(days=7 - today.weekday())
    return starts, starts + dt.timedelta(weeks=20, days=-2)


async def _open_studio(database_url: str, secret: str) -> StaffActor:
    """A fresh database under `database_url` with the studio's settings and its administrator."""
    config = Config.from_env(demo=True, env={'PORTAL_DATABASE_URL': database_url, 'PORTAL_SECRET': secret})
    await db.open_database(config.database_url)
    await settings.ensure_settings(config)
    sealed_secrets.use_key(secret)  # as the portal that serves this database will
    admin = await staff_accounts.create_staff('owner@bench.example', 'Olga Owner', 'owner password', StaffRole.ADMIN)
    return StaffActor(admin.id, admin.name, admin.email, admin.role)


async def _session(admin: StaffActor, name: str) -> tuple[int, dict[str, tuple[int, list[int]]], dt.date, dt.date]:
    """A session open for registration since yesterday, and the locations with their rooms."""
    today = settings.today()
    starts, ends = _season_dates(today)
    term = await catalogue.add_term(admin, TermForm(name, starts, ends, f'{today - dt.timedelta(days=1)}T09:00'))
    places = {}
    for location_name, room_names in LOCATIONS.items():
        location = await catalogue.add_location(admin, LocationForm(location_name))
        rooms = [(await catalogue.add_room(admin, location.id, RoomForm(room))).id for room in room_names]
        places[location_name] = (location.id, rooms)
    return term.id, places, starts, ends


# The Classes screen


@dataclass(frozen=True)
class ScreenStudio:
    email: str
    password: str
    first_name: str  # the dashboard greets the parent by it once they are signed in
    read_ms: float  # the screen's one domain read, in this process: the part of a render that is not UI


async def seed_screen_studio(database_url: str, secret: str) -> ScreenStudio:
    """200 classes open to families over two locations, ten disciplines in two-tier categories, four instructors,
    ages from 3 to 18, one or two meetings a week; and a signed-in parent's family with two children, 7 and 10, so
    every card says for each child whether they can enrol or why not."""
    admin = await _open_studio(database_url, secret)
    term_id, places, starts, ends = await _session(admin, 'Spring')
    tops = {top: await catalogue.add_category(admin, CategoryForm(top)) for top in sorted(set(DISCIPLINES.values()))}
    kinds = {
        name: (await catalogue.add_category(admin, CategoryForm(name, tops[top].id))).id
        for name, top in DISCIPLINES.items()
    }
    teachers = [
        (
            await staff_accounts.create_staff(
                f'teacher{n}@bench.example', f'Teacher {n}', 'teach', StaffRole.INSTRUCTOR
            )
        ).id
        for n in range(4)
    ]
    levels = CLASSES_LISTED // (len(DISCIPLINES) * len(LOCATIONS))
    number = 0
    for location_name, (location_id, rooms) in places.items():
        for discipline, kind in kinds.items():
            for level in range(1, levels + 1):
                weekday, hour = number % 6, 15 + number % 5
                patterns = [PatternForm((weekday,), f'{hour}:00', f'{hour}:45')]
                if number % 3 == 0:
                    patterns.append(PatternForm(((weekday + 2) % 6,), f'{hour}:00', f'{hour}:45'))
                form = CourseForm(
                    f'{discipline} {level} · {location_name}',
                    term_id,
                    location_id,
                    starts,
                    ends,
                    str(8 + number % 9),
                    f'{55 + number % 7 * 5}.00',
                    tuple(patterns),
                    room_id=rooms[number % len(rooms)],
                    description=DESCRIPTION,
                    category_ids=(kind,),
                    min_age_years=str(2 + level),
                    max_age_years=str(min(5 + level, 18)),
                    tuition_basis=('per_month', 'per_term', 'per_meeting')[number % 3],
                    status='active',
                    shown_to_families=True,
                    self_enrol=True,
                    instructor_ids=(teachers[number % len(teachers)],),
                )
                await catalogue.add_course(admin, form)
                number += 1
    listed = len(await catalogue.catalogue(for_families=True))
    if listed != CLASSES_LISTED:
        raise RuntimeError(f'the studio lists {listed} classes to families, not {CLASSES_LISTED}')
    made = await make_family('Bench', 'parent@bench.example', children=('Ava', 'Leo'), password=PASSWORD)
    today = settings.today()
    for child, years in zip(made.children, (7, 10), strict=True):
        child.birthdate = today - dt.timedelta(days=round(years * 365.25) + 40)
        await child.save()
    parent = made.parent
    actor = Actor(parent.id, made.family.id, made.family.name, parent.full_name, parent.email or '', 'en')
    reads = []
    for _ in range(10):
        began = time.perf_counter()
        await browsing.classes_for_family(actor)
        reads.append(time.perf_counter() - began)
    await db.close_database()
    return ScreenStudio(parent.email or '', PASSWORD, parent.first_name, statistics.median(reads) * 1000)


@dataclass(frozen=True)
class Page:
    base: str
    path: str
    cookies: dict[str, str]


@dataclass
class Renders:
    """One page's renders: how long the server took to answer each request for it, and its elements."""

    seconds: list[float]
    elements: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.seconds, 0.95) * 1000


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: a value that was measured, never one between two."""
    ordered = sorted(values)
    return ordered[max(0, round(fraction * len(ordered)) - 1)]


async def first_view(page: Page) -> str:
    """The page's HTML as a parent's first request gets it."""
    async with httpx.AsyncClient(timeout=30) as http:
        browser = Browser(page.base, page.cookies)
        await browser.load(http, page.path)
        await browser.close()
    return browser.html


async def interleaved_renders(pages: dict[str, Page], renders: int) -> dict[str, Renders]:
    """Each page viewed `renders` times, the pages in turn, so that outside load on a shared machine falls on
    all of them alike. A render is timed from the request to its answer's headers: NiceGUI answers once the page
    is built and written out, so this is the server's time, the loopback aside. Each view then connects its
    websocket and closes it, as a browser would, so the server lets the page go."""
    sent_at = 0.0
    answers: list[float] = []

    async def sent(_request: httpx.Request) -> None:
        nonlocal sent_at
        sent_at = time.perf_counter()

    async def answered(_response: httpx.Response) -> None:
        answers.append(time.perf_counter() - sent_at)

    measured = {name: Renders([], 0) for name in pages}
    async with httpx.AsyncClient(timeout=30, event_hooks={'request': [sent], 'response': [answered]}) as http:
        for _view in range(renders):
            for name, page in pages.items():
                browser = Browser(page.base, page.cookies)
                await browser.load(http, page.path)
                await browser.close()
                measured[name].seconds.append(answers[-1])
                measured[name].elements = element_count(browser.html)
    return measured


# Fifty parents enrolling at once


@dataclass(frozen=True)
class RaceRound:
    seconds: float  # from the moment every parent taps to the last one's answer
    enrolled: int
    told_full: int
    waits: list[float]  # per enrolled child: from the tap to the enrolment committed
    overbooked: int  # children enrolled beyond a class's capacity, over the round's classes
    ledger_matches: bool  # exactly the enrolled families were charged tuition, once each

    @property
    def per_second(self) -> float:
        return self.enrolled / self.seconds


async def enrolment_race(database_url: str, secret: str) -> list[RaceRound]:
    """Each round, 50 families (a child each) check out at once through the parents' services, hold_seats then
    enrol, ten into each of 5 classes of 8 seats. Every round has its own classes and families, on one durable
    database file that grows as the rounds go, as a studio's does."""
    admin = await _open_studio(database_url, secret)
    term_id, places, starts, ends = await _session(admin, 'Race')
    location_id, rooms = places['Adams Street']
    rounds = []
    try:
        for number in range(RACE_ROUNDS):
            courses = [
                await catalogue.add_course(
                    admin,
                    CourseForm(
                        f'Race {number}.{n}',
                        term_id,
                        location_id,
                        starts,
                        ends,
                        str(RACE_SEATS),
                        '60.00',
                        (PatternForm((0,), '17:00', '18:00'),),
                        room_id=rooms[0],
                        status='active',
                        shown_to_families=True,
                        self_enrol=True,
                    ),
                )
                for n in range(RACE_CLASSES)
            ]
            parents = [await family(f'Round{number}Family{n}') for n in range(RACE_PARENTS)]
            rounds.append(await _race_round(parents, [course.id for course in courses]))
    finally:
        await db.close_database()
    return rounds


async def _race_round(parents: list[tuple[Actor, list[Participant]]], course_ids: list[int]) -> RaceRound:
    began = time.perf_counter()

    async def tap(actor: Actor, child: Participant, course_id: int) -> tuple[str, float]:
        try:
            view = await enrolment.hold_seats(actor, [Choice(child.id, course_id)])
            await enrolment.enrol(actor, view.checkout_id)
        except ClassFull:
            return 'full', time.perf_counter() - began
        return 'enrolled', time.perf_counter() - began

    outcomes = await asyncio.gather(
        *(tap(actor, children[0], course_ids[n % len(course_ids)]) for n, (actor, children) in enumerate(parents))
    )
    seconds = time.perf_counter() - began
    capacity = dict(await Course.filter(id__in=course_ids).values_list('id', 'capacity'))
    enrolled: Counter[int] = Counter(
        await Enrolment.filter(course_id__in=course_ids).values_list('course_id', flat=True)
    )
    families = {actor.family_id for actor, _ in parents}
    enrolled_families = set(await Enrolment.filter(course_id__in=course_ids).values_list('family_id', flat=True))
    charged = await LedgerEntry.filter(family_id__in=families, description__startswith='Tuition').values_list(
        'family_id', flat=True
    )
    said = Counter(outcome for outcome, _ in outcomes)
    return RaceRound(
        seconds,
        sum(enrolled.values()),
        said['full'],
        [wait for outcome, wait in outcomes if outcome == 'enrolled'],
        sum(max(0, enrolled[course_id] - capacity[course_id]) for course_id in course_ids),
        sorted(charged) == sorted(enrolled_families),
    )
