"""Choosing, changing and resetting parents' portal passwords."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from domain import audit, clock, portal_log, tokens
from domain.access import limits, sessions, sign_in
from domain.access.actors import Actor, SignedIn, StaffActor, may_sign_in
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.notices import password_changed, password_reset, portal_password
from domain.messages.outbox import Recipient
from domain.models import Channel, Contact, PasswordReset
from domain.portal_log import LogSubject
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import HIDDEN_CHARACTERS, MAX_EMAIL_LENGTH, for_the_log, storable

MIN_LENGTH = 8
MAX_LENGTH = 128  # at least 64 must be accepted; longer than this is not a password but a paste accident
RESET_LIFETIME = dt.timedelta(minutes=60)
RESEND_RESET_AFTER = dt.timedelta(seconds=60)  # per address, as for codes
RESET_WINDOW = dt.timedelta(hours=1)
MAX_RESETS_PER_HOUR = 5  # per address
MAX_RESETS_PER_IP_PER_HOUR = 20
TEMPORARY_LIFETIME = dt.timedelta(hours=72)
_READABLE = 'abcdefghjkmnpqrstuvwxyz23456789'  # no 0/o, 1/l/i to misread from an email


_hasher = PasswordHasher()  # argon2id with the library's current recommended cost


async def hash_password(password: str) -> str:
    """Argon2id takes tens of milliseconds of CPU, so it runs in a thread, not on the event loop."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    # Half of a surrogate pair has no UTF-8: kept as its own bytes, it is simply not the password.
    typed = password.encode('utf-8', 'surrogatepass')

    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _dummy_hash(), typed) and password_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


@cache
def _dummy_hash() -> str:
    """Checked against when there is no account, so an unknown address takes as long as a known one."""
    return _hasher.hash(secrets.token_hex(16))


class ResetLinkInvalid(DomainError):
    MESSAGE = N_('This link has expired or was already used. Ask for a new one.')


class WrongCurrentPassword(DomainError):
    MESSAGE = N_('That is not your current password')


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS['passwords'])


def check_new_password(password: str, *, field: str = 'password', user_inputs: tuple[str, ...] = ()) -> None:
    """Length and commonness only, as NIST advises: no rules about digits or symbols."""
    if len(password) < MIN_LENGTH:
        raise ValidationFailed({field: N_('Use at least 8 characters')})
    if len(password) > MAX_LENGTH:
        raise ValidationFailed({field: N_('Use at most 128 characters')})
    if any('\ud800' <= char <= '\udfff' for char in password):  # sent by a script, never typed
        raise ValidationFailed({field: HIDDEN_CHARACTERS})
    if password.lower() in _common_passwords() or zxcvbn(password[:100], list(user_inputs))['score'] == 0:
        raise ValidationFailed(
            {field: N_('This password is too easy to guess. Try a few words that mean something to you.')}
        )


def _recipient(contact: Contact) -> Recipient:
    assert contact.email
    return Recipient(contact.full_name, contact.email, contact.preferred_language, contact.family_id, contact.id)


async def request_reset(email: str, *, client_ip: str = '') -> None:
    """Email a single-use link, within the limits, and end the older ones. Says nothing either way: the page shows
    the same words for any address, whether a link was sent, refused as too soon or too many, or not possible."""
    address = email.strip().lower()
    contact = None
    if storable(address, max_length=MAX_EMAIL_LENGTH):
        contact = await Contact.get_or_none(email=address).prefetch_related('family')
    else:  # no contact has such an address: answered as unknown, without asking the database
        address = for_the_log(address)
    async with UnitOfWork() as uow:
        if contact is None or not may_sign_in(
            allow_login=contact.allow_login, family_status=contact.family.status, removed=contact.removed_at is not None
        ):
            await portal_log.record(
                uow,
                LogSubject(user_id=address, client_ip=client_ip),
                'reset_requested',
                f'Password reset asked for an address that cannot sign in: {address}',
            )
            return
        subject = LogSubject.of(contact, client_ip=client_ip)
        refusal = await _reset_refusal(uow, contact, client_ip)
        if refusal:
            await portal_log.record(
                uow, subject, 'reset_refused', f'Password reset not sent ({refusal}) for UserID: {address}'
            )
            return
        token = secrets.token_urlsafe(32)
        now = clock.now()
        await _end_open_links(uow, contact.id, now)
        await PasswordReset.create(
            token_hash=tokens.digest(token),
            contact=contact,
            created_at=now,
            expires_at=now + RESET_LIFETIME,
            client_ip=client_ip,
            using_db=uow.connection,
        )
        await outbox.enqueue(
            uow,
            Channel.EMAIL,
            _recipient(contact),
            password_reset(contact.preferred_language, contact.first_name),
            secret=f'{settings.current().base_url}/reset/{token}',
            expires_at=now + RESET_LIFETIME,
        )
        await portal_log.record(uow, subject, 'reset_requested', f'Password reset link sent for UserID: {address}')


