"""A family, its contacts and its participants (the children who take classes)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.models.billing import LedgerEntry


def full_name(first_name: str, last_name: str) -> str:
    return f'{first_name} {last_name}'.strip()


class FamilyStatus(StrEnum):
    ACTIVE = 'active'
    INACTIVE = 'inactive'
    LEAD = 'lead'


class ContactRole(StrEnum):
    """What a contact may see and change in their family (domain/access/actors.py, `Standing`)."""

    GUARDIAN = 'guardian'  # the children, the pick-up and emergency contacts, and the payments
    GUARDIAN_NO_BILLING = 'guardian_no_billing'  # the same, without the payments
    PICKUP = 'pickup'  # sees the children and their own details
    EMERGENCY = 'emergency'  # the same


class Gender(StrEnum):
    FEMALE = 'female'
    MALE = 'male'
    NONBINARY = 'nonbinary'
    UNSPECIFIED = 'unspecified'


class Family(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    status = fields.CharEnumField(FamilyStatus, max_length=16, default=FamilyStatus.ACTIVE)
    created_at = fields.DatetimeField(auto_now_add=True)
    gateway_customer = fields.CharField(max_length=255, default='', db_default='')  # the processor's customer id

    contacts: fields.ReverseRelation[Contact]
    participants: fields.ReverseRelation[Participant]
    ledger_entries: fields.ReverseRelation[LedgerEntry]

    class Meta:
        table = 'family'


class Contact(Model):
    """A parent, guardian, pick-up person or emergency contact of one family."""

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='contacts', on_delete=fields.CASCADE
    )
    family_id: int
    first_name = fields.CharField(max_length=80)
    last_name = fields.CharField(max_length=80)
    relationship = fields.CharField(max_length=60, default='')
    email = fields.CharField(max_length=254, null=True, unique=True)
    mobile_phone = fields.CharField(max_length=20, null=True, db_index=True)
    home_phone = fields.CharField(max_length=20, null=True)
    work_phone = fields.CharField(max_length=20, null=True)
    address1 = fields.CharField(max_length=120, default='')
    address2 = fields.CharField(max_length=120, default='')
    city = fields.CharField(max_length=80, default='')
    state = fields.CharField(max_length=80, default='')
    postal_code = fields.CharField(max_length=20, default='')
    is_primary = fields.BooleanField(default=False)
    is_billing = fields.BooleanField(default=False)
    can_pick_up = fields.BooleanField(default=False)
    is_emergency = fields.BooleanField(default=False)
    role = fields.CharEnumField(
        ContactRole, max_length=24, default=ContactRole.GUARDIAN, db_default=ContactRole.GUARDIAN
    )
    # An address typed for this contact by someone else (another parent, a registration by phone), kept as a
    # way to reach them until they prove it theirs; only then does it become `email`, their sign-in.
    pending_email = fields.CharField(max_length=254, default='', db_default='', db_index=True)
    mobile_verified = fields.BooleanField(default=False, db_default=False)  # a code to it proved it theirs
    removed_at = fields.DatetimeField(null=True)  # removed from the family: kept for its history, signs in no more
    version = fields.IntField(default=1, db_default=1)  # raised by every save: a form loaded before it is stale
    preferred_language = fields.CharField(max_length=8, default='en')
    allow_login = fields.BooleanField(default=True)
    allow_manage_absences = fields.BooleanField(default=True)
    mass_email_opt_out = fields.BooleanField(default=False, db_default=False)  # still gets their own account's mail
    password_hash = fields.CharField(max_length=255, null=True)
    password_must_change = fields.BooleanField(default=False, db_default=False)
    password_expires_at = fields.DatetimeField(null=True)
    failed_attempts = fields.IntField(default=0)
    locked = fields.BooleanField(default=False)
    login_count = fields.IntField(default=0)
    last_login = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = 'contact'

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


class AddressChange(Model):
    """A contact's own new sign-in email or mobile, waiting for the code sent to it. Only the code's keyed hash."""

    id = fields.IntField(primary_key=True)
    contact: fields.ForeignKeyRelation[Contact] = fields.ForeignKeyField(
        'kinroll.Contact', related_name='address_changes', on_delete=fields.CASCADE
    )
    contact_id: int
    field = fields.CharField(max_length=16)  # 'email' or 'mobile_phone'
    new_value = fields.CharField(max_length=254)
    code_hash = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(db_index=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    wrong_entries = fields.IntField(default=0)

    class Meta:
        table = 'address_change'


class Participant(Model):
    """A child (or adult student) of the family who takes classes."""

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='participants', on_delete=fields.CASCADE
    )
    family_id: int
    first_name = fields.CharField(max_length=80)
    last_name = fields.CharField(max_length=80)
    birthdate = fields.DateField(null=True)
    gender = fields.CharEnumField(Gender, max_length=16, default=Gender.UNSPECIFIED)
    allergies = fields.TextField(default='')
    medical_notes = fields.TextField(default='')
    version = fields.IntField(default=1, db_default=1)  # raised by every save: a form loaded before it is stale
    removed_at = fields.DatetimeField(null=True)  # left the studio: kept for its history, gone from the parents' pages
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = 'participant'

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)
