"""Paying the balance: the ledger, cards on file, declines, pending answers, and never charging twice."""

import asyncio
import logging
from decimal import Decimal

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError

from domain.adapters.gateways import GatewayTimeout
from domain.adapters.sandbox import SandboxGateway
from domain.billing import ledger, payments
from domain.billing.payments import TypedCard
from domain.errors import NotFound, ValidationFailed
from domain.messages import history, outbox
from domain.models import (
    Contact,
    LedgerEntry,
    LedgerKind,
    OutboxMessage,
    Payment,
    PaymentStatus,
    PortalEvent,
    SavedCard,
)
from domain.studio import settings
from tests.factories import make_family, make_staff, signed_in

pytestmark = pytest.mark.usefixtures('database')

VISA = TypedCard('4242 4242 4242 4242', '12/30', '123')
MASTERCARD = TypedCard('5555 5555 5555 4444', '12/30', '123')
VISA_DEBIT = TypedCard('4000 0566 5566 5556', '12/30', '123')
AMEX = TypedCard('3782 822463 10005', '12/30', '1234')
DECLINED = TypedCard('4000000000000002', '12/30', '123')
NO_FUNDS = TypedCard('4000000000009995', '12/30', '123')
EXPIRED = TypedCard('4000000000000069', '12/30', '123')
SLOW = TypedCard('4000000000000077', '12/30', '123')


@pytest.fixture
def sandbox():
    gateway = SandboxGateway()
    payments.configure(gateway)
    return gateway


async def family_owing(amount: str = '115.95', email: str = 'dgunnar@example.com'):
    made = await make_family('Gunnar', email)
    await ledger.post_entry(made.family.id, LedgerKind.FEE, Decimal(amount), 'Swim Level 2 — November')
    return made, await signed_in(email)


async def balance(family_id: int) -> Decimal:
    return (await ledger.account_summary(family_id)).balance


async def test_paying_the_whole_balance_with_a_new_card(sandbox):
    made, parent = await family_owing()
    payment = await payments.pay(parent, payments.new_checkout_key(), '115.95', new_card=VISA, keep_new_card=True)
    assert payment.status == PaymentStatus.APPROVED and (payment.card_brand, payment.card_last4) == ('Visa', '4242')
    assert await balance(made.family.id) == Decimal('0.00')
    assert await PortalEvent.filter(message='Account: Gunnar Amount: 115.95 Response Code: Approved').exists()
    assert await PortalEvent.filter(message='Billing information changed: Credit card added; Last 4: 4242').exists()
    receipt = await OutboxMessage.get(kind='payment_receipt')
    assert receipt.to_address == 'dgunnar@example.com' and '$115.95' in receipt.body_text
    assert (await SavedCard.get()).is_default


async def test_the_receipt_names_the_processors_reference_in_the_email_and_in_messages(sandbox):
    made, parent = await family_owing()
    payment = await payments.pay(parent, payments.new_checkout_key(), '115.95', new_card=VISA)
    assert payment.reference.startswith('ch_sandbox_')
    await outbox.deliver_due()
    assert f'Reference: {payment.reference}' in outbox.senders.mail.sent[-1].text
    (copy,) = await history.family_messages_for_staff(made.family.id)
    assert f'Reference: {payment.reference}' in copy.text
    assert payment.reference in copy.html


@pytest.mark.parametrize(
    'language, total, month',
    [('en', '$115.95', 'Dec'), ('es', '$115.95', 'dic'), ('zh_Hans', 'US$115.95', '12月')],
)
async def test_the_receipt_writes_money_and_the_date_for_the_readers_language_in_a_us_studio(
    sandbox, language, total, month
):
    made, parent = await family_owing()
    await Contact.filter(id=made.parent.id).update(preferred_language=language)
    await payments.pay(parent, payments.new_checkout_key(), '115.95', new_card=VISA)
    receipt = await OutboxMessage.get(kind='payment_receipt')
    assert total in receipt.subject and total in receipt.body_text
    date_line = next(line for line in receipt.body_text.splitlines() if line.startswith(('Date', 'Fecha', '日期')))
    assert month in date_line and '/' not in date_line  # the month as a word: 1/12/26 reads as January in the US


async def test_a_partial_payment_leaves_the_rest_due(sandbox):
    made, parent = await family_owing()
    card = await payments.add_card(parent, VISA)
    await payments.pay(parent, payments.new_checkout_key(), '15.95', card_id=card.id)
    assert await balance(made.family.id) == Decimal('100.00')