async def _reset_refusal(uow: UnitOfWork, contact: Contact, client_ip: str) -> str | None:
    """Why no link may be sent now, for the portal log; None when one may. Counted with the contact's and the IP's
    keys held, so a request arriving meanwhile waits for this one's link to be written, then counts it."""
    await limits.hold(uow, f'reset-for:{contact.id}', *([f'reset-from:{client_ip}'] if client_ip else []))
    now = clock.now()
    recent = (
        await PasswordReset.filter(contact_id=contact.id, created_at__gte=now - RESET_WINDOW)
        .using_db(uow.connection)
        .order_by('-created_at')
    )
    if recent and now - recent[0].created_at < RESEND_RESET_AFTER:
        return 'asked again within a minute'
    if len(recent) >= MAX_RESETS_PER_HOUR:
        return f'{MAX_RESETS_PER_HOUR} already this hour'
    from_ip = PasswordReset.filter(client_ip=client_ip, created_at__gte=now - RESET_WINDOW).using_db(uow.connection)
    if client_ip and await from_ip.count() >= MAX_RESETS_PER_IP_PER_HOUR:
        return f'too many requests from {client_ip}'
    return None


async def _end_open_links(uow: UnitOfWork, contact_id: int, now: dt.datetime) -> None:
    """A newer link, or one used, ends every other: only the newest email opens the new-password form."""
    await (
        PasswordReset.filter(contact_id=contact_id, used_at=None, expires_at__gt=now)
        .using_db(uow.connection)
        .update(expires_at=now)
    )


async def reset_link_is_usable(token: str) -> bool:
    return await PasswordReset.filter(
        token_hash=tokens.digest(token), used_at=None, expires_at__gt=clock.now()
    ).exists()


async def reset_with_link(token: str, new_password: str, *, client_ip: str = '') -> SignedIn:
    """Set a new password from an emailed link: lifts a lockout, ends every other link and session, signs in here.

    The link proves the address as a one-time code does, so it admits whom a code would admit, and no one else.
    """
    reset = await PasswordReset.get_or_none(token_hash=tokens.digest(token)).prefetch_related('contact__family')
    if reset is None or reset.used_at is not None or clock.now() >= reset.expires_at:
        raise ResetLinkInvalid()
    contact = reset.contact
    check_new_password(new_password, user_inputs=(contact.email or '', contact.first_name, contact.last_name))
    password_hash = await hash_password(new_password)
    subject = LogSubject.of(contact, client_ip=client_ip)
    async with UnitOfWork() as uow:
        await limits.hold(uow, f'reset-for:{contact.id}')  # a request for a new link meanwhile waits for this one
        now = clock.now()
        claimed = (
            await PasswordReset.filter(id=reset.id, used_at=None, expires_at__gt=now)
            .using_db(uow.connection)
            .update(used_at=now)
        )
        if not claimed:
            raise ResetLinkInvalid()  # used or ended meanwhile: nothing written
        await _end_open_links(uow, contact.id, now)  # this one is used already
        if not may_sign_in(
            allow_login=contact.allow_login, family_status=contact.family.status, removed=contact.removed_at is not None
        ):
            await portal_log.record(uow, subject, 'login_not_allowed', f'Login not allowed for UserID: {contact.email}')
            token_ = None
        else:
            await _replace_password(
                uow,
                contact,
                password_hash,
                f'Password reset by email link for UserID: {contact.email}',
                client_ip=client_ip,
            )
            token_ = await sign_in.admit(
                uow, contact, subject, f'Login successful after a password reset for UserID: {contact.email}'
            )
    if token_ is None:
        raise ResetLinkInvalid()
    await contact.refresh_from_db()
    return SignedIn(token_, Actor.of(contact, client_ip))


