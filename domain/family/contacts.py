"""A parent looking after their own details and the family's other contacts, and staff doing it for them.

Parents and staff go through the same validation and the same rules of who may be changed how; each save is
made against the version its form was loaded with (domain/family/versions.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tortoise.expressions import F

from domain import audit, clock, portal_log
from domain.access import sessions
from domain.access.actors import ROLE_NAMES, Actor, NotYourRole, StaffActor, Standing, standing
from domain.config import SUPPORTED_LANGUAGES
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family.versions import ChangedMeanwhile, save_if_unchanged
from domain.i18n import LANGUAGE_NAMES, N_
from domain.models import AddressChange, Contact, ContactRole, Family
from domain.portal_log import LogSubject
from domain.records import LARGEST_ID, owned
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner, display_phone

if TYPE_CHECKING:
    from domain.family.address_change import PendingProof


@dataclass(frozen=True)
class ContactFlag:
    """One yes/no of a contact: its field, its label and, if the portal's list of contacts names it, a short word.

    Both are msgids: the pages translate them. The portal log is read by staff and kept in English, so it
    writes `label` as it stands, untranslated ('Primary contact for June Porter checked').
    """

    name: str
    label: str
    short: str = ''


CONTACT_FLAGS = (
    ContactFlag('is_primary', N_('Primary contact'), N_('Primary')),
    ContactFlag('is_billing', N_('Billing contact')),
    ContactFlag('can_pick_up', N_('Authorized to pick up'), N_('Pick-up')),
    ContactFlag('is_emergency', N_('Emergency contact'), N_('Emergency')),
)


class CannotRemoveYourself(DomainError):
    MESSAGE = N_('You cannot remove yourself from the family')


class CannotRemovePrimary(DomainError):
    MESSAGE = N_('The primary contact cannot be removed. They can make another guardian the primary contact first.')


class LastBillingContact(DomainError):
    MESSAGE = N_('A family needs at least one billing contact. Make another guardian a billing contact first.')


class PrimaryMustBeGuardian(DomainError):
    MESSAGE = N_('Only a guardian with billing can be the primary contact.')


class BillingMustBeGuardian(DomainError):
    MESSAGE = N_('Only a guardian with billing can be a billing contact.')


# Beside another contact's email or mobile field when it is the address they sign in with.
SIGN_IN_IS_THEIRS = N_('They sign in with this. Only they can change it, on their own "You" page.')
# Beside the phone field of an emergency contact the studio could not reach.
EMERGENCY_NEEDS_A_WAY = N_('An emergency contact needs a phone number or an email address')


@dataclass(frozen=True)
class ContactForm:
    """What the parent typed for one contact, as typed. An empty `role` is read from the ticks."""

    first_name: str
    last_name: str
    relationship: str = ''
    email: str = ''
    mobile_phone: str = ''
    home_phone: str = ''
    work_phone: str = ''
    address1: str = ''
    address2: str = ''
    city: str = ''
    state: str = ''
    postal_code: str = ''
    is_primary: bool = False
    is_billing: bool = False
    can_pick_up: bool = False
    is_emergency: bool = False
    preferred_language: str = 'en'
    role: str = ''
    version: int = 0  # the version the form was loaded with (`of`); a save from another one is refused

    @classmethod
    def of(cls, contact: Contact) -> ContactForm:
        values = {name: getattr(contact, name) for name in cls.__dataclass_fields__}
        phones = {name: display_phone(values[name]) for name in ('mobile_phone', 'home_phone', 'work_phone')}
        email = contact.email or contact.pending_email or ''
        return cls(**{**values, **phones, 'email': email, 'role': contact.role.value, 'version': contact.version})

    def cleaned(self, *, email_required: bool) -> dict:
        clean = Cleaner()
        region = settings.current().phone_region
        values = {
            'first_name': clean.name('first_name', self.first_name),
            'last_name': clean.name('last_name', self.last_name),
            'relationship': clean.name('relationship', self.relationship, required=False, max_length=60),
            'email': clean.email('email', self.email, required=email_required),
            'mobile_phone': clean.phone('mobile_phone', self.mobile_phone, region=region),
            'home_phone': clean.phone('home_phone', self.home_phone, region=region),
            'work_phone': clean.phone('work_phone', self.work_phone, region=region),
            'address1': clean.name('address1', self.address1, required=False, max_length=120),
            'address2': clean.name('address2', self.address2, required=False, max_length=120),
            'city': clean.name('city', self.city, required=False),
            'state': clean.name('state', self.state, required=False),
            'postal_code': clean.postal_code('postal_code', self.postal_code, country=region),
            'is_primary': bool(self.is_primary),
            'is_billing': bool(self.is_billing),
            'can_pick_up': bool(self.can_pick_up),
            'is_emergency': bool(self.is_emergency),
            'preferred_language': clean.choice('preferred_language', self.preferred_language, set(SUPPORTED_LANGUAGES)),
            'role': ContactRole(clean.choice('role', self.role, set(ContactRole))) if self.role else self._role(),
        }
        reachable = any(values[name] for name in ('email', 'mobile_phone', 'home_phone', 'work_phone'))
        if (values['is_emergency'] or values['role'] == ContactRole.EMERGENCY) and not reachable:
            clean.fail('mobile_phone', EMERGENCY_NEEDS_A_WAY)
        clean.raise_if_invalid()
        return values

    def _role(self) -> ContactRole:
        if self.is_primary or self.is_billing:
            return ContactRole.GUARDIAN
        if self.can_pick_up:
            return ContactRole.PICKUP
        return ContactRole.EMERGENCY if self.is_emergency else ContactRole.GUARDIAN_NO_BILLING


_FIELD_LABELS = {
    'email': 'Email',
    'mobile_phone': 'Mobile phone',
    'home_phone': 'Home phone',
    'work_phone': 'Work phone',
    'relationship': 'Relationship',
    'preferred_language': 'Preferred language',
}
_ADDRESS = ('address1', 'address2', 'city', 'state', 'postal_code')


@dataclass(frozen=True)
class ContactView:
    """One contact as the signed-in parent may see and change them."""

    contact: Contact
    me: Standing
    editable: bool  # may change their details (and remove them, unless `removable` says otherwise)
    removable: bool
    sign_in_fields: frozenset[str]  # the email or mobile they sign in with: only they can change it
    roles: list[ContactRole]  # the roles the parent may give them
    may_set_billing: bool
    may_make_primary: bool
    unproven: frozenset[str] = frozenset()  # on "You": an email or mobile that is not yet a sign-in


@dataclass(frozen=True)
class FamilyContacts:
    me: Standing
    contacts: list[Contact]  # the family's contacts now, primary first, the parent themselves included


@dataclass(frozen=True)
class ContactSaved:
    contact: Contact
    proving: list[PendingProof]  # on "You": a new sign-in email or mobile waiting for the code sent to it


async def family_contacts(actor: Actor) -> FamilyContacts:
    """The family's contacts, for a guardian; a pickup or emergency contact sees only their own details."""
    me = await standing(actor)
    if not me.sees_contacts:
        raise NotYourRole()
    return FamilyContacts(me, await _live_contacts(actor.family_id).order_by('-is_primary', 'id'))


