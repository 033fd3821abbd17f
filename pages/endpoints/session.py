"""The two HTTP requests that change who this browser is: taking a sign-in over, and leaving an ended session.

Both give the browser a new id and fresh NiceGUI storage (carrying only its language), so whatever identified
it before (a cookie someone planted, storage someone copied) is worth nothing after. Neither ends a session:
a link to either from anywhere signs nobody out.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse
from nicegui import app

from components import session
from components.i18n import LANGUAGE_KEY
from domain.access import handover, sessions

CARRIED = (LANGUAGE_KEY,)


@dataclass(frozen=True)
class Door:
    take_over: Any  # ticket -> the browser's token, or None
    entered: str
    refused: str


DOORS = {
    'parent': Door(handover.parent_session, '/portal', '/'),
    'staff': Door(handover.staff_session, '/staff', '/staff/sign-in'),
    'registration': Door(handover.registration, '/register', '/register'),
}
LEFT = {'parent': '/', 'staff': '/staff/sign-in', 'registration': '/register'}
THEN = {'signed-out': '/signed-out', 'registered': '/register/sent'}


def install() -> None:
    """Routes, not pages: registered at every start (NiceGUI re-imports only modules that hold pages)."""
    app.add_api_route('/session/begin/{kind}/{sealed}', begin, methods=['GET'], include_in_schema=False)
    app.add_api_route('/session/end/{kind}', end, methods=['GET'], include_in_schema=False)


async def begin(kind: str, sealed: str, request: Request, then: str = '') -> RedirectResponse:
    door = DOORS.get(kind)
    if door is None:
        raise HTTPException(404)
    ticket, _, seal = sealed.partition('.')
    if not hmac.compare_digest(seal, session.ticket_seal(ticket, session.browser_id(request.session))):
        return _see(door.refused)
    token = await door.take_over(ticket)
    if token is None:
        return _see(door.refused)
    dropped = (session.REGISTRATION_KEY,) if kind == 'parent' else ()  # a family that registered is signed in
    await _fresh_browser(request, {session.KINDS[kind]: token}, dropped)
    return _see(THEN.get(then, door.entered))


async def end(kind: str, request: Request, then: str = '') -> RedirectResponse:
    """After sign-out: forget the token once its session has ended. A live session is left as it is."""
    if kind not in session.KINDS:
        raise HTTPException(404)
    key = session.KINDS[kind]
    token = request.session.get(key)
    if kind == 'parent' and await sessions.resolve_parent(token):
        return _see('/portal')
    if kind == 'staff' and await sessions.resolve_staff(token):
        return _see('/staff')
    await _fresh_browser(request, {}, (key,))
    return _see(THEN.get(then, LEFT[kind]))


async def _fresh_browser(request: Request, tokens: dict[str, str], dropped: tuple[str, ...]) -> None:
    old_id = session.browser_id(request.session)
    old = app.storage._users.get(old_id)  # NiceGUI has no public way to open another id's storage
    carried = {key: old[key] for key in CARRIED if old is not None and key in old}
    tokens_kept = set(session.KINDS.values()) - set(dropped)
    kept = {key: value for key, value in request.session.items() if key in tokens_kept}
    new_id = str(uuid.uuid4())
    request.session.clear()
    request.session.update({**kept, **tokens, 'id': new_id})
    await app.storage._create_user_storage(new_id)  # as NiceGUI's own middleware does
    app.storage._users[new_id].update(carried)
    if old is not None:
        old.clear()  # pages still open on the old id (another tab on the start page) find it empty


def _see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
