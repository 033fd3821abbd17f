"""Stored files behind signed links: `/files/<token>` gives the file the token names until it expires.

Who may see a file was decided when the link was issued (domain/files/links.py), so this needs no session.
Bytes are always served by the portal itself, from either storage adapter, with their stored content type,
never guessed by the browser (`nosniff`), and never kept by a shared cache.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response
from nicegui import app

from domain.adapters.storage import StoredFileMissing
from domain.files import links, stored
from domain.models import StoredFile

_GONE = 'This link has expired. Go back to the portal and open the file again.'


@app.get('/files/{token}')
async def stored_file(token: str) -> Response:
    try:
        claim = links.claim(token)
    except links.LinkRefused:
        return Response(_GONE, status_code=410, media_type='text/plain; charset=utf-8')
    file = await StoredFile.get_or_none(id=claim.file_id)
    if file is None:
        return Response('Not found', status_code=404, media_type='text/plain')
    try:
        data = await stored.read(file)
    except StoredFileMissing:
        return Response('Not found', status_code=404, media_type='text/plain')
    name = file.original_name or file.key.rsplit('/', 1)[-1]
    disposition = 'attachment' if claim.download else 'inline'
    return Response(
        data,
        media_type=file.content_type,
        headers={
            'Cache-Control': 'private, max-age=300',
            'Content-Disposition': f"{disposition}; filename*=UTF-8''{quote(name)}",
            'X-Content-Type-Options': 'nosniff',
        },
    )
