"""The class list: an instructor sees only the classes they teach and is refused everything else of the
catalogue; the desk sees every class without the editor; the list filters by session and by a search."""

from nicegui.testing import User

from domain.classes import catalogue
from domain.classes.catalogue import TermForm
from tests.factories import make_family, make_staff
from tests.pages.helpers import press, table_rows, wait_for
from tests.pages.staff.classes.steps import a_class, a_studio, enrol, staff_member_signs_in


async def test_an_instructor_sees_only_their_class_and_no_one_elses_roster_or_editor(user: User):
    studio = await a_studio()
    theo = await make_staff('theo@example.com', 'Theo Teacher', 'instructor')
    ines_id = await staff_member_signs_in(user, 'ines@example.com', 'Ines Instructor', 'instructor')
    mine = await a_class(studio, 'Ballet 2', ines_id)
    theirs = await a_class(studio, 'Tap', theo.id)
    await user.open('/staff/classes')
    rows = table_rows(user)
    assert [row['name'] for row in rows] == ['Ballet 2']
    assert (rows[0]['roster_url'], rows[0]['edit_url']) == (f'/staff/classes/{mine.id}/roster', '')
    await user.should_not_see('Add a class')

    await user.open(f'/staff/classes/{theirs.id}/roster')
    await user.should_see('We could not find that page. It may have been removed, or the link may be wrong.')
    await user.should_not_see('Tap')
    await user.open(f'/staff/classes/{mine.id}/roster')
    await user.should_see('Roster: Ballet 2')
    for refused in (f'/staff/classes/{mine.id}/edit', '/staff/classes/new', '/staff/classes/setup', '/staff/families'):
        await user.open(refused)
        await user.should_see('Only an administrator can do this')


async def test_an_instructor_of_no_class_is_told_so(user: User):
    await a_studio()
    await staff_member_signs_in(user, 'ines@example.com', 'Ines Instructor', 'instructor')
    await user.open('/staff/classes')
    await user.should_see('You are not the instructor of any class yet.')


async def test_the_desk_sees_every_class_with_its_seats_and_no_editor(user: User):
    studio = await a_studio()
    ballet = await a_class(studio, 'Ballet 2', capacity='2')
    await a_class(studio, 'Tap')
    made = await make_family('Ager', 'holly@example.com')
    await enrol(ballet, made.children[0], studio.term.starts_on)
    await staff_member_signs_in(user, 'desk@example.com', 'Dora Desk', 'front_desk')
    await user.open('/staff/classes')
    rows = table_rows(user)
    assert [(r['name'], r['enrolled'], r['capacity'], r['openings']) for r in rows] == [
        ('Ballet 2', 1, 2, 1),
        ('Tap', 0, 10, 10),
    ]
    assert all(row['edit_url'] == '' for row in rows)
    await user.should_not_see('Add a class')


async def test_the_list_filters_by_session_and_search(user: User):
    studio = await a_studio()
    fall = await catalogue.add_term(studio.owner, TermForm('Fall 2027', '2027-09-01', '2027-12-15', '2027-07-01T09:00'))
    await a_class(studio, 'Ballet 2')
    await a_class(studio, 'Tap')
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open(f'/staff/classes?term={fall.id}')
    await user.should_see('No classes found')
    await user.open(f'/staff/classes?term={studio.term.id}&q=tap')
    assert [row['name'] for row in table_rows(user)] == ['Tap']
    user.find(marker='search').elements.pop().value = 'ballet'
    press(user, 'Search')
    await wait_for(lambda: [row['name'] for row in table_rows(user)] == ['Ballet 2'], seconds=3)


async def test_an_instructor_signing_in_lands_on_the_days_meetings_to_take(user: User):
    await a_studio()
    await staff_member_signs_in(user, 'ines@example.com', 'Ines Instructor', 'instructor')  # signing in opens /staff
    await user.should_see(marker='no-meetings')
    await user.should_not_see('Only an administrator can do this')
