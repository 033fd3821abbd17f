"""Who is acting: a signed-in parent (a contact of one family), a staff member, a newly opened session."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DomainError, NotFound
from domain.i18n import N_
from domain.models import Contact, ContactRole, FamilyStatus, StaffRole
from domain.portal_log import LogSubject
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Actor:
    """A signed-in parent (a contact of one family) and where they came from."""

    contact_id: int
    family_id: int
    family_name: str
    contact_name: str
    email: str
    language: str
    client_ip: str = ''
    must_change_password: bool = False

    @property
    def subject(self) -> LogSubject:
        return LogSubject(
            self.family_id, self.family_name, self.contact_id, self.contact_name, self.email, self.email, self.client_ip
        )

    @classmethod
    def of(cls, contact: Contact, client_ip: str = '') -> Actor:
        return cls(
            contact.id,
            contact.family.id,
            contact.family.name,
            contact.full_name,
            contact.email or '',
            contact.preferred_language,
            client_ip,
            contact.password_must_change,
        )


def may_sign_in(*, allow_login: bool, family_status: str, locked: bool = False, removed: bool = False) -> bool:
    """May this contact into the Parent Portal: staff allow it, the family is more than a lead, and the contact
    was not removed from it.

    A password lockout (`locked`) also keeps them out of a password sign-in and an open session, while a
    one-time code or a reset link proves the address and lifts it: those ask without `locked`.
    Removing a contact also unticks `allow_login`, so a check that does not read `removed` still refuses them.
    The parent-session query of sessions.py reads the four columns for this check on every page.
    """
    return bool(allow_login) and family_status != FamilyStatus.LEAD and not locked and not removed


GUARDIANS = frozenset({ContactRole.GUARDIAN, ContactRole.GUARDIAN_NO_BILLING})
ROLE_NAMES = {
    ContactRole.GUARDIAN: N_('Guardian'),
    ContactRole.GUARDIAN_NO_BILLING: N_('Guardian without billing'),
    ContactRole.PICKUP: N_('Authorized pickup'),
    ContactRole.EMERGENCY: N_('Emergency contact'),
}


class NotYourRole(DomainError):
    MESSAGE = N_('Your role in the family does not allow this. The primary contact or the studio can help.')


@dataclass(frozen=True)
class Standing:
    """What a signed-in contact may see and change in their family: their role, and whether they are its primary
    contact. Read afresh for every action (`standing`), so a role staff just changed applies at once.

    A guardian manages the children and the pick-up and emergency contacts; only the primary contact manages the
    other guardians; a guardian without billing sees no payments; an authorized pickup or emergency contact sees
    only the children and their own details.
    """

    contact_id: int
    role: ContactRole
    is_primary: bool

    @property
    def is_guardian(self) -> bool:
        return self.role in GUARDIANS

    @property
    def sees_payments(self) -> bool:
        return self.role == ContactRole.GUARDIAN

    @property
    def sees_contacts(self) -> bool:
        return self.is_guardian

    @property
    def manages_children(self) -> bool:
        return self.is_guardian

    def manages(self, role: ContactRole, *, is_primary: bool = False, contact_id: int | None = None) -> bool:
        """May they edit (or remove, or add) a contact of this role? Their own details, always."""
        if contact_id == self.contact_id:
            return True
        if is_primary:
            return False  # the primary contact is changed by themselves or by the studio
        return self.is_primary if role in GUARDIANS else self.is_guardian

    def grantable_roles(self) -> list[ContactRole]:
        """The roles they may give a contact they add or manage."""
        return [role for role in ContactRole if self.manages(role)]


async def standing(actor: Actor, uow: UnitOfWork | None = None) -> Standing:
    """The acting contact's standing now; NotFound once they were removed from the family."""
    query = Contact.filter(id=actor.contact_id, family_id=actor.family_id, removed_at=None)
    if uow is not None:
        query = query.using_db(uow.connection)
    row = await query.first().values('role', 'is_primary')
    if row is None:
        raise NotFound()
    return Standing(actor.contact_id, ContactRole(row['role']), bool(row['is_primary']))


async def require_billing_access(actor: Actor) -> None:
    """The one guard of the billing services: a guardian without billing, a pickup or emergency contact see no
    payments, whatever page or request asks."""
    if not (await standing(actor)).sees_payments:
        raise NotYourRole()


class AddressShared(DomainError):
    """An address several contacts share signs none of them in by code, until staff settle it."""

    MESSAGE = N_('We could not sign you in with this. Please call the studio: they can help.')


@dataclass(frozen=True)
class SignedIn:
    """A new session: its token, for the browser, and who it belongs to."""

    token: str
    actor: Actor


@dataclass(frozen=True)
class StaffActor:
    staff_id: int
    name: str
    email: str
    role: StaffRole


class PermissionDenied(DomainError):
    MESSAGE = N_('Only an administrator can do this')


def require_admin(staff: StaffActor) -> None:
    if staff.role != StaffRole.ADMIN:
        raise PermissionDenied()


class DeskOnly(DomainError):
    MESSAGE = N_('Only the front desk and administrators can do this')


def require_desk(staff: StaffActor) -> None:
    """The front desk's work (reviewing photos, writing to families): not an instructor's, who sees their classes."""
    if not isinstance(staff, StaffActor) or staff.role == StaffRole.INSTRUCTOR:
        raise DeskOnly()
