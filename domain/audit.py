"""The staff audit: who changed what, when, from which value to which, written with the change.

Apart from the Parent Portal Log on purpose. That log is the family's story, told live to every staff member
and searched by family and contact; many staff changes concern no family at all (settings, policies,
questions, staff accounts), an administrator alone may read them, and they carry values before and after.
An entry is appended in the caller's unit of work, so a change that rolls back leaves no entry, and an entry
never exists without its change. The database refuses to change or delete one (migration 0006).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from tortoise.expressions import Q

from domain import clock
from domain.access.actors import StaffActor
from domain.models import StaffAuditEntry
from domain.unit_of_work import UnitOfWork

PAGE_SIZE = 50
SEARCHED = ('action', 'target', 'staff_name', 'staff_email')
SECRETS = frozenset(
    {'password', 'password_hash', 'temporary_password', 'totp_secret', 'totp_sealed', 'token', 'token_hash', 'secret'}
)

Cursor = tuple[dt.datetime, int]


def changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only what differs, before and after: the fields a form sent back unchanged are no change."""
    changed = [key for key in new if old.get(key) != new[key]]
    return {key: old.get(key) for key in changed}, {key: new[key] for key in changed}


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: money as its exact text, moments in ISO 8601, enumerations by value."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _without_secrets(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    if named := SECRETS & set(values):
        raise ValueError(f'the staff audit never keeps a secret: {sorted(named)}')
    return _plain(values)


async def record(
    uow: UnitOfWork,
    staff: StaffActor,
    action: str,
    target: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    *,
    family_id: int | None = None,
) -> StaffAuditEntry:
    """Append one entry in the caller's transaction. `action` is a stable key such as `policy_revised`."""
    return await StaffAuditEntry.create(
        occurred_at=clock.now(),
        staff_id=staff.staff_id,
        staff_name=staff.name,
        staff_email=staff.email,
        action=action,
        target=target[:300],
        family_id=family_id,
        old_values=_without_secrets(old),
        new_values=_without_secrets(new),
        using_db=uow.connection,
    )


@dataclass(frozen=True)
class AuditPage:
    entries: list[StaffAuditEntry]
    has_more: bool

    @property
    def cursor(self) -> Cursor | None:
        """Where the next (older) page starts."""
        return (self.entries[-1].occurred_at, self.entries[-1].id) if self.entries else None


async def search(
    text: str = '',
    *,
    staff_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    before_cursor: Cursor | None = None,
    limit: int = PAGE_SIZE,
) -> AuditPage:
    """Newest first, a page at a time (keyset paging); `since` counts in, `until` does not.

    The text is found in the action, what was touched, or the staff member's name or email, whatever its case.
    """
    query = StaffAuditEntry.all()
    if staff_id is not None:
        query = query.filter(staff_id=staff_id)
    if since is not None:
        query = query.filter(occurred_at__gte=since)
    if until is not None:
        query = query.filter(occurred_at__lt=until)
    if needle := text.strip():
        query = query.filter(Q(*(Q(**{f'{column}__icontains': needle}) for column in SEARCHED), join_type='OR'))
    if before_cursor is not None:
        moment, last_id = before_cursor
        query = query.filter(Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=last_id))
    entries = await query.order_by('-occurred_at', '-id').limit(limit + 1)
    return AuditPage(entries[:limit], has_more=len(entries) > limit)
