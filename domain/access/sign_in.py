"""Signing a parent in with an email and a password, and the limits that guard it: five wrong passwords lock a
login, and twenty wrong passwords in an hour from one IP stop that IP, whatever accounts it tries."""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import F

from domain import clock, portal_log
from domain.access import limits, passwords, sessions
from domain.access.actors import Actor, may_sign_in
from domain.errors import SignInFailed
from domain.models import Contact, PortalEvent
from domain.portal_log import LogSubject
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import MAX_EMAIL_LENGTH, for_the_log, storable

MAX_FAILED_PASSWORDS = 5
MAX_FAILED_PASSWORDS_PER_IP = 20  # in the last IP_WINDOW, over every account, known or not
IP_WINDOW = dt.timedelta(hours=1)


async def sign_in_parent(email: str, password: str, client_ip: str = '') -> tuple[str, Actor]:
    """Check a parent's email and password; return a new session token and who signed in.

    Every refusal raises the same SignInFailed, whether the address is unknown, the password wrong,
    the login locked or not allowed, or the IP has guessed too often; the portal log tells staff which it was.
    """
    if not settings.current().offers_password:
        raise SignInFailed()  # the studio chose codes only: no password opens the portal
    user_id = email.strip().lower()
    contact = None
    if storable(user_id, max_length=MAX_EMAIL_LENGTH):
        contact = await Contact.get_or_none(email=user_id).prefetch_related('family')
    else:  # no contact has such an address: refused as unknown, without asking the database
        user_id = for_the_log(user_id)
    password_ok = await passwords.verify_password(contact.password_hash if contact else None, password)
    subject = (
        LogSubject.of(contact, user_id=user_id, client_ip=client_ip)
        if contact
        else LogSubject(user_id=user_id, client_ip=client_ip)
    )
    async with UnitOfWork() as uow:
        if client_ip and await _too_many_from(uow, client_ip):
            message = f'Login refused, too many incorrect passwords from {client_ip}, for UserID: {user_id}'
            await portal_log.record(uow, subject, 'login_refused_ip', message)
            outcome = None
        elif contact is None:
            await portal_log.record(uow, subject, 'login_failed', f'Login failed, unknown UserID: {user_id}')
            outcome = None
        else:
            outcome = await _judge_attempt(uow, contact, subject, password_ok)
    if outcome is None or contact is None:
        raise SignInFailed()
    await contact.refresh_from_db()
    return outcome, Actor.of(contact, client_ip)


async def _too_many_from(uow: UnitOfWork, client_ip: str) -> bool:
    """The IP's failed attempts of the last hour, counted in the portal log while the IP's key is held: an attempt
    judged meanwhile from the same IP waits, so each one counts the others' lines."""
    await limits.hold(uow, f'password-from:{client_ip}')
    failed = (
        await PortalEvent.filter(occurred_at__gte=clock.now() - IP_WINDOW, client_ip=client_ip, kind='login_failed')
        .using_db(uow.connection)
        .count()
    )
    return failed >= MAX_FAILED_PASSWORDS_PER_IP


async def _judge_attempt(uow: UnitOfWork, contact: Contact, subject: LogSubject, password_ok: bool) -> str | None:
    """Take one of the contact's remaining tries, then judge the attempt. Once five are used, every attempt is
    refused as locked, the right password too.

    The try is taken by one statement that also tests one is left; from then on this transaction holds the row,
    so a simultaneous attempt on the same contact waits for this judgement. A right password gives the try back.
    """
    user_id = subject.user_id
    contact_row = Contact.filter(id=contact.id).using_db(uow.connection)
    taken = await contact_row.filter(locked=False, failed_attempts__lt=MAX_FAILED_PASSWORDS).update(
        failed_attempts=F('failed_attempts') + 1
    )
    if not taken:
        await portal_log.record(
            uow, subject, 'login_locked', f'Login refused, locked after incorrect passwords, for UserID: {user_id}'
        )
        return None
    if not may_sign_in(
        allow_login=contact.allow_login, family_status=contact.family.status, removed=contact.removed_at is not None
    ):
        await contact_row.update(failed_attempts=F('failed_attempts') - 1)
        await portal_log.record(uow, subject, 'login_not_allowed', f'Login not allowed for UserID: {user_id}')
        return None
    if not password_ok:
        await portal_log.record(uow, subject, 'login_failed', f'Incorrect Password for UserID: {user_id}')
        failed = (await contact_row.get()).failed_attempts
        if failed >= MAX_FAILED_PASSWORDS:
            await contact_row.update(locked=True)
            await portal_log.record(
                uow, subject, 'login_locked', f'Login locked after {failed} incorrect passwords for UserID: {user_id}'
            )
        return None
    if contact.password_expires_at and clock.now() >= contact.password_expires_at:
        await contact_row.update(failed_attempts=F('failed_attempts') - 1)
        await portal_log.record(uow, subject, 'login_failed', f'Temporary password expired for UserID: {user_id}')
        return None
    return await admit(uow, contact, subject, f'Login successful for UserID: {user_id}')


async def admit(uow: UnitOfWork, contact: Contact, subject: LogSubject, message: str) -> str:
    """Count the sign-in, log it and open a session. Callers have checked the contact may sign in.

    A one-time code or a reset link proves the address as much as a password does, so any way in
    also lifts a password lockout.
    """
    await (
        Contact.filter(id=contact.id)
        .using_db(uow.connection)
        .update(failed_attempts=0, locked=False, login_count=F('login_count') + 1, last_login=clock.now())
    )
    await portal_log.record(uow, subject, 'login_success', message)
    return await sessions.start_session(uow, contact_id=contact.id, client_ip=subject.client_ip)
