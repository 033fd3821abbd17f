"""Server-side sessions of parents and staff: opened at sign-in, read on every page, ended by sign-out or idleness."""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain import clock, db, portal_log, tokens
from domain.access.actors import Actor, StaffActor, may_sign_in
from domain.models import PortalSession, StaffRole, full_name
from domain.unit_of_work import UnitOfWork

IDLE_WARNING_AFTER = dt.timedelta(minutes=30)  # the page warns, then signs out after the countdown
IDLE_COUNTDOWN = dt.timedelta(minutes=1)
SEEN_WRITE_INTERVAL = dt.timedelta(minutes=1)
# The server ends an idle session a little after the page would have: last_seen may lag real activity
# by up to two write intervals, and a parent who taps "Stay signed in" at the last second must stay.
SESSION_IDLE = IDLE_WARNING_AFTER + IDLE_COUNTDOWN + 2 * SEEN_WRITE_INTERVAL
SESSION_LIFETIME = dt.timedelta(hours=12)
# Published after commit with the keys (`session_key`) of sessions that just ended, whatever ended them, so every
# process closes the pages still open on them.
SESSIONS_ENDED = 'sessions_ended'


def configure_idle(warning_after: dt.timedelta, countdown: dt.timedelta) -> None:
    global IDLE_WARNING_AFTER, IDLE_COUNTDOWN, SESSION_IDLE
    IDLE_WARNING_AFTER, IDLE_COUNTDOWN = warning_after, countdown
    SESSION_IDLE = warning_after + countdown + 2 * SEEN_WRITE_INTERVAL


async def start_session(
    uow: UnitOfWork, *, contact_id: int | None = None, staff_id: int | None = None, client_ip: str = ''
) -> str:
    token = tokens.new_token()
    now = clock.now()
    await PortalSession.create(
        token_hash=tokens.digest(token),
        contact_id=contact_id,
        staff_id=staff_id,
        created_at=now,
        last_seen_at=now,
        client_ip=client_ip,
        using_db=uow.connection,
    )
    return token


def session_key(token: str) -> str:
    """What names a session outside the database (in SESSIONS_ENDED): its stored digest, never the token."""
    return tokens.digest(token)


async def end_sessions(uow: UnitOfWork, *, contact_id: int, keep_token: str | None = None) -> int:
    """Sign a contact out everywhere, except (optionally) on the device they are using."""
    query = PortalSession.filter(contact_id=contact_id, ended_at=None).using_db(uow.connection)
    if keep_token:
        query = query.exclude(token_hash=tokens.digest(keep_token))
    return await _end(uow, query)


async def _end(uow: UnitOfWork, query: Any) -> int:
    keys = list(await query.values_list('token_hash', flat=True))
    if not keys:
        return 0
    ended = (
        await PortalSession.filter(token_hash__in=keys, ended_at=None)
        .using_db(uow.connection)
        .update(ended_at=clock.now())
    )
    uow.publish_after_commit(SESSIONS_ENDED, keys)
    return ended


async def sign_out_other_devices(actor: Actor, token: str | None) -> int:
    async with UnitOfWork() as uow:
        ended = await end_sessions(uow, contact_id=actor.contact_id, keep_token=token)
        await portal_log.record(
            uow,
            actor.subject,
            'sessions_ended',
            f'Signed out {ended} other {"device" if ended == 1 else "devices"} for UserID: {actor.email}',
        )
    return ended


# Both read the session and who it belongs to in one hand-written query (`db.fetch`): one of these runs for
# every page a parent or staff member opens. The three comparisons say whether the session is too old, idle too
# long, or due for a new last-seen time.
_SESSION_STATE = 's.id, s.created_at < ? AS too_old, s.last_seen_at < ? AS idle, s.last_seen_at < ? AS stale'
_PARENT_SESSION = (
    f'SELECT {_SESSION_STATE}, c.id AS contact_id, c.first_name, c.last_name, c.email, c.preferred_language, '
    'c.password_must_change, c.locked, c.allow_login, c.removed_at IS NOT NULL AS removed, f.id AS family_id, '
    'f.name AS family_name, f.status AS family_status FROM portal_session s JOIN contact c ON c.id = s.contact_id '
    'JOIN family f ON f.id = c.family_id WHERE s.token_hash = ? AND s.ended_at IS NULL'
)
_STAFF_SESSION = (
    f'SELECT {_SESSION_STATE}, u.id AS staff_id, u.name, u.email, u.role FROM portal_session s '
    'JOIN staff_user u ON u.id = s.staff_id WHERE s.token_hash = ? AND s.ended_at IS NULL'
)


async def resolve_parent(token: str | None, client_ip: str = '') -> Actor | None:
    """The parent a session token belongs to, while the session is alive and the contact may still sign in."""
    row = await _live_session(token, _PARENT_SESSION)
    if row is None or not may_sign_in(
        allow_login=row['allow_login'],
        family_status=row['family_status'],
        locked=row['locked'],
        removed=bool(row['removed']),
    ):
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
    now = clock.now()
    rows = await db.fetch(
        query, now - SESSION_LIFETIME, now - SESSION_IDLE, now - SEEN_WRITE_INTERVAL, tokens.digest(token)
    )
    if not rows:
        return None
    row = rows[0]
    if row['too_old'] or row['idle']:
        async with UnitOfWork() as uow:
            await _end(uow, PortalSession.filter(id=row['id'], ended_at=None).using_db(uow.connection))
        return None
    if row['stale']:
        await PortalSession.filter(id=row['id']).update(last_seen_at=now)
    return row


async def _end_session(token: str | None, uow: UnitOfWork) -> None:
    if token:
        await _end(uow, PortalSession.filter(token_hash=tokens.digest(token), ended_at=None).using_db(uow.connection))


async def sign_out_parent(token: str | None, actor: Actor, *, idle: bool = False) -> None:
    async with UnitOfWork() as uow:
        await _end_session(token, uow)
        reason = 'Signed out after inactivity' if idle else 'Logout'
        await portal_log.record(uow, actor.subject, 'logout', f'{reason} for UserID: {actor.email}')


async def start_staff_session(uow: UnitOfWork, staff_id: int, client_ip: str = '') -> str:
    return await start_session(uow, staff_id=staff_id, client_ip=client_ip)


async def sign_out_staff(token: str | None) -> None:
    async with UnitOfWork() as uow:
        await _end_session(token, uow)
