"""Stored files behind signed links: `/files/<token>` gives the file the token names until it expires.

Who may see a file was decided when the link was issued (domain/files/links.py), so this needs no session.
Bytes are always served by the portal itself, from either storage adapter, with their stored content type,
never guessed by the browser (`nosniff`), and never kept by a shared cache. A byte range is answered on its own
(206), because Safari plays audio and video only from a server that does.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated
from urllib.parse import quote

from fastapi import Header
from fastapi.responses import Response
from nicegui import app

from domain.adapters.storage import StoredFileMissing
from domain.files import links, stored
from domain.models import StoredFile

_GONE = 'This link has expired. Go back to the portal and open the file again.'
_RANGE = re.compile(r'bytes=(\d*)-(\d*)')


@app.get('/files/{token}')
async def stored_file(token: str, byte_range: Annotated[str | None, Header(alias='Range')] = None) -> Response:
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
    headers = {
        'Accept-Ranges': 'bytes',
        'Cache-Control': 'private, max-age=300',
        'Content-Disposition': disposition(file, download=claim.download),
        'X-Content-Type-Options': 'nosniff',
    }
    wanted = _RANGE.fullmatch(byte_range.strip()) if byte_range else None
    if wanted is None:  # no range, or one this does not answer (several ranges): the whole file
        return Response(data, media_type=file.content_type, headers=headers)
    first, last = wanted.groups()
    size = len(data)
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    elif last:  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = size, -1  # `bytes=-`: unsatisfiable
    if start >= size or start > end:
        return Response(status_code=416, headers={**headers, 'Content-Range': f'bytes */{size}'})
    headers['Content-Range'] = f'bytes {start}-{end}/{size}'
    return Response(data[start : end + 1], status_code=206, media_type=file.content_type, headers=headers)


def disposition(file: StoredFile, *, download: bool) -> str:
    """Shown in the page or downloaded, under the name it was uploaded with and the extension of what it is."""
    extension = file.key.rsplit('.', 1)[-1]
    stem = (file.original_name or 'file').rsplit('/', 1)[-1].rsplit('\\', 1)[-1]
    if '.' in stem:
        stem = stem.rsplit('.', 1)[0]  # a PDF uploaded as `notes.jpg` downloads as `notes.pdf`
    name = f'{stem or "file"}.{extension}'
    plain = unicodedata.normalize('NFKD', name).encode('ascii', 'ignore').decode()
    plain = re.sub(r' +', ' ', re.sub(r'[^A-Za-z0-9._ -]', '_', plain)).strip() or f'file.{extension}'
    kind = 'attachment' if download else 'inline'
    return f'{kind}; filename="{plain}"; filename*=UTF-8\'\'{quote(name, safe="")}'
