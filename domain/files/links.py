"""Short-lived signed links to stored files, issued only after the caller checked who may see the file.

A link is `/files/<token>`: the file's id, how it is offered (shown inline or downloaded) and when it stops
working, signed with the deployment's secret. A forwarded link works until it expires (minutes), and a changed
one not at all. The endpoint (pages/endpoints/files.py) checks the signature and the time, nothing else: the
access check was made when the link was issued.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from domain import clock
from domain.models import StoredFile

LINK_LIFETIME = dt.timedelta(minutes=5)
_key = secrets.token_bytes(32)


def use_key(secret: str) -> None:
    """Set once at start-up from the deployment's secret, so every process signs and checks alike."""
    global _key
    _key = hashlib.sha256(f'file-links:{secret}'.encode()).digest()


class LinkRefused(Exception):
    """The link was changed, or its time is up."""


@dataclass(frozen=True)
class Claim:
    file_id: int
    download: bool  # offered as an attachment, with its file name, rather than shown in the page
    expires_at: dt.datetime


def link(file: StoredFile | int, *, download: bool = False, lifetime: dt.timedelta = LINK_LIFETIME) -> str:
    file_id = file if isinstance(file, int) else file.id
    expires = int((clock.now() + lifetime).timestamp())
    payload = _encode(json.dumps([file_id, int(download), expires], separators=(',', ':')).encode())
    return f'/files/{payload}.{_signature(payload)}'


def claim(token: str) -> Claim:
    """What a link's token grants, or LinkRefused."""
    payload, _, signature = token.partition('.')
    # bytes, not str: compare_digest refuses a str with non-ASCII characters, which anyone can put in a URL
    if not payload or not hmac.compare_digest(signature.encode(), _signature(payload).encode()):
        raise LinkRefused('signature')
    try:
        file_id, download, expires = json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))
    except (ValueError, TypeError) as broken:
        raise LinkRefused('payload') from broken
    expires_at = dt.datetime.fromtimestamp(int(expires), dt.UTC)
    if expires_at <= clock.now():
        raise LinkRefused('expired')
    return Claim(int(file_id), bool(download), expires_at)


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip('=')


def _signature(payload: str) -> str:
    return _encode(hmac.new(_key, payload.encode(), hashlib.sha256).digest()[:18])
