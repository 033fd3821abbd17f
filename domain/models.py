"""Kinroll's stored records. Times are UTC, money is Decimal, phones are E.164."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


def full_name(first_name: str, last_name: str) -> str:
    return f'{first_name} {last_name}'.strip()


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


class PaymentStatus(StrEnum):
    PENDING = 'pending'  # sent to the processor, answer not known yet: never guessed
    APPROVED = 'approved'
    DECLINED = 'declined'


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


class CodePurpose(StrEnum):
    SIGN_IN = 'sign_in'
    REGISTER = 'register'


class QuestionKind(StrEnum):
    SHORT_TEXT = 'short_text'
    LONG_TEXT = 'long_text'
    YES_NO = 'yes_no'
    SINGLE_CHOICE = 'single_choice'
    MULTIPLE_CHOICE = 'multiple_choice'
    DATE = 'date'
    NUMBER = 'number'


class QuestionScope(StrEnum):
    FAMILY = 'family'
    PARTICIPANT = 'participant'


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
    sign_in_methods = fields.CharEnumField(
        SignInMethods, max_length=16, default=SignInMethods.BOTH, db_default=SignInMethods.BOTH
    )
    message_retention_days = fields.IntField(default=180, db_default=180)
    policy_renewal_months = fields.IntField(default=12, db_default=12)
    allow_prepay = fields.BooleanField(default=False, db_default=False)
    card_fee_percent = fields.DecimalField(max_digits=5, decimal_places=2, default=0, db_default=0)

    class Meta:
        table = 'studio_settings'


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
        return full_name(self.first_name, self.last_name)


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
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = 'participant'

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


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
        'kinroll.Contact', related_name='sessions', null=True, on_delete=fields.CASCADE
    )
    staff: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        'kinroll.StaffUser', related_name='sessions', null=True, on_delete=fields.CASCADE
    )
    contact_id: int | None
    staff_id: int | None
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
    purpose = fields.CharEnumField(
        CodePurpose, max_length=16, default=CodePurpose.SIGN_IN, db_default=CodePurpose.SIGN_IN
    )

    class Meta:
        table = 'access_code'


class PasswordReset(Model):
    """A single-use "forgot password" link. Only the hash of its token is kept."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    contact: fields.ForeignKeyRelation[Contact] = fields.ForeignKeyField(
        'kinroll.Contact', related_name='password_resets', on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    client_ip = fields.CharField(max_length=45, default='')

    class Meta:
        table = 'password_reset'


class Question(Model):
    """One of the studio's own registration questions. Retired, never deleted: answers point at it."""

    id = fields.IntField(primary_key=True)
    prompt = fields.CharField(max_length=300)
    kind = fields.CharEnumField(QuestionKind, max_length=16)
    choices: fields.Field[list[str]] = fields.JSONField(default=list)  # type: ignore[assignment]
    required = fields.BooleanField(default=False)
    scope = fields.CharEnumField(QuestionScope, max_length=16, default=QuestionScope.FAMILY)
    position = fields.IntField(default=0)
    retired_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = 'question'


class Answer(Model):
    """A family's (or one participant's) answer, with the question's wording as it was asked."""

    id = fields.IntField(primary_key=True)
    question: fields.ForeignKeyRelation[Question] = fields.ForeignKeyField(
        'kinroll.Question', related_name='answers', on_delete=fields.RESTRICT
    )
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='answers', on_delete=fields.RESTRICT
    )
    family_id: int
    participant: fields.ForeignKeyNullableRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='answers', null=True, on_delete=fields.RESTRICT
    )
    prompt = fields.CharField(max_length=300)
    kind = fields.CharEnumField(QuestionKind, max_length=16)
    value: fields.Field[dict | None] = fields.JSONField(null=True)  # type: ignore[assignment]
    answered_at = fields.DatetimeField()

    class Meta:
        table = 'answer'


class Policy(Model):
    """A legal policy. Its words live in versions: editing adds one, and old versions never change."""

    id = fields.IntField(primary_key=True)
    position = fields.IntField(default=0)
    retired_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    versions: fields.ReverseRelation[PolicyVersion]

    class Meta:
        table = 'policy'


class PolicyVersion(Model):
    id = fields.IntField(primary_key=True)
    policy: fields.ForeignKeyRelation[Policy] = fields.ForeignKeyField(
        'kinroll.Policy', related_name='versions', on_delete=fields.RESTRICT
    )
    policy_id: int
    version = fields.IntField()
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    created_at = fields.DatetimeField()
    created_by = fields.CharField(max_length=120, default='')

    class Meta:
        table = 'policy_version'
        unique_together = (('policy', 'version'),)


class Agreement(Model):
    """A parent's agreement to one policy version, with exactly what they saw and typed.

    The database refuses to update or delete these rows (triggers in migration 0003).
    """

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='agreements', on_delete=fields.RESTRICT
    )
    family_id: int
    contact_id = fields.IntField(null=True)
    contact_name = fields.CharField(max_length=160)
    policy_version: fields.ForeignKeyRelation[PolicyVersion] = fields.ForeignKeyField(
        'kinroll.PolicyVersion', related_name='agreements', on_delete=fields.RESTRICT
    )
    policy_version_id: int
    title_shown = fields.CharField(max_length=200)
    text_shown = fields.TextField()
    typed_name = fields.CharField(max_length=160)
    agreed_at = fields.DatetimeField(db_index=True)
    client_ip = fields.CharField(max_length=45, default='')
    user_agent = fields.CharField(max_length=400, default='')

    class Meta:
        table = 'agreement'


class RegistrationDraft(Model):
    """A registration in progress, kept step by step so a parent never types anything twice.

    Keyed by the verified mobile number or email address. Only the hash of the browser's token is kept.
    """

    id = fields.IntField(primary_key=True)
    destination = fields.CharField(max_length=254, unique=True)
    channel = fields.CharEnumField(Channel, max_length=8)
    token_hash = fields.CharField(max_length=64, unique=True)
    step = fields.CharField(max_length=20, default='you')
    data: fields.Field[dict] = fields.JSONField(default=dict)  # type: ignore[assignment]
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    verified_at = fields.DatetimeField()

    class Meta:
        table = 'registration_draft'


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
    reference = fields.CharField(max_length=255, default='')
    decline_code = fields.CharField(max_length=40, default='')
    created_at = fields.DatetimeField()
    resolved_at = fields.DatetimeField(null=True)
    checks = fields.IntField(default=0)

    class Meta:
        table = 'payment'
