"""The studio's logo at `/studio/logo`, for every page's header and for emails, which load it from the studio's
address. It is not secret: anyone may fetch it, and caches may keep it for a day (a new logo has a new `?v=`)."""

from __future__ import annotations

from fastapi.responses import Response
from nicegui import app

from domain.adapters.storage import StoredFileMissing
from domain.photos import logo


@app.get('/studio/logo')
async def studio_logo() -> Response:
    try:
        data = await logo.logo_bytes()
    except StoredFileMissing:
        data = None
    if data is None:
        return Response('Not found', status_code=404, media_type='text/plain')
    return Response(
        data,
        media_type='image/png',
        headers={'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff'},
    )
