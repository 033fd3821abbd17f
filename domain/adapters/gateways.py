"""Payment processors behind one interface: a built-in sandbox, and Stripe.

A gateway never sees Kinroll's database and Kinroll never keeps a card number: the sandbox turns test
numbers into tokens the way a processor's test mode does, and with Stripe the number is typed on Stripe's
own hosted page, so it never reaches this server at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

import httpx


class GatewayTimeout(Exception):
    """No answer in time: the charge may or may not have happened. Ask again with the same key; never guess."""


class CardRefused(Exception):
    """The card details cannot become a token (a wrong number, a past expiry). The message never quotes them."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(f'{field}: {code}')
        self.field, self.code = field, code


@dataclass(frozen=True)
class CardOnFile:
    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class ChargeResult:
    approved: bool
    reference: str
    decline_code: str = ''  # card_declined, insufficient_funds, expired_card, processing_error


class Gateway(Protocol):
    name: str

    async def charge(
        self, *, token: str, amount: Decimal, currency: str, idempotency_key: str, description: str
    ) -> ChargeResult:
        """Charge a card token. The same idempotency key always gives the same single charge."""
        ...


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in number]
    odd = digits[-1::-2]
    even = [sum(divmod(2 * d, 10)) for d in digits[-2::-2]]
    return (sum(odd) + sum(even)) % 10 == 0


def card_brand(number: str) -> str:
    if number.startswith('4'):
        return 'Visa'
    if number[:2] in {'51', '52', '53', '54', '55'} or 2221 <= int(number[:4] or 0) <= 2720:
        return 'Mastercard'
    if number[:2] in {'34', '37'}:
        return 'Amex'
    if number.startswith(('6011', '65')):
        return 'Discover'
    return 'Card'


# The sandbox's documented test cards, as processors document theirs.
SANDBOX_CARDS = {
    '4242424242424242': 'approve',
    '5555555555554444': 'approve',
    '4000000000000002': 'card_declined',
    '4000000000009995': 'insufficient_funds',
    '4000000000000069': 'expired_card',
    '4000000000000119': 'processing_error',
    '4000000000000077': 'timeout',  # approved, but the answer is lost on the way: tests "pending"
}


@dataclass
class SandboxGateway:
    """Test mode: Luhn check, deterministic answers per test card, idempotent by key, nothing sent anywhere."""

    name: str = 'sandbox'
    charges: dict[str, ChargeResult] = field(default_factory=dict)  # idempotency key -> the one charge
    charge_count: int = 0

    def tokenize(self, number: str, exp_month: int, exp_year: int, cvc: str, *, today: dt.date) -> CardOnFile:
        """The number and security code are used here and dropped: only the token and its label come back."""
        digits = ''.join(ch for ch in number if ch.isdigit())
        if not 12 <= len(digits) <= 19 or not luhn_ok(digits):
            raise CardRefused('number', 'invalid_number')
        if not 1 <= exp_month <= 12 or (exp_year, exp_month) < (today.year, today.month) or exp_year > today.year + 20:
            raise CardRefused('expiry', 'invalid_expiry')
        if not (cvc.isdigit() and len(cvc) in (3, 4)):
            raise CardRefused('cvc', 'invalid_cvc')
        # The token names the test card's behaviour (never its number), so saved cards outlive a restart.
        token = f'tok_sandbox_{SANDBOX_CARDS.get(digits, "approve")}_{secrets.token_hex(8)}'
        return CardOnFile(token, card_brand(digits), digits[-4:], exp_month, exp_year)

    async def charge(
        self, *, token: str, amount: Decimal, currency: str, idempotency_key: str, description: str
    ) -> ChargeResult:
        if idempotency_key in self.charges:
            return self.charges[idempotency_key]
        behaviour = (
            token.removeprefix('tok_sandbox_').rsplit('_', 1)[0]
            if token.startswith('tok_sandbox_')
            else 'card_declined'
        )
        self.charge_count += 1
        if behaviour in ('approve', 'timeout'):
            result = ChargeResult(True, 'ch_sandbox_' + hashlib.sha256(idempotency_key.encode()).hexdigest()[:16])
        else:
            result = ChargeResult(False, 'ch_sandbox_declined', behaviour)
        self.charges[idempotency_key] = result
        if behaviour == 'timeout':  # charged; the next call with the same key gets the stored answer
            raise GatewayTimeout('no answer from the sandbox processor')
        return result


class StripeWebhookRejected(Exception):
    """A webhook whose signature does not verify, or is too old: it is ignored."""