@pytest.mark.parametrize(
    'typed, message',
    [
        ('-5', 'Enter an amount greater than zero'),
        ('0', 'Enter an amount greater than zero'),
        ('10.001', 'Use at most two decimals'),
        ('ten', 'Enter an amount, like 25.00'),
        ('115.96', 'This is more than your balance due'),
        ('NaN', 'Enter an amount, like 25.00'),
        ('Infinity', 'Enter an amount, like 25.00'),
        ('', 'Enter an amount, like 25.00'),
        ('-0.001', 'Use at most two decimals'),
        ('1000000', 'This is more than your balance due'),
    ],
)
async def test_bad_amounts_are_refused_and_nothing_is_charged(sandbox, typed, message):
    _made, parent = await family_owing()
    with pytest.raises(ValidationFailed) as refused:
        await payments.pay(parent, payments.new_checkout_key(), typed, new_card=VISA)
    assert refused.value.errors == {'amount': message}
    assert sandbox.charge_count == 0 and not await Payment.exists()


async def test_amounts_are_read_as_people_type_them(sandbox):
    await family_owing()
    for typed, amount in ((' 15.95 ', '15.95'), ('15,95', '15.95'), ('15.950', '15.95'), ('15', '15.00')):
        assert str(payments.quote(typed, Decimal('115.95')).amount) == amount


async def test_prepaying_is_allowed_only_when_the_studio_allows_it(sandbox):
    made, parent = await family_owing('10.00')
    await settings.change(allow_prepay=True)
    await payments.pay(parent, payments.new_checkout_key(), '50.00', new_card=VISA)
    assert await balance(made.family.id) == Decimal('-40.00')
    with pytest.raises(ValidationFailed) as refused:
        await payments.pay(parent, payments.new_checkout_key(), '1000000', new_card=VISA)
    assert refused.value.errors == {'amount': 'This is too much for one payment'}


async def test_the_checkout_view_says_what_is_owed_what_can_be_paid_and_how(sandbox):
    _made, parent = await family_owing()
    view = await payments.checkout_view(parent)
    assert (view.balance, view.payable, view.pending, view.may_pay) == (
        Decimal('115.95'),
        Decimal('115.95'),
        Decimal('0'),
        True,
    )
    assert view.takes_typed_cards and view.cards == () and view.may_add_card
    pending = await payments.pay(parent, payments.new_checkout_key(), '15.95', new_card=SLOW, keep_new_card=True)
    assert pending.status == PaymentStatus.PENDING
    view = await payments.checkout_view(parent, recent=5)
    assert (view.balance, view.payable, view.pending) == (Decimal('115.95'), Decimal('100.00'), Decimal('15.95'))
    assert view.cards == () and [line.description for line in view.recent] == ['Swim Level 2 — November']
    assert await payments.resolve_pending() == 1  # approved: the card asked to be kept is kept now
    view = await payments.checkout_view(parent)
    assert [c.last4 for c in view.cards] == ['0077']
    await payments.pay(parent, payments.new_checkout_key(), '100', card_id=view.cards[0].id)
    view = await payments.checkout_view(parent)
    assert view.payable == Decimal('0.00') and view.amount_due == Decimal('0.00') and not view.may_pay
    await settings.change(allow_prepay=True)
    assert (await payments.checkout_view(parent)).may_pay


async def test_a_processor_is_asked_what_it_can_do_not_what_it_is(sandbox):
    """A processor says whether it takes typed cards; the domain never looks at its class."""

    class HostedPageSandbox(SandboxGateway):
        takes_typed_cards = False

    payments.configure(HostedPageSandbox())
    _made, parent = await family_owing()
    assert not (await payments.checkout_view(parent)).takes_typed_cards
    with pytest.raises(payments.TypedCardsNotAccepted):
        await payments.add_card(parent, VISA)
    with pytest.raises(payments.TypedCardsNotAccepted):
        await payments.pay(parent, payments.new_checkout_key(), '10', new_card=VISA)
    payments.configure(sandbox)
    with pytest.raises(payments.TypedCardsNotAccepted):
        await payments.start_card_setup(parent, return_url='http://portal.test/')


