"""Paying on the portal's pages: review every fee, one tap, a plain result; cards; statements; staff posting."""

import asyncio
from decimal import Decimal

from nicegui import ui
from nicegui.testing import User

from domain.adapters.sandbox import SandboxGateway
from domain.billing import ledger, payments
from domain.models import LedgerKind, Payment, PaymentStatus, PortalEvent, SavedCard
from domain.studio import settings
from tests.factories import make_family, signed_in
from tests.pages.helpers import choose_language, press, sign_in, staff_signs_in


async def owing(amount: str = '115.95'):
    made = await make_family('Ager', 'holly@example.com')
    await ledger.post_entry(made.family.id, LedgerKind.FEE, Decimal(amount), 'Ballet — November')
    return made


def fill_card(user: User, number: str = '4242 4242 4242 4242') -> None:
    user.find(marker='card-number').type(number)
    user.find(marker='card-expiry').type('12/30')
    user.find(marker='card-cvc').type('123')


async def settled(count: int = 1) -> list[Payment]:
    for _ in range(200):
        done = await Payment.exclude(status=PaymentStatus.PENDING)
        if len(done) >= count:
            return done
        await asyncio.sleep(0.02)
    raise AssertionError('no payment settled')


async def test_a_parent_pays_part_of_the_balance_with_a_new_card(user: User):
    gateway = SandboxGateway()
    payments.configure(gateway)
    made = await owing()
    await sign_in(user)
    await user.open('/portal/payments/pay')
    await user.should_see('Balance due: $115.95')
    amount = user.find(marker='amount')
    amount.clear().type('50')
    fill_card(user)
    press(user, 'Review payment')
    await user.should_see('Total to be charged')
    await user.should_see('Pay $50.00')
    press(user, 'Pay $50.00')
    await user.should_see('Payment approved', retries=50)
    await user.should_see('$50.00 was charged to Visa •••• 4242.')
    assert (await ledger.account_summary(made.family.id)).balance == Decimal('65.95')
    assert await SavedCard.filter(family_id=made.family.id, last4='4242').exists()
    assert gateway.charge_count == 1
    await user.open('/portal/payments/pay')  # a reload after paying starts a new checkout, it does not pay again
    await user.should_see('Review payment')
    assert gateway.charge_count == 1


async def test_spanish_and_chinese_readers_in_a_us_studio_see_dollars_as_the_us_writes_them(user: User):
    payments.configure(SandboxGateway())
    await owing('1149.50')
    await sign_in(user)
    for language, balance in (('Español', '$1,149.50'), ('简体中文', 'US$1,149.50')):
        await user.open('/portal/payments')
        choose_language(user, language)
        await user.should_see(balance)
        await user.should_not_see('1.149,50')
    await user.should_see(f'{settings.today().year}年')  # the recent activity's dates, year and month named


async def test_a_card_fee_is_shown_before_confirming(user: User):
    payments.configure(SandboxGateway())
    await settings.change(card_fee_percent=Decimal('3'))
    await owing('100.00')
    await sign_in(user)
    await user.open('/portal/payments/pay')
    fill_card(user)
    press(user, 'Review payment')
    await user.should_see('Card fee (3%)')
    await user.should_see('$3.00')
    await user.should_see('Pay $103.00')


async def test_a_declined_card_is_told_plainly_and_nothing_is_charged(user: User):
    payments.configure(SandboxGateway())
    made = await owing()
    await sign_in(user)
    await user.open('/portal/payments/pay')
    fill_card(user, '4000000000009995')
    press(user, 'Review payment')
    press(user, 'Pay $115.95')
    await user.should_see('Payment declined', retries=50)
    await user.should_see('The card was declined for insufficient funds.')
    assert (await ledger.account_summary(made.family.id)).balance == Decimal('115.95')
    assert not await SavedCard.exists()  # "Keep this card" was ticked, as it is at first: a declined card is not kept


async def test_a_wrong_card_number_or_a_past_expiry_is_said_on_the_review_beside_its_field(user: User):
    gateway = SandboxGateway()
    payments.configure(gateway)
    await owing()
    await sign_in(user)
    await user.open('/portal/payments/pay')
    user.find(marker='card-number').type('4242 4242 4242 4241')
    user.find(marker='card-expiry').type('01/20')
    user.find(marker='card-cvc').type('123')
    press(user, 'Review payment')
    await user.should_see('Check the card number')
    await user.should_see('The card has expired.')
    await user.should_not_see('Total to be charged')
    assert user.find(marker='card-number').elements.pop().error == 'Check the card number'
    assert user.find(marker='card-expiry').elements.pop().error == 'The card has expired.'
    user.find(marker='card-number').clear().type('4242 4242 4242 4242')
    user.find(marker='card-expiry').clear().type('12/30')
    press(user, 'Review payment')
    await user.should_see('Total to be charged')
    assert gateway.charge_count == 0 and not await Payment.exists()


