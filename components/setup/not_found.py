"""An address that leads nowhere gets the portal's own page, in the reader's language, with a way back.

NiceGUI answers an unknown address with its own English "HTTPException: 404" page. `install()` puts this
handler in its place for every address that is no route (an address that is a route of an endpoint, not a
page, still answers its own 404 as JSON, as NiceGUI does). A signed-in parent is led back to the dashboard,
signed-in staff under /staff/ to the console, anyone else to the start page.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from nicegui import Client, app, ui
from nicegui.page import page
from starlette.exceptions import HTTPException

from components import session
from components.frame import portal_frame
from components.i18n import _, adopt_browser_language
from components.staff_frame import staff_frame


def install() -> None:
    app.add_exception_handler(404, answer_not_found)


async def answer_not_found(request: Request, exception: Exception) -> Response:
    endpoint = request.scope.get('endpoint')
    if endpoint is not None and endpoint is not app and isinstance(exception, HTTPException):
        return await http_exception_handler(request, exception)  # an endpoint's own "no such thing"
    with Client(page(''), request=request) as client:
        await not_found_page(request.url.path)
    return client.build_response(request, 404)


async def not_found_page(path: str) -> None:
    adopt_browser_language()  # before the title is translated
    staff = await session.current_staff() if path.startswith('/staff') else None
    if staff is not None:
        with staff_frame(_('Not found'), staff):
            _explanation()
            ui.link(_('Back to the Parent Portal Log'), '/staff').classes('kr-link')
        return
    parent = await session.current_parent()
    with portal_frame(_('Not found'), parent):
        _explanation()
        if parent is not None:
            ui.link(_('Back to your dashboard'), '/portal').classes('kr-link')
        else:
            ui.link(_('Back to the start page'), '/').classes('kr-link')


def _explanation() -> ui.label:
    return ui.label(_('We could not find that page. It may have been removed, or the link may be wrong.'))