@pytest.mark.parametrize(
    'card, code, reason',
    [
        (DECLINED, 'card_declined', 'Card declined'),
        (NO_FUNDS, 'insufficient_funds', 'Insufficient funds'),
        (EXPIRED, 'expired_card', 'Expired card'),
    ],
)
async def test_declines_are_recorded_with_their_reason_and_post_nothing(sandbox, card, code, reason):
    made, parent = await family_owing()
    payment = await payments.pay(parent, payments.new_checkout_key(), '115.95', new_card=card)
    assert (payment.status, payment.decline_code) == (PaymentStatus.DECLINED, code)
    assert payments.decline_message(payment) == payments.DECLINE_REASONS[code]
    assert await balance(made.family.id) == Decimal('115.95')
    assert await PortalEvent.filter(
        message=f'Account: Gunnar Amount: 115.95 Response Code: Declined Reason: {reason}'
    ).exists()
    assert not await OutboxMessage.filter(kind='payment_receipt').exists()


async def test_card_details_that_cannot_be_right_are_refused_beside_their_field(sandbox):
    _made, parent = await family_owing()
    for card, field in (
        (TypedCard('4242424242424241', '12/30', '123'), 'card_number'),
        (TypedCard('4242424242424242', '01/20', '123'), 'card_expiry'),
        (TypedCard('4242424242424242', '13/30', '123'), 'card_expiry'),
        (TypedCard('4242424242424242', '12/30', '12'), 'card_cvc'),
    ):
        with pytest.raises(ValidationFailed) as refused:
            await payments.pay(parent, payments.new_checkout_key(), '10', new_card=card)
        assert list(refused.value.errors) == [field]
        assert '4242' not in str(refused.value)
    assert sandbox.charge_count == 0


async def test_a_double_tap_charges_once_and_records_once(sandbox):
    made, parent = await family_owing()
    key = payments.new_checkout_key()
    results = await asyncio.gather(*(payments.pay(parent, key, '115.95', new_card=VISA) for _ in range(5)))
    assert {r.id for r in results} == {results[0].id}
    assert sandbox.charge_count == 1
    assert await Payment.all().count() == 1
    assert await LedgerEntry.filter(kind=LedgerKind.PAYMENT).count() == 1
    assert await balance(made.family.id) == Decimal('0.00')
    again = await payments.pay(parent, key, '115.95', new_card=VISA)  # a reload that submits again
    assert again.id == results[0].id and sandbox.charge_count == 1


async def test_a_second_tap_that_lands_after_the_first_was_paid_gets_the_first_result(sandbox, monkeypatch):
    """The second tap looked for its key before the first tap finished, then found no balance left to quote."""
    _made, parent = await family_owing()
    key = payments.new_checkout_key()
    real_balance = payments.payable_balance
    first_tap: list[Payment] = []

    async def first_tap_finishes_meanwhile(family_id: int) -> Decimal:
        if not first_tap:
            monkeypatch.setattr(payments, 'payable_balance', real_balance)
            first_tap.append(await payments.pay(parent, key, '115.95', new_card=VISA))
        return await real_balance(family_id)

    monkeypatch.setattr(payments, 'payable_balance', first_tap_finishes_meanwhile)
    second = await payments.pay(parent, key, '115.95', new_card=VISA)
    assert second.id == first_tap[0].id and second.status == PaymentStatus.APPROVED
    assert sandbox.charge_count == 1 and await Payment.all().count() == 1


