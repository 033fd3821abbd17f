"""The studio's catalogue as staff build it: locations and rooms, terms, categories, classes and closed dates.

Every change is an administrator's, made in one unit of work with its staff-audit entry. A form holds what staff
typed; everything wrong with it is said field by field (`ValidationFailed`) before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from domain import audit, i18n
from domain.absences import closures
from domain.access.actors import StaffActor, require_admin
from domain.classes import seats
from domain.errors import NotFound
from domain.family.versions import ChangedMeanwhile, save_if_unchanged
from domain.i18n import N_
from domain.models import (
    AgeTakenAt,
    Category,
    Closure,
    Course,
    CourseInstructor,
    CourseStatus,
    GenderRule,
    Location,
    MeetingPattern,
    Policy,
    Room,
    StaffRole,
    StaffUser,
    Term,
    TuitionBasis,
)
from domain.models.classes import minute_of_day
from domain.records import checked_id
from domain.registration.policies import current_versions
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

MOST_TIERS = 3  # Dance › Ballet › Level 2
LARGEST_CAPACITY = 1000
LARGEST_TUITION = Decimal('100000')
OLDEST_AGE_YEARS = 120

ENTER_DATE = N_('Enter the date as year-month-day')
ENTER_TIME = N_('Enter the time as hours:minutes, like 17:30')
NOT_AN_OPTION = N_('Choose one of the options')
ENDS_BEFORE_START = N_('This ends before it starts')
TOO_MANY_TIERS = N_('Categories go at most three tiers deep, like Dance › Ballet › Level 2')
BELOW_ENROLLED = N_('This is fewer places than the children enrolled')
TEACHING_ROLES = (StaffRole.INSTRUCTOR, StaffRole.ADMIN, StaffRole.FRONT_DESK)

Record = TypeVar('Record', bound=Model)


def _day(clean: Cleaner, name: str, value: str | dt.date | None, *, required: bool = True) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            clean.fail(name, N_('This field is required'))
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        clean.fail(name, ENTER_DATE)
        return None


def _time_of_day(clean: Cleaner, name: str, value: str | dt.time) -> dt.time | None:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(value.strip())
    except ValueError:
        clean.fail(name, ENTER_TIME)
        return None


def _whole(clean: Cleaner, name: str, value: str | int | None, *, least: int, most: int) -> int | None:
    """A whole number typed (or None when left empty) between `least` and `most`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = value if isinstance(value, int) else int(value.strip())
    except ValueError:
        clean.fail(name, N_('Enter a whole number'))
        return None
    if not least <= number <= most:
        clean.fail(name, N_('This number is out of range'))
        return None
    return number


def _months(clean: Cleaner, prefix: str, years: str | int | None, months: str | int | None) -> int | None:
    """An age typed as years and months, in months; None when both are empty (no limit)."""
    whole_years = _whole(clean, f'{prefix}_years', years, least=0, most=OLDEST_AGE_YEARS)
    extra = _whole(clean, f'{prefix}_months', months, least=0, most=11)
    if whole_years is None and extra is None:
        return None
    return (whole_years or 0) * 12 + (extra or 0)


def _enum(clean: Cleaner, name: str, value: str, kind: type[Any]) -> Any:
    allowed = {member.value for member in kind}
    if value not in allowed:
        clean.fail(name, NOT_AN_OPTION)
        return None
    return kind(value)


async def _created(uow: UnitOfWork, by: StaffActor, model: type[Record], values: dict, action: str) -> Record:
    record = await model.create(**values, using_db=uow.connection)
    await audit.record(uow, by, action, _target(record), None, values)
    return record


async def _edited(uow: UnitOfWork, by: StaffActor, record: Record, values: dict, action: str) -> Record:
    before = {key: getattr(record, key) for key in values}
    record.update_from_dict(values)
    await record.save(using_db=uow.connection)
    old, new = audit.changes(before, values)
    if new:
        await audit.record(uow, by, action, _target(record), old, new)
    return record


