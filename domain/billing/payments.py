"""Paying the balance, cards on file, and never charging twice.

Every checkout carries an idempotency key. The payment is written, as pending, under that key's unique
index before the processor is asked, and the processor is given the same key; so a double tap, a reload,
a retry after a dropped connection or a second tab finds the first payment instead of making another.
When the processor does not answer, the payment stays pending and is asked about again with the same key
(the processor answers with its first result) until it is known: Kinroll never guesses.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from domain import clock, i18n, portal_log
from domain.access.actors import Actor, require_billing_access
from domain.adapters.gateways import (
    CardNotVerified,
    CardOnFile,
    CardRefused,
    ChargeResult,
    Gateway,
    GatewayTimeout,
)
from domain.adapters.sandbox import SandboxGateway
from domain.billing import cards, ledger
from domain.billing.cards import TypedCard
from domain.billing.ledger import LedgerLine
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.notices import payment_receipt
from domain.messages.outbox import Recipient
from domain.models import Channel, Contact, Family, LedgerKind, Payment, PaymentStatus, SavedCard
from domain.periodic import Periodic
from domain.portal_log import LogSubject
from domain.records import owned
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

log = logging.getLogger('kinroll.payments')

MAX_CARDS = 3
LARGEST_PAYMENT = Decimal('999999.99')
DECLINE_REASONS = {
    'card_declined': N_('The card was declined.'),
    'insufficient_funds': N_('The card was declined for insufficient funds.'),
    'expired_card': N_('The card has expired.'),
    'processing_error': N_('The card could not be processed. Please try again.'),
}
_LOG_REASONS = {
    'card_declined': 'Card declined',
    'generic_decline': 'Card declined',
    'insufficient_funds': 'Insufficient funds',
    'expired_card': 'Expired card',
    'processing_error': 'Processing error',
}


class TooManyCards(DomainError):
    MESSAGE = N_('You can keep up to three cards. Remove one first.')


class CardAlreadyOnFile(DomainError):
    MESSAGE = N_('This card is already on file.')


class ProcessorUnavailable(DomainError):
    MESSAGE = N_('The card processor did not answer. Nothing was saved: please try again.')


class TypedCardsNotAccepted(DomainError):
    """Cards asked for the wrong way: typed into Kinroll with a processor that hosts its own card page (Stripe),
    or sent to a hosted page with one that takes them on Kinroll's form (the sandbox)."""


@dataclass
class Processor:
    gateway: Gateway


processor = Processor(SandboxGateway())


def configure(gateway: Gateway) -> None:
    processor.gateway = gateway


def new_checkout_key() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Quote:
    amount: Decimal
    fee: Decimal
    total: Decimal
    fee_percent: Decimal


def quote(typed: str | Decimal, balance: Decimal, *, new_card: TypedCard | None = None) -> Quote:
    """The amount the parent typed, checked against what they may pay, with the card fee added: shown before
    they confirm. A new card's number and expiry are checked too, so that what cannot be right is said on the
    review, beside its field, rather than after "Pay"."""
    studio = settings.current()
    clean = Cleaner()
    decimals = min(i18n.minor_units(studio.currency), 2)
    if studio.allow_prepay or balance > LARGEST_PAYMENT:  # a balance larger than one payment is paid in parts
        amount = clean.amount('amount', typed, maximum=LARGEST_PAYMENT, decimals=decimals)
    else:
        too_much = N_('This is more than your balance due')
        amount = clean.amount('amount', typed, maximum=balance, too_much=too_much, decimals=decimals)
    if new_card is not None:
        cards.check(clean, new_card, today=settings.today())
    clean.raise_if_invalid()
    assert amount is not None
    smallest = Decimal(1).scaleb(-decimals)  # a cent, or a whole yen
    fee = (amount * studio.card_fee_percent / 100).quantize(smallest, ROUND_HALF_UP)
    return Quote(amount, fee, amount + fee, studio.card_fee_percent)