async def change_password(actor: Actor, session_token: str | None, current: str, new: str) -> None:
    """From the portal: the current password (or the temporary one) first; other devices are signed out."""
    contact = await Contact.get(id=actor.contact_id).prefetch_related('family')
    if not await verify_password(contact.password_hash, current):
        raise WrongCurrentPassword()
    check_new_password(
        new, field='new_password', user_inputs=(contact.email or '', contact.first_name, contact.last_name)
    )
    if new == current:
        raise ValidationFailed({'new_password': N_('Choose a password different from the current one')})
    password_hash = await hash_password(new)
    async with UnitOfWork() as uow:
        await _replace_password(
            uow,
            contact,
            password_hash,
            f'Password changed for UserID: {contact.email}',
            keep_token=session_token,
            client_ip=actor.client_ip,
        )


async def _replace_password(
    uow: UnitOfWork,
    contact: Contact,
    password_hash: str,
    message: str,
    *,
    keep_token: str | None = None,
    client_ip: str = '',
) -> None:
    await (
        Contact.filter(id=contact.id)
        .using_db(uow.connection)
        .update(
            password_hash=password_hash,
            password_must_change=False,
            password_expires_at=None,
            failed_attempts=0,
            locked=False,
        )
    )
    await sessions.end_sessions(uow, contact_id=contact.id, keep_token=keep_token)
    await portal_log.record(uow, LogSubject.of(contact, client_ip=client_ip), 'password_changed', message)
    await outbox.enqueue(
        uow, Channel.EMAIL, _recipient(contact), password_changed(contact.preferred_language, contact.first_name)
    )


async def staff_reset_password(staff: StaffActor, contact_id: int) -> str:
    """Staff's "Reset Portal Password": a temporary password, shown to staff once and emailed, valid 72 hours."""
    contact = await Contact.get_or_none(id=contact_id).prefetch_related('family')
    if contact is None:
        raise NotFound()
    if not contact.email:
        raise ValidationFailed({'email': N_('This contact has no email address to send the password to')})
    temporary = ''.join(secrets.choice(_READABLE) for _ in range(10))
    password_hash = await hash_password(temporary)
    expires_at = clock.now() + TEMPORARY_LIFETIME
    async with UnitOfWork() as uow:
        await (
            Contact.filter(id=contact.id)
            .using_db(uow.connection)
            .update(
                password_hash=password_hash,
                password_must_change=True,
                password_expires_at=expires_at,
                failed_attempts=0,
                locked=False,
            )
        )
        await sessions.end_sessions(uow, contact_id=contact.id)
        await outbox.enqueue(
            uow,
            Channel.EMAIL,
            _recipient(contact),
            portal_password(
                contact.preferred_language, contact.first_name, contact.email, f'{settings.current().base_url}/'
            ),
            secret=temporary,
        )
        await portal_log.record(
            uow,
            LogSubject.of(contact),
            'password_reset_by_staff',
            f'Portal password reset by {staff.name} for UserID: {contact.email}',
        )
        await audit.record(  # that a temporary password was issued, and until when: never the password
            uow,
            staff,
            'portal_password_reset',
            f'Portal password of {contact.full_name} ({contact.email}) of the {contact.family.name} family',
            {'password_must_change': contact.password_must_change, 'locked': contact.locked},
            {
                'temporary_password_issued': True,
                'password_must_change': True,
                'locked': False,
                'expires_at': expires_at,
            },
            family_id=contact.family_id,
        )
    return temporary
