"""Staff accounts, sessions, one-time codes and password-reset links."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from domain.models.messages import Channel

if TYPE_CHECKING:
    from domain.models.family import Contact


class StaffRole(StrEnum):
    ADMIN = 'admin'
    FRONT_DESK = 'front_desk'
    INSTRUCTOR = 'instructor'  # sees only the classes they teach


class CodePurpose(StrEnum):
    SIGN_IN = 'sign_in'
    REGISTER = 'register'


class StaffUser(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=120)
    role = fields.CharEnumField(StaffRole, max_length=16, default=StaffRole.FRONT_DESK)
    password_hash = fields.CharField(max_length=255)
    totp_sealed = fields.CharField(max_length=255, default='', db_default='')  # see access/sealed_secrets.py
    totp_confirmed = fields.BooleanField(default=False, db_default=False)
    failed_attempts = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    last_totp_step = fields.IntField(null=True)  # the 30-second step of the last code that signed in: never again
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