async def payable_balance(family_id: int, *, using_db: BaseDBAsyncClient | None = None) -> Decimal:
    """The balance less what is already on its way: what can be paid now."""
    return await _less_pending(await ledger.balance(family_id, using_db=using_db), family_id, using_db)


async def _less_pending(balance: Decimal, family_id: int, using_db: BaseDBAsyncClient | None = None) -> Decimal:
    """A balance less the family's pending payments (sent to the processor, its answer not known yet)."""
    pending = (
        await Payment.filter(family_id=family_id, status=PaymentStatus.PENDING)
        .using_db(using_db)
        .values_list('amount', flat=True)
    )
    return balance - sum((Decimal(str(a)) for a in pending), Decimal('0'))


@dataclass(frozen=True)
class CheckoutView:
    """What the payments pages show, decided here: what is owed, what can be paid now, and with what."""

    balance: Decimal  # the ledger's (negative: credit on account)
    payable: Decimal  # the balance less payments still being confirmed
    cards: tuple[SavedCard, ...]  # the default first
    takes_typed_cards: bool  # a new card is typed on Kinroll's form; if not, on the processor's own page
    allow_prepay: bool
    recent: tuple[LedgerLine, ...]

    @property
    def pending(self) -> Decimal:
        """What payments sent to the processor, not yet confirmed, add up to."""
        return self.balance - self.payable

    @property
    def amount_due(self) -> Decimal:
        return max(self.payable, Decimal('0'))

    @property
    def may_pay(self) -> bool:
        return self.payable > 0 or self.allow_prepay

    @property
    def may_add_card(self) -> bool:
        return len(self.cards) < MAX_CARDS


async def checkout_view(actor: Actor, *, recent: int = 0) -> CheckoutView:
    """The family's balance, what of it can be paid, their cards and how to add one; `recent` ledger lines."""
    await require_billing_access(actor)  # a contact whose role sees no payments: refused here too
    summary = await ledger.account_summary(actor.family_id, recent=recent)
    return CheckoutView(
        balance=summary.balance,
        payable=await _less_pending(summary.balance, actor.family_id),
        cards=tuple(await list_cards(actor)),
        takes_typed_cards=processor.gateway.takes_typed_cards,
        allow_prepay=settings.current().allow_prepay,
        recent=tuple(summary.recent),
    )


def _tokenize(card: TypedCard) -> CardOnFile:
    gateway = processor.gateway
    if not gateway.takes_typed_cards:
        raise TypedCardsNotAccepted("typed cards go to the processor's own page")
    clean = Cleaner()
    details = cards.check(clean, card, today=settings.today())
    clean.raise_if_invalid()
    assert details is not None
    try:
        return gateway.tokenize(
            details.number, details.exp_month, details.exp_year, details.cvc, today=settings.today()
        )
    except CardRefused as refused:  # the processor's own checks, which may be stricter
        raise ValidationFailed({f'card_{refused.field}': cards.CARD_ERRORS[refused.field]}) from None


async def list_cards(actor: Actor) -> list[SavedCard]:
    await require_billing_access(actor)  # a contact whose role sees no payments: refused here too
    return await SavedCard.filter(family_id=actor.family_id).order_by('-is_default', 'id')


async def add_card(actor: Actor, card: TypedCard) -> SavedCard:
    """Keep a typed card once the processor has verified it (charging nothing); the same card never twice."""
    await require_billing_access(actor)  # a contact whose role sees no payments: refused here too
    on_file = _tokenize(card)
    await _make_room(actor.family_id, on_file)  # before the processor is asked: a full wallet asks nobody
    try:
        verified = await processor.gateway.verify_card(token=on_file.token, idempotency_key=new_checkout_key())
    except GatewayTimeout:
        raise ProcessorUnavailable() from None
    if not verified.approved:
        raise ValidationFailed(
            {'card_number': DECLINE_REASONS.get(verified.decline_code, DECLINE_REASONS['card_declined'])}
        )
    async with UnitOfWork() as uow:
        return await _file_card(uow, actor.subject, actor.family_id, on_file)