async def _get(uow: UnitOfWork, model: type[Record], record_id: int) -> Record:
    record = await model.get_or_none(id=record_id, using_db=uow.connection)
    if record is None:
        raise NotFound()
    return record


def _target(record: Model) -> str:
    kind = {Location: 'Location', Room: 'Room', Term: 'Session', Category: 'Category', Course: 'Class'}
    if isinstance(record, Closure):
        return f'Closure: {record.date.isoformat()}'
    return f'{kind[type(record)]}: {record.name}'  # type: ignore[attr-defined]


# Locations and rooms


@dataclass(frozen=True)
class LocationForm:
    name: str
    address: str = ''

    def cleaned(self) -> dict:
        clean = Cleaner()
        values = {'name': clean.name('name', self.name, max_length=120), 'address': clean.text('address', self.address)}
        clean.raise_if_invalid()
        return values


async def add_location(by: StaffActor, form: LocationForm) -> Location:
    require_admin(by)
    values = form.cleaned()
    async with UnitOfWork() as uow:
        await _name_free(uow, Location.filter(name=values['name']), N_('There is already a location of this name'))
        return await _created(uow, by, Location, values, 'location_added')


async def edit_location(by: StaffActor, location_id: int, form: LocationForm) -> Location:
    require_admin(by)
    values = form.cleaned()
    async with UnitOfWork() as uow:
        location = await _get(uow, Location, location_id)
        others = Location.filter(name=values['name']).exclude(id=location_id)
        await _name_free(uow, others, N_('There is already a location of this name'))
        return await _edited(uow, by, location, values, 'location_edited')


@dataclass(frozen=True)
class RoomForm:
    name: str

    def cleaned(self) -> dict:
        clean = Cleaner()
        values = {'name': clean.name('name', self.name)}
        clean.raise_if_invalid()
        return values


ROOM_TAKEN = N_('This location already has a room of this name')


async def add_room(by: StaffActor, location_id: int, form: RoomForm) -> Room:
    require_admin(by)
    values = form.cleaned()
    async with UnitOfWork() as uow:
        location = await _get(uow, Location, location_id)
        await _name_free(uow, Room.filter(location_id=location.id, name=values['name']), ROOM_TAKEN)
        return await _created(uow, by, Room, {**values, 'location_id': location.id}, 'room_added')


async def edit_room(by: StaffActor, room_id: int, form: RoomForm) -> Room:
    require_admin(by)
    values = form.cleaned()
    async with UnitOfWork() as uow:
        room = await _get(uow, Room, room_id)
        others = Room.filter(location_id=room.location_id, name=values['name']).exclude(id=room_id)
        await _name_free(uow, others, ROOM_TAKEN)
        return await _edited(uow, by, room, values, 'room_edited')


async def _name_free(uow: UnitOfWork, same_name: Any, message: str) -> None:
    if await same_name.using_db(uow.connection).exists():
        clean = Cleaner()
        clean.fail('name', message)
        clean.raise_if_invalid()


# Terms (the sessions)


@dataclass(frozen=True)
class TermForm:
    """Moments typed without a zone are on the studio's clock."""

    name: str
    starts_on: str | dt.date
    ends_on: str | dt.date
    registration_opens_at: str | dt.datetime
    early_opens_at: str | dt.datetime | None = None
    hidden_from_families: bool = False

    def cleaned(self) -> dict:
        clean = Cleaner()
        starts_on = _day(clean, 'starts_on', self.starts_on)
        ends_on = _day(clean, 'ends_on', self.ends_on)
        if starts_on and ends_on and ends_on < starts_on:
            clean.fail('ends_on', ENDS_BEFORE_START)
        zone = settings.current().timezone
        opens = clean.moment('registration_opens_at', self.registration_opens_at, timezone=zone, required=True)
        early = clean.moment('early_opens_at', self.early_opens_at, timezone=zone)
        if opens and early and early >= opens:
            clean.fail('early_opens_at', N_('The early opening must come before registration opens'))
        values = {
            'name': clean.name('name', self.name, max_length=120),
            'starts_on': starts_on,
            'ends_on': ends_on,
            'registration_opens_at': opens,
            'early_opens_at': early,
            'hidden_from_families': bool(self.hidden_from_families),
        }
        clean.raise_if_invalid()
        return values


