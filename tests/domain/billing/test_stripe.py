"""The Stripe adapter against a local stand-in that follows Stripe's documented formats."""

import hashlib
import json
from decimal import Decimal

import pytest
import stripe as stripe_library

from domain.adapters.gateways import WebhookRejected
from domain.adapters.sandbox import SandboxGateway
from domain.adapters.stripe import StripeGateway
from domain.billing import ledger, payments
from domain.models import Family, LedgerKind, PaymentStatus, PortalEvent, SavedCard
from domain.studio import settings
from tests.factories import make_family, signed_in
from tests.standins.stripe import SECRET_KEY, WEBHOOK_SECRET, StripeStandIn, public, sign_webhook

pytestmark = pytest.mark.usefixtures('database')


class FingerprintingStandIn(StripeStandIn):
    """Also as Stripe does: a card's `fingerprint`, the same for the same number on the account, and detaching a
    PaymentMethod from its customer."""

    def __init__(self) -> None:
        self.detached: list[str] = []
        super().__init__()

    def _routes(self) -> None:
        super()._routes()

        @self.app.post('/v1/payment_methods/{method_id}/detach')
        async def detach(method_id: str):
            self.detached.append(method_id)
            self.methods[method_id]['customer'] = None
            return public(self.methods[method_id])

    def complete_setup(self, session_id: str, number: str, exp_month: int = 12, exp_year: int = 2030):
        payload, signature = super().complete_setup(session_id, number, exp_month, exp_year)
        method = self.methods[self.sessions[session_id]['setup_intent']['payment_method']]
        method['card']['fingerprint'] = hashlib.sha256(number.encode()).hexdigest()[:16]
        return payload, signature


@pytest.fixture(scope='module')
def stripe():
    standin = FingerprintingStandIn()
    standin.serve()
    yield standin
    standin.stop()


@pytest.fixture
def gateway(stripe):
    gateway = StripeGateway(SECRET_KEY, WEBHOOK_SECRET, api_base=stripe.base_url, timeout=0.5)
    payments.configure(gateway)
    yield gateway
    payments.configure(SandboxGateway())
    stripe.currency = 'usd'


async def parent_with_card(stripe, number='4242424242424242'):
    made = await make_family('Gunnar', 'dgunnar@example.com')
    await ledger.post_entry(made.family.id, LedgerKind.FEE, Decimal('115.95'), 'Swim Level 2')
    parent = await signed_in('dgunnar@example.com')
    url = await payments.start_card_setup(parent, return_url='http://portal.test/portal/payments/cards')
    session_id = url.rsplit('/', 1)[1]
    payload, signature = stripe.complete_setup(session_id, number)
    assert await payments.handle_webhook(payload, signature) == 'card saved'
    return made, parent, await SavedCard.get(family_id=made.family.id)


async def test_a_card_is_saved_through_stripes_hosted_page_and_only_its_label_is_kept(stripe, gateway):
    made, parent, card = await parent_with_card(stripe)
    assert (card.brand, card.last4, card.exp_month, card.exp_year, card.gateway) == ('Visa', '4242', 12, 2030, 'stripe')
    assert card.token.startswith('pm_')
    assert (await Family.get(id=made.family.id)).gateway_customer.startswith('cus_')
    assert await PortalEvent.filter(message='Billing information changed: Credit card added; Last 4: 4242').exists()
    with pytest.raises(payments.TypedCardsNotAccepted):
        await payments.add_card(parent, payments.TypedCard('4242424242424242', '12/30', '123'))


async def test_a_redelivered_webhook_saves_the_card_once(stripe, gateway):
    made, parent, _card = await parent_with_card(stripe)
    url = await payments.start_card_setup(parent, return_url='http://portal.test/')
    payload, signature = stripe.complete_setup(url.rsplit('/', 1)[1], '5555555555554444')
    assert await payments.handle_webhook(payload, signature) == 'card saved'
    assert await payments.handle_webhook(payload, signature) == 'duplicate'
    assert await SavedCard.filter(family_id=made.family.id).count() == 2


async def test_the_same_card_added_again_on_stripes_page_is_kept_once_and_let_go_at_stripe(stripe, gateway):
    made, parent, card = await parent_with_card(stripe)
    url = await payments.start_card_setup(parent, return_url='http://portal.test/')
    session_id = url.rsplit('/', 1)[1]
    payload, signature = stripe.complete_setup(session_id, '4242424242424242')  # the same card, a new PaymentMethod
    assert await payments.handle_webhook(payload, signature) == 'duplicate'
    assert [c.token for c in await SavedCard.filter(family_id=made.family.id)] == [card.token]
    again = stripe.sessions[session_id]['setup_intent']['payment_method']
    assert stripe.detached == [again] and stripe.methods[card.token]['customer'] is not None
    assert await PortalEvent.filter(kind='billing_changed').count() == 1


async def test_a_card_stripe_has_not_verified_is_not_kept(stripe, gateway):
    made, parent, _card = await parent_with_card(stripe)
    url = await payments.start_card_setup(parent, return_url='http://portal.test/')
    session_id = url.rsplit('/', 1)[1]
    payload, signature = stripe.complete_setup(session_id, '5555555555554444')
    stripe.sessions[session_id]['setup_intent']['status'] = 'requires_payment_method'
    assert await payments.handle_webhook(payload, signature) == 'not verified'
    assert await SavedCard.filter(family_id=made.family.id).count() == 1