async def _make_room(family_id: int, on_file: CardOnFile, using_db: BaseDBAsyncClient | None = None) -> int:
    """How many cards the family keeps, if this one may join them (CardAlreadyOnFile, TooManyCards if not)."""
    kept = await SavedCard.filter(family_id=family_id).using_db(using_db).values_list('fingerprint', flat=True)
    if on_file.fingerprint in kept:
        raise CardAlreadyOnFile()
    if len(kept) >= MAX_CARDS:
        raise TooManyCards()
    return len(kept)


async def _file_card(uow: UnitOfWork, subject: LogSubject, family_id: int, on_file: CardOnFile) -> SavedCard:
    """Keep a card the processor has approved, in the caller's unit of work. The family's row is locked while
    the wallet is counted, so two tabs keeping the same card at once keep it once, and never a fourth."""
    await Family.select_for_update().filter(id=family_id).using_db(uow.connection).first()
    count = await _make_room(family_id, on_file, uow.connection)
    saved = await SavedCard.create(
        family_id=family_id,
        gateway=processor.gateway.name,
        token=on_file.token,
        brand=on_file.brand,
        last4=on_file.last4,
        exp_month=on_file.exp_month,
        exp_year=on_file.exp_year,
        fingerprint=on_file.fingerprint,
        is_default=count == 0,
        created_at=clock.now(),
        using_db=uow.connection,
    )
    await portal_log.record(
        uow,
        subject,
        'billing_changed',
        f'Billing information changed: Credit card added; Last 4: {saved.last4}',
    )
    return saved


async def remove_card(actor: Actor, card_id: int) -> None:
    await require_billing_access(actor)  # a contact whose role sees no payments: refused here too
    async with UnitOfWork() as uow:
        card = await owned(SavedCard, actor, card_id, uow)
        await card.delete(using_db=uow.connection)
        if card.is_default:
            successor = (
                await SavedCard.filter(family_id=actor.family_id).order_by('id').using_db(uow.connection).first()
            )
            if successor:
                await SavedCard.filter(id=successor.id).using_db(uow.connection).update(is_default=True)
        await portal_log.record(
            uow,
            actor.subject,
            'billing_changed',
            f'Billing information changed: Credit card removed; Last 4: {card.last4}',
        )


async def set_default_card(actor: Actor, card_id: int) -> None:
    await require_billing_access(actor)  # a contact whose role sees no payments: refused here too
    async with UnitOfWork() as uow:
        card = await owned(SavedCard, actor, card_id, uow)
        await SavedCard.filter(family_id=actor.family_id).using_db(uow.connection).update(is_default=False)
        await SavedCard.filter(id=card.id).using_db(uow.connection).update(is_default=True)
        await portal_log.record(
            uow,
            actor.subject,
            'billing_changed',
            f'Billing information changed: Default card set; Last 4: {card.last4}',
        )


