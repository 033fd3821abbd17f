"""Events staff set up: each mistake said beside its field with nothing written, one staff-audit entry per change;
seats counted by one rule (a date's capacity and its event's maximum size, less registrations and live holds);
why a child or family cannot register; the roster of a date; staff cancelling a registration."""

import datetime as dt

import pytest

from domain import clock
from domain.access.actors import PermissionDenied, StaffActor
from domain.classes import catalogue, events
from domain.classes.catalogue import LocationForm, RoomForm
from domain.classes.events import EventTypeForm, OccurrenceForm
from domain.errors import NotFound, ValidationFailed
from domain.models import (
    Checkout,
    Contact,
    EventOccurrence,
    EventRegistration,
    EventType,
    OccurrenceStatus,
    Participant,
    PortalEvent,
    SeatHold,
    StaffAuditEntry,
)
from domain.registration import policies
from domain.registration.policies import PolicyForm
from domain.unit_of_work import UnitOfWork
from tests.factories import make_family, make_staff

pytestmark = pytest.mark.usefixtures('database')

NOW = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
async def place(admin):
    location = await catalogue.add_location(admin, LocationForm('Main Street'))
    room = await catalogue.add_room(admin, location.id, RoomForm('Studio A'))
    return location, room


def event_form(place, **changes) -> EventTypeForm:
    location, _room = place
    typed = dict(name='Aerial Workshops', location_id=location.id, fee='35.00', most_children='2')
    return EventTypeForm(**{**typed, **changes})


def date_form(place, **changes) -> OccurrenceForm:
    _location, room = place
    typed = dict(date='2026-12-12', start_time='10:00', end_time='12:00', capacity='3', room_id=room.id)
    return OccurrenceForm(**{**typed, **changes})


async def refused(call) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as failed:
        await call
    return failed.value.errors


async def register(occurrence, family, child=None) -> EventRegistration:
    async with UnitOfWork() as uow:
        return await events.register_in(uow, occurrence, family.id, child.id if child else None, 'Holly')


async def hold(occurrence, family, *, expires_at, closed_at=None) -> None:
    checkout = await Checkout.create(
        family=family, contact_id=1, opened_at=NOW, expires_at=expires_at, closed_at=closed_at
    )
    await SeatHold.create(checkout=checkout, occurrence=occurrence)


async def test_an_event_with_every_mistake_is_refused_field_by_field_and_nothing_is_written(admin, place):
    errors = await refused(
        events.add_event(
            admin,
            event_form(
                place,
                name=' ',
                fee='35.005',
                most_children='0',
                min_age_years='9',
                max_age_years='5',
                age_cutoff='12/12/2026',
                max_size='none',
                location_id=None,
                policy_ids=(999,),
            ),
        )
    )
    assert errors == {
        'name': 'This field is required',
        'fee': 'Use at most two decimals',
        'most_children': 'This number is out of range',
        'max_age_years': 'The oldest age is below the youngest',
        'age_cutoff': 'Enter the date as year-month-day',
        'max_size': 'Enter a whole number',
        'location_id': 'Choose one of the options',
        'policy_ids': 'Choose one of the options',
    }
    assert not await EventType.exists() and not await StaffAuditEntry.filter(action='event_added').exists()


async def test_children_registering_need_a_most_per_family_and_a_family_registration_does_not(admin, place):
    assert await refused(events.add_event(admin, event_form(place, most_children=''))) == {
        'most_children': 'This field is required'
    }
    family_event = await events.add_event(admin, event_form(place, registrant='family', most_children=''))
    assert (await EventType.get(id=family_event.id)).most_children == 1


