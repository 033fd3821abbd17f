"""Staff see the classes: an instructor only those they teach, and each class's roster of the children enrolled
from today on, with their ages, health flags and their family's phones."""

import datetime as dt

import pytest

from domain import clock
from domain.access.actors import StaffActor
from domain.classes import catalogue, rosters
from domain.classes.catalogue import CourseForm, LocationForm, PatternForm, TermForm
from domain.errors import NotFound
from domain.models import Contact, Enrolment, Participant
from tests.factories import make_family, make_staff

pytestmark = pytest.mark.usefixtures('database')

NOON_IN_CHICAGO = dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC)  # Wednesday 2 December 2026
TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(NOON_IN_CHICAGO):
        yield TODAY


async def actor(email: str, name: str, role: str) -> StaffActor:
    made = await make_staff(email, name, role)
    return StaffActor(made.id, made.name, made.email, made.role)


@pytest.fixture
async def classes(admin):
    """Ballet 2 taught by Ines, Tap taught by Theo (Ines second), Jazz by nobody."""
    ines = await actor('ines@example.com', 'Ines Instructor', 'instructor')
    theo = await actor('theo@example.com', 'Theo Teacher', 'instructor')
    location = await catalogue.add_location(admin, LocationForm('Main Street'))
    term = await catalogue.add_term(admin, TermForm('Winter', '2026-11-02', '2027-02-27', '2026-10-01T09:00'))

    async def course(name: str, *teachers: StaffActor):
        form = CourseForm(
            name,
            term.id,
            location.id,
            '2026-11-02',
            '2027-02-27',
            '10',
            '65',
            (PatternForm((0, 2), '17:00', '18:00'),),
            instructor_ids=tuple(teacher.staff_id for teacher in teachers),
        )
        return await catalogue.add_course(admin, form)

    return {
        'ines': ines,
        'theo': theo,
        'ballet': await course('Ballet 2', ines),
        'tap': await course('Tap', theo, ines),
        'jazz': await course('Jazz'),
    }


async def enrol(course, child: Participant, *, starts_on: dt.date, dropped_on: dt.date | None = None):
    return await Enrolment.create(
        course=course,
        participant=child,
        family_id=child.family_id,
        starts_on=starts_on,
        dropped_on=dropped_on,
        enrolled_at=clock.now(),
        enrolled_by='Olga Owner',
    )


async def test_an_instructor_sees_only_the_classes_they_teach_and_the_desk_sees_all(admin, classes):
    desk = await actor('desk@example.com', 'Dora Desk', 'front_desk')
    assert [line.line.course.name for line in (await rosters.class_list(classes['ines'])).lines] == ['Ballet 2', 'Tap']
    assert [line.line.course.name for line in (await rosters.class_list(classes['theo'])).lines] == ['Tap']
    assert [line.line.course.name for line in (await rosters.class_list(desk)).lines] == ['Ballet 2', 'Jazz', 'Tap']
    assert [line.line.course.name for line in (await rosters.class_list(admin)).lines] == ['Ballet 2', 'Jazz', 'Tap']


async def test_the_class_list_names_instructors_in_order_and_finds_by_name_or_instructor(admin, classes):
    tap = next(line for line in (await rosters.class_list(admin)).lines if line.line.course.name == 'Tap')
    assert tap.instructors == ['Theo Teacher', 'Ines Instructor']
    assert [(p.weekdays, p.start_minute, p.end_minute) for p in tap.patterns] == [([0, 2], 1020, 1080)]
    assert [line.line.course.name for line in (await rosters.class_list(admin, text='THEO')).lines] == ['Tap']
    assert [line.line.course.name for line in (await rosters.class_list(admin, text='ballet')).lines] == ['Ballet 2']
    assert (await rosters.class_list(admin, text='Hip hop')).lines == []


