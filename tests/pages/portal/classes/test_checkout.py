"""The checkout page: the held seats with a countdown, the fees enrolling posts, the classes' policies, and Enrol,
which enrols, posts and logs in one go; Cancel, or a hold that ran out, lets the seats go and enrols nothing."""

import datetime as dt
from decimal import Decimal

from nicegui.testing import User

from domain import clock
from domain.access.actors import Actor
from domain.billing import payments
from domain.billing.payments import TypedCard
from domain.classes import enrolment, seats
from domain.classes.enrolment import Choice
from domain.models import (
    Checkout,
    Contact,
    Enrolment,
    LedgerEntry,
    Payment,
    PaymentStatus,
    Policy,
    PolicyVersion,
    PortalEvent,
)
from domain.studio import settings
from tests.domain.classes.studio_setup import NOON_IN_CHICAGO
from tests.factories import make_family
from tests.pages.helpers import press, sign_in
from tests.pages.portal.classes.steps import family_with, offer


async def held(course, child) -> int:
    """A checkout the parent opened on the Classes screen, holding one seat."""
    contact = await Contact.get(email='holly@example.com').select_related('family')
    view = await enrolment.hold_seats(Actor.of(contact), [Choice(child.id, course.id)])
    return view.checkout_id


async def test_enrol_enrols_posts_the_first_fee_and_logs_it(user: User, studio):
    ballet = await offer(studio, 'Ballet 2', tuition='62.00')
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    checkout_id = await held(ballet, made.children[0])
    await user.open(f'/portal/classes/checkout/{checkout_id}')
    await user.should_see('Your places are held for 15:00')
    await user.should_see('Ava · Ballet 2')
    await user.should_see('From Wed, Dec 2, for December 2026 · then $62.00 a month')
    total = user.find(marker='checkout-total').elements.pop().text
    press(user, 'Enrol')
    await user.should_see('Enrolled!', retries=30)
    [made_enrolment] = await Enrolment.all()
    assert (made_enrolment.course_id, made_enrolment.participant_id) == (ballet.id, made.children[0].id)
    [fee] = await LedgerEntry.filter(family_id=made.family.id)
    assert total == f'${Decimal(str(fee.amount)):.2f}' and Decimal(str(fee.amount)) > 0
    logged = await PortalEvent.filter(family_id=made.family.id, kind='enrolled').values_list('message', flat=True)
    assert logged == ['Enrolled in Class: Ballet 2 - Student: Ava Ager - Starts: 12/2/2026']
    assert (await Checkout.get(id=checkout_id)).outcome == 'enrolled'
    await user.should_see('See my schedule')


async def test_cancel_lets_the_seat_go_and_enrols_nothing(user: User, studio):
    ballet = await offer(studio, 'Ballet 2', capacity='1')
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    checkout_id = await held(ballet, made.children[0])
    assert (await seats.taken([ballet.id]))[ballet.id][:2] == (0, 1)  # nobody enrolled, the one seat held
    await user.open(f'/portal/classes/checkout/{checkout_id}')
    press(user, 'Cancel and let the places go')
    await user.should_see('1 class', retries=30)  # back on the Classes screen
    assert (await Checkout.get(id=checkout_id)).outcome == 'released'
    assert (await seats.taken([ballet.id]))[ballet.id][:2] == (0, 0)
    assert await Enrolment.all().count() == 0


async def test_a_hold_that_ran_out_enrols_nothing_and_says_so(user: User, studio):
    ballet = await offer(studio, 'Ballet 2')
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    checkout_id = await held(ballet, made.children[0])
    await user.open(f'/portal/classes/checkout/{checkout_id}')
    with clock.pinned(NOON_IN_CHICAGO + dt.timedelta(minutes=16)):
        press(user, 'Enrol')
        await user.should_see(marker='ran-out', retries=30)
        assert await Enrolment.all().count() == 0
        assert await LedgerEntry.filter(family_id=made.family.id).count() == 0
        assert (await seats.taken([ballet.id]))[ballet.id][:2] == (0, 0)  # the seat is free for others

        await user.open(f'/portal/classes/checkout/{checkout_id}')  # coming back to it later
        await user.should_see(marker='ran-out')
        await user.should_see('Back to the classes')


