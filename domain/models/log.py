"""The Parent Portal Log."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


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