async def add_term(by: StaffActor, form: TermForm) -> Term:
    require_admin(by)
    values = form.cleaned()
    async with UnitOfWork() as uow:
        return await _created(uow, by, Term, values, 'term_added')


async def edit_term(by: StaffActor, term_id: int, form: TermForm) -> Term:
    require_admin(by)
    values = form.cleaned()
    async with UnitOfWork() as uow:
        return await _edited(uow, by, await _get(uow, Term, term_id), values, 'term_edited')


# Categories


@dataclass(frozen=True)
class CategoryForm:
    name: str
    parent_id: int | None = None


async def add_category(by: StaffActor, form: CategoryForm) -> Category:
    require_admin(by)
    async with UnitOfWork() as uow:
        values = await _category_values(uow, form, None)
        return await _created(uow, by, Category, values, 'category_added')


async def edit_category(by: StaffActor, category_id: int, form: CategoryForm) -> Category:
    """Rename a category or move it (with everything under it) below another."""
    require_admin(by)
    async with UnitOfWork() as uow:
        category = await _get(uow, Category, category_id)
        values = await _category_values(uow, form, category)
        return await _edited(uow, by, category, values, 'category_edited')


async def _category_values(uow: UnitOfWork, form: CategoryForm, moved: Category | None) -> dict:
    """The category's name and parent, refused when it would sit below itself or make a fourth tier."""
    clean = Cleaner()
    name = clean.name('name', form.name)
    parents = await Category.all().using_db(uow.connection).values_list('id', 'parent_id')
    parent_of: dict[int, int | None] = dict(parents)  # type: ignore[arg-type]
    if form.parent_id is not None:
        if form.parent_id not in parent_of:
            clean.fail('parent_id', NOT_AN_OPTION)
        else:
            above = _ancestry(parent_of, form.parent_id)  # the parent and every tier over it
            below = _height(parent_of, moved.id) if moved else 1  # the category and its deepest branch
            if moved and moved.id in above:
                clean.fail('parent_id', N_('A category cannot sit below itself'))
            elif len(above) + below > MOST_TIERS:
                clean.fail('parent_id', TOO_MANY_TIERS)
    clean.raise_if_invalid()
    return {'name': name, 'parent_id': form.parent_id}


def _ancestry(parent_of: dict[int, int | None], category_id: int) -> list[int]:
    chain: list[int] = []
    current: int | None = category_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parent_of.get(current)
    return chain


def _height(parent_of: dict[int, int | None], category_id: int) -> int:
    children = [child for child, parent in parent_of.items() if parent == category_id]
    return 1 + max((_height(parent_of, child) for child in children), default=0)


# Classes


@dataclass(frozen=True)
class PatternForm:
    """One weekly meeting: its weekdays (0 Monday … 6 Sunday) and times on the studio's clock."""

    weekdays: tuple[int, ...]
    start_time: str | dt.time
    end_time: str | dt.time


