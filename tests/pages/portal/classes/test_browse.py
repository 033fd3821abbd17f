"""The Classes screen: a parent sees each class with what they need to choose it, picks a child to see what suits
them (the others counted, never silently dropped), narrows by day, and chooses classes for a checkout."""

import datetime as dt

from nicegui import ui
from nicegui.testing import User

from domain.classes.catalogue import PatternForm
from domain.models import Checkout, Course, SeatHold
from tests.domain.classes.studio_setup import enrol
from tests.factories import make_family
from tests.pages.helpers import press, sign_in
from tests.pages.portal.classes.steps import family_with, offer

SATURDAY_MORNING = PatternForm((5,), '09:30', '10:15')


def cards(user: User) -> list[str]:
    return [card.props['aria-label'] for card in user.find(marker='class-card').elements]


async def test_each_class_shows_its_days_dates_place_ages_price_and_openings(user: User, studio):
    await offer(studio, 'Ballet 2', min_age_years='7', max_age_years='10', capacity='4')
    await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    await user.open('/portal/classes')
    await user.should_see('1 class')
    html = user.find(marker='class-card').elements.pop().default_slot.children[0].content
    assert 'Mon, Wed 5:00\u202fPM–6:00\u202fPM' in html
    assert 'Dec 2, 2026\u2009–\u2009Feb 24, 2027 · 25 meetings left' in html  # from today, Wednesday 2 December
    assert 'Main Street · Studio A' in html
    assert 'Ages 7–10' in html
    assert '$65.00 a month · Starting Wed, Dec 2: $65.00 for December 2026' in html  # each of December's meetings
    assert '4 places left' in html
    assert 'Ava can enrol' in html


async def test_a_child_who_cannot_enrol_is_told_why_and_picking_them_counts_what_does_not_suit(user: User, studio):
    await offer(studio, 'Tiny Tots', min_age_years='5', max_age_years='7')
    await offer(studio, 'Teen Jazz', SATURDAY_MORNING, min_age_years='11', max_age_years='15')
    made = await family_with(('Ava', dt.date(2015, 6, 1)), ('Ben', dt.date(2020, 3, 1)))
    await sign_in(user)
    await user.open('/portal/classes')
    assert sorted(cards(user)) == ['Teen Jazz', 'Tiny Tots']
    tots = next(c for c in user.find(marker='class-card').elements if c.props['aria-label'] == 'Tiny Tots')
    assert 'Ava: Ava is 11; this class is for ages 5–7' in tots.default_slot.children[0].content

    user.find(marker='children').elements.pop().set_value(made.children[0].id)  # Ava
    await user.should_see('1 class')
    assert cards(user) == ['Teen Jazz']
    press(user, 'Show 1 more class that is not for Ava')
    await user.should_see('2 classes')


async def test_the_day_filter_and_search_narrow_the_list(user: User, studio):
    await offer(studio, 'Ballet 2')
    await offer(studio, 'Saturday Swim', SATURDAY_MORNING, description='Floating and **kicking**')
    await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    await user.open('/portal/classes')
    user.find(marker='day').elements.pop().set_value('5')  # Saturday
    await user.should_see('1 class')
    assert cards(user) == ['Saturday Swim']
    user.find(marker='day').elements.pop().set_value('')
    user.find(marker='search').type('kicking')
    await user.should_see('1 class')
    assert cards(user) == ['Saturday Swim']


async def test_choosing_a_class_and_checking_out_holds_the_seat(user: User, studio):
    ballet = await offer(studio, 'Ballet 2')
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    await user.open('/portal/classes')
    press(user, 'Choose for Ava')
    await user.should_see('Ava · Ballet 2')
    press(user, 'Check out (1 class)')
    await user.should_see('Your places are held for', retries=20)
    [hold] = await SeatHold.all()
    assert (hold.course_id, hold.participant_id) == (ballet.id, made.children[0].id)
    assert (await Checkout.get(id=hold.checkout_id)).closed_at is None


async def test_a_class_that_is_full_says_so_and_offers_no_choice(user: User, studio):
    await offer(studio, 'Ballet 2', capacity='1')
    await Course.filter(name='Ballet 2').update(waitlist_open=False)  # one that keeps a waitlist: test_waitlists.py
    await family_with(('Ava', dt.date(2018, 5, 1)))
    other = await make_family('Bestie', 'bonnie@example.com', children=('Bo',))
    await enrol(await Course.get(name='Ballet 2'), other.children[0])
    await sign_in(user)
    await user.open('/portal/classes')
    await user.should_see('1 class')
    html = user.find(marker='class-card').elements.pop().default_slot.children[0].content
    assert 'Full' in html and 'Ava: This class is full' in html
    assert not [b for b in user.find(kind=ui.button).elements if b.text.startswith('Choose')]


async def test_a_second_class_at_the_same_time_for_one_child_is_refused_when_chosen(user: User, studio):
    ballet = await offer(studio, 'Ballet 2')  # Mondays and Wednesdays, 5 p.m.
    jazz = await offer(studio, 'Jazz 1')  # the same hours
    await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    await user.open('/portal/classes')
    user.find(marker=f'choose-{ballet.id}').click()
    await user.should_see('Ava · Ballet 2')
    user.find(marker=f'choose-{jazz.id}').click()
    await user.should_see('Ava would also be in Ballet 2 at the same time')
    await user.should_see('Check out (1 class)')
    await user.should_not_see('Ava · Jazz 1')
