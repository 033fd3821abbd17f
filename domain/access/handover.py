"""Handing a sign-in to the browser: the token a sign-in made is only a ticket, swapped once for the browser's own.

A sign-in happens over the page's websocket, which cannot set a cookie. So the page sends the browser to a
hand-over address with the ticket, and that request swaps the ticket's digest for a new token's in one UPDATE:
a ticket works once, only within HANDOVER_WINDOW of the sign-in, and the token the browser keeps was never in
a URL. The same holds for the token of a registration draft, once its number or address is proven.
"""

from __future__ import annotations

import datetime as dt

from domain import clock, tokens
from domain.models import PortalSession, RegistrationDraft

HANDOVER_WINDOW = dt.timedelta(seconds=60)


async def parent_session(ticket: str) -> str | None:
    """The parent's browser token for a fresh sign-in's ticket; None if the ticket was used, ended or is stale."""
    return await _swap_session(ticket, contact_id__isnull=False)


async def staff_session(ticket: str) -> str | None:
    return await _swap_session(ticket, staff_id__isnull=False)


async def registration(ticket: str) -> str | None:
    """The browser's token for a draft whose number or address was just proven."""
    token = tokens.new_token()
    swapped = await RegistrationDraft.filter(
        token_hash=tokens.digest(ticket), verified_at__gt=clock.now() - HANDOVER_WINDOW
    ).update(token_hash=tokens.digest(token))
    return token if swapped else None


async def _swap_session(ticket: str, **owner: bool) -> str | None:
    token = tokens.new_token()
    swapped = await PortalSession.filter(
        token_hash=tokens.digest(ticket), ended_at=None, created_at__gt=clock.now() - HANDOVER_WINDOW, **owner
    ).update(token_hash=tokens.digest(token))
    return token if swapped else None
