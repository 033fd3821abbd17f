"""Stripe, through its official library: hosted Checkout saves a card, PaymentIntents charge it, signed webhooks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import stripe
from stripe.params import PaymentIntentCreateParams

from domain.adapters.gateways import (
    CardNotVerified,
    CardOnFile,
    CardSetupFinished,
    ChargeResult,
    GatewayTimeout,
    NotOffered,
    WebhookRejected,
    label_fingerprint,
)
from domain.i18n import minor_units


@dataclass
class StripeGateway:
    """Stripe's API through its async client (over httpx).

    Charges carry Stripe's idempotency key, and replaying a request with the same key returns Stripe's first
    answer, which is how an unanswered charge is resolved: the library itself retries nothing, Kinroll's
    resolver asks again with the same key.
    """

    secret_key: str
    webhook_secret: str
    api_base: str = 'https://api.stripe.com'
    timeout: float = 20.0
    name: str = 'stripe'
    tolerance: int = 300  # seconds a webhook signature stays valid, as Stripe's libraries default
    client: stripe.StripeClient = field(init=False, repr=False)
    takes_typed_cards = False  # cards are typed on Stripe's hosted page

    def __post_init__(self) -> None:
        self.client = stripe.StripeClient(
            self.secret_key,
            base_addresses={'api': self.api_base},
            http_client=stripe.HTTPXClient(timeout=self.timeout),
            max_network_retries=0,
        )

    def tokenize(self, number: str, exp_month: int, exp_year: int, cvc: str, *, today: dt.date) -> CardOnFile:
        raise NotOffered("with Stripe, cards are typed on Stripe's own page")

    async def create_customer(self, family_name: str, email: str, idempotency_key: str) -> str:
        customer = await self.client.v1.customers.create_async(
            {'name': family_name, 'email': email}, {'idempotency_key': idempotency_key}
        )
        return customer.id

    async def setup_page(
        self, *, customer: str, currency: str, success_url: str, cancel_url: str, reference: str
    ) -> str:
        session = await self.client.v1.checkout.sessions.create_async(
            {
                'mode': 'setup',
                'customer': customer,
                'currency': currency.lower(),
                'allowed_payment_method_types': ['card'],
                'success_url': success_url,
                'cancel_url': cancel_url,
                'client_reference_id': reference,
            },
            {'idempotency_key': f'setup-{reference}'},
        )
        assert session.url, 'a hosted Checkout session has an address'
        return session.url

    async def card_from_setup(self, setup_id: str) -> CardOnFile:
        session = await self.client.v1.checkout.sessions.retrieve_async(
            setup_id, {'expand': ['setup_intent.payment_method']}
        )
        intent = session['setup_intent']
        if not intent or intent['status'] != 'succeeded':  # Stripe has not verified the card: it is not kept
            raise CardNotVerified(f'set-up {setup_id} is {intent["status"] if intent else "not started"}')
        method = intent['payment_method']
        card = method['card']
        brand, last4, month, year = card['brand'].title(), card['last4'], card['exp_month'], card['exp_year']
        # Stripe's fingerprint is the same for the same card number on this account, whatever the customer
        fingerprint = card.to_dict().get('fingerprint') or label_fingerprint(brand, last4, month, year)
        return CardOnFile(method['id'], brand, last4, month, year, fingerprint)

    async def verify_card(self, *, token: str, idempotency_key: str) -> ChargeResult:
        raise NotOffered("with Stripe, cards are verified on Stripe's own page before they are reported")

    async def forget_card(self, token: str) -> None:
        """Detach the PaymentMethod from its customer, so Stripe no longer keeps it for them."""
        try:
            await self.client.v1.payment_methods.detach_async(token)
        except stripe.InvalidRequestError:  # detached already, or never attached: nothing is kept
            return
        except (stripe.APIConnectionError, stripe.APIError) as unanswered:
            raise GatewayTimeout(f'no answer from Stripe: {type(unanswered).__name__}') from unanswered

    def verify_webhook(self, payload: bytes, signature: str) -> CardSetupFinished | None:
        try:
            event = self.client.construct_event(payload, signature, self.webhook_secret, self.tolerance)
        except (stripe.SignatureVerificationError, ValueError) as rejected:
            raise WebhookRejected(str(rejected)) from None
        session = event.data.object.to_dict()
        if event.type != 'checkout.session.completed' or session.get('mode') != 'setup':
            return None
        return CardSetupFinished(session['id'], session['client_reference_id'])

    async def charge(
        self, *, token: str, customer: str, amount: Decimal, currency: str, idempotency_key: str, description: str
    ) -> ChargeResult:
        params: PaymentIntentCreateParams = {
            'amount': int((amount.scaleb(minor_units(currency))).to_integral_value()),  # yen have no cents
            'currency': currency.lower(),
            'payment_method': token,
            'confirm': True,
            'off_session': True,
            'description': description,
            'metadata': {'idempotency_key': idempotency_key},
        }
        if customer:  # a card saved on a Stripe customer is charged as that customer's, or Stripe refuses
            params['customer'] = customer
        try:
            intent = await self.client.v1.payment_intents.create_async(params, {'idempotency_key': idempotency_key})
        except stripe.CardError as declined:
            error = declined.error
            refused = error.payment_intent if error else None
            code = (error.decline_code if error else None) or declined.code or 'card_declined'
            return ChargeResult(False, refused.id if refused else '', code)
        except (stripe.APIConnectionError, stripe.APIError) as unanswered:  # no answer, a 409 or a 5xx
            raise GatewayTimeout(f'no answer from Stripe: {type(unanswered).__name__}') from unanswered
        if intent.status != 'succeeded':
            return ChargeResult(False, intent.id, 'card_declined')
        return ChargeResult(True, intent.id)
