"""The ledger, saved cards and payments."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.models.family import Family


class LedgerKind(StrEnum):
    FEE = 'fee'
    PAYMENT = 'payment'
    CREDIT = 'credit'
    REFUND = 'refund'


class PaymentStatus(StrEnum):
    PENDING = 'pending'  # sent to the processor, answer not known yet: never guessed
    APPROVED = 'approved'
    DECLINED = 'declined'


class LedgerEntry(Model):
    """A fee, payment, credit or refund. Entries are only ever appended, and the balance is derived from them.

    The database refuses updates and deletes (migration 0004). `source` names what posted the entry
    (a payment, say), under a unique index, so that nothing is ever posted twice.
    """

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='ledger_entries', on_delete=fields.RESTRICT
    )
    family_id: int
    kind = fields.CharEnumField(LedgerKind, max_length=16)
    amount = fields.DecimalField(max_digits=12, decimal_places=2)
    description = fields.CharField(max_length=200)
    posted_at = fields.DatetimeField(db_index=True)
    source = fields.CharField(max_length=64, null=True, unique=True)
    posted_by = fields.CharField(max_length=120, default='', db_default='')

    class Meta:
        table = 'ledger_entry'


class SavedCard(Model):
    """A family's card on file: only what the processor lets anyone see, and its token. Never the number."""

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='cards', on_delete=fields.RESTRICT
    )
    family_id: int
    gateway = fields.CharField(max_length=20)
    token = fields.CharField(max_length=255)
    brand = fields.CharField(max_length=20)
    last4 = fields.CharField(max_length=4)
    exp_month = fields.IntField()
    exp_year = fields.IntField()
    # The processor's fingerprint (the same for the same card typed again; the sandbox's is its brand, last four
    # and expiry): a card is kept once per family.
    fingerprint = fields.CharField(max_length=64, default='', db_default='', db_index=True)
    is_default = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = 'saved_card'


class Payment(Model):
    """One checkout: recorded before the processor is asked, under the checkout's idempotency key."""

    id = fields.IntField(primary_key=True)
    idempotency_key = fields.CharField(max_length=64, unique=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='payments', on_delete=fields.RESTRICT
    )
    family_id: int
    contact_id = fields.IntField(null=True)
    amount = fields.DecimalField(max_digits=12, decimal_places=2)
    fee = fields.DecimalField(max_digits=12, decimal_places=2)
    total = fields.DecimalField(max_digits=12, decimal_places=2)
    currency = fields.CharField(max_length=3)
    status = fields.CharEnumField(PaymentStatus, max_length=16, default=PaymentStatus.PENDING, db_index=True)
    gateway = fields.CharField(max_length=20)
    card_token = fields.CharField(max_length=255, default='')
    card_brand = fields.CharField(max_length=20, default='')
    card_last4 = fields.CharField(max_length=4, default='')
    # A new card the parent asked to keep: kept only once this payment is approved, whenever that is known.
    keep_card = fields.BooleanField(default=False, db_default=False)
    card_exp_month = fields.IntField(null=True)
    card_exp_year = fields.IntField(null=True)
    card_fingerprint = fields.CharField(max_length=64, default='', db_default='')
    reference = fields.CharField(max_length=255, default='')
    decline_code = fields.CharField(max_length=40, default='')
    created_at = fields.DatetimeField()
    resolved_at = fields.DatetimeField(null=True)
    checks = fields.IntField(default=0)

    class Meta:
        table = 'payment'
