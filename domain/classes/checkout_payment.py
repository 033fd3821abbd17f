"""A checkout paid before it enrols, when the studio takes payment at enrolment (the `pay_at_checkout` setting).

A card on file is charged what the checkout adds to the family's balance, under the checkout's own key, so a
second tap, a second tab or a retry after a lost answer never charges twice; only an approved payment enrols.
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
from domain.billing import payments
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


def payment_key(checkout_id: int) -> str:
    """One payment per checkout, whoever taps and however often."""
    return f'checkout-{checkout_id}'


def takes_payment(view: CheckoutView) -> bool:
    return settings.current().pay_at_checkout and view.total > 0


async def amount_due(actor: Actor, view: CheckoutView) -> Decimal:
    """What the card is charged: the checkout's fees, less any credit the family has on its account."""
    credit = max(Decimal('0'), -await payments.payable_balance(actor.family_id))
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
        paid = await Payment.get_or_none(
            idempotency_key=payment_key(checkout_id), family_id=actor.family_id, status=PaymentStatus.APPROVED
        )
        if paid is not None:  # charged by an earlier tap whose answer came after the hold ran out
            raise PaidNotEnrolled(Decimal(str(paid.amount))) from None
        raise
    if not takes_payment(view):
        return await enrolment.enrol(actor, checkout_id, acceptances, user_agent=user_agent)
    _refuse_unsigned(actor, view, acceptances or {})  # a missing signature is said before any charge
    key = payment_key(checkout_id)
    payment = await payments.settle_payment_for_key(actor, key)  # a tap before this one may have charged
    if payment is None:
        due = await amount_due(actor, view)
        if due > 0:
            await _hold_while_charging(actor, checkout_id)
            payment = await payments.pay(actor, key, due, card_id=card_id, covering=view.total)
    if payment is not None:
        _refuse_unpaid(payment)
    try:
        return await enrolment.enrol(actor, checkout_id, acceptances, user_agent=user_agent)
    except (HoldRanOut, NotFound, ClassFull, NotEligible):
        if await Checkout.filter(id=checkout_id, family_id=actor.family_id, outcome='enrolled').exists():
            return []  # the other tap's enrolment
        if payment is None:
            raise
        raise PaidNotEnrolled(Decimal(str(payment.amount))) from None


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
