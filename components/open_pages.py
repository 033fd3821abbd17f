"""The pages open on each session: none acts once its session has ended, and ending a session closes them.

The guard (components/guards.py) calls `watch` for every page it lets through, naming the session the page was
built for. When a session ends anywhere (sign-out, other devices signed out, a password change, staff ending
sessions or unticking "Allow to login", idleness found on a look-up: `sessions.SESSIONS_ENDED`, which the relay
carries to every process) its open pages are sent to sign in at once, and every later event of them (a click,
a typed value, a message from its script) is dropped before it reaches a handler.

NiceGUI has no public hook before an event reaches its handler, so this wraps `nicegui.events.handle_event`, the
one function both the browser's events (`Element._handle_event`) and the simulated user's go through.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

from nicegui import Client, background_tasks, events

from domain.access import sessions
from domain.events import bus


@dataclass
class _OpenPage:
    key: str  # sessions.session_key of the session the page was built for
    sign_in: str
    ended: bool = False


_open: dict[str, _OpenPage] = {}  # by NiceGUI client id
_pages_of: dict[str, set[str]] = {}  # session key -> the ids of the clients open on it
_dispatch = events.handle_event


def watch(client: Client, token: str, sign_in: str) -> None:
    """Refuse every later event of this client's page once its session ends; `sign_in` is where it goes then."""
    page = _OpenPage(sessions.session_key(token), sign_in)
    _open[client.id] = page
    _pages_of.setdefault(page.key, set()).add(client.id)
    client.on_delete(lambda: leave(client))  # a closed tab is forgotten when NiceGUI deletes its client


def leave(client: Client) -> None:
    """This page ends its own session and goes where it chooses: the end of the session need not close it."""
    page = _open.pop(client.id, None)
    if page is not None and (ids := _pages_of.get(page.key)) is not None:
        ids.discard(client.id)
        if not ids:
            del _pages_of[page.key]


def _close(client_id: str, page: _OpenPage) -> None:
    page.ended = True
    client = Client.instances.get(client_id)
    if client is not None and not client.is_deleted:
        background_tasks.create(_send_away(client, page.sign_in), name='close a page whose session ended')


async def _send_away(client: Client, path: str) -> None:
    with contextlib.suppress(TimeoutError):  # the browser is gone or asleep: its next event is refused anyway
        await client.run_javascript(f'window.location.replace({json.dumps(path)})')


def _sessions_ended(keys: list[str]) -> None:
    for key in keys:
        for client_id in list(_pages_of.get(key, ())):
            page = _open[client_id]
            if not page.ended:
                _close(client_id, page)


def _checked_handle_event(handler: Any, arguments: Any, *, expect_args: bool | None = None) -> None:
    client = getattr(arguments, 'client', None)
    page = _open.get(client.id) if isinstance(client, Client) else None
    if page is not None and page.ended:
        return
    _dispatch(handler, arguments, expect_args=expect_args)


events.handle_event = _checked_handle_event
bus.subscribe(sessions.SESSIONS_ENDED, _sessions_ended)
