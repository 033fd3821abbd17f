"""Staff build the catalogue: each mistake is said beside its field with nothing written, categories stop at three
tiers, every change leaves one staff-audit entry, and only an administrator changes anything."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from domain import clock
from domain.access.actors import PermissionDenied, StaffActor
from domain.classes import catalogue
from domain.classes.catalogue import (
    CategoryForm,
    ClosureForm,
    CourseForm,
    LocationForm,
    PatternForm,
    RoomForm,
    TermForm,
)
from domain.errors import NotFound, ValidationFailed
from domain.family.versions import ChangedMeanwhile
from domain.models import (
    Category,
    Closure,
    Course,
    CourseInstructor,
    Enrolment,
    Location,
    MeetingPattern,
    Policy,
    StaffAuditEntry,
    StaffRole,
    Term,
)
from domain.registration import policies
from domain.registration.policies import PolicyForm
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from tests.factories import make_family, make_staff

pytestmark = pytest.mark.usefixtures('database')

MONDAY_AND_WEDNESDAY = PatternForm((0, 2), '17:00', '18:00')


@pytest.fixture
async def studio(admin):
    location = await catalogue.add_location(admin, LocationForm('Main Street', '12 Main Street'))
    room = await catalogue.add_room(admin, location.id, RoomForm('Studio A'))
    term = await catalogue.add_term(admin, TermForm('Spring 2027', '2027-01-11', '2027-05-29', '2026-12-01T09:00'))
    return location, room, term


def course_form(studio, **changes) -> CourseForm:
    location, room, term = studio
    typed = dict(
        name='Ballet 2',
        term_id=term.id,
        location_id=location.id,
        room_id=room.id,
        starts_on='2027-01-11',
        ends_on='2027-05-29',
        capacity='10',
        tuition='65.00',
        patterns=(MONDAY_AND_WEDNESDAY,),
    )
    return CourseForm(**{**typed, **changes})


async def refused(call) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as failed:
        await call
    return failed.value.errors


async def test_a_class_with_every_mistake_is_refused_field_by_field_and_nothing_is_written(admin, studio):
    errors = await refused(
        catalogue.add_course(
            admin,
            course_form(
                studio,
                name='  ',
                starts_on='2027-03-01',
                ends_on='2027-02-01',
                capacity='ten',
                tuition='65.005',
                min_age_years='7',
                max_age_years='5',
                age_taken_at='fixed_date',
                patterns=(PatternForm((), '17:00', '18:00'), PatternForm((1,), '18:00', '17:30')),
            ),
        )
    )
    assert errors == {
        'name': 'This field is required',
        'ends_on': 'This ends before it starts',
        'capacity': 'Enter a whole number',
        'tuition': 'Use at most two decimals',
        'max_age_years': 'The oldest age is below the youngest',
        'age_date': 'This field is required',
        'patterns.0': 'Choose at least one day of the week',
        'patterns.1': 'A meeting must end after it starts',
    }
    assert not await Course.exists() and not await MeetingPattern.exists()


async def test_a_class_needs_a_meeting_a_room_of_its_location_and_dates_within_its_session(admin, studio):
    other = await catalogue.add_location(admin, LocationForm('Riverside'))
    pool = await catalogue.add_room(admin, other.id, RoomForm('Pool'))
    errors = await refused(
        catalogue.add_course(admin, course_form(studio, room_id=pool.id, ends_on='2027-06-30', patterns=()))
    )
    assert errors == {
        'room_id': 'Choose a room of this location',
        'starts_on': 'A class runs within the dates of its session',
        'patterns': 'Add at least one weekly meeting',
    }


async def test_a_session_ending_before_it_starts_or_opening_early_after_registration_is_refused(admin):
    errors = await refused(
        catalogue.add_term(
            admin, TermForm('Fall', '2027-09-01', '2027-08-01', '2027-07-01T09:00', early_opens_at='2027-07-02T09:00')
        )
    )
    assert errors == {
        'ends_on': 'This ends before it starts',
        'early_opens_at': 'The early opening must come before registration opens',
    }
    assert not await Term.exists()


async def test_registration_opening_typed_on_the_studios_clock_is_kept_in_utc(admin):
    term = await catalogue.add_term(admin, TermForm('Fall', '2027-09-01', '2027-12-15', '2027-07-01T09:00'))
    stored = await Term.get(id=term.id)
    assert stored.registration_opens_at == dt.datetime(2027, 7, 1, 14, 0, tzinfo=dt.UTC)  # 9:00 in Chicago, CDT


async def test_names_and_dates_taken_already_are_refused(admin, studio):
    location, _room, _term = studio
    assert await refused(catalogue.add_location(admin, LocationForm('Main Street'))) == {
        'name': 'There is already a location of this name'
    }
    assert await refused(catalogue.add_room(admin, location.id, RoomForm('Studio A'))) == {
        'name': 'This location already has a room of this name'
    }
    await catalogue.add_closure(admin, ClosureForm('2027-01-18', 'Martin Luther King Jr. Day'))
    assert await refused(catalogue.add_closure(admin, ClosureForm('2027-01-18', 'Again'))) == {
        'date': 'The studio is already closed on this date'
    }
    assert await Closure.all().count() == 1 and await Location.all().count() == 1


async def test_categories_stop_at_three_tiers(admin):
    dance = await catalogue.add_category(admin, CategoryForm('Dance'))
    ballet = await catalogue.add_category(admin, CategoryForm('Ballet', dance.id))
    level_2 = await catalogue.add_category(admin, CategoryForm('Level 2', ballet.id))
    assert await refused(catalogue.add_category(admin, CategoryForm('Pointe', level_2.id))) == {
        'parent_id': 'Categories go at most three tiers deep, like Dance › Ballet › Level 2'
    }
    assert await Category.all().count() == 3


async def test_moving_a_category_keeps_its_branch_within_three_tiers_and_never_below_itself(admin):
    dance = await catalogue.add_category(admin, CategoryForm('Dance'))
    ballet = await catalogue.add_category(admin, CategoryForm('Ballet', dance.id))
    await catalogue.add_category(admin, CategoryForm('Level 2', ballet.id))
    swim = await catalogue.add_category(admin, CategoryForm('Swim'))
    beginners = await catalogue.add_category(admin, CategoryForm('Beginners', swim.id))
    # Ballet has a tier below it: under Swim › Beginners it would make four
    assert await refused(catalogue.edit_category(admin, ballet.id, CategoryForm('Ballet', beginners.id))) == {
        'parent_id': 'Categories go at most three tiers deep, like Dance › Ballet › Level 2'
    }
    assert await refused(catalogue.edit_category(admin, dance.id, CategoryForm('Dance', ballet.id))) == {
        'parent_id': 'A category cannot sit below itself'
    }
    moved = await catalogue.edit_category(admin, ballet.id, CategoryForm('Ballet', swim.id))
    assert moved.parent_id == swim.id


async def test_the_catalogue_lists_each_class_with_its_categories_capacity_and_openings(admin, studio):
    dance = await catalogue.add_category(admin, CategoryForm('Dance'))
    ballet = await catalogue.add_category(admin, CategoryForm('Ballet', dance.id))
    level_2 = await catalogue.add_category(admin, CategoryForm('Level 2', ballet.id))
    await catalogue.add_course(admin, course_form(studio, category_ids=(level_2.id,), status='active'))
    await catalogue.add_course(admin, course_form(studio, name='Ballet 3 (draft)', capacity='12'))
    staff_lines = await catalogue.catalogue()
    assert [(line.course.name, line.capacity, line.openings) for line in staff_lines] == [
        ('Ballet 2', 10, 10),
        ('Ballet 3 (draft)', 12, 12),
    ]
    assert staff_lines[0].category_paths == ['Dance › Ballet › Level 2']
    assert staff_lines[0].room is not None and staff_lines[0].room.name == 'Studio A'
    assert await catalogue.catalogue(for_families=True) == []  # neither is shown to families yet
    await catalogue.add_course(admin, course_form(studio, name='Ballet 1', status='active', shown_to_families=True))
    assert [line.course.name for line in await catalogue.catalogue(for_families=True)] == ['Ballet 1']


async def test_each_change_leaves_one_audit_entry_with_what_changed(admin, studio):
    location, _room, _term = studio
    course = await catalogue.add_course(admin, course_form(studio))
    await catalogue.edit_course(admin, course.id, course_form(studio, capacity='12', tuition='70'), seen=1)
    await catalogue.edit_location(admin, location.id, LocationForm('Main Street', '12 Main Street'))  # no change
    entries = await StaffAuditEntry.all().order_by('id')
    assert [entry.action for entry in entries] == [
        'location_added',
        'room_added',
        'term_added',
        'course_added',
        'course_edited',
    ]
    edited = entries[-1]
    assert (edited.target, edited.staff_name) == ('Class: Ballet 2', 'Olga Owner')
    assert (edited.old_values, edited.new_values) == (
        {'capacity': 10, 'tuition': '65.00'},
        {'capacity': 12, 'tuition': '70.00'},
    )
    added = entries[3].new_values
    assert added['patterns'] == [{'weekdays': [0, 2], 'start_time': '17:00:00', 'end_time': '18:00:00'}]


async def test_an_edit_from_a_stale_form_is_refused_and_writes_nothing(admin, studio):
    course = await catalogue.add_course(admin, course_form(studio))
    await catalogue.edit_course(admin, course.id, course_form(studio, capacity='12'), seen=1)
    patterns_before = await MeetingPattern.filter(course_id=course.id).values_list('id', flat=True)
    with pytest.raises(ChangedMeanwhile):
        await catalogue.edit_course(admin, course.id, course_form(studio, capacity='8'), seen=1)
    stored = await Course.get(id=course.id)
    assert (stored.capacity, stored.version) == (12, 2)
    assert await MeetingPattern.filter(course_id=course.id).values_list('id', flat=True) == patterns_before


async def test_only_an_administrator_changes_the_catalogue(admin, studio):
    location, room, term = studio
    made = await make_staff()
    desk = StaffActor(made.id, made.name, made.email, StaffRole.FRONT_DESK)
    course = await catalogue.add_course(admin, course_form(studio))
    mark = await StaffAuditEntry.all().count()
    for change in (
        catalogue.add_location(desk, LocationForm('Riverside')),
        catalogue.edit_location(desk, location.id, LocationForm('Elsewhere')),
        catalogue.add_room(desk, location.id, RoomForm('Studio B')),
        catalogue.edit_room(desk, room.id, RoomForm('Studio Z')),
        catalogue.add_term(desk, TermForm('Fall', '2027-09-01', '2027-12-15', '2027-07-01T09:00')),
        catalogue.edit_term(desk, term.id, TermForm('Fall', '2027-09-01', '2027-12-15', '2027-07-01T09:00')),
        catalogue.add_category(desk, CategoryForm('Dance')),
        catalogue.add_course(desk, course_form(studio, name='Tap')),
        catalogue.edit_course(desk, course.id, course_form(studio, capacity='99'), seen=1),
        catalogue.add_closure(desk, ClosureForm('2027-01-18', 'Holiday')),
    ):
        with pytest.raises(PermissionDenied):
            await change
    assert await StaffAuditEntry.all().count() == mark
    assert (await Course.get(id=course.id)).capacity == 10 and await Location.all().count() == 1


async def test_a_yen_class_costs_whole_yen(admin, studio, monkeypatch):
    monkeypatch.setattr(settings, '_current', dataclasses.replace(settings.current(), currency='JPY'))
    assert await refused(catalogue.add_course(admin, course_form(studio, tuition='6500.50'))) == {
        'tuition': 'Enter a whole amount, without decimals'
    }
    course = await catalogue.add_course(admin, course_form(studio, tuition='6500'))
    assert (await Course.get(id=course.id)).tuition == Decimal('6500')


async def make_policy(admin, title: str) -> int:
    return (await policies.add_policy(admin, PolicyForm(title, f'The words of {title}.'))).policy_id


async def test_instructors_keep_their_order_and_policies_are_asked_for_with_an_audit_entry(admin, studio):
    first = await make_staff('ines@example.com', 'Ines Instructor', 'instructor')
    desk = await make_staff('desk@example.com', 'Dora Desk', 'front_desk')
    waiver = await make_policy(admin, 'Liability waiver')
    photos = await make_policy(admin, 'Photo release')
    course = await catalogue.add_course(
        admin, course_form(studio, instructor_ids=(desk.id, first.id), policy_ids=(photos, waiver))
    )
    teaching = await CourseInstructor.filter(course_id=course.id).order_by('position')
    assert [(teacher.staff_id, teacher.position) for teacher in teaching] == [(desk.id, 0), (first.id, 1)]
    assert sorted(await Policy.filter(courses__id=course.id).values_list('id', flat=True)) == sorted([waiver, photos])
    added = (await StaffAuditEntry.get(action='course_added')).new_values
    assert (added['instructor_ids'], added['policy_ids']) == ([desk.id, first.id], sorted([waiver, photos]))

    await catalogue.edit_course(admin, course.id, course_form(studio, instructor_ids=(first.id,)), seen=1)
    assert await CourseInstructor.filter(course_id=course.id).values_list('staff_id', flat=True) == [first.id]
    assert not await Policy.filter(courses__id=course.id).exists()
    edited = await StaffAuditEntry.get(action='course_edited')
    assert edited.old_values == {'instructor_ids': [desk.id, first.id], 'policy_ids': sorted([waiver, photos])}
    assert edited.new_values == {'instructor_ids': [first.id], 'policy_ids': []}


async def test_an_unknown_instructor_or_a_retired_policy_is_refused_beside_its_field(admin, studio):
    retired = await make_policy(admin, 'Old waiver')
    await policies.retire_policy(admin, retired)
    errors = await refused(
        catalogue.add_course(admin, course_form(studio, instructor_ids=(9999,), policy_ids=(retired,)))
    )
    assert errors == {'instructor_ids': 'Choose one of the options', 'policy_ids': 'Choose one of the options'}
    assert not await Course.exists()


async def enrol(course: Course, *, starts_on: dt.date, dropped_on: dt.date | None = None, name: str = 'Barbie'):
    made = await make_family(name, f'{name.lower()}@example.com', children=(name,))
    return await Enrolment.create(
        course=course,
        participant=made.children[0],
        family=made.family,
        starts_on=starts_on,
        dropped_on=dropped_on,
        enrolled_at=clock.now(),
        enrolled_by='Olga Owner',
    )


async def test_capacity_below_the_children_enrolled_is_refused_beside_it(admin, studio):
    course = await catalogue.add_course(admin, course_form(studio, capacity='3'))
    today = settings.today()
    await enrol(course, starts_on=today - dt.timedelta(days=30), name='Ava')  # active
    await enrol(course, starts_on=today + dt.timedelta(days=30), name='Bea')  # future: counts too
    await enrol(course, starts_on=today - dt.timedelta(days=60), dropped_on=today, name='Cy')  # gone from today
    async with UnitOfWork() as uow:
        assert await catalogue.enrolled_now(uow, course.id) == 2
    assert await refused(catalogue.edit_course(admin, course.id, course_form(studio, capacity='1'), seen=1)) == {
        'capacity': 'This is fewer places than the children enrolled'
    }
    assert (await Course.get(id=course.id)).capacity == 3
    await catalogue.edit_course(admin, course.id, course_form(studio, capacity='2'), seen=1)
    assert (await Course.get(id=course.id)).capacity == 2


async def test_a_class_loaded_for_editing_saves_back_unchanged(admin, studio):
    teacher = await make_staff('ines@example.com', 'Ines Instructor', 'instructor')
    waiver = await make_policy(admin, 'Liability waiver')
    course = await catalogue.add_course(
        admin,
        course_form(
            studio,
            min_age_years='5',
            min_age_months='6',
            max_age_years='7',
            age_taken_at='fixed_date',
            age_date='2027-01-01',
            patterns=(MONDAY_AND_WEDNESDAY, PatternForm((5,), '09:30', '10:15')),
            instructor_ids=(teacher.id,),
            policy_ids=(waiver,),
        ),
    )
    stored = await catalogue.course_for_editing(course.id)
    assert stored.version == 1
    assert (stored.min_age_years, stored.min_age_months, stored.max_age_years, stored.max_age_months) == (
        '5',
        '6',
        '7',
        '0',
    )
    assert stored.patterns == (PatternForm((0, 2), '17:00', '18:00'), PatternForm((5,), '09:30', '10:15'))
    assert (stored.instructor_ids, stored.policy_ids, stored.age_date) == ((teacher.id,), (waiver,), '2027-01-01')
    await catalogue.edit_course(admin, course.id, stored, seen=stored.version)
    assert not await StaffAuditEntry.filter(action='course_edited').exists()  # nothing differed
    assert (await catalogue.course_for_editing(course.id)).version == 2


async def test_a_stale_save_is_told_what_is_stored_now_in_the_forms_words(admin, studio):
    course = await catalogue.add_course(admin, course_form(studio))
    await catalogue.edit_course(admin, course.id, course_form(studio, capacity='12'), seen=1)
    with pytest.raises(ChangedMeanwhile) as stale:
        await catalogue.edit_course(admin, course.id, course_form(studio, capacity='8'), seen=1)
    assert (stale.value.stored.capacity, stale.value.version) == ('12', 2)


async def test_an_unknown_class_is_not_found_for_editing(admin):
    for wrong in (9999, 'x', 2**70):
        with pytest.raises(NotFound):
            await catalogue.course_for_editing(wrong)


async def test_the_setup_lists_categories_by_path_and_sessions_on_the_studios_clock(admin, studio):
    _location, _room, term = studio
    dance = await catalogue.add_category(admin, CategoryForm('Dance'))
    ballet = await catalogue.add_category(admin, CategoryForm('Ballet', dance.id))
    await catalogue.add_category(admin, CategoryForm('Level 2', ballet.id))
    await catalogue.add_category(admin, CategoryForm('Acro'))
    setup = await catalogue.catalogue_setup()
    assert [(line.path, line.tier) for line in setup.categories] == [
        ('Acro', 1),
        ('Dance', 1),
        ('Dance › Ballet', 2),
        ('Dance › Ballet › Level 2', 3),
    ]
    assert [(place.location.name, [room.name for room in place.rooms]) for place in setup.locations] == [
        ('Main Street', ['Studio A'])
    ]
    typed = catalogue.term_form(await Term.get(id=term.id))
    assert (typed.registration_opens_at, typed.early_opens_at) == ('2026-12-01T09:00', '')
    await catalogue.edit_term(admin, term.id, typed)  # saved back as typed: no change
    assert not await StaffAuditEntry.filter(action='term_edited').exists()
