"""Who in a family may report absences and book makeups: a contact staff have not unticked ("Allow to manage
absences and makeups in the Parent Portal"), read afresh for every action so an untick applies at once, even
to a page already open."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.access.actors import Actor
from domain.errors import DomainError
from domain.i18n import N_
from domain.models import Contact
from domain.studio import settings


class NotAllowedAbsences(DomainError):
    MESSAGE = N_('The studio manages absences and makeups for you. Please contact the studio.')


class AbsencesOff(DomainError):
    MESSAGE = N_('The studio takes absences by phone or email, not in the portal.')


async def may_manage(db: BaseDBAsyncClient | None, actor: Actor) -> bool:
    allowed = (
        await Contact.filter(id=actor.contact_id, family_id=actor.family_id, removed_at__isnull=True)
        .using_db(db)
        .values_list('allow_manage_absences', flat=True)
    )
    return bool(allowed) and bool(allowed[0])


async def require_manage(db: BaseDBAsyncClient | None, actor: Actor) -> None:
    """Refuse a contact staff did not allow to manage absences and makeups (NotAllowedAbsences)."""
    if not await may_manage(db, actor):
        raise NotAllowedAbsences()


def require_reporting() -> None:
    """Refuse when the studio does not let parents report absences in the portal (AbsencesOff)."""
    if not settings.current().absences.reported:
        raise AbsencesOff()