@dataclass(frozen=True)
class CourseForm:
    """A class as staff typed it. Ages are given as years and months; empty means no limit."""

    name: str
    term_id: int
    location_id: int
    starts_on: str | dt.date
    ends_on: str | dt.date
    capacity: str | int
    tuition: str | Decimal
    patterns: tuple[PatternForm, ...]
    room_id: int | None = None
    description: str = ''
    category_ids: tuple[int, ...] = ()
    min_age_years: str | int | None = None
    min_age_months: str | int | None = None
    max_age_years: str | int | None = None
    max_age_months: str | int | None = None
    age_taken_at: str = AgeTakenAt.FIRST_MEETING.value
    age_date: str | dt.date | None = None
    gender_rule: str = GenderRule.ANY.value
    prerequisite_id: int | None = None
    tuition_basis: str = TuitionBasis.PER_MONTH.value
    registration_fee: bool = False
    status: str = CourseStatus.DRAFT.value
    shown_to_families: bool = False
    self_enrol: bool = False
    enrol_by_request: bool = False  # families ask and the desk decides; only when self_enrol is off
    instructor_ids: tuple[int, ...] = ()  # first instructor first
    policy_ids: tuple[int, ...] = ()  # asked for at checkout

    def checked(self, clean: Cleaner) -> dict:
        """The class's own columns, with every mistake the form alone shows noted in `clean`."""
        starts_on = _day(clean, 'starts_on', self.starts_on)
        ends_on = _day(clean, 'ends_on', self.ends_on)
        if starts_on and ends_on and ends_on < starts_on:
            clean.fail('ends_on', ENDS_BEFORE_START)
        youngest = _months(clean, 'min_age', self.min_age_years, self.min_age_months)
        oldest = _months(clean, 'max_age', self.max_age_years, self.max_age_months)
        if youngest is not None and oldest is not None and oldest < youngest:
            clean.fail('max_age_years', N_('The oldest age is below the youngest'))
        age_taken_at = _enum(clean, 'age_taken_at', self.age_taken_at, AgeTakenAt)
        age_date = _day(clean, 'age_date', self.age_date, required=age_taken_at == AgeTakenAt.FIXED_DATE)
        capacity = _whole(clean, 'capacity', self.capacity, least=1, most=LARGEST_CAPACITY)
        if capacity is None and 'capacity' not in clean.errors:
            clean.fail('capacity', N_('This field is required'))
        decimals = min(i18n.minor_units(settings.current().currency), 2)
        too_much = N_('This is more than a class can cost')
        tuition = clean.amount(
            'tuition', self.tuition, maximum=LARGEST_TUITION, zero_allowed=True, too_much=too_much, decimals=decimals
        )
        return {
            'name': clean.name('name', self.name, max_length=120),
            'description': clean.text('description', self.description, max_length=10000),
            'term_id': self.term_id,
            'location_id': self.location_id,
            'room_id': self.room_id,
            'starts_on': starts_on,
            'ends_on': ends_on,
            'capacity': capacity,
            'min_age_months': youngest,
            'max_age_months': oldest,
            'age_taken_at': age_taken_at,
            'age_date': age_date if age_taken_at == AgeTakenAt.FIXED_DATE else None,
            'gender_rule': _enum(clean, 'gender_rule', self.gender_rule, GenderRule),
            'prerequisite_id': self.prerequisite_id,
            'tuition': tuition,
            'tuition_basis': _enum(clean, 'tuition_basis', self.tuition_basis, TuitionBasis),
            'registration_fee': bool(self.registration_fee),
            'status': _enum(clean, 'status', self.status, CourseStatus),
            'shown_to_families': bool(self.shown_to_families),
            'self_enrol': bool(self.self_enrol),
            'enrol_by_request': bool(self.enrol_by_request),
        }

    def checked_patterns(self, clean: Cleaner) -> list[dict]:
        """Each meeting pattern's columns; messages go to `patterns.<n>` (counted from 0) or to `patterns`."""
        if not self.patterns:
            clean.fail('patterns', N_('Add at least one weekly meeting'))
        patterns = []
        for number, pattern in enumerate(self.patterns):
            name = f'patterns.{number}'
            start = _time_of_day(clean, name, pattern.start_time)
            end = _time_of_day(clean, name, pattern.end_time)
            if not pattern.weekdays:
                clean.fail(name, N_('Choose at least one day of the week'))
            elif not set(pattern.weekdays) <= set(range(7)):
                clean.fail(name, NOT_AN_OPTION)
            if start and end and end <= start:
                clean.fail(name, N_('A meeting must end after it starts'))
            patterns.append(
                {
                    'weekdays': sorted(set(pattern.weekdays)),
                    'start_minute': minute_of_day(start) if start else None,
                    'end_minute': minute_of_day(end) if end else None,
                }
            )
        return patterns


