"""Who is acting: a signed-in parent (a contact of one family), a staff member, a newly opened session."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DomainError
from domain.i18n import N_
from domain.models import Contact, FamilyStatus, StaffRole
from domain.portal_log import LogSubject


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


def may_sign_in(*, allow_login: bool, family_status: str, locked: bool = False) -> bool:
    """May this contact into the Parent Portal: staff allow it and the family is more than a lead.

    A password lockout (`locked`) also keeps them out of a password sign-in and an open session, while a
    one-time code or a reset link proves the address and lifts it: those ask without `locked`.
    The parent-session query of sessions.py reads the three columns for this check on every page.
    """
    return bool(allow_login) and family_status != FamilyStatus.LEAD and not locked


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
