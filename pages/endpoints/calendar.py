"""A family's calendar feed for phones to subscribe to: the private link is the only key, no session needed."""

from __future__ import annotations

from fastapi.responses import Response
from nicegui import app

from domain.classes import calendar_feeds
from domain.errors import NotFound


@app.get('/calendar/{token}.ics')
async def calendar_feed(token: str) -> Response:
    try:
        feed = await calendar_feeds.feed_for_token(token)
    except NotFound:
        return Response('Not found', status_code=404, media_type='text/plain')
    return Response(
        feed,
        media_type='text/calendar; charset=utf-8',
        # private: a shared cache must not hand one family's calendar to anyone else who asks
        headers={'Cache-Control': 'private, max-age=300', 'Content-Disposition': 'inline; filename="schedule.ics"'},
    )