async def add_course(by: StaffActor, form: CourseForm) -> Course:
    require_admin(by)
    async with UnitOfWork() as uow:
        values, patterns = await _course_values(uow, form, None)
        course = await Course.create(**values, using_db=uow.connection)
        described = await _course_extras(uow, course, form, patterns)
        await audit.record(uow, by, 'course_added', _target(course), None, {**values, **described})
    return course


async def edit_course(by: StaffActor, course_id: int, form: CourseForm, seen: int) -> Course:
    """Save against the version the form was loaded with (`seen`); ChangedMeanwhile when someone saved since."""
    require_admin(by)
    async with UnitOfWork() as uow:
        # held until the save commits, so no enrolment slips in between counting the enrolled and saving
        wanted = checked_id(course_id)
        course = (await seats.lock_classes(uow.connection, [wanted])).get(wanted)
        if course is None:
            raise NotFound()
        values, patterns = await _course_values(uow, form, course)
        before = {key: getattr(course, key) for key in values} | await _described(uow.connection, course)
        try:
            await save_if_unchanged(uow, course, seen, values, stored_as=lambda stored: stored)
        except ChangedMeanwhile:
            raise ChangedMeanwhile(await _stored_course(uow.connection, course)) from None
        db = uow.connection
        await MeetingPattern.filter(course_id=course.id).using_db(db).delete()
        await CourseInstructor.filter(course_id=course.id).using_db(db).delete()
        await course.categories.clear(using_db=db)
        await course.policies.clear(using_db=db)
        after = {key: getattr(course, key) for key in values} | await _course_extras(uow, course, form, patterns)
        old, new = audit.changes(before, after)
        if new:
            await audit.record(uow, by, 'course_edited', _target(course), old, new)
        uow.publish_after_commit(seats.SEATS_FREED, course.id)  # more seats, or other meetings: offers may follow
    return course


async def _course_values(uow: UnitOfWork, form: CourseForm, course: Course | None) -> tuple[dict, list[dict]]:
    """The class's columns and patterns, with what only the database can tell checked too: the term, location,
    room, categories and prior class exist, the room is at the location, the class runs within its term."""
    clean = Cleaner()
    values = form.checked(clean)
    patterns = form.checked_patterns(clean)
    db = uow.connection
    term = await Term.get_or_none(id=form.term_id, using_db=db)
    if term is None:
        clean.fail('term_id', NOT_AN_OPTION)
    elif _outside(values['starts_on'], values['ends_on'], term):
        clean.fail('starts_on', N_('A class runs within the dates of its session'))
    if not await Location.filter(id=form.location_id).using_db(db).exists():
        clean.fail('location_id', NOT_AN_OPTION)
    at_location = Room.filter(id=form.room_id, location_id=form.location_id).using_db(db)
    if form.room_id is not None and not await at_location.exists():
        clean.fail('room_id', N_('Choose a room of this location'))
    categories = set(form.category_ids)
    if len(categories) != await Category.filter(id__in=categories).using_db(db).count():
        clean.fail('category_ids', NOT_AN_OPTION)
    teachers = set(form.instructor_ids)
    if len(teachers) != await StaffUser.filter(id__in=teachers, role__in=TEACHING_ROLES).using_db(db).count():
        clean.fail('instructor_ids', NOT_AN_OPTION)
    policies = set(form.policy_ids)
    if len(policies) != await Policy.filter(id__in=policies, retired_at=None).using_db(db).count():
        clean.fail('policy_ids', NOT_AN_OPTION)
    capacity = values['capacity']
    if course is not None and capacity is not None and capacity < await enrolled_now(uow, course.id):
        clean.fail('capacity', BELOW_ENROLLED)
    if form.prerequisite_id is not None:
        itself = course is not None and form.prerequisite_id == course.id
        if itself or not await Course.filter(id=form.prerequisite_id).using_db(db).exists():
            clean.fail('prerequisite_id', NOT_AN_OPTION)
    clean.raise_if_invalid()
    return values, patterns