async def test_forged_or_stale_webhooks_are_rejected(stripe, gateway):
    payload = json.dumps({'type': 'checkout.session.completed', 'data': {'object': {}}}).encode()
    for signature in (
        sign_webhook(payload, 'whsec_wrong'),
        't=1,v1=00',
        'garbage',
        sign_webhook(payload, WEBHOOK_SECRET, timestamp=1_000_000_000),
    ):
        with pytest.raises(WebhookRejected):
            await payments.handle_webhook(payload, signature)
    # Signed as Stripe signs: accepted, and ignored, since it names no card set-up.
    assert await payments.handle_webhook(payload, sign_webhook(payload, WEBHOOK_SECRET)) == 'ignored'


async def test_webhooks_are_rejected_when_the_processor_sends_none(database):
    payload = json.dumps({'type': 'checkout.session.completed', 'data': {'object': {}}}).encode()
    with pytest.raises(WebhookRejected):
        await payments.handle_webhook(payload, sign_webhook(payload, WEBHOOK_SECRET))


async def test_a_charge_is_approved_once_for_one_key(stripe, gateway):
    made, parent, card = await parent_with_card(stripe)
    customer = (await Family.get(id=made.family.id)).gateway_customer
    before = stripe.charges
    key = payments.new_checkout_key()
    payment = await payments.pay(parent, key, '115.95', card_id=card.id)
    assert payment.status == PaymentStatus.APPROVED and payment.reference.startswith('pi_')
    again = await gateway.charge(
        token=card.token,
        customer=customer,
        amount=Decimal('115.95'),
        currency='USD',
        idempotency_key=key,
        description='replay',
    )
    assert again.reference == payment.reference and stripe.charges == before + 1
    assert stripe.intents[payment.reference]['amount'] == 11595


async def test_a_saved_card_is_charged_as_its_customers(stripe, gateway):
    """Stripe refuses a PaymentIntent for a card saved on a Customer unless it names that Customer."""
    made, parent, card = await parent_with_card(stripe)
    with pytest.raises(stripe_library.InvalidRequestError):
        await gateway.charge(
            token=card.token,
            customer='',
            amount=Decimal('1.00'),
            currency='USD',
            idempotency_key=payments.new_checkout_key(),
            description='no customer',
        )
    payment = await payments.pay(parent, payments.new_checkout_key(), '115.95', card_id=card.id)
    assert payment.status == PaymentStatus.APPROVED
    customer = (await Family.get(id=made.family.id)).gateway_customer
    assert stripe.intents[payment.reference]['customer'] == customer


async def test_card_set_up_and_charges_are_in_the_studios_currency(stripe, gateway):
    await settings.change(currency='EUR')
    stripe.currency = 'eur'  # an account that takes nothing else
    made, parent, card = await parent_with_card(stripe)
    assert list(stripe.sessions.values())[-1]['currency'] == 'eur'
    payment = await payments.pay(parent, payments.new_checkout_key(), '115.95', card_id=card.id)
    assert payment.status == PaymentStatus.APPROVED
    assert stripe.intents[payment.reference]['currency'] == 'eur'
    with pytest.raises(stripe_library.InvalidRequestError):
        await gateway.setup_page(
            customer=(await Family.get(id=made.family.id)).gateway_customer,
            currency='USD',
            success_url='http://portal.test/',
            cancel_url='http://portal.test/',
            reference='another',
        )


async def test_a_currency_without_cents_is_sent_in_whole_units(stripe, gateway):
    """Stripe takes amounts in the currency's smallest unit: cents for USD, but yen for JPY, which has no cents."""
    await settings.change(currency='JPY', card_fee_percent=Decimal('3'))
    stripe.currency = 'jpy'
    _made, parent, card = await parent_with_card(stripe)
    payment = await payments.pay(parent, payments.new_checkout_key(), '115', card_id=card.id)
    assert (payment.fee, payment.total) == (Decimal('3'), Decimal('118'))  # 3.45 yen of fee is 3 yen
    assert stripe.intents[payment.reference]['amount'] == 118


@pytest.mark.parametrize(
    'number, code',
    [
        ('4000000000000002', 'generic_decline'),
        ('4000000000009995', 'insufficient_funds'),
        ('4000000000000069', 'expired_card'),
    ],
)
async def test_declines_come_back_with_stripes_reason(stripe, gateway, number, code):
    made, parent, card = await parent_with_card(stripe, number)
    payment = await payments.pay(parent, payments.new_checkout_key(), '115.95', card_id=card.id)
    assert (payment.status, payment.decline_code) == (PaymentStatus.DECLINED, code)
    assert (await ledger.account_summary(made.family.id)).balance == Decimal('115.95')


async def test_no_answer_in_time_stays_pending_then_resolves_with_the_same_key(stripe, gateway):
    made, parent, card = await parent_with_card(stripe, '4000000000000077')
    before = stripe.charges
    payment = await payments.pay(parent, payments.new_checkout_key(), '115.95', card_id=card.id)
    assert payment.status == PaymentStatus.PENDING
    assert await payments.resolve_pending() == 1
    settled = await payments.Payment.get(id=payment.id)
    assert settled.status == PaymentStatus.APPROVED and stripe.charges == before + 1
    assert (await ledger.account_summary(made.family.id)).balance == Decimal('0.00')