async def contact_view(actor: Actor, contact_id: int | str) -> ContactView:
    me = await standing(actor)
    contact = await _live(actor, contact_id)
    if contact.id != actor.contact_id and not me.sees_contacts:
        raise NotFound()  # a pickup or emergency contact: the others are not theirs to see
    return _view(me, contact)


def _view(me: Standing, contact: Contact) -> ContactView:
    is_self = contact.id == me.contact_id
    editable = me.manages(contact.role, is_primary=contact.is_primary, contact_id=contact.id)
    return ContactView(
        contact,
        me,
        editable,
        editable and not is_self and not contact.is_primary,
        frozenset() if is_self else locked_for_others(contact),
        [contact.role] if is_self else [r for r in me.grantable_roles() if editable],
        editable and me.is_primary,
        me.is_primary and not is_self and contact.role == ContactRole.GUARDIAN,
        frozenset(name for name in ('email', 'mobile_phone') if is_self and name not in sign_in_fields(contact)),
    )


def locked_for_others(contact: Contact) -> frozenset[str]:
    """What no other contact changes: the email and mobile this contact signs in with and, while they may sign
    in, any email or mobile of theirs at all: a code sent to a number someone else typed for them would sign
    that someone in as them."""
    if contact.allow_login and contact.removed_at is None:
        return frozenset({'email', 'mobile_phone'})
    return sign_in_fields(contact)