async def pay(
    actor: Actor,
    key: str,
    typed_amount: str | Decimal,
    *,
    card_id: int | None = None,
    new_card: TypedCard | None = None,
    keep_new_card: bool = False,
    covering: Decimal = Decimal('0'),
) -> Payment:
    """Pay part or all of the balance with a saved card or a new one; the same key never pays twice.

    A new card the parent asks to keep is kept only once the payment is approved (a declined card is not),
    and not again if it is already on file. `covering` is what fees about to be posted will add to the balance
    (a checkout paid before it enrols): the payment may be that much above the balance today.
    """
    await require_billing_access(actor)  # a contact whose role sees no payments: refused here too
    if not key or len(key) > 64:
        raise ValueError('a checkout needs its idempotency key')
    existing = await Payment.get_or_none(idempotency_key=key)
    if existing is not None:
        return await _replayed(actor, existing)
    try:
        quoted = quote(typed_amount, await payable_balance(actor.family_id) + covering)
    except ValidationFailed:
        # The same checkout may have been paid a moment ago by a second tap, leaving no balance to quote against.
        existing = await Payment.get_or_none(idempotency_key=key)
        if existing is not None:
            return await _replayed(actor, existing)
        raise
    if new_card is not None:
        on_file = _tokenize(new_card)
        if keep_new_card:
            with contextlib.suppress(CardAlreadyOnFile):  # paid with, and already kept: nothing more to keep
                await _make_room(actor.family_id, on_file)  # a full wallet is said before anything is charged
    else:
        keep_new_card = False
        try:
            saved = await owned(SavedCard, actor, card_id or 0)
        except NotFound:
            raise ValidationFailed({'card': N_('Choose a card')}) from None
        on_file = CardOnFile(saved.token, saved.brand, saved.last4, saved.exp_month, saved.exp_year, saved.fingerprint)
    try:
        payment, created = await _record_pending(actor, key, quoted, on_file, keep_new_card, covering)
    except IntegrityError:  # the same checkout, submitted twice at once: the other submission owns it
        payment, created = await Payment.get(idempotency_key=key), False
    if not created:
        return await _replayed(actor, payment)
    return await _ask_processor(payment, actor.subject, await _gateway_customer(actor.family_id))


async def _replayed(actor: Actor, payment: Payment) -> Payment:
    if payment.family_id != actor.family_id:  # type: ignore[attr-defined]
        raise NotFound()
    return payment


async def _record_pending(
    actor: Actor, key: str, quoted: Quote, on_file: CardOnFile, keep_card: bool, covering: Decimal = Decimal('0')
) -> tuple[Payment, bool]:
    """The pending payment under this key, and whether this call created it."""
    async with UnitOfWork() as uow:
        # One checkout at a time per family: a second tab's payment waits, then sees the first one.
        await Family.select_for_update().filter(id=actor.family_id).using_db(uow.connection).first()
        existing = await Payment.filter(idempotency_key=key).using_db(uow.connection).first()
        if existing is not None:
            return existing, False
        room = await payable_balance(actor.family_id, using_db=uow.connection)
        if quoted.amount > room + covering and not settings.current().allow_prepay:
            raise ValidationFailed({'amount': N_('This is more than your balance due')})
        return await Payment.create(
            idempotency_key=key,
            family_id=actor.family_id,
            contact_id=actor.contact_id,
            amount=quoted.amount,
            fee=quoted.fee,
            total=quoted.total,
            currency=settings.current().currency,
            gateway=processor.gateway.name,
            card_token=on_file.token,
            card_brand=on_file.brand,
            card_last4=on_file.last4,
            keep_card=keep_card,
            card_exp_month=on_file.exp_month,
            card_exp_year=on_file.exp_year,
            card_fingerprint=on_file.fingerprint,
            created_at=clock.now(),
            using_db=uow.connection,
        ), True


async def _gateway_customer(family_id: int) -> str:
    """The family's customer at the processor, whose saved cards are charged as theirs ('' if none yet)."""
    return (await Family.get(id=family_id)).gateway_customer


async def _ask_processor(payment: Payment, subject: LogSubject, customer: str) -> Payment:
    try:
        result = await processor.gateway.charge(
            token=payment.card_token,
            customer=customer,
            amount=payment.total,
            currency=payment.currency,
            idempotency_key=payment.idempotency_key,
            description=f'{settings.current().name} payment {payment.id}',
        )
    except GatewayTimeout as timeout:
        log.warning('payment %s pending: %s', payment.id, timeout)
        await Payment.filter(id=payment.id).update(checks=payment.checks + 1)
        if payment.checks == 0:
            async with UnitOfWork() as uow:
                await portal_log.record(
                    uow,
                    subject,
                    'payment',
                    f'Account: {subject.family_name} '
                    f'Amount: {payment.total} Response Code: Pending (no answer from the processor yet)',
                )
        return await Payment.get(id=payment.id)
    return await _settle(payment, result, subject)