def _outside(starts_on: dt.date | None, ends_on: dt.date | None, term: Term) -> bool:
    if starts_on is None or ends_on is None:
        return False
    return starts_on < term.starts_on or ends_on > term.ends_on


async def enrolled_now(uow: UnitOfWork, course_id: int) -> int:
    """Children enrolled in the class from today on, active and future ones (the one rule of seats.py)."""
    return (await seats.taken([course_id], using_db=uow.connection))[course_id].enrolled


async def _course_extras(uow: UnitOfWork, course: Course, form: CourseForm, patterns: list[dict]) -> dict:
    """Write the class's categories, instructors, policies and meeting patterns; returns them as the audit keeps
    them."""
    db = uow.connection
    if form.category_ids:
        chosen = await Category.filter(id__in=set(form.category_ids)).using_db(db)
        await course.categories.add(*chosen, using_db=db)
    for position, staff_id in enumerate(dict.fromkeys(form.instructor_ids)):
        await CourseInstructor.create(course_id=course.id, staff_id=staff_id, position=position, using_db=db)
    if form.policy_ids:
        asked = await Policy.filter(id__in=set(form.policy_ids)).using_db(db)
        await course.policies.add(*asked, using_db=db)
    for pattern in patterns:
        await MeetingPattern.create(course_id=course.id, **pattern, using_db=db)
    return await _described(uow.connection, course)


async def _described(db: BaseDBAsyncClient | None, course: Course) -> dict:
    categories = await Category.filter(courses__id=course.id).using_db(db).order_by('id').values_list('id', flat=True)
    patterns = await MeetingPattern.filter(course_id=course.id).using_db(db).order_by('id')
    teachers = CourseInstructor.filter(course_id=course.id).using_db(db).order_by('position', 'id')
    policies = Policy.filter(courses__id=course.id).using_db(db).order_by('id')
    return {
        'category_ids': list(categories),
        'instructor_ids': list(await teachers.values_list('staff_id', flat=True)),
        'policy_ids': list(await policies.values_list('id', flat=True)),
        'patterns': [
            {'weekdays': p.weekdays, 'start_time': p.start_time.isoformat(), 'end_time': p.end_time.isoformat()}
            for p in patterns
        ],
    }


@dataclass(frozen=True)
class StoredCourse(CourseForm):
    """A class as stored, in the words its form is typed in, with the version a save is made against."""

    version: int = 0


async def course_for_editing(course_id: int | str) -> StoredCourse:
    course = await Course.get_or_none(id=checked_id(course_id))
    if course is None:
        raise NotFound()
    return await _stored_course(None, course)


async def _stored_course(db: BaseDBAsyncClient | None, course: Course) -> StoredCourse:
    described = await _described(db, course)
    patterns = await MeetingPattern.filter(course_id=course.id).using_db(db).order_by('id')
    youngest, oldest = _years_and_months(course.min_age_months), _years_and_months(course.max_age_months)
    return StoredCourse(
        name=course.name,
        term_id=course.term_id,
        location_id=course.location_id,
        starts_on=course.starts_on.isoformat(),
        ends_on=course.ends_on.isoformat(),
        capacity=str(course.capacity),
        tuition=str(course.tuition),
        patterns=tuple(
            PatternForm(tuple(p.weekdays), p.start_time.strftime('%H:%M'), p.end_time.strftime('%H:%M'))
            for p in patterns
        ),
        room_id=course.room_id,
        description=course.description,
        category_ids=tuple(described['category_ids']),
        min_age_years=youngest[0],
        min_age_months=youngest[1],
        max_age_years=oldest[0],
        max_age_months=oldest[1],
        age_taken_at=AgeTakenAt(course.age_taken_at).value,
        age_date=course.age_date.isoformat() if course.age_date else '',
        gender_rule=GenderRule(course.gender_rule).value,
        prerequisite_id=course.prerequisite_id,
        tuition_basis=TuitionBasis(course.tuition_basis).value,
        registration_fee=course.registration_fee,
        status=CourseStatus(course.status).value,
        shown_to_families=course.shown_to_families,
        self_enrol=course.self_enrol,
        enrol_by_request=course.enrol_by_request,
        instructor_ids=tuple(described['instructor_ids']),
        policy_ids=tuple(described['policy_ids']),
        version=course.version,
    )