def sign_in_fields(contact: Contact) -> frozenset[str]:
    """The email or mobile this contact signs in with: only they change it, with a code sent to the new one."""
    proven = {'email': contact.email, 'mobile_phone': contact.mobile_verified and contact.mobile_phone}
    return frozenset(name for name, value in proven.items() if value)


async def update_contact(actor: Actor, contact_id: int, form: ContactForm, *, client_ip: str = '') -> ContactSaved:
    """Save a parent's edit of themselves or of a contact their role lets them manage.

    Nobody changes another contact's sign-in email or mobile. Their own new sign-in email or mobile waits for
    the code sent to it (domain/family/address_change.py); everything else is saved at once.
    """
    async with UnitOfWork() as uow:
        await hold_family(uow, actor.family_id)
        me = await standing(actor, uow)
        contact = await _live(actor, contact_id, uow)
        view = _view(me, contact)
        if not view.editable:
            raise NotYourRole()
        is_self = contact.id == actor.contact_id
        if contact.version != form.version:
            raise ChangedMeanwhile(ContactForm.of(contact))  # read under the hold: what is stored now
        values = form.cleaned(email_required=is_self and bool(contact.email))
        values['is_primary'] = contact.is_primary  # passed on only by `hand_over_primary`, or by staff
        _check_role_change(view, contact, values)
        if contact.is_billing and not values['is_billing']:
            await keep_a_billing_contact(uow, contact)
        _keep_sign_in(view.sign_in_fields, contact, values)
        proving = await _own_sign_in_changes(uow, actor, contact, values) if is_self else []
        _typed_email_waits_for_proof(contact, values)
        changes = describe_changes(contact, values)
        if changes:
            await save_if_unchanged(uow, contact, form.version, values, ContactForm.of)
            await portal_log.record(uow, actor.subject, 'contact_updated', '; '.join(changes))
    return ContactSaved(contact, proving)


async def update_contact_by_staff(staff: StaffActor, contact_id: int | str, form: ContactForm) -> Contact:
    """Staff correcting a contact from the family page. The role, the primary contact and the billing contacts
    are the role editor's (domain/family/roles.py); a sign-in email or mobile stays theirs to change, with the
    code sent to the new one. The Parent Portal Log names the staff member, the staff audit keeps old and new."""
    async with UnitOfWork() as uow:
        contact = await staff_live(uow, contact_id)
        if contact.version != form.version:
            raise ChangedMeanwhile(ContactForm.of(contact))
        values = form.cleaned(email_required=bool(contact.email))
        for name in ('role', 'is_primary', 'is_billing'):
            values[name] = getattr(contact, name)
        _keep_sign_in(sign_in_fields(contact), contact, values)
        _typed_email_waits_for_proof(contact, values)
        changes = describe_changes(contact, values)
        if changes:
            before = {name: getattr(contact, name) for name in values}
            await save_if_unchanged(uow, contact, form.version, values, ContactForm.of)
            old, new = audit.changes(before, {name: getattr(contact, name) for name in values})
            await _staff_lines(uow, staff, contact, 'contact_updated', '; '.join(changes), old, new)
    return contact


def _keep_sign_in(sign_in_fields: frozenset[str], contact: Contact, values: dict) -> None:
    """Nobody changes another contact's sign-in email or mobile: only they can, on their own "You" page."""
    for name in sign_in_fields:
        if values[name] != getattr(contact, name):
            raise ValidationFailed({name: SIGN_IN_IS_THEIRS})


def _typed_email_waits_for_proof(contact: Contact, values: dict) -> None:
    """An email typed for a contact who does not sign in with one is kept as a detail until they prove it."""
    if not contact.email and values['email'] is not None:
        values['pending_email'], values['email'] = values['email'] or '', None
    elif not contact.email:
        values['pending_email'] = ''