async def _settle(payment: Payment, result: ChargeResult, subject: LogSubject) -> Payment:
    status = PaymentStatus.APPROVED if result.approved else PaymentStatus.DECLINED
    async with UnitOfWork() as uow:
        if result.approved and payment.keep_card:
            # Before the ledger rows below hold a share of it: two payments keeping cards would deadlock else.
            await Family.select_for_update().filter(id=payment.family_id).using_db(uow.connection).first()
        settled = (
            await Payment.filter(id=payment.id, status=PaymentStatus.PENDING)
            .using_db(uow.connection)
            .update(
                status=status, reference=result.reference, decline_code=result.decline_code, resolved_at=clock.now()
            )
        )
        if not settled:  # another worker settled it first
            return await Payment.get(id=payment.id)
        # As stored now, with the processor's reference: the copy read before the update has none.
        payment = await Payment.get(id=payment.id, using_db=uow.connection)
        if result.approved:
            if payment.fee > 0:
                await ledger.post_entry(
                    payment.family_id,
                    LedgerKind.FEE,
                    payment.fee,  # type: ignore[attr-defined]
                    f'Card fee ({payment.card_brand} {payment.card_last4})',
                    source=f'payment-fee:{payment.id}',
                    using_db=uow.connection,
                )
            await ledger.post_entry(
                payment.family_id,
                LedgerKind.PAYMENT,
                payment.total,  # type: ignore[attr-defined]
                ledger.card_payment(payment.card_brand, payment.card_last4),
                source=f'payment:{payment.id}',
                using_db=uow.connection,
            )
            await _queue_receipt(uow, payment)
            message = f'Account: {subject.family_name} Amount: {payment.total} Response Code: Approved'
            if payment.keep_card:
                await _keep_paid_card(uow, subject, payment)
        else:
            reason = _LOG_REASONS.get(result.decline_code, result.decline_code)
            message = f'Account: {subject.family_name} Amount: {payment.total} Response Code: Declined Reason: {reason}'
        await portal_log.record(uow, subject, 'payment', message)
    return await Payment.get(id=payment.id)


async def _keep_paid_card(uow: UnitOfWork, subject: LogSubject, payment: Payment) -> None:
    """The new card of an approved payment, kept as asked: unless it is on file already, or the wallet filled
    up while the payment was pending (the payment stands either way)."""
    on_file = CardOnFile(
        payment.card_token,
        payment.card_brand,
        payment.card_last4,
        payment.card_exp_month or 0,
        payment.card_exp_year or 0,
        payment.card_fingerprint,
    )
    with contextlib.suppress(CardAlreadyOnFile, TooManyCards):
        await _file_card(uow, subject, payment.family_id, on_file)


async def _queue_receipt(uow: UnitOfWork, payment: Payment) -> None:
    contact = await Contact.filter(id=payment.contact_id or 0).using_db(uow.connection).first()
    if contact is None or not contact.email:
        return
    language = contact.preferred_language
    currency, studio = payment.currency, settings.current()

    def money(amount: Decimal) -> str:
        return i18n.format_money(amount, currency, language, studio.phone_region)

    notice = payment_receipt(
        language,
        contact.first_name,
        amount=money(payment.amount),
        fee=money(payment.fee),
        total=money(payment.total),
        card=f'{payment.card_brand} •••• {payment.card_last4}',
        reference=payment.reference,
        when=i18n.format_moment(clock.now(), studio.timezone, language, studio.phone_region),
    )
    await outbox.enqueue(
        uow, Channel.EMAIL, Recipient(contact.full_name, contact.email, language, contact.family_id, contact.id), notice
    )


