"""The built-in sandbox processor: a processor's test mode, with nothing sent anywhere."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from domain.adapters.gateways import (
    CardOnFile,
    CardRefused,
    CardSetupFinished,
    ChargeResult,
    GatewayTimeout,
    NotOffered,
    WebhookRejected,
    label_fingerprint,
)
from domain.billing.cards import luhn_ok


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

_HOSTED = "the sandbox takes cards on Kinroll's own form"


@dataclass
class SandboxGateway:
    """Test mode: Luhn check, deterministic answers per test card, idempotent by key, nothing sent anywhere."""

    name: str = 'sandbox'
    charges: dict[str, ChargeResult] = field(default_factory=dict)  # idempotency key -> the one charge
    charge_count: int = 0
    takes_typed_cards = True

    def tokenize(self, number: str, exp_month: int, exp_year: int, cvc: str, *, today: dt.date) -> CardOnFile:
        digits = ''.join(ch for ch in number if ch.isdigit())
        if not 12 <= len(digits) <= 19 or not luhn_ok(digits):
            raise CardRefused('number', 'invalid_number')
        if not 1 <= exp_month <= 12 or (exp_year, exp_month) < (today.year, today.month) or exp_year > today.year + 20:
            raise CardRefused('expiry', 'invalid_expiry')
        if not (cvc.isdigit() and len(cvc) in (3, 4)):
            raise CardRefused('cvc', 'invalid_cvc')
        # The token names the test card's behaviour (never its number), so saved cards outlive a restart.
        token = f'tok_sandbox_{SANDBOX_CARDS.get(digits, "approve")}_{secrets.token_hex(8)}'
        brand = card_brand(digits)
        return CardOnFile(
            token, brand, digits[-4:], exp_month, exp_year, label_fingerprint(brand, digits[-4:], exp_month, exp_year)
        )

    async def create_customer(self, family_name: str, email: str, idempotency_key: str) -> str:
        raise NotOffered(_HOSTED)

    async def setup_page(
        self, *, customer: str, currency: str, success_url: str, cancel_url: str, reference: str
    ) -> str:
        raise NotOffered(_HOSTED)

    async def card_from_setup(self, setup_id: str) -> CardOnFile:
        raise NotOffered(_HOSTED)

    def verify_webhook(self, payload: bytes, signature: str) -> CardSetupFinished | None:
        raise WebhookRejected('the sandbox sends no webhooks')

    async def verify_card(self, *, token: str, idempotency_key: str) -> ChargeResult:
        """A zero-amount authorisation: a test card that would be declined is declined; nothing is charged."""
        behaviour = _behaviour(token)
        if behaviour in ('approve', 'timeout'):  # the lost-answer card loses the answers of charges only
            return ChargeResult(True, 'seti_sandbox_' + hashlib.sha256(idempotency_key.encode()).hexdigest()[:16])
        return ChargeResult(False, '', behaviour)

    async def forget_card(self, token: str) -> None:
        """The sandbox keeps no cards of its own: the token is all there is."""

    async def charge(
        self, *, token: str, customer: str, amount: Decimal, currency: str, idempotency_key: str, description: str
    ) -> ChargeResult:
        if idempotency_key in self.charges:
            return self.charges[idempotency_key]
        behaviour = _behaviour(token)
        self.charge_count += 1
        if behaviour in ('approve', 'timeout'):
            result = ChargeResult(True, 'ch_sandbox_' + hashlib.sha256(idempotency_key.encode()).hexdigest()[:16])
        else:
            result = ChargeResult(False, 'ch_sandbox_declined', behaviour)
        self.charges[idempotency_key] = result
        if behaviour == 'timeout':  # charged; the next call with the same key gets the stored answer
            raise GatewayTimeout('no answer from the sandbox processor')
        return result


def _behaviour(token: str) -> str:
    """What a sandbox token was made to do (named in the token, never the number)."""
    if not token.startswith('tok_sandbox_'):
        return 'card_declined'
    return token.removeprefix('tok_sandbox_').rsplit('_', 1)[0]