async def test_adding_and_editing_an_event_leave_one_audit_entry_each_with_what_changed(admin, place):
    waiver = await policies.add_policy(admin, PolicyForm('Aerial waiver', 'Words.'))
    event = await events.add_event(
        admin, event_form(place, min_age_years='5', max_age_years='7', policy_ids=(waiver.policy_id,))
    )
    stored = await EventType.get(id=event.id)
    assert (stored.fee, stored.min_age_months, stored.max_age_months) == (35, 60, 84)
    await events.edit_event(admin, event.id, event_form(place, fee='40', max_size='20'))
    added, edited = await StaffAuditEntry.filter(target='Event: Aerial Workshops').order_by('id')
    assert added.action == 'event_added' and added.new_values['policy_ids'] == [waiver.policy_id]
    assert edited.action == 'event_edited'
    assert edited.old_values == {'fee': '35.00', 'min_age_months': 60, 'max_age_months': 84, 'max_size': None,
                                 'policy_ids': [waiver.policy_id]}  # fmt: skip
    assert edited.new_values == {'fee': '40.00', 'min_age_months': None, 'max_age_months': None, 'max_size': 20,
                                 'policy_ids': []}  # fmt: skip
    await events.edit_event(admin, event.id, event_form(place, fee='40', max_size='20'))
    assert await StaffAuditEntry.filter(action='event_edited').count() == 1  # nothing changed: no entry


async def test_a_date_ending_before_it_starts_in_another_locations_room_is_refused(admin, place):
    event = await events.add_event(admin, event_form(place))
    pool = await catalogue.add_room(admin, (await catalogue.add_location(admin, LocationForm('Riverside'))).id,
                                    RoomForm('Pool'))  # fmt: skip
    errors = await refused(
        events.add_occurrence(
            admin,
            event.id,
            date_form(place, date='', start_time='12:00', end_time='11:00', capacity='0', room_id=pool.id, status='x'),
        )
    )
    assert errors == {
        'date': 'This field is required',
        'end_time': 'An event must end after it starts',
        'capacity': 'This number is out of range',
        'room_id': 'Choose a room of this location',
        'status': 'Choose one of the options',
    }
    assert not await EventOccurrence.exists() and not await StaffAuditEntry.filter(action='occurrence_added').exists()


async def test_capacity_or_maximum_size_below_those_registered_is_refused_beside_it(admin, place):
    event = await events.add_event(admin, event_form(place))
    occurrence = await events.add_occurrence(admin, event.id, date_form(place))
    made = await make_family('Ager', 'holly@example.com', children=('Ava', 'Ben'))
    for child in made.children:
        await register(occurrence, made.family, child)
    assert await refused(events.edit_occurrence(admin, occurrence.id, date_form(place, capacity='1'))) == {
        'capacity': 'This is fewer places than already registered'
    }
    assert await refused(events.edit_event(admin, event.id, event_form(place, max_size='1'))) == {
        'max_size': 'This is fewer places than already registered'
    }
    assert (await EventOccurrence.get(id=occurrence.id)).capacity == 3
    assert (await EventType.get(id=event.id)).max_size is None
    await events.edit_occurrence(admin, occurrence.id, date_form(place, capacity='2', status='notice'))
    entry = await StaffAuditEntry.get(action='occurrence_edited')
    assert entry.target == 'Event: Aerial Workshops - Date/Time: 12/12/2026 10:00'
    assert (entry.old_values, entry.new_values) == (
        {'capacity': 3, 'status': 'open'},
        {'capacity': 2, 'status': 'notice'},
    )


async def test_only_an_administrator_sets_events_up(place):
    made = await make_staff('desk@example.com', 'Dee Desk', 'front_desk')
    desk = StaffActor(made.id, made.name, made.email, made.role)
    with pytest.raises(PermissionDenied):
        await events.add_event(desk, event_form(place))


async def test_openings_count_registrations_and_live_holds_and_stop_at_the_events_maximum_size(admin, place):
    event = await events.add_event(admin, event_form(place, max_size='5'))
    first = await events.add_occurrence(admin, event.id, date_form(place, capacity='4'))
    second = await events.add_occurrence(admin, event.id, date_form(place, date='2026-12-13', capacity='4'))
    other_event = await events.add_event(admin, event_form(place, name='Open House'))
    elsewhere = await events.add_occurrence(admin, other_event.id, date_form(place, capacity='10'))
    made = await make_family('Ager', 'holly@example.com', children=('Ava', 'Ben', 'Cal'))
    ava, ben, cal = made.children
    with clock.pinned(NOW):
        await register(first, made.family, ava)
        cancelled = await register(first, made.family, ben)
        await EventRegistration.filter(id=cancelled.id).update(cancelled_at=NOW)  # frees its seat
        await hold(first, made.family, expires_at=NOW + dt.timedelta(minutes=10))  # live: counts
        await hold(first, made.family, expires_at=NOW - dt.timedelta(minutes=1))  # run out
        await hold(first, made.family, expires_at=NOW + dt.timedelta(minutes=10), closed_at=NOW)  # let go
        await register(elsewhere, made.family, cal)  # another event's seats are not this one's
        assert await events.occurrence_openings(None, [first.id, second.id, elsewhere.id]) == {
            first.id: 2,  # 4 less Ava and one hold
            second.id: 3,  # 4, but the event's 5 less the 2 used on the 12th
            elsewhere.id: 9,
        }
        await register(second, made.family, ben)
        await register(second, made.family, cal)
        await register(second, made.family, ava)
        assert await events.occurrence_openings(None, [first.id, second.id]) == {first.id: 0, second.id: 0}
    with clock.pinned(NOW + dt.timedelta(minutes=11)):
        seats = (await events.seat_counts(None, [first.id]))[first.id]
    assert (seats.capacity, seats.registered, seats.held, seats.openings) == (
        4,
        1,
        0,
        1,
    )  # the hold ran out: the 5th seat is free


