"""Who is signed in on this browser: the token lives in server-side user storage, the session in the database."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import app, context

from domain.access import sessions
from domain.access.actors import Actor, StaffActor
from domain.registration import policies

PARENT_KEY = 'parent_session'
STAFF_KEY = 'staff_session'


def client_ip() -> str:
    request = context.client.request
    return request.client.host if request.client else ''


async def current_parent() -> Actor | None:
    return await sessions.resolve_parent(app.storage.user.get(PARENT_KEY), client_ip())


def remember_parent(token: str) -> None:
    app.storage.user[PARENT_KEY] = token


def parent_token() -> str | None:
    return app.storage.user.get(PARENT_KEY)


def forget_parent() -> None:
    app.storage.user.pop(PARENT_KEY, None)


async def current_staff() -> StaffActor | None:
    return await sessions.resolve_staff(app.storage.user.get(STAFF_KEY))


def remember_staff(token: str) -> None:
    app.storage.user[STAFF_KEY] = token


def staff_token() -> str | None:
    return app.storage.user.get(STAFF_KEY)


def forget_staff() -> None:
    app.storage.user.pop(STAFF_KEY, None)


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