def _years_and_months(months: int | None) -> tuple[str, str]:
    """An age kept in months as a form types it: 66 is ('5', '6'); no limit is two empty fields."""
    if months is None:
        return '', ''
    years, extra = divmod(months, 12)
    return str(years), str(extra)


# What the set-up and class screens choose from


@dataclass(frozen=True)
class LocationWithRooms:
    location: Location
    rooms: list[Room]


@dataclass(frozen=True)
class CategoryLine:
    id: int
    name: str
    parent_id: int | None
    path: str  # Dance › Ballet › Level 2
    tier: int  # 1 at the top


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class CatalogueSetup:
    locations: list[LocationWithRooms]
    terms: list[Term]  # latest first
    categories: list[CategoryLine]  # in the order of their paths
    closures: list[Closure]  # in date order


@dataclass(frozen=True)
class CourseChoices:
    setup: CatalogueSetup
    teachers: list[Choice]  # staff who may teach a class
    policies: list[Choice]  # current policies, by their newest title
    courses: list[Choice]  # classes that can be required before another

    def rooms_of(self, location_id: int | None) -> list[Room]:
        return next((place.rooms for place in self.setup.locations if place.location.id == location_id), [])


async def catalogue_setup() -> CatalogueSetup:
    locations = await Location.all().order_by('name', 'id').prefetch_related('rooms')
    paths = await _category_paths()
    parents = dict(await Category.all().values_list('id', 'parent_id'))
    categories = [
        CategoryLine(
            category.id, category.name, category.parent_id, paths[category.id], len(_ancestry(parents, category.id))
        )
        for category in await Category.all()
    ]
    return CatalogueSetup(
        [LocationWithRooms(place, sorted(place.rooms, key=lambda room: (room.name, room.id))) for place in locations],
        await Term.all().order_by('-starts_on', 'id'),
        sorted(categories, key=lambda line: (line.path.casefold(), line.id)),
        await Closure.all().order_by('date'),
    )


async def course_choices() -> CourseChoices:
    teachers = await StaffUser.filter(role__in=TEACHING_ROLES).order_by('name', 'id')
    courses = await Course.all().order_by('name', 'id').select_related('term')
    return CourseChoices(
        await catalogue_setup(),
        [Choice(staff.id, staff.name) for staff in teachers],
        [Choice(version.policy_id, version.title) for version in await current_versions()],  # type: ignore[attr-defined]
        [Choice(course.id, f'{course.name} ({course.term.name})') for course in courses],
    )


def term_form(term: Term) -> TermForm:
    """A session as its form types it, its moments on the studio's clock."""
    return TermForm(
        term.name,
        term.starts_on.isoformat(),
        term.ends_on.isoformat(),
        _on_studio_clock(term.registration_opens_at),
        _on_studio_clock(term.early_opens_at) if term.early_opens_at else '',
        term.hidden_from_families,
    )


def _on_studio_clock(moment: dt.datetime) -> str:
    return moment.astimezone(ZoneInfo(settings.current().timezone)).strftime('%Y-%m-%dT%H:%M')


# Closures


