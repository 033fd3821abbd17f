"""Bearer tokens (sessions, reset links, registration drafts): random, and stored only as their digest."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """256 random bits, URL-safe: for a browser's cookie storage or a link."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What the database keeps instead of the token: a copied database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()
