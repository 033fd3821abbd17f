"""The family's account: fees, payments, credits and refunds, and the balance they add up to."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import audit, clock, i18n, portal_log
from domain.access.actors import StaffActor
from domain.errors import NotFound
from domain.i18n import N_
from domain.models import Family, LedgerEntry, LedgerKind
from domain.portal_log import LogSubject
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

# What each kind of entry is called (gettext ids, translated where shown).
KIND_NAMES = {
    LedgerKind.FEE: N_('Fee'),
    LedgerKind.PAYMENT: N_('Payment'),
    LedgerKind.CREDIT: N_('Credit'),
    LedgerKind.REFUND: N_('Refund'),
}

# What each kind of entry does to the balance a family owes.
_SIGN = {LedgerKind.FEE: 1, LedgerKind.REFUND: 1, LedgerKind.PAYMENT: -1, LedgerKind.CREDIT: -1}


@dataclass(frozen=True)
class LedgerLine:
    posted_at: dt.datetime
    kind: LedgerKind
    description: str
    amount: Decimal

    @property
    def effect(self) -> Decimal:
        """Signed: what this line added to (or took off) the balance."""
        return self.amount * _SIGN[self.kind]


@dataclass(frozen=True)
class AccountSummary:
    balance: Decimal
    recent: list[LedgerLine]


CARD_PAYMENT = N_('Card payment — {card}')


def card_payment(brand: str, last4: str) -> str:
    """A payment's line as it is stored: in English, as every line the portal writes for staff."""
    return CARD_PAYMENT.format(card=f'{brand} {last4}')


def described(description: str, language: str) -> str:
    """A line's description in the reader's language where the portal wrote it; as typed where staff did."""
    written = re.fullmatch(r'Card payment — (.+)', description)
    return i18n.gettext(language, CARD_PAYMENT).format(card=written.group(1)) if written else description


def balance_of(lines: list[LedgerLine]) -> Decimal:
    return sum((line.effect for line in lines), Decimal('0.00'))


async def account_summary(
    family_id: int, *, recent: int = 5, using_db: BaseDBAsyncClient | None = None
) -> AccountSummary:
    """Sums in Python with Decimal: SQLite would add the amounts as floating point."""
    if recent == 0:
        return AccountSummary(await balance(family_id, using_db=using_db), [])
    entries = await LedgerEntry.filter(family_id=family_id).order_by('-posted_at', '-id').using_db(using_db)
    lines = [LedgerLine(e.posted_at, e.kind, e.description, e.amount) for e in entries]
    return AccountSummary(balance_of(lines), lines[:recent])


async def balance(family_id: int, *, using_db: BaseDBAsyncClient | None = None) -> Decimal:
    """What the family owes (negative: credit), from the kinds and amounts alone: no row becomes a model."""
    rows = await LedgerEntry.filter(family_id=family_id).using_db(using_db).values_list('kind', 'amount')
    return balance_of_rows(rows)


def balance_of_rows(rows: Iterable[tuple[Any, Any]]) -> Decimal:
    """The balance of (kind, amount) rows as any database returns them: amounts may be text, floats or Decimal."""
    return sum((Decimal(str(amount)) * _SIGN[LedgerKind(kind)] for kind, amount in rows), Decimal('0.00'))


async def post_entry(
    family_id: int,
    kind: LedgerKind,
    amount: Decimal,
    description: str,
    posted_at: dt.datetime | None = None,
    using_db: BaseDBAsyncClient | None = None,
    *,
    source: str | None = None,
    posted_by: str = '',
) -> LedgerEntry:
    """Append one entry. A `source` (say, the payment it records) can be posted only once."""
    if amount <= 0:
        raise ValueError('ledger amounts are positive; the kind says which way they go')
    return await LedgerEntry.create(
        family_id=family_id,
        kind=kind,
        amount=amount.quantize(Decimal('0.01')),
        description=description,
        posted_at=posted_at or clock.now(),
        source=source,
        posted_by=posted_by,
        using_db=using_db,
    )


async def ledger(
    family_id: int, *, start: dt.datetime | None = None, end: dt.datetime | None = None, limit: int | None = None
) -> list[LedgerLine]:
    """Entries newest first, optionally between two moments (end excluded)."""
    query = LedgerEntry.filter(family_id=family_id)
    if start:
        query = query.filter(posted_at__gte=start)
    if end:
        query = query.filter(posted_at__lt=end)
    query = query.order_by('-posted_at', '-id')
    entries = await (query.limit(limit) if limit else query)
    return [LedgerLine(e.posted_at, e.kind, e.description, e.amount) for e in entries]


STAFF_KINDS = (LedgerKind.FEE, LedgerKind.CREDIT, LedgerKind.REFUND)
LARGEST_POSTING = Decimal('999999.99')


async def post_by_staff(
    staff: StaffActor, family_id: int, kind: str, typed_amount: str, description: str
) -> LedgerEntry:
    """A fee, credit or refund posted from the family page. A correction is another entry, never an edit."""
    clean = Cleaner()
    kind_value = clean.choice('kind', kind, {k.value for k in STAFF_KINDS})
    text = clean.name('description', description, max_length=200)
    amount = clean.amount(
        'amount',
        typed_amount,
        maximum=LARGEST_POSTING,
        message=N_('Enter an amount greater than zero, with at most two decimals'),
    )
    clean.raise_if_invalid()
    assert amount is not None
    async with UnitOfWork() as uow:
        family = await Family.filter(id=family_id).using_db(uow.connection).first()
        if family is None:
            raise NotFound()
        entry = await post_entry(
            family.id, LedgerKind(kind_value), amount, text, using_db=uow.connection, posted_by=staff.name
        )
        await portal_log.record(
            uow,
            LogSubject(family.id, family.name, user_id=staff.email),
            'ledger_posted',
            f'{LedgerKind(kind_value).value.title()} posted: {entry.amount} {text} by {staff.name}',
        )
        await audit.record(
            uow,
            staff,
            'ledger_posted',
            f'{LedgerKind(kind_value).value.title()} on the {family.name} family account: {text}',
            None,
            {'kind': entry.kind, 'amount': entry.amount, 'description': entry.description, 'entry_id': entry.id},
            family_id=family.id,
        )
    return entry
