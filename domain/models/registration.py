"""Registration drafts, the studio's questions and answers, policies and agreements."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from domain.models.messages import Channel

if TYPE_CHECKING:
    from domain.models.family import Family, Participant


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
    # Asked only at the checkout of a class or event that names it, instead of from every family at sign-in.
    at_checkout = fields.BooleanField(default=False, db_default=False)

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
