"""Parents book a date of an event for a child, several children or the family: the registration, its fee, its
log line and its email once; every refusal says why; the event's policies are agreed
to in the booking; and a date is never overbooked, however many parents tap at once."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from domain import clock
from domain.access.actors import Actor
from domain.classes import catalogue, event_booking, events
from domain.classes.catalogue import LocationForm, RoomForm
from domain.classes.event_booking import CannotRegister, DateFull
from domain.classes.events import EventTypeForm, OccurrenceForm
from domain.errors import NotFound, ValidationFailed
from domain.models import (
    Agreement,
    EventRegistration,
    LedgerEntry,
    OutboxMessage,
    Participant,
    Policy,
    PolicyVersion,
    PortalEvent,
)
from domain.registration.policies import Acceptance
from tests.domain.classes.making import family
from tests.domain.classes.studio_setup import NOON_IN_CHICAGO, TODAY

pytestmark = pytest.mark.usefixtures('database')

SEVEN_ON_THE_DAY = dt.date(2019, 6, 15)  # 7 years 5 months on Saturday 12 December 2026


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(NOON_IN_CHICAGO):  # Wednesday 2 December 2026
        yield


@pytest.fixture
async def place(admin):
    location = await catalogue.add_location(admin, LocationForm('Riverside', '1 River Road'))
    room = await catalogue.add_room(admin, location.id, RoomForm('Aerial Loft'))
    return location, room


async def workshop(admin, place, *, capacity='8', status='open', date='2026-12-12', **changes):
    """Aerial Workshops, $35 a child, two children a family, and one date of it."""
    location, room = place
    typed = dict(name='Aerial Workshops', location_id=location.id, fee='35.00', most_children='2')
    event = await events.add_event(admin, EventTypeForm(**{**typed, **changes}))
    occurrence = await events.add_occurrence(
        admin, event.id, OccurrenceForm(date, '13:00', '15:00', capacity, room.id, status)
    )
    return event, occurrence


async def refused(call) -> dict[int | None, str]:
    with pytest.raises(CannotRegister) as said:
        await call
    return {key: problem.text('en') for key, problem in said.value.problems.items()}


async def test_booking_a_child_registers_them_and_posts_the_fee_the_log_line_and_the_email_once(admin, place):
    _event, occurrence = await workshop(admin, place)
    actor, (ava,) = await family('Bestie', birthdate=SEVEN_ON_THE_DAY)
    [registration] = await event_booking.book_event(actor, occurrence.id, [ava.id])
    assert (registration.occurrence_id, registration.participant_id, registration.registered_by) == (
        occurrence.id,
        ava.id,
        'Holly Bestie',
    )
    fees = await LedgerEntry.filter(family_id=actor.family_id).values_list('description', 'amount', 'source')
    assert [(text, Decimal(str(amount)), source) for text, amount, source in fees] == [
        ('Aerial Workshops (Ava Bestie), Dec 12', Decimal('35.00'), f'event:{registration.id}')
    ]
    log = await PortalEvent.filter(kind='registered').values_list('message', flat=True)
    assert log == ['Registered for Event: Aerial Workshops - Date/Time: 12/12/2026 - Student: Ava Bestie']
    email = await OutboxMessage.get(kind='portal_enroll')
    assert email.to_address == 'bestie@example.com'
    assert 'Thank you for registering for Aerial Workshops on Sat, Dec 12, 2026, 1:00\u202fPM:\n\nAva' in (
        email.body_text
    )
    assert 'SUMMARY:Aerial Workshops · Ava' in email.calendar
    assert f'UID:registration-{registration.id}@' in email.calendar  # the UID the family's feed gives it
    assert await events.occurrence_openings(None, [occurrence.id]) == {occurrence.id: 7}

    again = await refused(event_booking.book_event(actor, occurrence.id, [ava.id]))  # a second tap
    assert again == {ava.id: 'Ava is already registered for this date'}
    assert await EventRegistration.all().count() == 1
    assert await LedgerEntry.all().count() == 1 and await OutboxMessage.filter(kind='portal_enroll').count() == 1


async def test_a_family_registers_once_with_one_fee_and_no_child_named(admin, place):
    _event, occurrence = await workshop(admin, place, name='Open House', registrant='family', fee='10.00')
    actor, (ava,) = await family('Bestie')
    [registration] = await event_booking.book_event(actor, occurrence.id, [])
    assert registration.participant_id is None
    assert await LedgerEntry.filter(family_id=actor.family_id).values_list('description', flat=True) == [
        'Open House (Bestie family), Dec 12'
    ]
    assert await PortalEvent.filter(kind='registered').values_list('message', flat=True) == [
        'Registered for Event: Open House - Date/Time: 12/12/2026'
    ]
    assert 'Your family' in (await OutboxMessage.get(kind='portal_enroll')).body_text
    assert await refused(event_booking.book_event(actor, occurrence.id, [])) == {
        None: 'Your family is already registered for this date'
    }
    with pytest.raises(NotFound):  # an event the family registers for names no child
        await event_booking.book_event(actor, occurrence.id, [ava.id])
    assert await EventRegistration.all().count() == 1


async def test_a_free_event_posts_no_fee(admin, place):
    _event, occurrence = await workshop(admin, place, fee='0')
    actor, (ava,) = await family('Bestie', birthdate=SEVEN_ON_THE_DAY)
    await event_booking.book_event(actor, occurrence.id, [ava.id])
    assert await EventRegistration.all().count() == 1 and await LedgerEntry.all().count() == 0


async def test_each_refusal_says_why_and_writes_nothing(admin, place):
    _event, five_to_seven = await workshop(admin, place, min_age_years='5', max_age_years='7')
    actor, (ava, ben, cal) = await family('Bestie', children=('Ava', 'Ben', 'Cal'), birthdate=SEVEN_ON_THE_DAY)
    await Participant.filter(id=ava.id).update(birthdate=dt.date(2015, 3, 1))
    with pytest.raises(CannotRegister) as too_old:
        await event_booking.book_event(actor, five_to_seven.id, [ava.id, ben.id, cal.id])
    problems = too_old.value.problems
    assert {key: problem.text('en') for key, problem in problems.items()} == {
        ava.id: 'Ava is 11; this event is for ages 5–7'
    }
    _event, one_a_family = await workshop(admin, place, name='Rigging', most_children='1')
    assert await refused(event_booking.book_event(actor, one_a_family.id, [ben.id, cal.id])) == {
        cal.id: 'Your family may register at most 1 child'  # Ben, chosen first, is the one who may come
    }
    _event, on_notice = await workshop(admin, place, name='Silks', status='notice')
    assert await refused(event_booking.book_event(actor, on_notice.id, [ben.id])) == {
        ben.id: 'This date is not open for booking yet'
    }
    _event, unavailable = await workshop(admin, place, name='Hoop', status='unavailable')
    assert await refused(event_booking.book_event(actor, unavailable.id, [ben.id])) == {
        ben.id: 'This date is not available'
    }
    _event, past = await workshop(admin, place, name='Trapeze', date='2026-11-28')
    assert await refused(event_booking.book_event(actor, past.id, [ben.id])) == {ben.id: 'This date has passed'}
    assert await refused(event_booking.book_event(actor, five_to_seven.id, [])) == {
        None: 'Choose the children who will come'
    }
    assert await EventRegistration.all().count() == 0 and await LedgerEntry.all().count() == 0


async def test_another_familys_child_or_a_hidden_event_is_not_found(admin, place):
    _event, occurrence = await workshop(admin, place)
    _hidden, staff_party = await workshop(admin, place, name='Staff party', shown_to_families=False)
    actor, (ava,) = await family('Bestie', birthdate=SEVEN_ON_THE_DAY)
    _other, (kim,) = await family('Gunnar', children=('Kim',), birthdate=SEVEN_ON_THE_DAY)
    with pytest.raises(NotFound):
        await event_booking.book_event(actor, occurrence.id, [kim.id])
    with pytest.raises(NotFound):
        await event_booking.book_event(actor, staff_party.id, [ava.id])
    with pytest.raises(NotFound):
        await event_booking.book_event(actor, 'not-a-date', [ava.id])
    assert await EventRegistration.all().count() == 0


async def test_the_date_and_the_events_maximum_size_are_never_passed(admin, place):
    event, first = await workshop(admin, place, capacity='2', max_size='3')
    _location, room = place
    second = await events.add_occurrence(
        admin, event.id, OccurrenceForm('2026-12-19', '13:00', '15:00', '5', room.id, 'open')
    )
    actor, (ava, ben) = await family('Bestie', children=('Ava', 'Ben'), birthdate=SEVEN_ON_THE_DAY)
    other, (kim, lea) = await family('Gunnar', children=('Kim', 'Lea'), birthdate=SEVEN_ON_THE_DAY)
    await event_booking.book_event(actor, first.id, [ava.id])
    with pytest.raises(DateFull) as one_left:
        await event_booking.book_event(other, first.id, [kim.id, lea.id])
    assert one_left.value.openings == 1
    await event_booking.book_event(other, second.id, [kim.id, lea.id])  # the event's third seat is taken
    with pytest.raises(DateFull) as none_left:
        await event_booking.book_event(actor, first.id, [ben.id])  # the date has a seat; the event has none
    assert none_left.value.openings == 0
    assert await EventRegistration.all().count() == 3 and await LedgerEntry.all().count() == 3


async def test_the_events_policies_are_agreed_to_in_the_booking_or_nothing_is_booked(admin, place):
    policy = await Policy.create(at_checkout=True)
    version = await PolicyVersion.create(
        policy=policy, version=1, title='Aerial safety', body='Hold on.', created_at=clock.now()
    )
    _event, occurrence = await workshop(admin, place, policy_ids=(policy.id,))
    actor, (ava,) = await family('Bestie', birthdate=SEVEN_ON_THE_DAY)
    [date] = (await event_booking.family_events(actor, TODAY)).dates
    assert [v.title for v in date.policies] == ['Aerial safety']
    with pytest.raises(ValidationFailed) as unsigned:
        await event_booking.book_event(actor, occurrence.id, [ava.id], {version.id: Acceptance(True, 'Someone')})
    assert unsigned.value.errors == {f'name.{version.id}': 'Type your full name, first and last, to sign'}
    with pytest.raises(ValidationFailed):
        await event_booking.book_event(actor, occurrence.id, [ava.id])
    assert await EventRegistration.all().count() == 0 and await Agreement.all().count() == 0
    await event_booking.book_event(actor, occurrence.id, [ava.id], {version.id: Acceptance(True, 'holly bestie')})
    assert await EventRegistration.all().count() == 1
    assert await Agreement.filter(family_id=actor.family_id).values_list('policy_version_id', flat=True) == [version.id]
    [date] = (await event_booking.family_events(actor, TODAY)).dates
    assert date.policies == []  # agreed: not asked again


async def test_ten_parents_at_once_for_three_seats_register_exactly_three(admin, place):
    _event, occurrence = await workshop(admin, place, capacity='3')
    parents = [await family(f'Family{number}', birthdate=SEVEN_ON_THE_DAY) for number in range(10)]

    async def try_to_book(actor: Actor, child: Participant) -> str:
        try:
            await event_booking.book_event(actor, occurrence.id, [child.id])
        except DateFull:
            return 'full'
        return 'registered'

    outcomes = await asyncio.gather(*(try_to_book(actor, children[0]) for actor, children in parents))
    assert outcomes.count('registered') == 3 and outcomes.count('full') == 7
    registered = set(await EventRegistration.filter(occurrence_id=occurrence.id).values_list('family_id', flat=True))
    charged = set(await LedgerEntry.all().values_list('family_id', flat=True))
    assert charged == registered and len(registered) == 3  # the ledger matches: one fee each
    assert await events.occurrence_openings(None, [occurrence.id]) == {occurrence.id: 0}


async def test_the_families_events_say_for_each_child_whether_they_may_come_and_why_not(admin, place):
    _event, open_date = await workshop(admin, place, min_age_years='5', max_age_years='7')
    _event, on_notice = await workshop(admin, place, name='Silks', status='notice', date='2026-12-19')
    _event, family_date = await workshop(admin, place, name='Open House', registrant='family', date='2026-12-13')
    actor, (ava, ben) = await family('Bestie', children=('Ava', 'Ben'), birthdate=SEVEN_ON_THE_DAY)
    await Participant.filter(id=ava.id).update(birthdate=dt.date(2015, 3, 1))
    await event_booking.book_event(actor, family_date.id, [])
    await event_booking.book_event(actor, open_date.id, [ben.id])
    listing = await event_booking.family_events(actor, TODAY)
    first, family_one, notice = listing.dates
    assert [d.line.occurrence.id for d in listing.dates] == [open_date.id, family_date.id, on_notice.id]
    assert [(c.first_name, c.registered, c.problem.text('en') if c.problem else None) for c in first.children] == [
        ('Ava', False, 'Ava is 11; this event is for ages 5–7'),
        ('Ben', True, 'Ben is already registered for this date'),
    ]
    assert (first.fee, first.openings, first.can_book) == (Decimal('35.00'), 7, False)
    assert family_one.for_family and family_one.family_registered and not family_one.can_book
    assert notice.date_problem.text('en') == 'This date is not open for booking yet' and not notice.can_book
