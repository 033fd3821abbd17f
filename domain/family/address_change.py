"""A contact's own sign-in email or mobile changes only once a code sent to the new one is entered.

Until then the old address stays their sign-in; once it changes, the old address is told, so a change nobody
asked for is noticed. A new address that already signs someone else in is refused with words that say nothing
about that someone (`AddressNotAvailable`), and the portal log tells staff, who settle it.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from tortoise.expressions import F

from domain import clock, portal_log
from domain.access import codes, limits
from domain.access.actors import Actor
from domain.errors import DomainError
from domain.i18n import N_
from domain.messages import notices, outbox
from domain.messages.outbox import Recipient
from domain.models import AddressChange, Channel, Contact
from domain.unit_of_work import UnitOfWork
from domain.validation import display_phone

FIELDS = {'email': Channel.EMAIL, 'mobile_phone': Channel.SMS}


class AddressNotAvailable(DomainError):
    MESSAGE = N_('We could not give this address portal access; the studio can help.')


@dataclass(frozen=True)
class PendingProof:
    """A code was sent to `destination`; entering it (`confirm`) makes it the contact's sign-in `field`."""

    id: int
    field: str
    destination: str


async def start(uow: UnitOfWork, actor: Actor, contact: Contact, field: str, value: str) -> PendingProof:
    """Send a code to the new email or mobile, within the sign-in codes' limits; an older change waiting ends."""
    await limits.hold(uow, f'address-change:{contact.id}')
    now = clock.now()
    recent = (
        await AddressChange.filter(contact_id=contact.id, created_at__gte=now - dt.timedelta(hours=1))
        .using_db(uow.connection)
        .order_by('-created_at')
    )
    if recent and now - recent[0].created_at < codes.RESEND_AFTER:
        raise codes.TooSoon()
    if len(recent) >= codes.MAX_CODES_PER_HOUR:
        raise codes.TooMany()
    await AddressChange.filter(contact_id=contact.id, used_at=None).using_db(uow.connection).update(used_at=now)
    code = f'{secrets.randbelow(10**6):06d}'
    change = await AddressChange.create(
        contact_id=contact.id,
        field=field,
        new_value=value,
        code_hash=_digest(contact.id, field, value, code),
        created_at=now,
        expires_at=now + codes.CODE_LIFETIME,
        using_db=uow.connection,
    )
    recipient = Recipient(contact.full_name, value, contact.preferred_language, contact.family_id, contact.id)
    notice = notices.address_change_code(contact.preferred_language)
    await outbox.enqueue(uow, FIELDS[field], recipient, notice, secret=code, expires_at=change.expires_at)
    await portal_log.record(
        uow, actor.subject, 'address_change_sent', f'Code sent to confirm the new {_name(field)} {value}'
    )
    return PendingProof(change.id, field, value)


async def confirm(actor: Actor, proof_id: int, code: str) -> Contact:
    """Enter the code sent to the new address: it becomes the sign-in, and the old one is told."""
    typed = ''.join(code.split())
    refusal: DomainError | None = None
    async with UnitOfWork() as uow:
        change = await AddressChange.filter(id=proof_id, contact_id=actor.contact_id).using_db(uow.connection).first()
        contact = await Contact.filter(id=actor.contact_id, removed_at=None).using_db(uow.connection).first()
        if change is None or contact is None:
            raise codes.CodeRejected()
        now = clock.now()
        still_open = AddressChange.filter(
            id=change.id, used_at=None, expires_at__gt=now, wrong_entries__lt=codes.MAX_WRONG_ENTRIES
        ).using_db(uow.connection)
        right = hmac.compare_digest(change.code_hash, _digest(contact.id, change.field, change.new_value, typed))
        if right:
            right = bool(await still_open.update(used_at=now))
        else:
            await still_open.update(wrong_entries=F('wrong_entries') + 1)
        if not right:
            await portal_log.record(
                uow, actor.subject, 'address_change_failed', f'Incorrect or expired code for {change.new_value}'
            )
            refusal = codes.CodeRejected()
        elif not await _free_for(uow, contact, change.field, change.new_value):
            await portal_log.record(
                uow,
                actor.subject,
                'address_change_refused',
                f'New {_name(change.field)} {change.new_value} for {contact.full_name} not made a sign-in: another '
                'contact signs in with it. Staff to settle which contact it belongs to',
            )
            refusal = AddressNotAvailable()
        else:
            await _apply(uow, actor, contact, change.field, change.new_value)
    if refusal:  # raised only now: the log lines above are kept
        raise refusal
    return contact


async def _free_for(uow: UnitOfWork, contact: Contact, field: str, value: str) -> bool:
    """Nobody else signs in with it. The address's key is held till commit: two families proving one address at
    once, the second finds the first."""
    await limits.hold(uow, f'sign-in:{value}')
    others = Contact.filter(**{field: value}).exclude(id=contact.id).using_db(uow.connection)
    if field == 'mobile_phone':
        others = others.filter(mobile_verified=True, removed_at=None)
    return not await others.exists()


async def _apply(uow: UnitOfWork, actor: Actor, contact: Contact, field: str, value: str) -> None:
    old = contact.email if field == 'email' else (contact.mobile_phone if contact.mobile_verified else None)
    if field == 'email':
        contact.email, contact.pending_email = value, ''
        update_fields = ['email', 'pending_email']
    else:
        contact.mobile_phone, contact.mobile_verified = value, True
        update_fields = ['mobile_phone', 'mobile_verified']
    await contact.save(using_db=uow.connection, update_fields=[*update_fields, 'updated_at'])
    shown = value if field == 'email' else display_phone(value)
    if old and old != value:
        recipient = Recipient(contact.full_name, old, contact.preferred_language, contact.family_id, contact.id)
        await outbox.enqueue(
            uow, FIELDS[field], recipient, notices.address_changed(contact.preferred_language, field, shown)
        )
    await portal_log.record(
        uow,
        actor.subject,
        'address_changed',
        f'{_name(field).capitalize()} for {contact.full_name} changed to {value} with a code sent to it'
        + (f'; {old} told' if old and old != value else ''),
    )


async def mark_proven(uow: UnitOfWork, contact: Contact, channel: Channel, destination: str) -> None:
    """A code sent to this address signed the contact in: it is theirs. An email typed for them by someone else
    becomes their sign-in, a mobile number a proven one (unless another contact signs in with it meanwhile)."""
    field = 'email' if channel == Channel.EMAIL else 'mobile_phone'
    if field == 'email' and (contact.email == destination or contact.pending_email != destination):
        return
    if field == 'mobile_phone' and (contact.mobile_verified or contact.mobile_phone != destination):
        return
    if await _free_for(uow, contact, field, destination):
        if field == 'email':
            await Contact.filter(id=contact.id).using_db(uow.connection).update(email=destination, pending_email='')
        else:
            await Contact.filter(id=contact.id).using_db(uow.connection).update(mobile_verified=True)


async def pending_for(actor: Actor) -> list[PendingProof]:
    """The changes still waiting for their code, newest first: the "You" page offers to enter it."""
    rows = await AddressChange.filter(contact_id=actor.contact_id, used_at=None, expires_at__gt=clock.now()).order_by(
        '-created_at'
    )
    return [PendingProof(row.id, row.field, row.new_value) for row in rows]


def _digest(contact_id: int, field: str, value: str, code: str) -> str:
    return codes._digest(f'address-change:{contact_id}:{field}:{value}', code)


def _name(field: str) -> str:
    return 'sign-in email' if field == 'email' else 'sign-in mobile'
