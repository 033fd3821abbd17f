"""Staff setting what a contact may do in their family: the role, the primary contact, the billing contacts."""

from __future__ import annotations

from domain import audit, portal_log
from domain.access.actors import ROLE_NAMES, StaffActor
from domain.errors import DomainError, NotFound
from domain.family.contacts import (
    BillingMustBeGuardian,
    PrimaryMustBeGuardian,
    hold_family,
    keep_a_billing_contact,
    make_primary,
)
from domain.i18n import N_
from domain.models import Contact, ContactRole
from domain.portal_log import LogSubject
from domain.unit_of_work import UnitOfWork


class PrimaryIsPassedOn(DomainError):
    MESSAGE = N_('A family always has one primary contact: make another guardian the primary contact instead.')


async def set_contact_standing(
    staff: StaffActor, contact_id: int, *, role: ContactRole | str, is_primary: bool, is_billing: bool
) -> Contact:
    """The staff family page's role editor: one save, under the family's hold, that keeps one primary contact
    and at least one billing contact, all of them guardians with billing."""
    role = ContactRole(role)
    async with UnitOfWork() as uow:
        contact = await Contact.filter(id=contact_id, removed_at=None).using_db(uow.connection).first()
        if contact is None:
            raise NotFound()
        await hold_family(uow, contact.family_id)
        await contact.refresh_from_db(using_db=uow.connection)
        await contact.fetch_related('family', using_db=uow.connection)
        before = {'role': contact.role.value, 'is_primary': contact.is_primary, 'is_billing': contact.is_billing}
        after = {'role': role.value, 'is_primary': is_primary, 'is_billing': is_billing}
        old, new = audit.changes(before, after)
        if not new:
            return contact
        if contact.is_primary and not is_primary:
            raise PrimaryIsPassedOn()
        if (is_primary or contact.is_primary) and role != ContactRole.GUARDIAN:
            raise PrimaryMustBeGuardian()
        if is_billing and role != ContactRole.GUARDIAN:
            raise BillingMustBeGuardian()
        if contact.is_billing and not is_billing:
            await keep_a_billing_contact(uow, contact)
        contact.role, contact.is_billing = role, is_billing
        contact.version += 1  # under the family's hold: a contact form loaded before this is stale
        await contact.save(using_db=uow.connection, update_fields=['role', 'is_billing', 'version', 'updated_at'])
        if is_primary and not contact.is_primary:
            await make_primary(uow, contact)
        said = [f'Role of {contact.full_name} set to {ROLE_NAMES[role]}'] if 'role' in new else []
        if 'is_primary' in new:
            said.append(f'{contact.full_name} made the primary contact')
        if 'is_billing' in new:
            said.append(f'Billing contact for {contact.full_name} {"checked" if is_billing else "unchecked"}')
        subject = LogSubject.of(contact, user_id=staff.email)
        await portal_log.record(uow, subject, 'contact_role_changed', f'{"; ".join(said)} by {staff.name}')
        target = f'Contact {contact.full_name} of the {contact.family.name} family'
        await audit.record(uow, staff, 'contact_role_changed', target, old, new, family_id=contact.family_id)
    return contact
