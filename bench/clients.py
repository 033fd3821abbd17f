"""Simulated browsers: load a page over HTTP, then connect its websocket the way NiceGUI's JavaScript does."""

from __future__ import annotations

import ast
import asyncio
import json
import re
import secrets
import time
from dataclasses import dataclass, field

import httpx
import socketio

QUERY = re.compile(r'query: (\{.*?\}),\s*\n')
ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.S)


def element_count(html: str) -> int:
    found = ELEMENTS.search(html)
    return len(json.loads(found.group(1))) if found else 0


@dataclass
class Browser:
    """One simulated tab: its page's client id and its open websocket."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    socket: socketio.AsyncClient | None = None
    html: str = ''
    on_update: list = field(default_factory=list)

    async def load(self, http: httpx.AsyncClient, path: str) -> None:
        response = await http.get(self.base + path, cookies=self.cookies)
        response.raise_for_status()
        self.html = response.text
        query = ast.literal_eval(QUERY.search(self.html).group(1))  # a Python dict literal in the page
        query.update(tab_id=secrets.token_hex(8), document_id=secrets.token_hex(8))
        self.socket = socketio.AsyncClient(reconnection=False)
        for handler in self.on_update:  # whole elements, and methods run in the browser (the live log's rows)
            self.socket.on('update', handler)
            self.socket.on('run_javascript', handler)
        qs = '&'.join(f'{k}={str(v).lower() if isinstance(v, bool) else v}' for k, v in query.items())
        headers = {'Cookie': '; '.join(f'{k}={v}' for k, v in self.cookies.items())}
        await self.socket.connect(
            f'{self.base}?{qs}',
            socketio_path='/_nicegui_ws/socket.io',
            transports=['websocket'],
            headers=headers,
            wait_timeout=10,
        )
        if not query.get('implicit_handshake'):
            await self.socket.call('handshake', query, timeout=10)

    async def close(self) -> None:
        if self.socket:
            await self.socket.disconnect()


async def load_loop(base: str, path: str, cookies: dict[str, str], *, concurrency: int, seconds: float) -> int:
    """`concurrency` parents loading the page and connecting, again and again; returns completed loads."""
    done = 0
    limits = httpx.Limits(max_connections=concurrency * 2)
    # One load first: NiceGUI reads a browser's storage back from Redis when its first request arrives, and
    # requests of the same browser that arrive while it loads find it empty (they would be sent to sign in).
    async with httpx.AsyncClient(timeout=30) as http:
        browser = Browser(base, cookies)
        await browser.load(http, path)
        await browser.close()
    deadline = time.monotonic() + seconds

    async def parent() -> None:
        nonlocal done
        async with httpx.AsyncClient(timeout=30, limits=limits) as http:
            while time.monotonic() < deadline:
                browser = Browser(base, cookies)
                await browser.load(http, path)
                await browser.close()
                done += 1

    await asyncio.gather(*(parent() for _ in range(concurrency)))
    return done