async def _own_sign_in_changes(uow: UnitOfWork, actor: Actor, contact: Contact, values: dict) -> list[PendingProof]:
    """A new sign-in email, or a new mobile where the old one was a sign-in: a code goes to it, and the old one
    stays until the code is entered. The values are set back to what is stored."""
    from domain.family import address_change  # it sends codes, and the code machinery reaches back to contacts

    proving = []
    if values['email'] and values['email'] not in (contact.email, contact.pending_email):
        proving.append(await address_change.start(uow, actor, contact, 'email', values['email']))
    if contact.email:
        values['email'] = contact.email
    elif values['email'] is None and contact.pending_email:
        values['email'] = None
    if contact.mobile_verified and values['mobile_phone'] != contact.mobile_phone:
        if values['mobile_phone']:
            proving.append(await address_change.start(uow, actor, contact, 'mobile_phone', values['mobile_phone']))
        values['mobile_phone'] = contact.mobile_phone
    return proving


def _check_role_change(view: ContactView, contact: Contact, values: dict) -> None:
    role = values['role']
    if role != contact.role and role not in view.roles:
        raise NotYourRole()
    if values['is_billing'] != contact.is_billing and not view.may_set_billing:
        raise NotYourRole()
    if contact.is_primary and role != ContactRole.GUARDIAN:
        raise PrimaryMustBeGuardian()
    if values['is_billing'] and role != ContactRole.GUARDIAN:
        raise BillingMustBeGuardian()


async def add_contact(actor: Actor, form: ContactForm) -> Contact:
    """Another guardian (by the primary contact), a pick-up person or an emergency contact (by a guardian).

    The email typed for them is kept as a way to reach them, not as a sign-in: they get portal access once they
    prove their address or number themselves, by asking for a code on the sign-in page with it. So the answer
    is the same whether or not that address belongs to anyone else here.
    """
    async with UnitOfWork() as uow:
        await hold_family(uow, actor.family_id)
        me = await standing(actor, uow)
        values = form.cleaned(email_required=False)
        if not me.manages(values['role']):
            raise NotYourRole()
        if values['is_billing'] and not me.is_primary:
            raise NotYourRole()
        if values['is_billing'] and values['role'] != ContactRole.GUARDIAN:
            raise BillingMustBeGuardian()
        contact = await _new_contact(uow, actor.family_id, values)
        await portal_log.record(uow, actor.subject, 'contact_added', _added(contact))
    return contact


async def add_contact_by_staff(staff: StaffActor, family_id: int, form: ContactForm) -> Contact:
    """Staff adding a contact of any role; as when a parent adds one, the email typed for them becomes a sign-in
    only once they prove it. The primary contact is passed on with the role editor."""
    async with UnitOfWork() as uow:
        await hold_family(uow, family_id)
        if not await Family.filter(id=family_id).using_db(uow.connection).exists():
            raise NotFound()
        values = form.cleaned(email_required=False)
        if values['is_billing'] and values['role'] != ContactRole.GUARDIAN:
            raise BillingMustBeGuardian()
        contact = await _new_contact(uow, family_id, values)
        await contact.fetch_related('family', using_db=uow.connection)
        new = {name: getattr(contact, name) for name in ('first_name', 'last_name', 'role', 'is_billing')}
        await _staff_lines(uow, staff, contact, 'contact_added', _added(contact), None, new)
    return contact


async def _new_contact(uow: UnitOfWork, family_id: int, values: dict) -> Contact:
    pending_email = values.pop('email') or ''
    contact = Contact(family_id=family_id, **{**values, 'is_primary': False}, pending_email=pending_email)
    await contact.save(using_db=uow.connection)
    return contact


def _added(contact: Contact) -> str:
    label = f' ({contact.relationship})' if contact.relationship else ''
    return f'Contact added: {contact.full_name}{label}'


async def remove_contact(actor: Actor, contact_id: int) -> None:
    """Take a contact off the family. Their payments, agreements and log lines stay theirs, readable by staff;
    they sign in no more."""
    async with UnitOfWork() as uow:
        await hold_family(uow, actor.family_id)
        me = await standing(actor, uow)
        contact = await _live(actor, contact_id, uow)
        if contact.id == actor.contact_id:
            raise CannotRemoveYourself()
        if contact.is_primary:
            raise CannotRemovePrimary()
        if not me.manages(contact.role):
            raise NotYourRole()
        await take_off_family(uow, contact)
        await portal_log.record(uow, actor.subject, 'contact_removed', f'Contact removed: {contact.full_name}')


