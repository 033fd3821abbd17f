"""An administrator sets up what classes are built from: locations and rooms, sessions opening on the studio's
clock, categories under their parents, closed dates; a mistake is said beside its field; a tapped row is
changed in place."""

import datetime as dt

from nicegui.testing import User

from domain.models import Category, Closure, Location, Room, Term
from tests.pages.helpers import wait_for
from tests.pages.staff.classes.steps import a_studio, staff_member_signs_in


def field(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


def rows_of(user: User, marker: str) -> list[dict]:
    return user.find(marker=marker).elements.pop().rows


def save(user: User, form: str) -> None:
    user.find(marker=f'{form}-save').click()


async def test_locations_rooms_sessions_categories_and_closures_are_added(user: User):
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open('/staff/classes/setup')
    user.find(marker='location-name').type('Riverside')
    save(user, 'location-form')
    await user.should_see(marker='locations', retries=30)
    riverside = await Location.get(name='Riverside')
    field(user, 'room-location').value = riverside.id
    user.find(marker='room-name').type('Pool')
    save(user, 'room-form')
    await user.should_see(marker='rooms', retries=30)
    assert await Room.filter(location_id=riverside.id, name='Pool').exists()

    user.find(marker='term-name').type('Fall 2027')
    field(user, 'term-starts_on').value = '2027-09-01'
    field(user, 'term-ends_on').value = '2027-12-15'
    field(user, 'term-registration_opens_at').value = '2027-07-01T09:00'
    user.find(marker='term-hidden').click()
    save(user, 'term-form')
    await user.should_see(marker='terms', retries=30)
    term = await Term.get(name='Fall 2027')
    assert term.registration_opens_at == dt.datetime(2027, 7, 1, 14, 0, tzinfo=dt.UTC)  # 9:00 in Chicago
    assert term.hidden_from_families
    assert rows_of(user, 'terms')[0]['hidden'] == 'Hidden'

    user.find(marker='category-name').type('Dance')
    save(user, 'category-form')
    await user.should_see(marker='categories', retries=30)
    dance = await Category.get(name='Dance')
    user.find(marker='category-name').type('Ballet')
    field(user, 'category-parent').value = dance.id
    save(user, 'category-form')
    await wait_for(lambda: len(rows_of(user, 'categories')) == 2, seconds=3)
    assert [row['path'] for row in rows_of(user, 'categories')] == ['Dance', 'Dance › Ballet']

    field(user, 'closure-date').value = '2027-11-25'
    user.find(marker='closure-reason').type('Thanksgiving')
    save(user, 'closure-form')
    await user.should_see(marker='closures', retries=30)
    assert (await Closure.get(reason='Thanksgiving')).date == dt.date(2027, 11, 25)


async def test_a_session_ending_before_it_starts_is_said_beside_the_last_day(user: User):
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open('/staff/classes/setup')
    user.find(marker='term-name').type('Fall 2027')
    field(user, 'term-starts_on').value = '2027-09-01'
    field(user, 'term-ends_on').value = '2027-08-01'
    field(user, 'term-registration_opens_at').value = '2027-07-01T09:00'
    save(user, 'term-form')
    await user.should_see('This ends before it starts', retries=30)
    assert field(user, 'term-ends_on').error == 'This ends before it starts'
    assert not await Term.exists()


async def test_a_tapped_session_is_changed_with_its_opening_shown_on_the_studios_clock(user: User):
    studio = await a_studio()
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open('/staff/classes/setup')
    [row] = rows_of(user, 'terms')
    user.find(marker='terms').trigger('rowClick', [{}, row, 0])  # the row tapped
    assert field(user, 'term-registration_opens_at').value == '2026-12-01T09:00'
    await user.should_see('Change: Spring 2027')
    field(user, 'term-name').value = 'Spring 2027 (full)'
    save(user, 'term-form')
    await wait_for(lambda: rows_of(user, 'terms')[0]['name'] == 'Spring 2027 (full)', seconds=3)
    stored = await Term.get(id=studio.term.id)
    assert (stored.name, stored.registration_opens_at) == (
        'Spring 2027 (full)',
        dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC),  # unchanged: 9:00 in Chicago, CST
    )
