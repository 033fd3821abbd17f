"""What staff do for a family: find it, see its contacts' portal access, change that access, end sessions."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q

from . import access, portal_log
from .access import StaffActor
from .billing import AccountSummary, account_summary
from .errors import NotFound
from .models import Contact, Family, Participant, PortalSession
from .portal_log import LogSubject
from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class FamilyRow:
    id: int
    name: str
    status: str
    contacts: str


@dataclass(frozen=True)
class FamilyFile:
    family: Family
    contacts: list[Contact]
    participants: list[Participant]
    account: AccountSummary
    open_sessions: dict[int, int]  # contact id -> sessions not ended


async def find_families(text: str = '', *, limit: int = 50) -> list[FamilyRow]:
    """By family name, or by a contact's name, email or phone."""
    query = Family.all()
    if needle := text.strip():
        query = query.filter(
            Q(name__icontains=needle)
            | Q(contacts__first_name__icontains=needle)
            | Q(contacts__last_name__icontains=needle)
            | Q(contacts__email__icontains=needle)
            | Q(contacts__mobile_phone__icontains=needle)
        ).distinct()
    families = await query.order_by('name', 'id').limit(limit).prefetch_related('contacts')
    return [FamilyRow(f.id, f.name, f.status.value, ', '.join(c.full_name for c in f.contacts)) for f in families]


async def family_file(family_id: int) -> FamilyFile:
    family = await Family.get_or_none(id=family_id)
    if family is None:
        raise NotFound()
    contacts = await Contact.filter(family_id=family_id).order_by('-is_primary', 'id')
    sessions = await PortalSession.filter(contact_id__in=[c.id for c in contacts], ended_at=None).values_list(
        'contact_id', flat=True
    )
    open_sessions = {c.id: sum(1 for s in sessions if s == c.id) for c in contacts}
    return FamilyFile(
        family,
        contacts,
        await Participant.filter(family_id=family_id).order_by('first_name'),
        await account_summary(family_id, recent=10),
        open_sessions,
    )


async def set_portal_access(
    staff: StaffActor, contact_id: int, *, allow_login: bool, allow_manage_absences: bool
) -> Contact:
    """The lesson's two checkboxes. Blocking the login also ends the contact's sessions."""
    async with UnitOfWork() as uow:
        contact = await Contact.filter(id=contact_id).using_db(uow.connection).first().prefetch_related('family')
        if contact is None:
            raise NotFound()
        changes = []
        if contact.allow_login != allow_login:
            changes.append(f'Allow to login to Parent Portal {"checked" if allow_login else "unchecked"}')
        if contact.allow_manage_absences != allow_manage_absences:
            changes.append(
                f'Allow to manage absences and makeups {"checked" if allow_manage_absences else "unchecked"}'
            )
        if not changes:
            return contact
        contact.allow_login, contact.allow_manage_absences = allow_login, allow_manage_absences
        await contact.save(using_db=uow.connection, update_fields=['allow_login', 'allow_manage_absences'])
        if not allow_login:
            await access.end_sessions(uow, contact_id=contact.id)
        await portal_log.record(
            uow,
            LogSubject.of(contact, user_id=staff.email),
            'portal_access_changed',
            f'{"; ".join(changes)} for {contact.full_name} by {staff.name}',
        )
    return contact


async def end_contact_sessions(staff: StaffActor, contact_id: int) -> int:
    async with UnitOfWork() as uow:
        contact = await Contact.filter(id=contact_id).using_db(uow.connection).first().prefetch_related('family')
        if contact is None:
            raise NotFound()
        ended = await access.end_sessions(uow, contact_id=contact.id)
        await portal_log.record(
            uow,
            LogSubject.of(contact, user_id=staff.email),
            'sessions_ended',
            f'{ended} portal session(s) of {contact.full_name} ended by {staff.name}',
        )
    return ended