@dataclass(frozen=True)
class ClosureForm:
    date: str | dt.date
    reason: str

    def cleaned(self) -> dict:
        clean = Cleaner()
        values = {'date': _day(clean, 'date', self.date), 'reason': clean.name('reason', self.reason, max_length=200)}
        clean.raise_if_invalid()
        return values


CLOSED_ALREADY = N_('The studio is already closed on this date')


async def add_closure(by: StaffActor, form: ClosureForm) -> Closure:
    """A closed date takes its meetings away from every class and every schedule; when the studio's rules say
    so, each child enrolled in a class that would have met on it gets a makeup credit, with the closure; a
    makeup booked on it is cancelled and its credit comes back."""
    require_admin(by)
    values = form.cleaned()
    async with UnitOfWork() as uow:
        await _date_free(uow, Closure.filter(date=values['date']))
        closure = await _created(uow, by, Closure, values, 'closure_added')
        await closures.close_day(uow, closure.date, by=by)
        return closure


async def edit_closure(by: StaffActor, closure_id: int, form: ClosureForm) -> Closure:
    require_admin(by)
    values = form.cleaned()
    async with UnitOfWork() as uow:
        closure = await _get(uow, Closure, closure_id)
        await _date_free(uow, Closure.filter(date=values['date']).exclude(id=closure_id))
        moved = values['date'] != closure.date
        edited = await _edited(uow, by, closure, values, 'closure_edited')
        if moved:  # the old date's credits stand: the families were told, and may have planned around them
            await closures.close_day(uow, edited.date, by=by)
        return edited


async def _date_free(uow: UnitOfWork, same_date: Any) -> None:
    if await same_date.using_db(uow.connection).exists():
        clean = Cleaner()
        clean.fail('date', CLOSED_ALREADY)
        clean.raise_if_invalid()


# The catalogue as staff and families read it


@dataclass(frozen=True)
class CatalogueLine:
    course: Course
    term: Term
    location: Location
    room: Room | None
    category_paths: list[str] = field(default_factory=list)
    enrolled: int = 0
    capacity: int = 0
    held: int = 0  # seats live checkouts and waitlist offers hold
    waiting: int = 0  # children on the waitlist

    @property
    def free(self) -> int:
        """Seats nobody has, the waitlist's first."""
        return seats.openings(self.capacity, self.enrolled, self.held)

    @property
    def openings(self) -> int:
        """Seats a family not on the waitlist may take."""
        return seats.open_to_newcomers(self.course, seats.Taken(self.enrolled, self.held, self.waiting))


FAMILY_STATUSES = (CourseStatus.FUTURE, CourseStatus.ACTIVE)


async def catalogue(*, for_families: bool = False, term_id: int | None = None) -> list[CatalogueLine]:
    """The classes in name order with enrolled / capacity / openings (the one capacity rule, seats.py). For
    families, only the classes shown to them, future or active, of a term not hidden from them."""
    query = Course.all().select_related('term', 'location', 'room').prefetch_related('categories')
    if term_id is not None:
        query = query.filter(term_id=term_id)
    if for_families:
        query = query.filter(shown_to_families=True, status__in=FAMILY_STATUSES, term__hidden_from_families=False)
    courses = await query.order_by('name', 'id')
    paths = await _category_paths()
    counts = await seats.taken(course.id for course in courses)
    return [
        CatalogueLine(
            course,
            course.term,
            course.location,
            course.room,
            sorted(paths[category.id] for category in course.categories),
            enrolled=counts[course.id].enrolled,
            capacity=course.capacity,
            held=counts[course.id].held,
            waiting=counts[course.id].waiting,
        )
        for course in courses
    ]


async def _category_paths() -> dict[int, str]:
    rows = await Category.all().values_list('id', 'name', 'parent_id')
    named = {row[0]: (row[1], row[2]) for row in rows}

    def path(category_id: int) -> str:
        name, parent = named[category_id]
        return f'{path(parent)} › {name}' if parent is not None and parent in named else name

    return {category_id: path(category_id) for category_id in named}
