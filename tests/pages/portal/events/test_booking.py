"""The Events screen: a parent sees the studio's dates by day with what they need to choose one, each child who
cannot come with the reason, and registers a child (or several, signing the event's policy) after seeing what
it costs; a full date or one on notice offers no booking."""

import datetime as dt

import pytest
from nicegui import ui
from nicegui.testing import User

from domain import clock
from domain.access.actors import StaffActor
from domain.classes import events
from domain.classes.events import EventTypeForm, OccurrenceForm
from domain.models import EventRegistration, LedgerEntry, Policy, PolicyVersion
from tests.domain.classes.studio_setup import NOON_IN_CHICAGO, make_studio, register
from tests.factories import make_family, make_staff
from tests.pages.helpers import press, sign_in

SEVEN_ON_THE_DAY = dt.date(2019, 6, 15)  # 7 years 5 months on Saturday 12 December 2026


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(NOON_IN_CHICAGO):  # Wednesday 2 December 2026
        yield


@pytest.fixture
async def studio():
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    return await make_studio(StaffActor(made.id, made.name, made.email, made.role))


async def workshop(studio, *, date='2026-12-12', capacity='8', status='open', **changes):
    typed = dict(
        name='Aerial Workshops', location_id=studio.location.id, fee='35.00', most_children='2', min_age_years='5'
    )
    typed['max_age_years'] = '9'
    event = await events.add_event(studio.admin, EventTypeForm(**{**typed, **changes}))
    return await events.add_occurrence(
        studio.admin, event.id, OccurrenceForm(date, '13:00', '15:00', capacity, studio.room.id, status)
    )


async def family_with(*children: tuple[str, dt.date]):
    made = await make_family('Ager', 'holly@example.com', children=tuple(name for name, _ in children))
    for child, (_, born) in zip(made.children, children, strict=True):
        child.birthdate = born
        await child.save()
    return made


def card_texts(user: User) -> dict[str, str]:
    return {
        card.props['aria-label']: card.default_slot.children[0].content
        for card in user.find(marker='event-card').elements
    }


def buttons(user: User) -> list[str]:
    return [button.text for button in user.find(kind=ui.button).elements]


async def test_the_dates_show_by_day_with_time_place_ages_fee_and_openings(user: User, studio):
    await workshop(studio)
    await workshop(studio, name='Open House', registrant='family', fee='0', date='2026-12-19')
    await workshop(studio, name='Silks', date='2026-12-19', status='notice')
    await family_with(('Ava', SEVEN_ON_THE_DAY))
    await sign_in(user)
    await user.open('/portal/events')
    days = [label.text for label in sorted(user.find(marker='event-day').elements, key=lambda e: e.id)]  # page order
    assert days == ['Saturday, December 12, 2026', 'Saturday, December 19, 2026']
    texts = card_texts(user)
    aerial = texts['Aerial Workshops']
    assert '1:00\u202fPM–3:00\u202fPM' in aerial and 'Main Street · Studio A' in aerial
    assert 'Ages 5–9' in aerial and '$35.00 a child' in aerial and '8 places left' in aerial
    assert 'Free' in texts['Open House'] and 'Ages' not in texts['Open House']
    assert 'This date is not open for booking yet' in texts['Silks']
    assert buttons(user).count('Register Ava') == 1 and buttons(user).count('Register') == 1  # not Silks


async def test_a_child_registers_after_seeing_what_it_costs(user: User, studio):
    occurrence = await workshop(studio)
    made = await family_with(('Ava', SEVEN_ON_THE_DAY))
    await sign_in(user)
    await user.open('/portal/events')
    press(user, 'Register Ava')
    await user.should_see('Confirm your registration')
    assert user.find(marker='confirmation-total').elements.pop().text == '$35.00'
    assert await EventRegistration.all().count() == 0  # nothing is booked before the parent confirms
    press(user, 'Register')
    await user.should_see('Registered!')
    await user.should_see('See my schedule')
    [registration] = await EventRegistration.all()
    assert (registration.occurrence_id, registration.participant_id) == (occurrence.id, made.children[0].id)
    await user.open('/portal/events')
    assert 'Ava: registered' in card_texts(user)['Aerial Workshops']
    assert 'Register Ava' not in buttons(user)


async def test_a_child_who_cannot_come_sees_why_and_the_other_may_register(user: User, studio):
    await workshop(studio)
    await family_with(('Ava', dt.date(2015, 3, 1)), ('Ben', SEVEN_ON_THE_DAY))
    await sign_in(user)
    await user.open('/portal/events')
    assert 'Ava: Ava is 11; this event is for ages 5–9' in card_texts(user)['Aerial Workshops']
    assert 'Register Ben' in buttons(user) and 'Register Ava' not in buttons(user)


async def test_a_full_date_says_so_and_offers_no_booking(user: User, studio):
    occurrence = await workshop(studio, capacity='1')
    other = await make_family('Bestie', 'bonnie@example.com', children=('Bo',))
    await register(occurrence, other.family.id, other.children[0])
    await family_with(('Ava', SEVEN_ON_THE_DAY))
    await sign_in(user)
    await user.open('/portal/events')
    assert 'Full' in card_texts(user)['Aerial Workshops']
    assert not [text for text in buttons(user) if text.startswith('Register')]


async def test_two_children_register_together_once_the_events_policy_is_signed(user: User, studio):
    policy = await Policy.create(at_checkout=True)
    version = await PolicyVersion.create(
        policy=policy, version=1, title='Aerial safety', body='Hold on.', created_at=clock.now()
    )
    occurrence = await workshop(studio, policy_ids=(policy.id,))
    made = await family_with(('Ava', SEVEN_ON_THE_DAY), ('Ben', SEVEN_ON_THE_DAY))
    ava, ben = made.children
    await sign_in(user)
    await user.open('/portal/events')
    user.find(marker=f'come-{occurrence.id}-{ava.id}').elements.pop().set_value(True)
    user.find(marker=f'come-{occurrence.id}-{ben.id}').elements.pop().set_value(True)
    press(user, 'Register')
    await user.should_see('Aerial safety')
    assert user.find(marker='confirmation-total').elements.pop().text == '$70.00'
    press(user, 'Register')
    await user.should_see('Tick the box to agree to this policy')
    assert await EventRegistration.all().count() == 0
    user.find(marker=f'agree-{version.id}').elements.pop().set_value(True)
    user.find(marker=f'sign-{version.id}').type('Holly Ager')
    press(user, 'Register')
    await user.should_see('Registered!')
    assert sorted(await EventRegistration.all().values_list('participant_id', flat=True)) == [ava.id, ben.id]
    assert await LedgerEntry.filter(family_id=made.family.id).count() == 2


async def test_with_no_dates_coming_up_the_page_says_so(user: User, studio):
    await workshop(studio, date='2026-11-28')  # passed
    await family_with(('Ava', SEVEN_ON_THE_DAY))
    await sign_in(user)
    await user.open('/portal/events')
    await user.should_see('No events are coming up. Look again soon.')
