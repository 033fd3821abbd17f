"""The one page guard: who may open a page, decided before the page is built.

`@parent_page(path)` registers a page for signed-in parents; its handler receives the `Actor` first (with
`billing=True`, only a contact whose role sees payments: the others get the not-found page). A browser
with no live session goes to the sign-in page, a parent who must choose a password or agree to the studio's
policies goes there first. `@staff_page(path, role=...)` does the same for staff, and a staff member without
the role sees why instead of the page. Every page it lets through acts only while its session lives
(components/open_pages.py). This is the seam where "view as parent" goes: every page passes through here.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.responses import RedirectResponse
from nicegui import context, ui

from components import open_pages, session
from components.frame import not_found
from components.i18n import _
from components.staff_frame import staff_frame
from domain.access.actors import Actor, NotYourRole, PermissionDenied, StaffActor, require_billing_access
from domain.models import StaffRole

STAFF_HOME, INSTRUCTOR_HOME = '/staff', '/staff/attendance'

Handler = Callable[..., Awaitable[Any]]


def _without_first_parameter(handler: Handler) -> inspect.Signature:
    """What NiceGUI sees: the handler's own path and query parameters, not the actor the guard passes in."""
    signature = inspect.signature(handler)
    return signature.replace(parameters=list(signature.parameters.values())[1:])


def parent_page(
    path: str,
    *,
    changing_password: bool = False,
    agreeing: bool = False,
    billing: bool = False,
    reconnect_timeout: float | None = None,
) -> Callable[[Handler], Any]:
    """A page for the signed-in parent. `changing_password` and `agreeing` mark the two pages a parent
    may reach before choosing a password or agreeing to the policies (the pages that do just that);
    `reconnect_timeout` is how long the page waits for a phone that lost its connection before it is gone."""

    def register(handler: Handler) -> Any:
        @functools.wraps(handler)
        async def guarded(*args: Any, **kwargs: Any) -> Any:
            actor = await session.require_parent(changing_password=changing_password, agreeing=agreeing)
            if not isinstance(actor, Actor):
                return actor
            open_pages.watch(context.client, session.parent_token() or '', '/session/end/parent')
            if billing:
                try:
                    await require_billing_access(actor)
                except NotYourRole:
                    not_found(actor)
                    return None
            return await handler(actor, *args, **kwargs)

        guarded.__signature__ = _without_first_parameter(handler)  # type: ignore[attr-defined]
        return ui.page(path, reconnect_timeout=reconnect_timeout)(guarded)

    return register


def staff_page(
    path: str, *, role: StaffRole | None = None, title: str = '', instructors: bool = False
) -> Callable[[Handler], Any]:
    """A page for signed-in staff; with `role`, only for that role (others see why, under `title`). Instructors
    see only the pages marked `instructors=True` (the classes they teach), and those show them only their own."""

    def register(handler: Handler) -> Any:
        @functools.wraps(handler)
        async def guarded(*args: Any, **kwargs: Any) -> Any:
            staff = await session.require_staff()
            if not isinstance(staff, StaffActor):
                return staff
            open_pages.watch(context.client, session.staff_token() or '', '/session/end/staff')
            refused = role is not None and staff.role != role
            if staff.role == StaffRole.INSTRUCTOR and not instructors and path == STAFF_HOME:
                return RedirectResponse(INSTRUCTOR_HOME)  # where an instructor lands: today's meetings to take
            if refused or (staff.role == StaffRole.INSTRUCTOR and not instructors):
                with staff_frame(_(title), staff):
                    ui.label(_(PermissionDenied.MESSAGE))
                return None
            return await handler(staff, *args, **kwargs)

        guarded.__signature__ = _without_first_parameter(handler)  # type: ignore[attr-defined]
        return ui.page(path)(guarded)

    return register
