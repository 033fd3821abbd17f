"""What every response tells the browser, and which sites may open the portal's websocket.

Response headers. Every response (page, static file, endpoint, error) carries a Content-Security-Policy,
`X-Frame-Options: DENY`, `Referrer-Policy: same-origin`, `X-Content-Type-Options: nosniff` and a
Permissions-Policy, sent by a plain ASGI middleware: Starlette's BaseHTTPMiddleware would buffer every
response and cost each request a task. A header a response already sets is left as it is.

The policy is as strict as NiceGUI allows, found by loading the demo's pages in chromium and reading the
console (`tests/e2e/test_origins.py` keeps it at zero violations). NiceGUI writes its start-up and every
`ui.add_body_html` script inline and compiles Vue templates, and runs `run_javascript`, with `new Function`:
so scripts need `'unsafe-inline'` and `'unsafe-eval'`; Quasar sets `style` attributes, so styles need
`'unsafe-inline'`. Everything else is this origin only: no other site's scripts, images, fonts, frames or
plugins, forms post only here, and no page may be framed (`frame-ancestors 'none'`, which older browsers
read as X-Frame-Options).

Websocket origins. NiceGUI creates its socket.io server with `cors_allowed_origins='*'`, so a page on any
site could open a websocket with the parent's cookie and click buttons on their behalf, and the polling
transport answered any origin with `Access-Control-Allow-Origin` and credentials. Engine.IO already checks
the Origin of both transports against `cors_allowed_origins` before anything else (a foreign one gets 400,
a websocket is closed before it is accepted, and no CORS header names it), so the check is narrowed to the
portal's own origin (`PORTAL_BASE_URL`) rather than adding a second layer in front of `/_nicegui_ws/`.
When that is a loopback address (a local run), the origin a page was really loaded from on the same port
(127.0.0.1, or a phone on the LAN) is accepted too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from nicegui import app, core
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.config import Config

LOOPBACK = {'localhost', '127.0.0.1', '::1'}
DENIED_FEATURES = (
    'camera',
    'microphone',
    'geolocation',
    'payment',
    'usb',
    'serial',
    'hid',
    'midi',
    'magnetometer',
    'gyroscope',
    'accelerometer',
    'display-capture',
    'screen-wake-lock',
    'xr-spatial-tracking',
    'browsing-topics',
)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f'{parts.scheme}://{parts.netloc}'.lower()


def content_security_policy(base_url: str) -> str:
    websocket = origin_of(base_url).replace('http', 'ws', 1)  # 'self' covers it in CSP 3; older Safari needs it
    return '; '.join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {websocket}",
            "object-src 'none'",
            "frame-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def response_headers(config: Config) -> dict[str, str]:
    return {
        'Content-Security-Policy': content_security_policy(config.base_url),
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'same-origin',
        'X-Content-Type-Options': 'nosniff',
        'Permissions-Policy': ', '.join(f'{feature}=()' for feature in DENIED_FEATURES),
    }


class SecurityHeaders:
    """Adds the headers to the start of every HTTP response, leaving the body to stream as it was."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message['type'] == 'http.response.start':
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def accepts_origin(base_url: str) -> Callable[[str | None, dict[str, Any]], bool]:
    """Engine.IO's question for every request that names an Origin: is it the portal's own?"""
    own = origin_of(base_url)
    parts = urlsplit(own)
    local = parts.hostname in LOOPBACK

    def accepted(origin: str | None, environ: dict[str, Any]) -> bool:
        if not origin:
            return False  # no Origin, no CORS header; Engine.IO only checks requests that send one
        origin = origin.lower()
        if origin == own:
            return True
        if not local:
            return False
        reached_on = f'{parts.scheme}://{environ.get("HTTP_HOST", "")}'.lower()
        return origin == reached_on and urlsplit(origin).port == parts.port

    return accepted


def install(config: Config) -> None:
    app.add_middleware(SecurityHeaders, headers=response_headers(config))
    core.sio.eio.cors_allowed_origins = accepts_origin(config.base_url)