def dated(status=OccurrenceStatus.OPEN, day=dt.date(2026, 12, 12)) -> EventOccurrence:
    return EventOccurrence(date=day, start_minute=600, end_minute=720, capacity=5, status=status)


def child(birthdate=dt.date(2019, 6, 15), name='Ava') -> Participant:
    return Participant(id=7, first_name=name, last_name='Ager', birthdate=birthdate)


def workshop(**changes) -> EventType:
    typed = dict(name='Aerial Workshops', fee=35, registrant='children', most_children=2)
    return EventType(**{**typed, **changes})


def problem(event, occurrence, participant, registered=0, **extra) -> str | None:
    found = events.event_problem(
        event, occurrence, participant, family_registrations_for_this_occurrence=registered, today=TODAY, **extra
    )
    return found.text('en') if found else None


def test_why_a_child_or_a_family_cannot_register():
    five_to_seven = workshop(min_age_months=60, max_age_months=84)
    assert problem(five_to_seven, dated(), child()) is None  # 7 on the 12th: "5–7" takes her
    assert problem(five_to_seven, dated(), child(dt.date(2015, 3, 1))) == 'Ava is 11; this event is for ages 5–7'
    assert problem(workshop(min_age_months=96), dated(), child()) == 'Ava is 7; this event is for ages 8 and up'
    assert problem(workshop(max_age_months=66), dated(), child()) == (
        'Ava is 7 years 5 months; this event is for ages up to 5 years 6 months'
    )
    cut_off = workshop(min_age_months=90, age_cutoff=dt.date(2027, 1, 1))  # 7 years 6 months by New Year
    assert problem(cut_off, dated(), child()) is None
    assert (
        problem(five_to_seven, dated(), child(None)) == "Add Ava's birthdate to register for an event with age limits"
    )
    assert problem(workshop(), dated(day=dt.date(2026, 12, 1)), child()) == 'This date has passed'
    assert problem(workshop(), dated(OccurrenceStatus.NOTICE), child()) == 'This date is not open for booking yet'
    assert problem(workshop(), dated(OccurrenceStatus.UNAVAILABLE), child()) == 'This date is not available'
    assert problem(workshop(), dated(), child(), 1, child_registered=True) == 'Ava is already registered for this date'
    assert problem(workshop(), dated(), child(), 2) == 'Your family may register at most 2 children'
    assert problem(workshop(most_children=1), dated(), child(), 1) == 'Your family may register at most 1 child'
    assert problem(workshop(), dated(), None) == 'Choose the children who will come'
    family = workshop(registrant='family', min_age_months=60)
    assert problem(family, dated(), None) is None
    assert problem(family, dated(), None, 1) == 'Your family is already registered for this date'


async def test_families_see_only_events_shown_to_them_and_no_unavailable_date(admin, place):
    event = await events.add_event(admin, event_form(place))
    hidden = await events.add_event(admin, event_form(place, name='Staff party', shown_to_families=False))
    later = await events.add_occurrence(admin, event.id, date_form(place, date='2026-12-20'))
    notice = await events.add_occurrence(admin, event.id, date_form(place, status='notice'))
    await events.add_occurrence(admin, event.id, date_form(place, date='2026-12-14', status='unavailable'))
    await events.add_occurrence(admin, event.id, date_form(place, date='2026-11-30'))  # before from_date
    await events.add_occurrence(admin, hidden.id, date_form(place))
    shown = await events.events_by_date(True, TODAY)
    assert [(line.occurrence.id, line.bookable) for line in shown] == [(notice.id, False), (later.id, True)]
    assert shown[1].openings == 3 and shown[1].room.name == 'Studio A'
    assert len(await events.events_by_date(False, TODAY)) == 4