async def remove_contact_by_staff(staff: StaffActor, contact_id: int | str) -> None:
    """Staff taking a contact off the family: never the primary contact (pass the role on first), never the last
    billing contact; their history stays, read-only, on the family page."""
    async with UnitOfWork() as uow:
        contact = await staff_live(uow, contact_id)
        if contact.is_primary:
            raise CannotRemovePrimary()
        await take_off_family(uow, contact)
        await _staff_lines(uow, staff, contact, 'contact_removed', f'Contact removed: {contact.full_name}', None, None)


async def staff_live(uow: UnitOfWork, contact_id: int | str) -> Contact:
    """A contact still in a family, for staff, read under its family's hold, its family loaded; or NotFound."""
    try:
        wanted = int(contact_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = None
    if 0 < wanted <= LARGEST_ID:
        found = await Contact.filter(id=wanted, removed_at=None).using_db(uow.connection).first()
    if found is None:
        raise NotFound()
    await hold_family(uow, found.family_id)
    contact = await Contact.filter(id=found.id, removed_at=None).using_db(uow.connection).first()
    if contact is None:
        raise NotFound()  # removed while we waited for the hold
    await contact.fetch_related('family', using_db=uow.connection)
    return contact


async def _staff_lines(
    uow: UnitOfWork, staff: StaffActor, contact: Contact, action: str, said: str, old: dict | None, new: dict | None
) -> None:
    """A staff change to a contact: its Parent Portal Log line, naming the staff member, and its audit entry."""
    subject = LogSubject.of(contact, user_id=staff.email)
    await portal_log.record(uow, subject, action, f'{said} by {staff.name}')
    target = f'Contact {contact.full_name} of the {contact.family.name} family'
    await audit.record(uow, staff, action, target, old, new, family_id=contact.family_id)


async def take_off_family(uow: UnitOfWork, contact: Contact) -> None:
    """The removal itself, under the family's hold: never the last billing contact. Sessions and pending address
    changes end, and their email is kept as a detail, no longer a sign-in, so it can sign someone in again."""
    if contact.is_billing:
        await keep_a_billing_contact(uow, contact)
    now = clock.now()
    await (
        Contact.filter(id=contact.id)
        .using_db(uow.connection)
        .update(removed_at=now, allow_login=False, email=None, pending_email=contact.email or contact.pending_email)
    )
    await AddressChange.filter(contact_id=contact.id, used_at=None).using_db(uow.connection).update(used_at=now)
    await sessions.end_sessions(uow, contact_id=contact.id)


async def hand_over_primary(actor: Actor, contact_id: int) -> None:
    """The primary contact makes another guardian (with billing) the primary contact: one at a time, ever."""
    async with UnitOfWork() as uow:
        await hold_family(uow, actor.family_id)
        me = await standing(actor, uow)  # read under the hold: a second hand-over meanwhile finds them no primary
        contact = await _live(actor, contact_id, uow)
        if not me.is_primary or contact.id == actor.contact_id:
            raise NotYourRole()
        await make_primary(uow, contact)
        await portal_log.record(
            uow,
            actor.subject,
            'primary_changed',
            f'Primary contact passed from {actor.contact_name} to {contact.full_name}',
        )


async def make_primary(uow: UnitOfWork, contact: Contact) -> None:
    """Under the family's hold: this guardian becomes the one primary contact."""
    if contact.role != ContactRole.GUARDIAN:
        raise PrimaryMustBeGuardian()
    family = Contact.filter(family_id=contact.family_id).using_db(uow.connection)
    await family.exclude(id=contact.id).filter(is_primary=True).update(is_primary=False)
    await family.filter(id=contact.id).update(is_primary=True)
    contact.is_primary = True


async def set_preferred_language(actor: Actor, language: str) -> None:
    if language not in SUPPORTED_LANGUAGES:
        raise ValidationFailed({'preferred_language': N_('Choose one of the options')})
    async with UnitOfWork() as uow:
        updated = (
            await Contact.filter(id=actor.contact_id)
            .exclude(preferred_language=language)
            .using_db(uow.connection)
            .update(preferred_language=language, version=F('version') + 1)  # a "You" form open elsewhere is stale
        )
        if updated:
            await portal_log.record(
                uow,
                actor.subject,
                'contact_updated',
                f'Preferred language for {actor.contact_name} set to {LANGUAGE_NAMES[language]}',
            )


def _opt_out_line(name: str, opted_out: bool) -> str:
    return f'Mass Email Opt-Out for {name} {"checked" if opted_out else "unchecked"}'


async def set_mass_email_opt_out(actor: Actor, opted_out: bool) -> None:
    """The contact's own Mass Email Opt-Out: messages staff send to many families leave them out; messages about
    their own account still reach them. Not a field of the details form, so an open "You" form stays current."""
    async with UnitOfWork() as uow:
        updated = (
            await Contact.filter(id=actor.contact_id, removed_at=None)
            .exclude(mass_email_opt_out=opted_out)
            .using_db(uow.connection)
            .update(mass_email_opt_out=opted_out)
        )
        if updated:
            await portal_log.record(uow, actor.subject, 'message_opt_out', _opt_out_line(actor.contact_name, opted_out))


async def set_mass_email_opt_out_by_staff(staff: StaffActor, contact_id: int | str, opted_out: bool) -> None:
    """Staff setting a contact's Mass Email Opt-Out, as the contact asked them to."""
    async with UnitOfWork() as uow:
        contact = await staff_live(uow, contact_id)
        if contact.mass_email_opt_out == opted_out:
            return
        await Contact.filter(id=contact.id).using_db(uow.connection).update(mass_email_opt_out=opted_out)
        await _staff_lines(
            uow,
            staff,
            contact,
            'message_opt_out',
            _opt_out_line(contact.full_name, opted_out),
            {'mass_email_opt_out': not opted_out},
            {'mass_email_opt_out': opted_out},
        )


async def hold_family(uow: UnitOfWork, family_id: int) -> None:
    """Every change to who is primary, billing or in the family takes the family's row first, so two at once
    queue and the second one sees what the first one left (one primary, at least one billing contact)."""
    await Family.filter(id=family_id).using_db(uow.connection).select_for_update().first()


async def keep_a_billing_contact(uow: UnitOfWork, leaving: Contact) -> None:
    others = _live_contacts(leaving.family_id).using_db(uow.connection).filter(is_billing=True).exclude(id=leaving.id)
    if not await others.exists():
        raise LastBillingContact()


def _live_contacts(family_id: int):  # type: ignore[no-untyped-def]
    return Contact.filter(family_id=family_id, removed_at=None)


async def _live(actor: Actor, contact_id: int | str, uow: UnitOfWork | None = None) -> Contact:
    """One contact of the actor's family still in it; a removed one is as missing as another family's."""
    contact = await owned(Contact, actor, contact_id, uow)
    if contact.removed_at is not None:
        raise NotFound()
    return contact


def describe_changes(contact: Contact, values: dict) -> list[str]:
    who = contact.full_name
    changes = []
    new_name = f'{values["first_name"]} {values["last_name"]}'
    if new_name != who:
        changes.append(f'Name for {who} set to {new_name}')
    for field, label in _FIELD_LABELS.items():
        if values[field] != getattr(contact, field):
            shown = LANGUAGE_NAMES.get(values[field], values[field]) if field == 'preferred_language' else values[field]
            changes.append(f'{label} for {who} set to {shown}' if shown else f'{label} for {who} cleared')
    if 'pending_email' in values and values['pending_email'] != contact.pending_email:
        typed = values['pending_email']
        changes.append(f'Email for {who} set to {typed} (not yet confirmed)' if typed else f'Email for {who} cleared')
    if any(values[field] != getattr(contact, field) for field in _ADDRESS):
        changes.append(f'Address for {who} changed')
    if 'role' in values and values['role'] != contact.role:
        changes.append(f'Role of {who} set to {ROLE_NAMES[values["role"]]}')
    for flag in CONTACT_FLAGS:
        if values[flag.name] != getattr(contact, flag.name):
            changes.append(f'{flag.label} for {who} {"checked" if values[flag.name] else "unchecked"}')
    return changes
