"""Kinroll's stored records. Times are UTC, money is Decimal, phones are E.164."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class FamilyStatus(StrEnum):
    ACTIVE = 'active'
    INACTIVE = 'inactive'
    LEAD = 'lead'


class Gender(StrEnum):
    FEMALE = 'female'
    MALE = 'male'
    NONBINARY = 'nonbinary'
    UNSPECIFIED = 'unspecified'


class LedgerKind(StrEnum):
    FEE = 'fee'
    PAYMENT = 'payment'
    CREDIT = 'credit'
    REFUND = 'refund'


class StaffRole(StrEnum):
    ADMIN = 'admin'
    FRONT_DESK = 'front_desk'


class SignInMethods(StrEnum):
    BOTH = 'both'
    CODES = 'codes'
    PASSWORD = 'password'


class Channel(StrEnum):
    EMAIL = 'email'
    SMS = 'sms'


class DeliveryStatus(StrEnum):
    QUEUED = 'queued'
    SENT = 'sent'
    FAILED = 'failed'


# Columns added after the first release carry a db_default too: SQLite cannot add a NOT NULL
# column to a table that has rows without one.


class StudioSettings(Model):
    """The one row of settings that belong to the studio rather than to the deployment."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    timezone = fields.CharField(max_length=64)
    currency = fields.CharField(max_length=3)
    default_language = fields.CharField(max_length=8)
    phone_region = fields.CharField(max_length=2)
    sign_in_methods = fields.CharEnumField(SignInMethods, max_length=16, default=SignInMethods.BOTH,
                                           db_default=SignInMethods.BOTH)
    message_retention_days = fields.IntField(default=180, db_default=180)

    class Meta:
        table = 'studio_settings'


class Family(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    status = fields.CharEnumField(FamilyStatus, max_length=16, default=FamilyStatus.ACTIVE)
    created_at = fields.DatetimeField(auto_now_add=True)

    contacts: fields.ReverseRelation[Contact]
    participants: fields.ReverseRelation[Participant]
    ledger_entries: fields.ReverseRelation[LedgerEntry]

    class Meta:
        table = 'family'


class Contact(Model):
    """A parent, guardian, pick-up person or emergency contact of one family."""

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='contacts', on_delete=fields.CASCADE)
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
    preferred_language = fields.CharField(max_length=8, default='en')
    allow_login = fields.BooleanField(default=True)
    allow_manage_absences = fields.BooleanField(default=True)
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
        return f'{self.first_name} {self.last_name}'.strip()


class Participant(Model):
    """A child (or adult student) of the family who takes classes."""

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='participants', on_delete=fields.CASCADE)
    first_name = fields.CharField(max_length=80)
    last_name = fields.CharField(max_length=80)
    birthdate = fields.DateField(null=True)
    gender = fields.CharEnumField(Gender, max_length=16, default=Gender.UNSPECIFIED)
    allergies = fields.TextField(default='')
    medical_notes = fields.TextField(default='')
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = 'participant'

    @property
    def full_name(self) -> str:
        return f'{self.first_name} {self.last_name}'.strip()


class StaffUser(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=120)
    role = fields.CharEnumField(StaffRole, max_length=16, default=StaffRole.FRONT_DESK)
    password_hash = fields.CharField(max_length=255)
    totp_secret = fields.CharField(max_length=64, default='', db_default='')
    totp_confirmed = fields.BooleanField(default=False, db_default=False)
    failed_attempts = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'staff_user'


class PortalSession(Model):
    """A signed-in browser. Only a hash of the token is stored, so a copied database opens no sessions."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    contact: fields.ForeignKeyNullableRelation[Contact] = fields.ForeignKeyField(
        'kinroll.Contact', related_name='sessions', null=True, on_delete=fields.CASCADE)
    staff: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        'kinroll.StaffUser', related_name='sessions', null=True, on_delete=fields.CASCADE)
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)
    client_ip = fields.CharField(max_length=45, default='')

    class Meta:
        table = 'portal_session'


class PortalEvent(Model):
    """One line of the Parent Portal Log. Names are copied in, so the log reads the same after edits."""

    id = fields.BigIntField(primary_key=True)
    occurred_at = fields.DatetimeField(db_index=True)
    family_id = fields.IntField(null=True, db_index=True)
    family_name = fields.CharField(max_length=120, default='')
    contact_id = fields.IntField(null=True)
    contact_name = fields.CharField(max_length=160, default='')
    user_id = fields.CharField(max_length=254, default='')
    contact_email = fields.CharField(max_length=254, default='')
    kind = fields.CharField(max_length=40)
    message = fields.TextField()
    client_ip = fields.CharField(max_length=45, default='')

    class Meta:
        table = 'portal_event'


class LedgerEntry(Model):
    """A fee, payment, credit or refund. Entries are only ever appended, and the balance is derived from them."""

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='ledger_entries', on_delete=fields.RESTRICT)
    kind = fields.CharEnumField(LedgerKind, max_length=16)
    amount = fields.DecimalField(max_digits=12, decimal_places=2)
    description = fields.CharField(max_length=200)
    posted_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = 'ledger_entry'


class OutboxMessage(Model):
    """Every email and text the portal sends, kept as the family's message history.

    A one-time code, link or temporary password lives in `secret` only until the message is sent or
    given up on, and the stored copy shows a mask in its place.
    """

    id = fields.IntField(primary_key=True)
    family_id = fields.IntField(null=True, db_index=True)
    contact_id = fields.IntField(null=True)
    channel = fields.CharEnumField(Channel, max_length=8)
    kind = fields.CharField(max_length=40)
    recipient_name = fields.CharField(max_length=160, default='')
    to_address = fields.CharField(max_length=254)
    from_address = fields.CharField(max_length=254, default='')
    language = fields.CharField(max_length=8, default='en')
    subject = fields.CharField(max_length=200, default='')
    body_text = fields.TextField()
    body_html = fields.TextField(default='')
    secret = fields.CharField(max_length=255, null=True)
    expires_at = fields.DatetimeField(null=True)
    status = fields.CharEnumField(DeliveryStatus, max_length=8, default=DeliveryStatus.QUEUED, db_index=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.TextField(default='')
    created_at = fields.DatetimeField(db_index=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'outbox_message'


class AccessCode(Model):
    """A one-time sign-in code, bound to the attempt (browser) it was sent for. Only its keyed hash is kept."""

    id = fields.IntField(primary_key=True)
    attempt_id = fields.CharField(max_length=64, unique=True)
    destination = fields.CharField(max_length=254, db_index=True)
    channel = fields.CharEnumField(Channel, max_length=8)
    code_hash = fields.CharField(max_length=64)
    client_ip = fields.CharField(max_length=45, default='', db_index=True)
    created_at = fields.DatetimeField(db_index=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    wrong_entries = fields.IntField(default=0)

    class Meta:
        table = 'access_code'


class PasswordReset(Model):
    """A single-use "forgot password" link. Only the hash of its token is kept."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    contact: fields.ForeignKeyRelation[Contact] = fields.ForeignKeyField(
        'kinroll.Contact', related_name='password_resets', on_delete=fields.CASCADE)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    client_ip = fields.CharField(max_length=45, default='')

    class Meta:
        table = 'password_reset'
