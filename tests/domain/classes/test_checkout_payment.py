"""A studio that takes payment at enrolment: the checkout charges a card on file, once, and only an approved
payment enrols; a decline or a processor that does not answer leaves the seats held and nothing enrolled."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from domain import clock
from domain.adapters.sandbox import SandboxGateway
from domain.billing import ledger, payments
from domain.billing.payments import TypedCard
from domain.classes import checkout_payment, enrolment
from domain.classes.checkout_payment import PaidNotEnrolled, PaymentDeclined, PaymentPending
from domain.classes.enrolment import Choice, HoldRanOut
from domain.models import Checkout, Enrolment, LedgerEntry, LedgerKind, Payment, PaymentStatus, SavedCard
from domain.studio import settings
from tests.domain.classes.making import BEFORE_TERM, add_class, family

pytestmark = pytest.mark.usefixtures('database')

VISA = TypedCard('4242 4242 4242 4242', '12/30', '123')
SLOW = TypedCard('4000000000000077', '12/30', '123')  # charged, but the answer is lost the first time


@pytest.fixture
def sandbox():
    gateway = SandboxGateway()
    payments.configure(gateway)
    return gateway


@pytest.fixture
async def paying_studio(admin, term):
    await settings.change(pay_at_checkout=True)
    return await add_class(admin, term, tuition='60.00')


async def checkout_with(card: TypedCard | None, course):
    actor, (ava,) = await family('Bestie')
    saved = await payments.add_card(actor, card) if card else None
    view = await enrolment.hold_seats(actor, [Choice(ava.id, course.id)])
    return actor, view, saved


async def balance(family_id: int) -> Decimal:
    return (await ledger.account_summary(family_id)).balance


async def test_an_approved_payment_enrols_and_the_fees_are_paid(sandbox, paying_studio):
    with clock.pinned(BEFORE_TERM):
        actor, view, card = await checkout_with(VISA, paying_studio)
        assert checkout_payment.takes_payment(view) and view.total == Decimal('60.00')
        done = await checkout_payment.pay_and_enrol(actor, view.checkout_id, card.id)
    assert [e.course_id for e in done] == [paying_studio.id]
    [payment] = await Payment.all()
    assert (payment.status, Decimal(str(payment.amount))) == (PaymentStatus.APPROVED, Decimal('60.00'))
    assert payment.idempotency_key == checkout_payment.payment_key(view.checkout_id)
    assert await balance(actor.family_id) == 0  # January's tuition, and the payment that covers it
    assert sandbox.charge_count == 1


async def test_a_declined_card_enrols_nothing_and_keeps_the_seats_held(sandbox, paying_studio):
    with clock.pinned(BEFORE_TERM):
        actor, view, _ = await checkout_with(None, paying_studio)
        declining = await declining_card(actor.family_id)
        with pytest.raises(PaymentDeclined) as declined:
            await checkout_payment.pay_and_enrol(actor, view.checkout_id, declining.id)
    assert declined.value.reason == 'The card was declined.'
    assert await Enrolment.all().count() == 0
    assert not await LedgerEntry.filter(family_id=actor.family_id, kind=LedgerKind.FEE).exists()
    assert (await Checkout.get(id=view.checkout_id)).closed_at is None  # the seats are still the family's


async def test_two_taps_at_once_charge_once_and_enrol_once(sandbox, paying_studio):
    with clock.pinned(BEFORE_TERM):
        actor, view, card = await checkout_with(VISA, paying_studio)
        results = await asyncio.gather(
            *(checkout_payment.pay_and_enrol(actor, view.checkout_id, card.id) for _ in range(2)),
            return_exceptions=True,
        )
    enrolled = [r for r in results if isinstance(r, list) and r]
    # The other tap found it enrolled, or found the first tap's payment still on its way and says so
    others = [r for r in results if not (isinstance(r, list) and r)]
    assert len(enrolled) == 1 and (others == [[]] or isinstance(others[0], PaymentPending)), results
    assert await Payment.all().count() == 1 and sandbox.charge_count == 1
    assert await Enrolment.all().count() == 1
    assert await balance(actor.family_id) == 0


async def test_no_answer_from_the_processor_holds_the_seats_and_the_next_tap_enrols_without_a_second_charge(
    sandbox, paying_studio
):
    with clock.pinned(BEFORE_TERM):
        actor, view, card = await checkout_with(SLOW, paying_studio)
        with pytest.raises(PaymentPending):
            await checkout_payment.pay_and_enrol(actor, view.checkout_id, card.id)
        assert await Enrolment.all().count() == 0
        held = await Checkout.get(id=view.checkout_id)
        assert held.closed_at is None and held.expires_at >= clock.now() + checkout_payment.HOLD_WHILE_CHARGING
        done = await checkout_payment.pay_and_enrol(actor, view.checkout_id, card.id)  # the parent taps again
    assert len(done) == 1 and sandbox.charge_count == 1
    assert (await Payment.get()).status == PaymentStatus.APPROVED


async def test_a_payment_answered_after_the_hold_ran_out_stays_as_a_credit(sandbox, paying_studio):
    with clock.pinned(BEFORE_TERM):
        actor, view, card = await checkout_with(SLOW, paying_studio)
        with pytest.raises(PaymentPending):
            await checkout_payment.pay_and_enrol(actor, view.checkout_id, card.id)
    with clock.pinned(BEFORE_TERM + dt.timedelta(minutes=30)):  # the parent came back too late
        await payments.resolve_pending()  # the processor's answer: approved
        with pytest.raises(PaidNotEnrolled) as paid:
            await checkout_payment.pay_and_enrol(actor, view.checkout_id, card.id)
    assert paid.value.amount == Decimal('60.00')
    assert await Enrolment.all().count() == 0
    assert await balance(actor.family_id) == Decimal('-60.00')  # on the account, to pay the next fees
    assert sandbox.charge_count == 1


async def test_a_credit_on_account_is_used_before_the_card(sandbox, paying_studio):
    with clock.pinned(BEFORE_TERM):
        actor, view, card = await checkout_with(VISA, paying_studio)
        await ledger.post_entry(actor.family_id, LedgerKind.CREDIT, Decimal('60.00'), 'Credit')
        assert await checkout_payment.amount_due(actor, view) == 0
        done = await checkout_payment.pay_and_enrol(actor, view.checkout_id, card.id)
    assert len(done) == 1 and sandbox.charge_count == 0 and not await Payment.exists()


async def test_a_run_out_hold_is_said_before_anything_is_charged(sandbox, paying_studio):
    with clock.pinned(BEFORE_TERM):
        actor, view, card = await checkout_with(VISA, paying_studio)
    with clock.pinned(BEFORE_TERM + dt.timedelta(minutes=16)), pytest.raises(HoldRanOut):
        await checkout_payment.pay_and_enrol(actor, view.checkout_id, card.id)
    assert sandbox.charge_count == 0 and not await Payment.exists()


async def declining_card(family_id: int) -> SavedCard:
    """A card that verified when it was saved and is declined now."""
    return await SavedCard.create(
        family_id=family_id,
        token='tok_sandbox_card_declined_0002',
        brand='Visa',
        last4='0002',
        exp_month=12,
        exp_year=2030,
        fingerprint='visa-0002-12-2030-b',
        gateway='sandbox',
        created_at=clock.now(),
    )


async def test_after_a_decline_another_card_is_charged_under_a_new_key(sandbox, paying_studio):
    with clock.pinned(BEFORE_TERM):
        actor, view, visa = await checkout_with(VISA, paying_studio)
        declining = await declining_card(actor.family_id)
        with pytest.raises(PaymentDeclined):
            await checkout_payment.pay_and_enrol(actor, view.checkout_id, declining.id)
        assert not await checkout_payment.is_paying(actor, view.checkout_id)  # leaving now lets the seats go
        done = await checkout_payment.pay_and_enrol(actor, view.checkout_id, visa.id)
    assert len(done) == 1
    tries = await Payment.all().order_by('id').values_list('idempotency_key', 'status')
    assert tries == [
        (checkout_payment.payment_key(view.checkout_id, 1), PaymentStatus.DECLINED),
        (checkout_payment.payment_key(view.checkout_id, 2), PaymentStatus.APPROVED),
    ]


async def test_a_payment_still_on_its_way_is_no_credit_for_the_next_checkout(sandbox, paying_studio):
    with clock.pinned(BEFORE_TERM):
        actor, first, card = await checkout_with(SLOW, paying_studio)
        with pytest.raises(PaymentPending):
            await checkout_payment.pay_and_enrol(actor, first.checkout_id, card.id)
        assert await checkout_payment.is_paying(actor, first.checkout_id)  # its seats wait for the answer
        [ava] = [line.participant_id for line in first.lines]
        again = await enrolment.hold_seats(actor, [Choice(ava, paying_studio.id)])  # the parent chose again
        assert await checkout_payment.amount_due(actor, again) == Decimal('60.00')  # not 0: it may be declined


async def test_a_tap_after_the_checkout_enrolled_finds_it_enrolled(sandbox, paying_studio):
    with clock.pinned(BEFORE_TERM):
        actor, view, card = await checkout_with(VISA, paying_studio)
        await checkout_payment.pay_and_enrol(actor, view.checkout_id, card.id)
        assert await checkout_payment.pay_and_enrol(actor, view.checkout_id, card.id) == []  # a second tab
    assert sandbox.charge_count == 1 and await Enrolment.all().count() == 1
