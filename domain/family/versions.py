"""Edits never lose data: a save is made against the version its form was loaded with, or not at all.

Every contact and participant carries a `version`. A save writes in one statement
`UPDATE … SET …, version = version + 1 WHERE id = ? AND version = ?`, so of two saves made at the same instant
from the same version exactly one finds its row; the other is refused with `ChangedMeanwhile`, which carries
what is stored now, and nothing of it is written. A parent's and a staff member's saves follow the same rule.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from tortoise.expressions import F
from tortoise.models import Model

from domain import clock
from domain.errors import DomainError
from domain.i18n import N_
from domain.unit_of_work import UnitOfWork

Form = TypeVar('Form')


class ChangedMeanwhile(DomainError):
    """Someone saved this record after the form was loaded. `stored` is the record now, as a form of the same
    kind (its `version` the one to save against next)."""

    MESSAGE = N_('Someone else changed this while you were editing')

    def __init__(self, stored: Any) -> None:
        super().__init__()
        self.stored = stored

    @property
    def version(self) -> int:
        return int(self.stored.version)


async def save_if_unchanged(uow: UnitOfWork, record: Model, seen: int, values: dict[str, Any], stored_as) -> None:
    """Write `values` to `record` only if it is still at version `seen`, raising its version by one in the
    same statement; otherwise raise ChangedMeanwhile with the record as stored now (`stored_as(record)`, its
    form). On success `record` holds what was written."""
    model = type(record)
    written = (
        await model.filter(id=record.pk, version=seen)
        .using_db(uow.connection)
        .update(**values, updated_at=clock.now(), version=F('version') + 1)
    )
    if not written:
        await record.refresh_from_db(using_db=uow.connection)
        raise ChangedMeanwhile(stored_as(record))
    await record.refresh_from_db(using_db=uow.connection)


def differing(yours: Form, theirs: Form) -> list[str]:
    """The fields where what was typed and what is stored now disagree, in the form's order."""
    return [
        field.name
        for field in dataclasses.fields(yours)  # type: ignore[arg-type]
        if field.name != 'version' and getattr(yours, field.name) != getattr(theirs, field.name)
    ]


def merged(loaded: Form, yours: Form, theirs: Form) -> Form:
    """Keep mine: what you changed since the form was loaded, over what is stored now, against its version.
    A field you did not touch keeps their value, so keeping yours never undoes theirs unasked."""
    kept = {
        field.name: getattr(yours, field.name)
        for field in dataclasses.fields(yours)  # type: ignore[arg-type]
        if field.name != 'version' and getattr(yours, field.name) != getattr(loaded, field.name)
    }
    return dataclasses.replace(theirs, **kept)  # type: ignore[type-var]
