"""Signing parents and staff in and out: password checks, lockout and server-side sessions."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from tortoise.expressions import F

from . import db, portal_log, studio
from .errors import SignInFailed
from .models import Contact, FamilyStatus, PortalSession, StaffRole, full_name
from .portal_log import LogSubject
from .unit_of_work import UnitOfWork

MAX_FAILED_PASSWORDS = 5
IDLE_WARNING_AFTER = dt.timedelta(minutes=30)  # the page warns, then signs out after the countdown
IDLE_COUNTDOWN = dt.timedelta(minutes=1)
SEEN_WRITE_INTERVAL = dt.timedelta(minutes=1)
# The server ends an idle session a little after the page would have: last_seen may lag real activity
# by up to two write intervals, and a parent who taps "Stay signed in" at the last second must stay.
SESSION_IDLE = IDLE_WARNING_AFTER + IDLE_COUNTDOWN + 2 * SEEN_WRITE_INTERVAL
SESSION_LIFETIME = dt.timedelta(hours=12)


def configure_idle(warning_after: dt.timedelta, countdown: dt.timedelta) -> None:
    global IDLE_WARNING_AFTER, IDLE_COUNTDOWN, SESSION_IDLE
    IDLE_WARNING_AFTER, IDLE_COUNTDOWN = warning_after, countdown
    SESSION_IDLE = warning_after + countdown + 2 * SEEN_WRITE_INTERVAL


_hasher = PasswordHasher()  # argon2id with the library's current recommended cost


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


async def hash_password(password: str) -> str:
    """Argon2id takes tens of milliseconds of CPU, so it runs in a thread, not on the event loop."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


@cache
def _dummy_hash() -> str:
    """Checked against when there is no account, so an unknown address takes as long as a known one."""
    return _hasher.hash(secrets.token_hex(16))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _start_session(
    uow: UnitOfWork, *, contact_id: int | None = None, staff_id: int | None = None, client_ip: str = ''
) -> str:
    token = secrets.token_urlsafe(32)  # 256 random bits
    now = _now()
    await PortalSession.create(
        token_hash=_digest(token),
        contact_id=contact_id,
        staff_id=staff_id,
        created_at=now,
        last_seen_at=now,
        client_ip=client_ip,
        using_db=uow.connection,
    )
    return token


async def sign_in_parent(email: str, password: str, client_ip: str = '') -> tuple[str, Actor]:
    """Check a parent's email and password; return a new session token and who signed in.

    Every refusal raises the same SignInFailed, whether the address is unknown, the password wrong,
    the login locked or not allowed; the portal log tells staff which it was.
    """
    if not studio.current().offers_password:
        raise SignInFailed()  # the studio chose codes only: no password opens the portal
    user_id = email.strip().lower()
    contact = await Contact.get_or_none(email=user_id).prefetch_related('family')
    password_ok = await verify_password(contact.password_hash if contact else None, password)
    async with UnitOfWork() as uow:
        if contact is None:
            await portal_log.record(
                uow,
                LogSubject(user_id=user_id, client_ip=client_ip),
                'login_failed',
                f'Login failed, unknown UserID: {user_id}',
            )
            outcome = None
        else:
            subject = LogSubject.of(contact, user_id=user_id, client_ip=client_ip)
            outcome = await _judge_attempt(uow, contact, subject, password_ok)
    if outcome is None or contact is None:
        raise SignInFailed()
    await contact.refresh_from_db()
    return outcome, Actor.of(contact, client_ip)


async def _judge_attempt(uow: UnitOfWork, contact: Contact, subject: LogSubject, password_ok: bool) -> str | None:
    user_id = subject.user_id
    if contact.locked:
        await portal_log.record(
            uow, subject, 'login_locked', f'Login refused, locked after incorrect passwords, for UserID: {user_id}'
        )
        return None
    if contact.family.status == FamilyStatus.LEAD or not contact.allow_login:
        await portal_log.record(uow, subject, 'login_not_allowed', f'Login not allowed for UserID: {user_id}')
        return None
    if password_ok and contact.password_expires_at and _now() >= contact.password_expires_at:
        await portal_log.record(uow, subject, 'login_failed', f'Temporary password expired for UserID: {user_id}')
        return None
    if not password_ok:
        await Contact.filter(id=contact.id).using_db(uow.connection).update(failed_attempts=F('failed_attempts') + 1)
        await portal_log.record(uow, subject, 'login_failed', f'Incorrect Password for UserID: {user_id}')
        failed = (await Contact.filter(id=contact.id).using_db(uow.connection).get()).failed_attempts
        if failed >= MAX_FAILED_PASSWORDS:
            await Contact.filter(id=contact.id).using_db(uow.connection).update(locked=True)
            await portal_log.record(
                uow, subject, 'login_locked', f'Login locked after {failed} incorrect passwords for UserID: {user_id}'
            )
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
        .update(failed_attempts=0, locked=False, login_count=F('login_count') + 1, last_login=_now())
    )
    await portal_log.record(uow, subject, 'login_success', message)
    return await _start_session(uow, contact_id=contact.id, client_ip=subject.client_ip)


