"""Who is signed in on this browser: the token lives in the browser's signed, HttpOnly session cookie, the session
in the database (as the token's digest). NiceGUI's server-side user storage holds no bearer secret.

A sign-in made over the page's websocket cannot set a cookie, so it is handed to the browser through one HTTP
request (`pages/endpoints/session.py`), which also gives the browser a new id and fresh storage: a cookie planted
in the browser before the sign-in is not signed in after it. Signing out does the same once the session ended.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from fastapi.responses import RedirectResponse
from nicegui import context, ui
from nicegui.storage import Storage

from domain.access import sessions
from domain.access.actors import Actor, StaffActor
from domain.registration import policies

PARENT_KEY = 'parent'
STAFF_KEY = 'staff'
REGISTRATION_KEY = 'registration'
KINDS = {'parent': PARENT_KEY, 'staff': STAFF_KEY, 'registration': REGISTRATION_KEY}


def client_ip() -> str:
    request = context.client.request
    return request.client.host if request.client else ''


def _cookie() -> dict[str, Any]:
    """The session cookie as this page's browser sent it (a websocket event reads the one its page loaded with)."""
    return context.client.request.session


def browser_id(session: dict[str, Any]) -> str:
    return str(session.get('id', ''))


def ticket_seal(ticket: str, browser: str) -> str:
    """Binds a hand-over ticket to the browser that signed in: the same address opened elsewhere does nothing."""
    key = (Storage.secret or '').encode()
    return hmac.new(key, f'{ticket}:{browser}'.encode(), hashlib.sha256).hexdigest()[:32]


def hand_over(kind: str, ticket: str, then: str = '') -> None:
    """Send this browser to swap a fresh sign-in's (or a proven draft's) ticket for its own token; `then` names
    where it lands instead of the usual page (one of pages/endpoints/session.THEN)."""
    assert kind in KINDS
    sealed = f'{ticket}.{ticket_seal(ticket, browser_id(_cookie()))}'
    ui.navigate.to(f'/session/begin/{kind}/{sealed}' + (f'?then={then}' if then else ''))


def leave(kind: str, then: str = '') -> None:
    """After a session was ended: the browser drops its token and gets a new id and fresh storage."""
    assert kind in KINDS
    ui.navigate.to(f'/session/end/{kind}' + (f'?then={then}' if then else ''))


async def current_parent() -> Actor | None:
    return await sessions.resolve_parent(parent_token(), client_ip())


def parent_token() -> str | None:
    return _cookie().get(PARENT_KEY)


async def current_staff() -> StaffActor | None:
    return await sessions.resolve_staff(staff_token())


def staff_token() -> str | None:
    return _cookie().get(STAFF_KEY)


def registration_token() -> str | None:
    return _cookie().get(REGISTRATION_KEY)


async def require_parent(*, changing_password: bool = False, agreeing: bool = False) -> Actor | RedirectResponse:
    """The signed-in parent, or where they must go first: the sign-in page, choosing their own password,
    or agreeing to the studio's policies (new versions, or an agreement older than the renewal period)."""
    actor = await current_parent()
    if actor is None:
        return RedirectResponse('/')
    if actor.must_change_password and not changing_password:
        return RedirectResponse('/portal/security')
    if not (agreeing or changing_password) and await policies.owes_any(actor.family_id):
        return RedirectResponse('/portal/policies')
    return actor


def user_agent() -> str:
    return context.client.request.headers.get('user-agent', '')


async def require_staff() -> StaffActor | RedirectResponse:
    staff = await current_staff()
    return staff if staff else RedirectResponse('/staff/sign-in')