async def test_bad_amounts_are_refused_beside_the_field(user: User):
    payments.configure(SandboxGateway())
    await owing()
    await sign_in(user)
    await user.open('/portal/payments/pay')
    for typed, message in (
        ('-1', 'Enter an amount greater than zero'),
        ('1.999', 'Use at most two decimals'),
        ('500', 'This is more than your balance due'),
    ):
        user.find(marker='amount').clear().type(typed)
        press(user, 'Review payment')
        await user.should_see(message)
    assert not await Payment.exists()


async def test_a_double_tap_on_pay_charges_once(user: User):
    gateway = SandboxGateway()
    payments.configure(gateway)
    await owing()
    await sign_in(user)
    await user.open('/portal/payments/pay')
    fill_card(user)
    press(user, 'Review payment')
    await user.should_see('Pay $115.95')
    press(user, 'Pay $115.95')
    press(user, 'Pay $115.95')
    await user.should_see('Payment approved', retries=50)
    assert gateway.charge_count == 1 and await Payment.all().count() == 1


async def test_a_payment_being_confirmed_is_shown_and_is_not_offered_again(user: User):
    payments.configure(SandboxGateway())
    await owing()
    parent = await signed_in('holly@example.com')
    slow = payments.TypedCard('4000000000000077', '12/30', '123')
    payment = await payments.pay(parent, payments.new_checkout_key(), '115.95', new_card=slow)
    assert payment.status == PaymentStatus.PENDING
    await sign_in(user)
    await user.open('/portal/payments')
    await user.should_see('$115.95')
    await user.should_see('A payment of $115.95 is being confirmed by the card processor.')
    await user.should_not_see('Make a payment')
    await user.open('/portal/payments/pay')
    await user.should_see('Balance due: $0.00')


async def test_with_a_hosted_card_page_no_card_is_typed_into_the_portal(user: User):
    class HostedPageSandbox(SandboxGateway):
        takes_typed_cards = False

    payments.configure(HostedPageSandbox())
    await owing()
    await sign_in(user)
    await user.open('/portal/payments/cards')
    await user.should_see(
        "You will type your card on our card processor's secure page; it never passes through this portal."
    )
    await user.should_not_see('Card number')
    await user.open('/portal/payments/pay')
    await user.should_see("Add a card first: you will type it on our card processor's secure page.")
    await user.should_not_see('Card number')
    payments.configure(SandboxGateway())


async def test_cards_are_added_made_default_and_removed(user: User):
    payments.configure(SandboxGateway())
    made = await owing()
    await sign_in(user)
    await user.open('/portal/payments/cards')
    await user.should_see('No cards on file.')
    user.find('Card number').type('4242424242424241')
    user.find('Expiry (MM/YY)').type('12/30')
    user.find('Security code').type('123')
    press(user, 'Save card')
    await user.should_see('Check the card number')
    user.find('Card number').clear().type('5555555555554444')
    press(user, 'Save card')
    await user.should_see('Mastercard ending in 4444, expires 12/30', retries=30)
    await user.should_see('Default card')
    user.find('Card number').type('5555 5555 5555 4444')
    user.find('Expiry (MM/YY)').type('12/30')
    user.find('Security code').type('123')
    press(user, 'Save card')
    await user.should_see('This card is already on file.')
    assert await SavedCard.filter(family_id=made.family.id).count() == 1
    press(user, 'Remove')
    await user.should_see('No cards on file.', retries=30)
    assert not await SavedCard.filter(family_id=made.family.id).exists()
    assert await PortalEvent.filter(message='Billing information changed: Credit card removed; Last 4: 4444').exists()


async def test_the_statement_downloads_as_a_pdf(user: User):
    await owing()
    await sign_in(user)
    await user.open('/portal/payments')
    press(user, 'Download statement (PDF)')
    for _ in range(100):
        if user.download.http_responses:
            break
        await asyncio.sleep(0.05)
    response = user.download.http_responses[-1]
    assert response.content.startswith(b'%PDF')


async def test_staff_post_a_credit_from_the_family_page(user: User):
    made = await owing()
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    user.find(kind=ui.input, content='Amount').type('15')
    user.find(kind=ui.input, content='Description').type('Sibling discount')
    select = next(s for s in user.find(kind=ui.select).elements if s.props.get('label') == 'Type')
    select.value = 'credit'
    press(user, 'Post to account')
    for _ in range(100):
        if (await ledger.account_summary(made.family.id)).balance == Decimal('100.95'):
            break
        await asyncio.sleep(0.02)
    assert (await ledger.account_summary(made.family.id)).balance == Decimal('100.95')
    assert await PortalEvent.filter(message='Credit posted: 15.00 Sibling discount by Front Desk').exists()