async def test_two_tabs_paying_the_whole_balance_at_once_pay_it_once(sandbox):
    made, parent = await family_owing()
    card = await payments.add_card(parent, VISA)
    results = await asyncio.gather(
        payments.pay(parent, payments.new_checkout_key(), '115.95', card_id=card.id),
        payments.pay(parent, payments.new_checkout_key(), '115.95', card_id=card.id),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ['Payment', 'ValidationFailed']
    assert sandbox.charge_count == 1 and await balance(made.family.id) == Decimal('0.00')


async def test_a_timeout_leaves_the_payment_pending_then_resolves_it_without_charging_again(sandbox):
    made, parent = await family_owing()
    key = payments.new_checkout_key()
    payment = await payments.pay(parent, key, '115.95', new_card=SLOW)
    assert payment.status == PaymentStatus.PENDING
    assert await balance(made.family.id) == Decimal('115.95')  # not guessed either way
    with pytest.raises(ValidationFailed):  # what is on its way cannot be paid again meanwhile
        await payments.pay(parent, payments.new_checkout_key(), '115.95', new_card=VISA)
    assert await payments.resolve_pending() == 1
    assert (await Payment.get(id=payment.id)).status == PaymentStatus.APPROVED
    assert sandbox.charge_count == 1 and await balance(made.family.id) == Decimal('0.00')
    logged = [e.message for e in await PortalEvent.filter(kind='payment').order_by('id')]
    assert logged == [
        'Account: Gunnar Amount: 115.95 Response Code: Pending (no answer from the processor yet)',
        'Account: Gunnar Amount: 115.95 Response Code: Approved',
    ]


async def test_a_card_fee_is_quoted_charged_and_posted(sandbox):
    made, parent = await family_owing('100.00')
    await settings.change(card_fee_percent=Decimal('3.00'))
    quoted = payments.quote('100', Decimal('100'))
    assert (quoted.amount, quoted.fee, quoted.total) == (Decimal('100.00'), Decimal('3.00'), Decimal('103.00'))
    payment = await payments.pay(parent, payments.new_checkout_key(), '100', new_card=VISA)
    assert payment.total == Decimal('103.00')
    assert await balance(made.family.id) == Decimal('0.00')
    assert await LedgerEntry.filter(kind=LedgerKind.FEE, amount=Decimal('3.00')).exists()


async def test_at_most_three_cards_and_only_the_familys_own(sandbox):
    _made, parent = await family_owing()
    cards = [await payments.add_card(parent, card) for card in (VISA, MASTERCARD, VISA_DEBIT)]
    with pytest.raises(payments.TooManyCards):
        await payments.add_card(parent, AMEX)
    await payments.set_default_card(parent, cards[2].id)
    assert next(c.id for c in await payments.list_cards(parent)) == cards[2].id
    await payments.remove_card(parent, cards[2].id)
    assert (await payments.list_cards(parent))[0].is_default
    _other, stranger = await family_owing(email='other@example.com')
    for card_id in (cards[0].id, 2**63, 'x'):  # another family's card, and ids no card can have
        with pytest.raises(NotFound):
            await payments.remove_card(stranger, card_id)
        with pytest.raises(NotFound):
            await payments.set_default_card(stranger, card_id)
    with pytest.raises(ValidationFailed):
        await payments.pay(stranger, payments.new_checkout_key(), '1', card_id=cards[0].id)
    assert await PortalEvent.filter(message='Billing information changed: Credit card removed; Last 4: 5556').exists()


@pytest.mark.parametrize('card', [DECLINED, NO_FUNDS, EXPIRED])
async def test_a_card_whose_payment_is_declined_is_not_kept(sandbox, card):
    _made, parent = await family_owing()
    payment = await payments.pay(parent, payments.new_checkout_key(), '115.95', new_card=card, keep_new_card=True)
    assert payment.status == PaymentStatus.DECLINED
    assert not await SavedCard.exists()
    assert not await PortalEvent.filter(kind='billing_changed').exists()


async def test_a_card_added_without_paying_is_kept_only_if_the_processor_verifies_it(sandbox, monkeypatch):
    _made, parent = await family_owing()
    for card, message in (
        (DECLINED, 'The card was declined.'),
        (NO_FUNDS, 'The card was declined for insufficient funds.'),
    ):
        with pytest.raises(ValidationFailed) as refused:
            await payments.add_card(parent, card)
        assert refused.value.errors == {'card_number': message}
    assert sandbox.charge_count == 0 and not await SavedCard.exists()

    async def no_answer(**_ignored):
        raise GatewayTimeout('no answer')

    monkeypatch.setattr(sandbox, 'verify_card', no_answer)
    with pytest.raises(payments.ProcessorUnavailable):
        await payments.add_card(parent, VISA)
    assert not await SavedCard.exists() and not await PortalEvent.filter(kind='billing_changed').exists()


async def test_the_same_card_is_kept_once(sandbox):
    made, parent = await family_owing()
    await payments.add_card(parent, VISA)
    with pytest.raises(payments.CardAlreadyOnFile):
        await payments.add_card(parent, TypedCard('4242424242424242', '12 / 2030', '999'))  # typed another way
    payment = await payments.pay(parent, payments.new_checkout_key(), '15.95', new_card=VISA, keep_new_card=True)
    assert payment.status == PaymentStatus.APPROVED  # paid with it, and it stays on file once
    renewed = await payments.add_card(parent, TypedCard('4242424242424242', '12/31', '123'))  # a new expiry
    assert [(c.last4, c.exp_year) for c in await payments.list_cards(parent)] == [('4242', 2030), ('4242', 2031)]
    _other, stranger = await family_owing(email='other@example.com')
    assert (await payments.add_card(stranger, VISA)).family_id != made.family.id  # another family's own copy
    assert renewed.fingerprint != (await SavedCard.get(family_id=made.family.id, exp_year=2030)).fingerprint
    assert await PortalEvent.filter(family_id=made.family.id, kind='billing_changed').count() == 2


async def test_paying_and_keeping_the_same_card_twice_at_once_keeps_it_once(sandbox):
    made, parent = await family_owing()
    results = await asyncio.gather(
        *(payments.pay(parent, payments.new_checkout_key(), '10', new_card=VISA, keep_new_card=True) for _ in range(2))
    )
    assert [r.status for r in results] == [PaymentStatus.APPROVED] * 2
    assert await SavedCard.filter(family_id=made.family.id).count() == 1
    assert (await SavedCard.get(family_id=made.family.id)).is_default


async def test_two_cards_added_at_once_to_a_wallet_with_room_for_one_keep_one(sandbox):
    made, parent = await family_owing()
    await payments.add_card(parent, VISA)
    await payments.add_card(parent, MASTERCARD)
    results = await asyncio.gather(
        payments.add_card(parent, VISA_DEBIT), payments.add_card(parent, AMEX), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ['SavedCard', 'TooManyCards']
    assert await SavedCard.filter(family_id=made.family.id).count() == 3


async def test_a_card_kept_while_its_payment_was_pending_waits_for_room(sandbox):
    """The wallet filled up while the payment was pending: the payment stands, the card is not kept."""
    made, parent = await family_owing()
    pending = await payments.pay(parent, payments.new_checkout_key(), '15.95', new_card=SLOW, keep_new_card=True)
    for card in (VISA, MASTERCARD, VISA_DEBIT):
        await payments.add_card(parent, card)
    assert await payments.resolve_pending() == 1
    assert (await Payment.get(id=pending.id)).status == PaymentStatus.APPROVED
    assert sorted(c.last4 for c in await payments.list_cards(parent)) == ['4242', '4444', '5556']
    assert await balance(made.family.id) == Decimal('100.00')


async def test_no_full_card_number_or_security_code_is_kept_anywhere(sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    _made, parent = await family_owing()
    await payments.pay(parent, payments.new_checkout_key(), '100', new_card=VISA, keep_new_card=True)
    await payments.pay(parent, payments.new_checkout_key(), '15.95', new_card=DECLINED)
    await outbox.deliver_due()
    db = connections.get('default')
    tables = (
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        if db.capabilities.dialect == 'postgres'
        else "SELECT name FROM sqlite_master WHERE type='table'"
    )
    dump = []
    for found in (await db.execute_query(tables))[1]:
        table = next(iter(dict(found).values()))
        for row in (await db.execute_query(f'SELECT * FROM "{table}"'))[1]:
            dump.append(' '.join(str(value) for value in dict(row).values()))
    everything = '\n'.join(dump) + caplog.text
    for secret in ('4242424242424242', '4242 4242 4242 4242', '4000000000000002'):
        assert secret not in everything


async def test_the_ledger_is_append_only():
    made, _parent = await family_owing()
    entry = await LedgerEntry.get(family_id=made.family.id)
    with pytest.raises(Exception, match='permanent'):
        await LedgerEntry.filter(id=entry.id).update(amount=Decimal('1.00'))
    with pytest.raises(Exception, match='permanent'):
        await entry.delete()
    await ledger.post_entry(made.family.id, LedgerKind.PAYMENT, Decimal('1'), 'x', source='payment:1')
    with pytest.raises(IntegrityError):  # one source, one entry
        await ledger.post_entry(made.family.id, LedgerKind.PAYMENT, Decimal('1'), 'x', source='payment:1')


async def test_staff_post_fees_credits_and_refunds_with_a_log_line():
    made, _parent = await family_owing('100.00')
    staff = await make_staff()
    from domain.access.actors import StaffActor

    desk = StaffActor(staff.id, staff.name, staff.email, staff.role)
    await ledger.post_by_staff(desk, made.family.id, 'credit', '20', 'Sibling discount')
    await ledger.post_by_staff(desk, made.family.id, 'refund', '5.50', 'Refund of overpayment')
    assert await balance(made.family.id) == Decimal('85.50')
    assert await ledger.balance(made.family.id) == Decimal('85.50')  # the dashboard's sum, from kinds and amounts
    with pytest.raises(ValidationFailed) as refused:
        await ledger.post_by_staff(desk, made.family.id, 'payment', '1.234', '')
    assert set(refused.value.errors) == {'kind', 'amount', 'description'}
    for typed in ('0', '-5', 'ten', 'NaN', '1000000'):
        with pytest.raises(ValidationFailed) as refused:
            await ledger.post_by_staff(desk, made.family.id, 'fee', typed, 'Costume')
        assert refused.value.errors == {'amount': 'Enter an amount greater than zero, with at most two decimals'}
    assert await PortalEvent.filter(message='Credit posted: 20.00 Sibling discount by Front Desk').exists()
