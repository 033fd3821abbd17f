"""A checkout paid before it enrols, when the studio takes payment at enrolment (the `pay_at_checkout` setting).

A card on file is charged what the checkout adds to the family's balance, under a key of the checkout's own
(one per attempt: a declined card may be followed by another), so a second tap, a second tab or a retry after
a lost answer never charges twice; only an approved payment enrols.
The order is charge, then enrol, since an enrolment cannot be taken back once its email has gone:
- a decline leaves the seats held and nothing written but the declined payment;
- a processor that does not answer leaves the payment pending (asked again on the next tap, and by the
  resolver) and the seats held a little longer;
- should the hold run out between an approved charge and the enrolment (a parent gone for longer than the
  hold), the payment stays on the family's account as a credit and the page says so. Money is never taken
  without being on the account.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from domain import clock
from domain.access.actors import Actor
from domain.billing import ledger, payments
from domain.classes import enrolment
from domain.classes.enrolment import CheckoutView, ClassFull, HoldRanOut, NotEligible
from domain.errors import DomainError, NotFound
from domain.i18n import N_
from domain.models import Checkout, Enrolment, Payment, PaymentStatus
from domain.registration import policies
from domain.registration.policies import Acceptance
from domain.studio import settings
from domain.validation import Cleaner

# Long enough for a processor's slowest answer: the seats must not run out while the card is being charged.
HOLD_WHILE_CHARGING = dt.timedelta(minutes=2)


class PaymentDeclined(DomainError):
    MESSAGE = N_('{reason} Your places are still held: try another card.')

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PaymentPending(DomainError):
    MESSAGE = N_('The card processor has not answered yet. Your places are still held: tap again in a moment.')


class PaidNotEnrolled(DomainError):
    MESSAGE = N_(
        'Your payment of {amount} is on your account as a credit, but the places were no longer held. '
        'Choose the classes again, or ask the studio.'
    )

    def __init__(self, amount: Decimal) -> None:
        super().__init__(str(amount))
        self.amount = amount


def payment_key(checkout_id: int, attempt: int = 1) -> str:
    """One payment per attempt at a checkout, whoever taps and however often: a new attempt only after a decline."""
    return f'checkout-{checkout_id}-{attempt}'


async def _last_attempt(actor: Actor, checkout_id: int) -> tuple[int, Payment | None]:
    """The checkout's latest payment and its attempt number (0 and None before the first)."""
    found = await Payment.filter(
        family_id=actor.family_id, idempotency_key__startswith=f'checkout-{checkout_id}-'
    ).order_by('-id')
    if not found:
        return 0, None
    return int(found[0].idempotency_key.rsplit('-', 1)[1]), found[0]


async def is_paying(actor: Actor, checkout_id: int) -> bool:
    """A payment for the checkout is on its way or approved: its seats must not be let go (the parent's phone
    may only have lost its signal for a moment)."""
    _attempt, payment = await _last_attempt(actor, checkout_id)
    return payment is not None and payment.status != PaymentStatus.DECLINED


def takes_payment(view: CheckoutView) -> bool:
    return settings.current().pay_at_checkout and view.total > 0


async def amount_due(actor: Actor, view: CheckoutView) -> Decimal:
    """What the card is charged: the checkout's fees, less any credit the family has on its account. A payment
    still on its way is no credit: it may yet be declined."""
    credit = max(Decimal('0'), -await ledger.balance(actor.family_id))
    return max(Decimal('0'), view.total - credit)


async def pay_and_enrol(
    actor: Actor,
    checkout_id: int,
    card_id: int | None,
    acceptances: dict[int, Acceptance] | None = None,
    *,
    user_agent: str = '',
) -> list[Enrolment]:
    """Charge the card for the checkout, then enrol as `enrolment.enrol` does. An empty list: another tap of
    the same checkout enrolled it a moment ago."""
    try:
        view = await enrolment.checkout_view(actor, checkout_id)  # run out, or someone else's: said before a charge
    except HoldRanOut:
        if await _enrolled(actor, checkout_id):
            return []  # another tap, or another tab, enrolled it a moment ago
        _attempt, paid = await _last_attempt(actor, checkout_id)
        if paid is not None and paid.status == PaymentStatus.APPROVED:  # its answer came after the hold ran out
            raise PaidNotEnrolled(Decimal(str(paid.amount))) from None
        raise
    if not takes_payment(view):
        return await enrolment.enrol(actor, checkout_id, acceptances, user_agent=user_agent)
    _refuse_unsigned(actor, view, acceptances or {})  # a missing signature is said before any charge
    attempt, payment = await _last_attempt(actor, checkout_id)
    if payment is not None:  # a tap before this one charged, or tried to: asked again if no answer came
        payment = await payments.settle_payment_for_key(actor, payment.idempotency_key)
    if payment is None or payment.status == PaymentStatus.DECLINED:  # the first try, or another card's
        due = await amount_due(actor, view)
        payment = None
        if due > 0:
            await _hold_while_charging(actor, checkout_id)
            key = payment_key(checkout_id, attempt + 1)
            payment = await payments.pay(actor, key, due, card_id=card_id, covering=view.total)
    if payment is not None:
        _refuse_unpaid(payment)
    try:
        return await enrolment.enrol(actor, checkout_id, acceptances, user_agent=user_agent)
    except (HoldRanOut, NotFound, ClassFull, NotEligible):
        if await _enrolled(actor, checkout_id):
            return []  # the other tap's enrolment
        if payment is None:
            raise
        raise PaidNotEnrolled(Decimal(str(payment.amount))) from None


async def _enrolled(actor: Actor, checkout_id: int) -> bool:
    return await Checkout.filter(id=checkout_id, family_id=actor.family_id, outcome='enrolled').exists()


def _refuse_unsigned(actor: Actor, view: CheckoutView, acceptances: dict[int, Acceptance]) -> None:
    clean = Cleaner()
    policies.check_acceptances(clean, view.policies, acceptances, actor.contact_name)
    clean.raise_if_invalid()


def _refuse_unpaid(payment: Payment) -> None:
    if payment.status == PaymentStatus.DECLINED:
        raise PaymentDeclined(payments.decline_message(payment))
    if payment.status == PaymentStatus.PENDING:
        raise PaymentPending()


async def _hold_while_charging(actor: Actor, checkout_id: int) -> None:
    """Keep the seats a moment past the processor's slowest answer (never shortening a hold), or say the hold
    ran out before anything is charged: one that ran out is never brought back, its seats may be taken."""
    now = clock.now()
    live = Checkout.filter(id=checkout_id, family_id=actor.family_id, closed_at=None, expires_at__gt=now)
    await live.filter(expires_at__lt=now + HOLD_WHILE_CHARGING).update(expires_at=now + HOLD_WHILE_CHARGING)
    if not await live.exists():
        raise HoldRanOut()
