"""/healthz for load balancers: 200 while the database answers, 503 when it does not."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from nicegui import app

from domain.operations import health


@app.get('/healthz')
async def healthz() -> JSONResponse:
    state = await health.check()
    return JSONResponse(
        {
            'status': 'ok' if state.ok else 'unavailable',
            'database': state.database,
            'outbox_backlog': state.outbox_backlog,
            'oldest_queued_seconds': state.oldest_queued_seconds,
        },
        status_code=200 if state.ok else 503,
    )
