"""The portal access staff give each contact (allow to login, manage absences), and ending their sessions."""

from __future__ import annotations

from domain import audit, portal_log
from domain.access import sessions
from domain.access.actors import StaffActor
from domain.errors import DomainError, NotFound
from domain.i18n import N_
from domain.models import Contact
from domain.portal_log import LogSubject
from domain.unit_of_work import UnitOfWork


class RemovedContact(DomainError):
    MESSAGE = N_('This contact was removed from the family: add them again to give them portal access')


async def set_portal_access(
    staff: StaffActor, contact_id: int, *, allow_login: bool, allow_manage_absences: bool
) -> Contact:
    """The two ticks staff set per contact: allow to log in, manage absences. Unticking login ends its sessions."""
    async with UnitOfWork() as uow:
        contact = await Contact.filter(id=contact_id).using_db(uow.connection).first().prefetch_related('family')
        if contact is None:
            raise NotFound()
        if allow_login and contact.removed_at is not None:
            raise RemovedContact()
        changes = []
        if contact.allow_login != allow_login:
            changes.append(f'Allow to login to Parent Portal {"checked" if allow_login else "unchecked"}')
        if contact.allow_manage_absences != allow_manage_absences:
            changes.append(
                f'Allow to manage absences and makeups {"checked" if allow_manage_absences else "unchecked"}'
            )
        if not changes:
            return contact
        old, new = audit.changes(
            {'allow_login': contact.allow_login, 'allow_manage_absences': contact.allow_manage_absences},
            {'allow_login': allow_login, 'allow_manage_absences': allow_manage_absences},
        )
        contact.allow_login, contact.allow_manage_absences = allow_login, allow_manage_absences
        await contact.save(using_db=uow.connection, update_fields=['allow_login', 'allow_manage_absences'])
        if not allow_login:
            await sessions.end_sessions(uow, contact_id=contact.id)
        await portal_log.record(
            uow,
            LogSubject.of(contact, user_id=staff.email),
            'portal_access_changed',
            f'{"; ".join(changes)} for {contact.full_name} by {staff.name}',
        )
        await audit.record(uow, staff, 'portal_access_changed', _target(contact), old, new, family_id=contact.family_id)
    return contact


def _target(contact: Contact) -> str:
    return f'Contact {contact.full_name} of the {contact.family.name} family'


async def end_contact_sessions(staff: StaffActor, contact_id: int) -> int:
    async with UnitOfWork() as uow:
        contact = await Contact.filter(id=contact_id).using_db(uow.connection).first().prefetch_related('family')
        if contact is None:
            raise NotFound()
        ended = await sessions.end_sessions(uow, contact_id=contact.id)
        await portal_log.record(
            uow,
            LogSubject.of(contact, user_id=staff.email),
            'sessions_ended',
            f'{ended} portal session{"" if ended == 1 else "s"} of {contact.full_name} ended by {staff.name}',
        )
        await audit.record(
            uow,
            staff,
            'contact_sessions_ended',
            _target(contact),
            {'open_sessions': ended},
            {'open_sessions': 0},
            family_id=contact.family_id,
        )
    return ended
