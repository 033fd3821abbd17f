"""Every email and text the portal sends."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Channel(StrEnum):
    EMAIL = 'email'
    SMS = 'sms'


class DeliveryStatus(StrEnum):
    QUEUED = 'queued'
    SENT = 'sent'
    FAILED = 'failed'


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
    calendar = fields.TextField(default='', db_default='')  # an iCalendar file sent along as invite.ics, or ''
    secret = fields.CharField(max_length=255, null=True)
    expires_at = fields.DatetimeField(null=True)
    status = fields.CharEnumField(DeliveryStatus, max_length=8, default=DeliveryStatus.QUEUED, db_index=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.TextField(default='')
    created_at = fields.DatetimeField(db_index=True)
    sent_at = fields.DatetimeField(null=True)
    studio_message_id = fields.IntField(null=True, db_index=True)  # a copy of a message staff wrote (issue 18)

    class Meta:
        table = 'outbox_message'
