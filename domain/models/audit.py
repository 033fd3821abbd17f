"""The staff audit: every change a staff member makes, with who, when, and the values before and after."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class StaffAuditEntry(Model):
    """One change by one staff member. Names are copied in, so the entry reads the same after edits.

    Appended only: the database refuses to update or delete these rows (triggers in migration 0006).
    """

    id = fields.BigIntField(primary_key=True)
    occurred_at = fields.DatetimeField(db_index=True)
    staff_id = fields.IntField(db_index=True)
    staff_name = fields.CharField(max_length=120)
    staff_email = fields.CharField(max_length=254)
    action = fields.CharField(max_length=40)
    target = fields.CharField(max_length=300)
    family_id = fields.IntField(null=True, db_index=True)
    old_values: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)  # type: ignore[assignment]
    new_values: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)  # type: ignore[assignment]

    class Meta:
        table = 'staff_audit'