async def test_a_policy_left_unticked_is_said_beside_it_and_nothing_is_enrolled(user: User, studio):
    policy = await Policy.create(at_checkout=True)
    version = await PolicyVersion.create(
        policy=policy, version=1, title='Studio rules', body='Be kind.', created_at=clock.now()
    )
    ballet = await offer(studio, 'Ballet 2')
    await ballet.policies.add(policy)
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    checkout_id = await held(ballet, made.children[0])
    await user.open(f'/portal/classes/checkout/{checkout_id}')
    await user.should_see('Studio rules')
    press(user, 'Enrol')
    await user.should_see('Tick the box to agree to this policy', retries=30)
    assert await Enrolment.all().count() == 0 and await LedgerEntry.all().count() == 0

    user.find(marker=f'agree-{version.id}').elements.pop().set_value(True)
    user.find(marker=f'sign-{version.id}').type('Holly Ager')
    press(user, 'Enrol')
    await user.should_see('Enrolled!', retries=30)
    assert await Enrolment.all().count() == 1


async def test_another_familys_checkout_is_not_found(user: User, studio):
    ballet = await offer(studio, 'Ballet 2')
    other = await make_family('Bestie', 'bonnie@example.com', children=('Bo',))
    view = await enrolment.hold_seats(
        Actor.of(await Contact.get(email='bonnie@example.com').select_related('family')),
        [Choice(other.children[0].id, ballet.id)],
    )
    await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    await user.open(f'/portal/classes/checkout/{view.checkout_id}')
    await user.should_see(marker='ran-out')
    await user.should_not_see('Bo · Ballet 2')
    assert (await Checkout.get(id=view.checkout_id)).closed_at is None  # Bonnie's seat is still hers


async def test_a_studio_taking_payment_at_enrolment_charges_the_card_then_enrols(user: User, studio):
    await settings.change(pay_at_checkout=True)
    ballet = await offer(studio, 'Ballet 2')
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    parent = Actor.of(await Contact.get(email='holly@example.com').select_related('family'))
    await payments.add_card(parent, TypedCard('4242 4242 4242 4242', '12/30', '123'))
    checkout_id = await held(ballet, made.children[0])
    await user.open(f'/portal/classes/checkout/{checkout_id}')
    await user.should_see('Visa ending in 4242, expires 12/30')
    press(user, 'Pay $65.00 and enrol')
    await user.should_see('Enrolled!', retries=30)
    [payment] = await Payment.all()
    assert payment.status == PaymentStatus.APPROVED and Decimal(str(payment.amount)) == Decimal('65.00')
    assert await Enrolment.filter(participant_id=made.children[0].id, course_id=ballet.id).exists()


async def test_without_a_card_on_file_the_checkout_says_where_to_add_one_and_offers_no_enrol(user: User, studio):
    await settings.change(pay_at_checkout=True)
    ballet = await offer(studio, 'Ballet 2')
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    checkout_id = await held(ballet, made.children[0])
    await user.open(f'/portal/classes/checkout/{checkout_id}')
    await user.should_see('Add a card')
    await user.should_not_see(marker='enrol')


async def test_a_phone_that_loses_its_connection_for_a_while_keeps_its_checkout(user: User, studio):
    ballet = await offer(studio, 'Ballet 2')
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    checkout_id = await held(ballet, made.children[0])
    await user.open(f'/portal/classes/checkout/{checkout_id}')
    assert user.client.page.resolve_reconnect_timeout() >= 60  # NiceGUI's default is 3 s: an app switch
