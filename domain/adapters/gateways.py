"""Payment processors behind one interface: what the domain asks of one, and the types they answer with.

A gateway never sees Kinroll's database and Kinroll never keeps a card number: the sandbox
(`domain/adapters/sandbox.py`) turns test numbers into tokens the way a processor's test mode does, and
with Stripe (`domain/adapters/stripe.py`) the number is typed on Stripe's own hosted page, so it never
reaches this server at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol


class GatewayTimeout(Exception):
    """No answer in time: the charge may or may not have happened. Ask again with the same key; never guess."""


class CardRefused(Exception):
    """The card details cannot become a token (a wrong number, a past expiry). The message never quotes them."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(f'{field}: {code}')
        self.field, self.code = field, code


class NotOffered(Exception):
    """Asked of a processor that does not work that way (see `Gateway.takes_typed_cards`)."""


class WebhookRejected(Exception):
    """A webhook whose signature does not verify, or is too old, or a processor that sends none: it is ignored."""


class CardNotVerified(Exception):
    """The processor has not confirmed that the card can be charged (a hosted set-up that did not succeed)."""


@dataclass(frozen=True)
class CardOnFile:
    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    fingerprint: str  # the same for the same card however often it is typed: one card is kept once


def label_fingerprint(brand: str, last4: str, exp_month: int, exp_year: int) -> str:
    """What tells one card from another where the processor gives no fingerprint: its brand, last four, expiry."""
    return f'{brand.lower()}:{last4}:{exp_month:02d}/{exp_year}'


@dataclass(frozen=True)
class ChargeResult:
    approved: bool
    reference: str
    decline_code: str = ''  # card_declined, insufficient_funds, expired_card, processing_error


@dataclass(frozen=True)
class CardSetupFinished:
    """The processor's word that a parent finished adding a card on its hosted page."""

    setup_id: str  # what `card_from_setup` is asked with
    reference: str  # what `setup_page` was given


class Gateway(Protocol):
    """Everything the domain asks of a payment processor.

    A processor takes cards one of two ways, and says which: typed into Kinroll's own form and turned into a
    token here (`takes_typed_cards`: `tokenize`), or typed on the processor's hosted page, which reports the
    saved card in a signed webhook (`create_customer`, `setup_page`, `verify_webhook`, `card_from_setup`).
    Asked the other way's questions, a processor raises `NotOffered`.
    """

    name: str
    takes_typed_cards: bool

    def tokenize(self, number: str, exp_month: int, exp_year: int, cvc: str, *, today: dt.date) -> CardOnFile:
        """The number and security code are used here and dropped: only the token and its label come back."""
        ...

    async def create_customer(self, family_name: str, email: str, idempotency_key: str) -> str:
        """The processor's customer for a family, whose saved cards it charges; returns its id."""
        ...

    async def setup_page(
        self, *, customer: str, currency: str, success_url: str, cancel_url: str, reference: str
    ) -> str:
        """The address of the processor's page where the parent adds a card for this customer."""
        ...

    async def card_from_setup(self, setup_id: str) -> CardOnFile:
        """After the hosted page: the saved card's label and token, once the processor has verified it
        (CardNotVerified if it has not)."""
        ...

    async def verify_card(self, *, token: str, idempotency_key: str) -> ChargeResult:
        """Ask the processor whether a typed card can be charged, charging nothing (a zero-amount authorisation),
        before it is kept. A processor whose hosted page verifies the card itself raises NotOffered."""
        ...

    async def forget_card(self, token: str) -> None:
        """The processor no longer keeps this card for the customer (a duplicate that is not kept)."""
        ...

    def verify_webhook(self, payload: bytes, signature: str) -> CardSetupFinished | None:
        """A signed notice from the processor, checked (WebhookRejected if not); None for what Kinroll ignores."""
        ...

    async def charge(
        self, *, token: str, customer: str, amount: Decimal, currency: str, idempotency_key: str, description: str
    ) -> ChargeResult:
        """Charge a card token (of `customer`, when the card is saved on one: '' if not).

        The same idempotency key always gives the same single charge.
        """
        ...


# The two processors live in their own modules and can still be imported from here. They are looked up
# when first asked for, since both modules import the types above.
if TYPE_CHECKING:
    from domain.adapters.sandbox import SandboxGateway as SandboxGateway
    from domain.adapters.stripe import StripeGateway as StripeGateway


def __getattr__(name: str) -> type:
    if name == 'SandboxGateway':
        from domain.adapters.sandbox import SandboxGateway

        return SandboxGateway
    if name == 'StripeGateway':
        from domain.adapters.stripe import StripeGateway

        return StripeGateway
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
