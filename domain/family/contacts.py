"""A parent looking after their own details and the family's other contacts."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from domain import portal_log
from domain.access.actors import Actor
from domain.config import SUPPORTED_LANGUAGES
from domain.errors import DomainError, ValidationFailed
from domain.i18n import LANGUAGE_NAMES, N_
from domain.models import Contact
from domain.records import owned
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import EMAIL_TAKEN, Cleaner, display_phone


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


@dataclass(frozen=True)
class ContactForm:
    """What the parent typed for one contact, as typed."""

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

    @classmethod
    def of(cls, contact: Contact) -> ContactForm:
        values = {name: getattr(contact, name) for name in cls.__dataclass_fields__}
        phones = {name: display_phone(values[name]) for name in ('mobile_phone', 'home_phone', 'work_phone')}
        return cls(**{**values, **phones, 'email': contact.email or ''})

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
            'postal_code': clean.name('postal_code', self.postal_code, required=False, max_length=20),
            'is_primary': bool(self.is_primary),
            'is_billing': bool(self.is_billing),
            'can_pick_up': bool(self.can_pick_up),
            'is_emergency': bool(self.is_emergency),
            'preferred_language': clean.choice('preferred_language', self.preferred_language, set(SUPPORTED_LANGUAGES)),
        }
        clean.raise_if_invalid()
        return values


_FIELD_LABELS = {
    'email': 'Email',
    'mobile_phone': 'Mobile phone',
    'home_phone': 'Home phone',
    'work_phone': 'Work phone',
    'relationship': 'Relationship',
    'preferred_language': 'Preferred language',
}
_ADDRESS = ('address1', 'address2', 'city', 'state', 'postal_code')


async def list_contacts(actor: Actor) -> list[Contact]:
    return await Contact.filter(family_id=actor.family_id).order_by('-is_primary', 'id')


async def get_contact(actor: Actor, contact_id: int) -> Contact:
    return await owned(Contact, actor, contact_id)


async def update_contact(actor: Actor, contact_id: int, form: ContactForm) -> Contact:
    """Save a parent's edit of themselves or of another contact of their family."""
    async with UnitOfWork() as uow:
        contact = await owned(Contact, actor, contact_id, uow)
        values = form.cleaned(email_required=contact.id == actor.contact_id)
        await _check_email_free(values['email'], contact.id, uow)
        changes = describe_changes(contact, values)
        if changes:
            for field, value in values.items():
                setattr(contact, field, value)
            await _save(contact, uow)
            await portal_log.record(uow, actor.subject, 'contact_updated', '; '.join(changes))
    return contact


async def add_contact(actor: Actor, form: ContactForm) -> Contact:
    """Another guardian, a pick-up person or an emergency contact, added by the parent."""
    async with UnitOfWork() as uow:
        values = form.cleaned(email_required=False)
        await _check_email_free(values['email'], None, uow)
        contact = Contact(family_id=actor.family_id, **values)
        await _save(contact, uow)
        label = f' ({contact.relationship})' if contact.relationship else ''
        await portal_log.record(uow, actor.subject, 'contact_added', f'Contact added: {contact.full_name}{label}')
    return contact


async def remove_contact(actor: Actor, contact_id: int) -> None:
    async with UnitOfWork() as uow:
        contact = await owned(Contact, actor, contact_id, uow)
        if contact.id == actor.contact_id:
            raise CannotRemoveYourself()
        await contact.delete(using_db=uow.connection)
        await portal_log.record(uow, actor.subject, 'contact_removed', f'Contact removed: {contact.full_name}')


async def set_preferred_language(actor: Actor, language: str) -> None:
    if language not in SUPPORTED_LANGUAGES:
        raise ValidationFailed({'preferred_language': N_('Choose one of the options')})
    async with UnitOfWork() as uow:
        updated = (
            await Contact.filter(id=actor.contact_id)
            .exclude(preferred_language=language)
            .using_db(uow.connection)
            .update(preferred_language=language)
        )
        if updated:
            await portal_log.record(
                uow,
                actor.subject,
                'contact_updated',
                f'Preferred language for {actor.contact_name} set to {LANGUAGE_NAMES[language]}',
            )


async def _check_email_free(email: str | None, own_id: int | None, uow: UnitOfWork) -> None:
    if email and await Contact.filter(email=email).exclude(id=own_id or 0).using_db(uow.connection).exists():
        raise ValidationFailed({'email': EMAIL_TAKEN})


async def _save(contact: Contact, uow: UnitOfWork) -> None:
    try:
        await contact.save(using_db=uow.connection)
    except IntegrityError as exc:  # two saves of the same address at once: the unique index decides
        raise ValidationFailed({'email': EMAIL_TAKEN}) from exc


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
    if any(values[field] != getattr(contact, field) for field in _ADDRESS):
        changes.append(f'Address for {who} changed')
    for flag in CONTACT_FLAGS:
        if values[flag.name] != getattr(contact, flag.name):
            changes.append(f'{flag.label} for {who} {"checked" if values[flag.name] else "unchecked"}')
    return changes
