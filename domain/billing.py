"""The family's account: fees, payments, credits and refunds, and the balance they add up to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tortoise.backends.base.client import BaseDBAsyncClient

from .models import LedgerEntry, LedgerKind

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


def balance_of(lines: list[LedgerLine]) -> Decimal:
    return sum((line.effect for line in lines), Decimal('0.00'))


async def account_summary(family_id: int, *, recent: int = 5) -> AccountSummary:
    """Sums in Python with Decimal: SQLite would add the amounts as floating point."""
    entries = await LedgerEntry.filter(family_id=family_id).order_by('-posted_at', '-id')
    lines = [LedgerLine(e.posted_at, e.kind, e.description, e.amount) for e in entries]
    return AccountSummary(balance_of(lines), lines[:recent])


async def post_entry(family_id: int, kind: LedgerKind, amount: Decimal, description: str,
                     posted_at: dt.datetime | None = None, using_db: BaseDBAsyncClient | None = None) -> LedgerEntry:
    if amount <= 0:
        raise ValueError('ledger amounts are positive; the kind says which way they go')
    return await LedgerEntry.create(family_id=family_id, kind=kind, amount=amount.quantize(Decimal('0.01')),
                                    description=description, posted_at=posted_at or dt.datetime.now(dt.UTC),
                                    using_db=using_db)