@dataclass
class StripeGateway:
    """Stripe's REST API: hosted Checkout to save a card, PaymentIntents to charge it, signed webhooks.

    Requests are form-encoded with a bearer key; charges carry Stripe's Idempotency-Key header, and
    replaying a request with the same key returns Stripe's first answer, which is how a timeout is resolved.
    """

    secret_key: str
    webhook_secret: str
    api_base: str = 'https://api.stripe.com'
    timeout: float = 20.0
    name: str = 'stripe'
    tolerance: int = 300  # seconds a webhook signature stays valid, as Stripe's libraries default

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.api_base, timeout=self.timeout, headers={'Authorization': f'Bearer {self.secret_key}'}
        )

    async def _post(self, path: str, data: dict, idempotency_key: str | None = None) -> httpx.Response:
        headers = {'Idempotency-Key': idempotency_key} if idempotency_key else {}
        try:
            async with self._client() as client:
                return await client.post(path, data=data, headers=headers)
        except (httpx.TimeoutException, httpx.NetworkError) as exc:
            raise GatewayTimeout(f'no answer from Stripe: {type(exc).__name__}') from exc

    async def create_customer(self, family_name: str, email: str, idempotency_key: str) -> str:
        response = await self._post('/v1/customers', {'name': family_name, 'email': email}, idempotency_key)
        response.raise_for_status()
        return response.json()['id']

    async def setup_page(self, *, customer: str, success_url: str, cancel_url: str, reference: str) -> tuple[str, str]:
        """A Stripe-hosted page where the parent types the card; returns (session id, address to send them to)."""
        response = await self._post(
            '/v1/checkout/sessions',
            {
                'mode': 'setup',
                'customer': customer,
                'currency': 'usd',
                'payment_method_types[]': 'card',
                'success_url': success_url,
                'cancel_url': cancel_url,
                'client_reference_id': reference,
            },
            idempotency_key=f'setup-{reference}',
        )
        response.raise_for_status()
        body = response.json()
        return body['id'], body['url']

    async def card_from_setup(self, session_id: str) -> CardOnFile:
        """After the hosted page: the saved payment method's label and id (the token Kinroll keeps)."""
        async with self._client() as client:
            response = await client.get(
                f'/v1/checkout/sessions/{session_id}', params={'expand[]': 'setup_intent.payment_method'}
            )
        response.raise_for_status()
        method = response.json()['setup_intent']['payment_method']
        card = method['card']
        return CardOnFile(method['id'], card['brand'].title(), card['last4'], card['exp_month'], card['exp_year'])

    async def charge(
        self, *, token: str, amount: Decimal, currency: str, idempotency_key: str, description: str, customer: str = ''
    ) -> ChargeResult:
        cents = int((amount * 100).to_integral_value())
        data = {
            'amount': str(cents),
            'currency': currency.lower(),
            'payment_method': token,
            'confirm': 'true',
            'off_session': 'true',
            'description': description,
            'metadata[idempotency_key]': idempotency_key,
        }
        if customer:
            data['customer'] = customer
        response = await self._post('/v1/payment_intents', data, idempotency_key)
        body = response.json()
        if response.status_code == 402 or (response.status_code == 200 and body.get('status') != 'succeeded'):
            error = body.get('error', {})
            intent = error.get('payment_intent') or body
            return ChargeResult(
                False, intent.get('id', ''), error.get('decline_code') or error.get('code') or 'card_declined'
            )
        if response.status_code >= 500 or response.status_code == 409:
            raise GatewayTimeout(f'Stripe answered {response.status_code}')
        response.raise_for_status()
        return ChargeResult(True, body['id'])

    def verify_webhook(self, payload: bytes, signature_header: str, now: float | None = None) -> dict:
        """Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload" with the endpoint's secret>."""
        parts = [item.split('=', 1) for item in signature_header.split(',') if '=' in item]
        stamp = next((value for key, value in parts if key == 't'), '')
        signatures = [value for key, value in parts if key == 'v1']
        if not stamp.isdigit() or not signatures:
            raise StripeWebhookRejected('malformed signature header')
        expected = hmac.new(self.webhook_secret.encode(), f'{stamp}.'.encode() + payload, hashlib.sha256).hexdigest()
        if not any(hmac.compare_digest(expected, given) for given in signatures):
            raise StripeWebhookRejected('signature does not match')
        if abs((now or time.time()) - int(stamp)) > self.tolerance:
            raise StripeWebhookRejected('signature too old')
        return json.loads(payload)


def sign_webhook(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """What Stripe sends in Stripe-Signature, for tests and the stand-in server."""
    stamp = timestamp or int(time.time())
    digest = hmac.new(secret.encode(), f'{stamp}.'.encode() + payload, hashlib.sha256).hexdigest()
    return f't={stamp},v1={digest}'