async def end_sessions(uow: UnitOfWork, *, contact_id: int, keep_token: str | None = None) -> int:
    """Sign a contact out everywhere, except (optionally) on the device they are using."""
    query = PortalSession.filter(contact_id=contact_id, ended_at=None).using_db(uow.connection)
    if keep_token:
        query = query.exclude(token_hash=_digest(keep_token))
    return await query.update(ended_at=_now())


async def sign_out_other_devices(actor: Actor, token: str | None) -> int:
    async with UnitOfWork() as uow:
        ended = await end_sessions(uow, contact_id=actor.contact_id, keep_token=token)
        await portal_log.record(
            uow, actor.subject, 'sessions_ended', f'Signed out {ended} other device(s) for UserID: {actor.email}'
        )
    return ended


# Both read the session and who it belongs to in one hand-written query (`db.fetch`): one of these runs for
# every page a parent or staff member opens. The three comparisons say whether the session is too old, idle too
# long, or due for a new last-seen time.
_SESSION_STATE = 's.id, s.created_at < ? AS too_old, s.last_seen_at < ? AS idle, s.last_seen_at < ? AS stale'
_PARENT_SESSION = (
    f'SELECT {_SESSION_STATE}, c.id AS contact_id, c.first_name, c.last_name, c.email, c.preferred_language, '
    'c.password_must_change, c.locked, c.allow_login, f.id AS family_id, f.name AS family_name, '
    'f.status AS family_status FROM portal_session s JOIN contact c ON c.id = s.contact_id '
    'JOIN family f ON f.id = c.family_id WHERE s.token_hash = ? AND s.ended_at IS NULL'
)
_STAFF_SESSION = (
    f'SELECT {_SESSION_STATE}, u.id AS staff_id, u.name, u.email, u.role FROM portal_session s '
    'JOIN staff_user u ON u.id = s.staff_id WHERE s.token_hash = ? AND s.ended_at IS NULL'
)


async def resolve_parent(token: str | None, client_ip: str = '') -> Actor | None:
    """The parent a session token belongs to, while the session is alive and the contact may still sign in."""
    row = await _live_session(token, _PARENT_SESSION)
    if row is None or row['locked'] or not row['allow_login'] or row['family_status'] == FamilyStatus.LEAD:
        return None
    return Actor(
        row['contact_id'],
        row['family_id'],
        row['family_name'],
        full_name(row['first_name'], row['last_name']),
        row['email'] or '',
        row['preferred_language'],
        client_ip,
        bool(row['password_must_change']),
    )


async def resolve_staff(token: str | None) -> StaffActor | None:
    row = await _live_session(token, _STAFF_SESSION)
    return StaffActor(row['staff_id'], row['name'], row['email'], StaffRole(row['role'])) if row else None


async def _live_session(token: str | None, query: str) -> dict[str, Any] | None:
    if not token:
        return None
    now = _now()
    rows = await db.fetch(query, now - SESSION_LIFETIME, now - SESSION_IDLE, now - SEEN_WRITE_INTERVAL, _digest(token))
    if not rows:
        return None
    row = rows[0]
    if row['too_old'] or row['idle']:
        await PortalSession.filter(id=row['id']).update(ended_at=now)
        return None
    if row['stale']:
        await PortalSession.filter(id=row['id']).update(last_seen_at=now)
    return row


async def _end_session(token: str | None, uow: UnitOfWork | None = None) -> None:
    if token:
        await (
            PortalSession.filter(token_hash=_digest(token), ended_at=None)
            .using_db(uow.connection if uow else None)
            .update(ended_at=_now())
        )


async def sign_out_parent(token: str | None, actor: Actor, *, idle: bool = False) -> None:
    async with UnitOfWork() as uow:
        await _end_session(token, uow)
        reason = 'Signed out after inactivity' if idle else 'Logout'
        await portal_log.record(uow, actor.subject, 'logout', f'{reason} for UserID: {actor.email}')


async def start_staff_session(uow: UnitOfWork, staff_id: int, client_ip: str = '') -> str:
    return await _start_session(uow, staff_id=staff_id, client_ip=client_ip)


async def sign_out_staff(token: str | None) -> None:
    await _end_session(token)