async def settle_payment_for_key(actor: Actor, key: str) -> Payment | None:
    """This checkout's payment, if it was sent; one still pending is asked about again, and may settle now."""
    await require_billing_access(actor)  # a contact whose role sees no payments: refused here too
    payment = await Payment.get_or_none(idempotency_key=key, family_id=actor.family_id)
    if payment and payment.status == PaymentStatus.PENDING:
        payment = await _ask_processor(payment, actor.subject, await _gateway_customer(actor.family_id))
    return payment


async def resolve_pending() -> int:
    """Ask the processor again, with the same keys, about payments still pending; returns how many settled."""
    settled = 0
    pending = await Payment.filter(status=PaymentStatus.PENDING).order_by('id').limit(100).select_related('family')
    payers = {c.id: c for c in await Contact.filter(id__in=[p.contact_id for p in pending]).select_related('family')}
    for payment in pending:
        contact = payers.get(payment.contact_id or 0)
        subject = LogSubject.of(contact) if contact else LogSubject(payment.family.id, payment.family.name)
        if (await _ask_processor(payment, subject, payment.family.gateway_customer)).status != PaymentStatus.PENDING:
            settled += 1
    return settled


def pending_payment_resolver(every_seconds: float = 30.0) -> Periodic:
    """While the process lives, pending payments are asked about every 30 seconds."""
    return Periodic('pending payment resolver', resolve_pending, every_seconds)


async def start_card_setup(actor: Actor, *, return_url: str) -> str:
    """With a processor that hosts its own card page (Stripe): the address where the parent adds a card."""
    await require_billing_access(actor)  # a contact whose role sees no payments: refused here too
    gateway = processor.gateway
    if gateway.takes_typed_cards:
        raise TypedCardsNotAccepted("this processor takes cards on Kinroll's own form")
    if await SavedCard.filter(family_id=actor.family_id).count() >= MAX_CARDS:
        raise TooManyCards()
    family = await Family.get(id=actor.family_id)
    if not family.gateway_customer:
        family.gateway_customer = await gateway.create_customer(family.name, actor.email, f'customer-{family.id}')
        await Family.filter(id=family.id).update(gateway_customer=family.gateway_customer)
    reference = f'{actor.family_id}:{actor.contact_id}:{secrets.token_hex(6)}'
    return await gateway.setup_page(
        customer=family.gateway_customer,
        currency=settings.current().currency,
        success_url=return_url,
        cancel_url=return_url,
        reference=reference,
    )


async def handle_webhook(payload: bytes, signature: str) -> str:
    """A signed notice from the processor (WebhookRejected if it is not). A finished card set-up saves the card;
    anything else is acknowledged and ignored."""
    gateway = processor.gateway
    finished = gateway.verify_webhook(payload, signature)
    if finished is None:
        return 'ignored'
    family_id, contact_id, _nonce = finished.reference.split(':')
    contact = await Contact.get_or_none(id=int(contact_id), family_id=int(family_id)).prefetch_related('family')
    if contact is None:
        return 'ignored'
    try:
        on_file = await gateway.card_from_setup(finished.setup_id)
    except CardNotVerified:
        return 'not verified'
    try:
        async with UnitOfWork() as uow:
            await _file_card(uow, Actor.of(contact).subject, contact.family_id, on_file)
    except (CardAlreadyOnFile, TooManyCards) as refused:
        # Stripe may deliver an event more than once (the same card: kept already); a card typed again, or one
        # past the three, was attached to the customer by the hosted page and is let go there too.
        if not await SavedCard.filter(family_id=contact.family_id, token=on_file.token).exists():
            await _forget_at_processor(on_file.token)
        return 'duplicate' if isinstance(refused, CardAlreadyOnFile) else 'too many cards'
    return 'card saved'


async def _forget_at_processor(token: str) -> None:
    try:
        await processor.gateway.forget_card(token)
    except GatewayTimeout:  # the processor away: the card stays there unused, and Kinroll never charges it
        log.warning('could not detach a card not kept at the processor', exc_info=True)


def decline_message(payment: Payment) -> str:
    return DECLINE_REASONS.get(payment.decline_code, DECLINE_REASONS['card_declined'])