async def test_the_roster_lists_children_enrolled_from_today_with_ages_flags_and_phones(admin, classes):
    ager = await make_family('Ager', 'holly@example.com', children=('Barbie', 'Zoe'))
    barbie, zoe = ager.children
    await Participant.filter(id=barbie.id).update(allergies='Peanuts', birthdate=dt.date(2019, 3, 4))
    await Participant.filter(id=zoe.id).update(medical_notes='Asthma: inhaler in her bag', birthdate=None)
    await Contact.filter(id=ager.parent.id).update(mobile_phone='+13125550101')
    await Contact.create(family=ager.family, first_name='Gran', last_name='Ager', mobile_phone='+13125550199')
    await Contact.create(
        family=ager.family,
        first_name='Old',
        last_name='Number',
        mobile_phone='+13125550123',
        removed_at=clock.now(),
    )
    # the primary contact made second, to show the primary comes first whatever the order of creation
    gunnar = await make_family('Gunnar', 'deanne@example.com', children=('Ava',))
    await Contact.filter(id=gunnar.parent.id).update(is_primary=False)
    await Contact.create(
        family=gunnar.family, first_name='Deanne', last_name='Gunnar', mobile_phone='+13125550202', is_primary=True
    )
    await Contact.filter(id=gunnar.parent.id).update(mobile_phone='+13125550203')
    left = await make_family('Brown', 'brown@example.com', children=('Leo',))
    ballet = classes['ballet']
    await enrol(ballet, barbie, starts_on=dt.date(2026, 11, 2))
    await enrol(ballet, zoe, starts_on=dt.date(2027, 1, 4))  # future
    await enrol(ballet, gunnar.children[0], starts_on=dt.date(2026, 11, 2), dropped_on=dt.date(2026, 12, 9))
    await enrol(ballet, left.children[0], starts_on=dt.date(2026, 11, 2), dropped_on=TODAY)  # gone from today

    shown = await rosters.roster(classes['ines'], ballet.id)
    assert shown.course.name == 'Ballet 2' and shown.instructors == ['Ines Instructor']
    assert [child.name for child in shown.children] == ['Ava Gunnar', 'Barbie Ager', 'Zoe Ager']
    ava, barbie_line, zoe_line = shown.children
    assert barbie_line.age == (7, 8)  # born 4 March 2019
    assert zoe_line.age is None
    assert (barbie_line.starts_on, zoe_line.starts_on) == (None, dt.date(2027, 1, 4))
    assert (barbie_line.has_allergies, barbie_line.allergies, barbie_line.has_medical_notes) == (True, 'Peanuts', False)
    assert (zoe_line.has_allergies, zoe_line.has_medical_notes) == (False, True)
    assert barbie_line.family_name == 'Ager'
    assert [(phone.contact, phone.mobile) for phone in barbie_line.phones] == [
        ('Holly Ager', '+13125550101'),
        ('Gran Ager', '+13125550199'),
    ]
    assert [(phone.contact, phone.mobile, phone.primary) for phone in ava.phones] == [
        ('Deanne Gunnar', '+13125550202', True),
        ('Holly Gunnar', '+13125550203', False),
    ]


async def test_an_instructor_asking_for_another_instructors_roster_finds_nothing(admin, classes):
    with pytest.raises(NotFound):
        await rosters.roster(classes['theo'], classes['ballet'].id)
    with pytest.raises(NotFound):
        await rosters.roster(classes['ines'], classes['jazz'].id)
    assert (await rosters.roster(classes['ines'], classes['tap'].id)).course.name == 'Tap'  # second instructor
    assert (await rosters.roster(admin, classes['jazz'].id)).children == []
    for wrong in (9999, 'x', -1, 2**70):
        with pytest.raises(NotFound):
            await rosters.roster(admin, wrong)


def test_an_age_is_whole_years_and_months():
    assert rosters.age_on(dt.date(2012, 3, 4), dt.date(2026, 12, 2)) == (14, 8)
    assert rosters.age_on(dt.date(2020, 12, 2), dt.date(2026, 12, 2)) == (6, 0)  # a birthday today
    assert rosters.age_on(dt.date(2020, 12, 3), dt.date(2026, 12, 2)) == (5, 11)
    assert rosters.age_on(dt.date(2027, 1, 1), dt.date(2026, 12, 2)) is None