async def test_the_roster_shows_each_registration_with_ages_health_flags_and_phones(admin, place):
    event = await events.add_event(admin, event_form(place, registrant='children'))
    occurrence = await events.add_occurrence(admin, event.id, date_form(place))
    made = await make_family('Ager', 'holly@example.com', children=('Ava', 'Ben'))
    ava, ben = made.children
    await Participant.filter(id=ava.id).update(allergies='Peanuts', birthdate=dt.date(2019, 6, 15))
    await Contact.filter(id=made.parent.id).update(mobile_phone='+13125550123')
    await register(occurrence, made.family, ava)
    cancelled = await register(occurrence, made.family, ben)
    await EventRegistration.filter(id=cancelled.id).update(cancelled_at=NOW)
    roster = await events.occurrence_roster(admin, occurrence.id)
    [entry] = roster.entries
    assert (entry.child, entry.age, entry.family_name, entry.has_allergies, entry.has_medical_notes) == (
        'Ava Ager',
        (7, 5),
        'Ager',
        True,
        False,
    )
    assert [(phone.mobile, phone.primary) for phone in entry.phones] == [('+13125550123', True)]
    assert (roster.line.seats.registered, roster.line.openings) == (1, 2)
    teacher = await make_staff('teacher@example.com', 'Tia Teacher', 'instructor')
    with pytest.raises(PermissionDenied):
        await events.occurrence_roster(StaffActor(teacher.id, teacher.name, teacher.email, teacher.role), occurrence.id)


async def test_staff_cancelling_a_registration_free_its_seat_with_a_log_line_and_an_audit_entry(admin, place):
    event = await events.add_event(admin, event_form(place))
    occurrence = await events.add_occurrence(admin, event.id, date_form(place, capacity='1'))
    made = await make_family('Ager', 'holly@example.com', children=('Ava',))
    registration = await register(occurrence, made.family, made.children[0])
    assert await events.occurrence_openings(None, [occurrence.id]) == {occurrence.id: 0}
    await events.cancel_registration_by_staff(admin, registration.id)
    assert await events.occurrence_openings(None, [occurrence.id]) == {occurrence.id: 1}
    assert (await EventRegistration.get(id=registration.id)).cancelled_at is not None
    line = await PortalEvent.get(kind='event_registration_cancelled')
    assert line.message == (
        'Registration cancelled for Event: Aerial Workshops - Date/Time: 12/12/2026 10:00 - Ava Ager by Olga Owner'
    )
    entry = await StaffAuditEntry.get(action='event_registration_cancelled')
    assert entry.family_id == made.family.id
    with pytest.raises(NotFound):  # twice: nothing more to cancel, and no second entry
        await events.cancel_registration_by_staff(admin, registration.id)
    assert await StaffAuditEntry.filter(action='event_registration_cancelled').count() == 1


async def test_moving_an_event_whose_dates_have_rooms_here_is_refused_until_their_rooms_move(admin, place):
    event = await events.add_event(admin, event_form(place))
    await events.add_occurrence(admin, event.id, date_form(place))  # in Studio A, Main Street
    riverside = await catalogue.add_location(admin, LocationForm('Riverside'))
    errors = await refused(events.edit_event(admin, event.id, event_form(place, location_id=riverside.id)))
    assert errors == {
        'location_id': "Some of this event's dates are in rooms of its present location: change their rooms first"
    }
    assert (await EventType.get(id=event.id)).location_id == place[0].id

    occurrence = await EventOccurrence.get(event_id=event.id)
    await events.edit_occurrence(admin, occurrence.id, date_form(place, room_id=None))  # the date without a room
    await events.edit_event(admin, event.id, event_form(place, location_id=riverside.id))
    assert (await EventType.get(id=event.id)).location_id == riverside.id
