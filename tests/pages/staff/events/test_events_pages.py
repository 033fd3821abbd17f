"""The staff's events: the list shows each event's upcoming dates with their seats; an administrator adds an event
and a date through their forms, a mistake said beside its field with nothing saved; a date's roster shows who
comes, and cancelling one frees the seat and says so in the log; instructors open none of it."""

import datetime as dt
from decimal import Decimal

from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from domain.access.actors import StaffActor
from domain.classes import catalogue, events
from domain.classes.catalogue import LocationForm, RoomForm
from domain.classes.events import EventTypeForm, OccurrenceForm
from domain.models import (
    Contact,
    EventOccurrence,
    EventRegistration,
    EventType,
    Location,
    Participant,
    PortalEvent,
    Room,
)
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from tests.factories import make_family, make_staff
from tests.pages.helpers import press, table_rows, wait_for
from tests.pages.staff.classes.steps import staff_member_signs_in


def field(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


async def a_studio() -> tuple[StaffActor, Location, Room]:
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    owner = StaffActor(made.id, made.name, made.email, made.role)
    location = await catalogue.add_location(owner, LocationForm('Main Street', '12 Main Street'))
    return owner, location, await catalogue.add_room(owner, location.id, RoomForm('Studio A'))


def days_from_today(days: int) -> dt.date:
    return settings.today() + dt.timedelta(days=days)


async def an_event_on(owner: StaffActor, room: Room, name: str, on: dt.date) -> tuple[EventType, EventOccurrence]:
    event = await events.add_event(owner, EventTypeForm(name, room.location_id, '35.00', most_children='2'))
    occurrence = await events.add_occurrence(
        owner, event.id, OccurrenceForm(on.isoformat(), '10:00', '12:00', '3', room.id)
    )
    return event, occurrence


async def register(occurrence: EventOccurrence, family_id: int, child: Participant) -> EventRegistration:
    async with UnitOfWork() as uow:
        return await events.register_in(uow, occurrence, family_id, child.id, 'Holly Ager')


async def test_the_list_shows_each_events_upcoming_dates_with_their_seats(user: User):
    owner, location, room = await a_studio()
    aerial, coming = await an_event_on(owner, room, 'Aerial Workshops', days_from_today(10))
    await events.add_occurrence(owner, aerial.id, OccurrenceForm(days_from_today(-3), '10:00', '12:00', '3'))
    await events.add_event(owner, EventTypeForm('Open House', location.id, '0'))
    made = await make_family('Ager', 'holly@example.com', children=('Ava',))
    await register(coming, made.family.id, made.children[0])
    await staff_member_signs_in(user, 'desk@example.com', 'Dora Desk', 'front_desk')
    await user.open('/staff/events')
    rows = table_rows(user)  # the date that has passed is not among them
    assert [(r['event'], r['date'], r.get('registered'), r.get('capacity'), r.get('openings')) for r in rows] == [
        ('Aerial Workshops', f'{coming.date:%b} {coming.date.day}, {coming.date.year}', 1, 3, 2),
        ('Open House', 'No upcoming dates', None, None, None),
    ]
    assert (rows[0]['status'], rows[0]['place'], rows[0]['time']) == (
        'Open',
        'Main Street · Studio A',
        '10:00\u202fAM–12:00\u202fPM',
    )
    assert rows[0]['roster_url'] == f'/staff/events/dates/{coming.id}'
    assert all(row['edit_url'] == '' for row in rows)  # the desk does not edit events
    await user.should_not_see('Add an event')


async def test_an_administrator_adds_an_event_and_then_a_date(user: User):
    _owner, location, room = await a_studio()
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open('/staff/events')
    press(user, 'Add an event')
    await user.should_see('Its dates are added once the event is.', retries=30)
    user.find(marker='name').type('Aerial Workshops')
    field(user, 'location').value = location.id
    user.find(marker='fee').type('35.50')
    field(user, 'most_children').value = '2'
    user.find(marker='min_age_years').type('6')
    user.find(marker='max_age_years').type('12')
    user.find(marker='max_size').type('20')
    press(user, 'Add the event')
    await user.should_see('Add a date', retries=30)

    event = await EventType.get(name='Aerial Workshops')
    assert (event.fee, event.most_children, event.min_age_months, event.max_age_months, event.max_size) == (
        Decimal('35.50'),
        2,
        72,
        144,
        20,
    )
    on = days_from_today(14)
    field(user, 'date').value = on.isoformat()
    field(user, 'start_time').value = '17:30'
    field(user, 'end_time').value = '19:00'
    field(user, 'room').value = room.id
    field(user, 'capacity').value = '8'
    press(user, 'Add the date')
    await user.should_see(marker='dates', retries=30)
    occurrence = await EventOccurrence.get(event_id=event.id)
    assert (occurrence.date, occurrence.start_minute, occurrence.room_id, occurrence.capacity) == (on, 1050, room.id, 8)
    [row] = table_rows(user)
    assert (row['registered'], row['capacity'], row['openings'], row['status']) == (0, 8, 8, 'Open')

    user.find(marker='dates').trigger('rowClick', [{}, row, 0])  # the row tapped: its date in the form
    assert field(user, 'capacity').value == '8'
    field(user, 'capacity').value = '10'
    field(user, 'status').value = 'notice'
    press(user, 'Save the date')
    await wait_for(lambda: [row['status'] for row in table_rows(user)] == ['Notice: shown, not bookable'], 3)
    changed = await EventOccurrence.get(id=occurrence.id)
    assert (changed.capacity, changed.status) == (10, 'notice')
    assert await EventOccurrence.filter(event_id=event.id).count() == 1


async def test_a_mistake_is_said_beside_its_field_and_nothing_is_saved(user: User):
    owner, location, room = await a_studio()
    await staff_member_signs_in(user, 'admin@example.com', 'Ada Admin', 'admin')
    await user.open('/staff/events/new')
    user.find(marker='name').type('Aerial Workshops')
    field(user, 'location').value = location.id
    user.find(marker='fee').type('35.005')
    user.find(marker='min_age_years').type('9')
    user.find(marker='max_age_years').type('5')
    press(user, 'Add the event')
    await user.should_see('Not saved: Use at most two decimals', retries=30)
    assert field(user, 'fee').error == 'Use at most two decimals'
    assert field(user, 'max_age_years').error == 'The oldest age is below the youngest'
    assert field(user, 'name').error is None
    assert not await EventType.exists()

    event, _occurrence = await an_event_on(owner, room, 'Open House', days_from_today(5))
    await user.open(f'/staff/events/{event.id}')
    field(user, 'date').value = days_from_today(9).isoformat()
    field(user, 'start_time').value = '18:00'
    field(user, 'end_time').value = '17:00'
    field(user, 'capacity').value = '10'
    press(user, 'Add the date')
    await user.should_see('Not saved: An event must end after it starts', retries=30)
    assert field(user, 'end_time').error == 'An event must end after it starts'
    assert field(user, 'date').error is None
    assert await EventOccurrence.filter(event_id=event.id).count() == 1


async def test_the_roster_lists_a_child_and_cancelling_frees_the_seat_with_a_log_line(user: User):
    owner, _location, room = await a_studio()
    _event, occurrence = await an_event_on(owner, room, 'Aerial Workshops', days_from_today(10))
    made = await make_family('Ager', 'holly@example.com', children=('Ava',))
    [ava] = made.children
    await Participant.filter(id=ava.id).update(allergies='Peanuts')
    await Contact.filter(id=made.parent.id).update(mobile_phone='+13125550101')
    registration = await register(occurrence, made.family.id, ava)
    await staff_member_signs_in(user, 'desk@example.com', 'Dora Desk', 'front_desk')
    await user.open(f'/staff/events/dates/{occurrence.id}')
    await user.should_see('Roster: Aerial Workshops')
    await user.should_see('Registered: 1 / 3')
    [row] = table_rows(user)
    assert (row['name'], row['family'], row['allergy'], row['allergy_text']) == ('Ava Ager', 'Ager', True, 'Peanuts')
    assert row['phones'] == [{'contact': 'Holly Ager (primary)', 'number': '+13125550101', 'shown': '+1 312-555-0101'}]
    assert row['registered'].startswith('Holly Ager, ')

    user.find(marker='roster').trigger('cancel', row)  # its Cancel registration button
    await user.should_see('Cancel the registration of Ava Ager for this date? Their seat is freed at once.')
    dialog = user.find(marker=f'cancel-{registration.id}').elements.pop()
    buttons = {b for b in dialog.descendants() if getattr(b, 'text', None) == 'Cancel registration'}
    UserInteraction(user, buttons, 'Cancel registration').click()
    await user.should_see('No one is registered for this date.', retries=30)
    await user.should_see('Openings: 3')
    assert (await EventRegistration.get(id=registration.id)).cancelled_at is not None
    line = await PortalEvent.get(kind='event_registration_cancelled')
    assert line.message.endswith('- Ava Ager by Dora Desk')


async def test_an_instructor_opens_none_of_the_events_pages(user: User):
    owner, _location, room = await a_studio()
    event, occurrence = await an_event_on(owner, room, 'Aerial Workshops', days_from_today(10))
    await staff_member_signs_in(user, 'ines@example.com', 'Ines Instructor', 'instructor')
    for refused in ('/staff/events', f'/staff/events/dates/{occurrence.id}', f'/staff/events/{event.id}'):
        await user.open(refused)
        await user.should_see('Only an administrator can do this')
        await user.should_not_see('Aerial Workshops')
