"""An administrator adds a class through its form and finds it in the list; each mistake is said beside its field
with nothing saved; an edit from a stale page shows what someone else saved."""

from dataclasses import replace
from decimal import Decimal

from nicegui import ui
from nicegui.testing import User

from domain.classes import catalogue
from domain.models import Course, CourseInstructor, MeetingPattern, StaffAuditEntry
from tests.factories import make_staff
from tests.pages.helpers import press, table_rows
from tests.pages.staff.classes.steps import a_class, a_studio, staff_member_signs_in


def field(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


def choose(user: User, marker: str, value) -> None:
    field(user, marker).value = value


async def test_an_administrator_adds_a_class_and_it_appears_in_the_list(user: User):
    studio = await a_studio()
    teacher = await make_staff('ines@example.com', 'Ines Instructor', 'instructor')
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open('/staff/classes/new')
    user.find(marker='name').type('Ballet 2')
    choose(user, 'term', studio.term.id)
    assert (field(user, 'starts_on').value, field(user, 'ends_on').value) == ('2027-01-11', '2027-05-29')
    choose(user, 'location', studio.location.id)
    choose(user, 'room', studio.room.id)
    user.find(marker='pattern-0-day-0').click()
    user.find(marker='pattern-0-day-2').click()
    user.find(marker='pattern-0-start').type('17:00')
    user.find(marker='pattern-0-end').type('18:00')
    press(user, 'Add a weekly meeting')
    user.find(marker='pattern-1-day-5').click()
    user.find(marker='pattern-1-start').type('09:30')
    user.find(marker='pattern-1-end').type('10:15')
    user.find(marker='capacity').type('12')
    user.find(marker='min_age_years').type('5')
    user.find(marker='max_age_years').type('7')
    user.find(marker='max_age_months').type('11')
    choose(user, 'categories', [studio.level_2])
    choose(user, 'instructor', teacher.id)
    user.find(marker='tuition').type('65.50')
    press(user, 'Add the class')
    await user.should_see(marker='classes', retries=30)

    course = await Course.get(name='Ballet 2')
    assert (course.capacity, course.tuition, course.min_age_months, course.max_age_months) == (
        12,
        Decimal('65.50'),
        60,
        95,
    )
    patterns = await MeetingPattern.filter(course_id=course.id).order_by('id')
    assert [(p.weekdays, p.start_minute, p.end_minute) for p in patterns] == [([0, 2], 1020, 1080), ([5], 570, 615)]
    assert await CourseInstructor.filter(course_id=course.id).values_list('staff_id', flat=True) == [teacher.id]
    [row] = table_rows(user)
    assert (row['name'], row['session'], row['location'], row['instructors']) == (
        'Ballet 2',
        'Spring 2027',
        'Main Street · Studio A',
        'Ines Instructor',
    )
    assert row['schedule'] == 'Mon, Wed 5:00\u202fPM–6:00\u202fPM; Sat 9:30\u202fAM–10:15\u202fAM'
    assert (row['enrolled'], row['capacity'], row['openings'], row['status']) == (0, 12, 12, 'Draft')
    assert row['edit_url'] == f'/staff/classes/{course.id}/edit'


async def test_each_mistake_is_said_beside_its_field_and_nothing_is_saved(user: User):
    studio = await a_studio()
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open('/staff/classes/new')
    user.find(marker='name').type('Ballet 2')
    choose(user, 'term', studio.term.id)
    choose(user, 'location', studio.location.id)
    field(user, 'starts_on').value = '2027-03-01'
    field(user, 'ends_on').value = '2027-02-01'
    user.find(marker='pattern-0-start').type('17:00')
    user.find(marker='pattern-0-end').type('18:00')
    user.find(marker='capacity').type('10')
    user.find(marker='tuition').type('65.005')
    user.find(marker='min_age_years').type('7')
    user.find(marker='max_age_years').type('5')
    press(user, 'Add the class')
    await user.should_see('Not saved: This ends before it starts', retries=30)
    assert field(user, 'ends_on').error == 'This ends before it starts'
    assert field(user, 'tuition').error == 'Use at most two decimals'
    assert field(user, 'max_age_years').error == 'The oldest age is below the youngest'
    await user.should_see('Choose at least one day of the week')
    assert user.find(marker='pattern-0').elements  # the message sits in that meeting's own box
    assert field(user, 'name').error is None
    assert not await Course.exists()


async def test_an_edit_saves_and_a_stale_one_shows_what_someone_else_saved(user: User):
    studio = await a_studio()
    course = await a_class(studio, 'Ballet 2')
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open(f'/staff/classes/{course.id}/edit')
    assert field(user, 'capacity').value == '10'
    field(user, 'capacity').value = '14'
    press(user, 'Save')
    await user.should_see('✓ Saved', retries=30)
    assert (await Course.get(id=course.id)).capacity == 14

    stored = await catalogue.course_for_editing(course.id)  # a colleague saves in between
    await catalogue.edit_course(studio.owner, course.id, replace(stored, name='Ballet II'), seen=stored.version)
    field(user, 'capacity').value = '16'
    press(user, 'Save')
    await user.should_see('Someone else changed this while you were editing', retries=30)
    await user.should_see('Theirs: Ballet II')
    assert (await Course.get(id=course.id)).capacity == 14
    press(user, 'Keep mine')
    await user.should_see('Saved', retries=30)
    saved = await Course.get(id=course.id)
    assert (saved.name, saved.capacity) == ('Ballet II', 16)  # theirs kept where only they changed it


async def test_capacity_below_the_children_enrolled_is_refused_beside_it(user: User):
    from domain.studio import settings
    from tests.factories import make_family
    from tests.pages.staff.classes.steps import enrol

    studio = await a_studio()
    course = await a_class(studio, 'Ballet 2', capacity='3')
    for name in ('Ava', 'Bea'):
        made = await make_family(name, f'{name.lower()}@example.com', children=(name,))
        await enrol(course, made.children[0], settings.today())
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open(f'/staff/classes/{course.id}/edit')
    field(user, 'capacity').value = '1'
    press(user, 'Save')
    await user.should_see('Not saved: This is fewer places than the children enrolled', retries=30)
    assert field(user, 'capacity').error == 'This is fewer places than the children enrolled'
    assert (await Course.get(id=course.id)).capacity == 3


async def test_an_unknown_class_has_no_editor(user: User):
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open('/staff/classes/9999/edit')
    await user.should_see('We could not find that page. It may have been removed, or the link may be wrong.')
    await user.should_not_see(kind=ui.textarea)
    await user.should_see('Back to classes')


async def test_the_switch_for_enrolment_requests_is_saved_and_audited(user: User):
    studio = await a_studio()
    course = await a_class(studio, 'Team Gymnastics Level 3')
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open(f'/staff/classes/{course.id}/edit')
    await user.should_see('Only when families may not enrol themselves: their requests wait in the requests queue')
    assert field(user, 'enrol_by_request').value is False
    field(user, 'enrol_by_request').value = True
    press(user, 'Save')
    await user.should_see('✓ Saved', retries=30)
    saved = await Course.get(id=course.id)
    assert (saved.enrol_by_request, saved.self_enrol) == (True, False)
    entry = await StaffAuditEntry.get(action='course_edited')
    assert (entry.old_values, entry.new_values) == ({'enrol_by_request': False}, {'enrol_by_request': True})
    await user.open(f'/staff/classes/{course.id}/edit')
    assert field(user, 'enrol_by_request').value is True
