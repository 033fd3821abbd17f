"""A family's own records: the one way a service loads a record by an id a browser sent."""

from __future__ import annotations

from typing import TypeVar

from tortoise.models import Model

from domain.access.actors import Actor
from domain.errors import NotFound
from domain.unit_of_work import UnitOfWork

M = TypeVar('M', bound=Model)
LARGEST_ID = 2**63 - 1  # the database's integer key: a larger number is no record, not an error


async def owned(model: type[M], actor: Actor, record_id: int | str, uow: UnitOfWork | None = None) -> M:
    """The record of the actor's family with this id, or NotFound.

    Another family's record, a missing one and an id that is no number at all give the same NotFound, so a
    browser learns nothing by trying ids.
    """
    query = model.filter(id=checked_id(record_id), family_id=actor.family_id)
    if uow is not None:
        query = query.using_db(uow.connection)
    record = await query.first()
    if record is None:
        raise NotFound()
    return record


def checked_id(record_id: int | str) -> int:
    """An id a browser sent, as a number a record can have; NotFound for no number or more than any key holds."""
    try:
        wanted = int(record_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < wanted <= LARGEST_ID:
        raise NotFound()
    return wanted
