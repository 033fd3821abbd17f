"""A family's private calendar address: a random token in the link, only its digest in the database.

Since the database cannot give the link back, it is shown once, when it is made; making another stops the one
before, and stopping it ends it for good (the address then answers not found). Any signed-in contact of the
family may do either: the link shows only what their dashboard shows them.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit, urlunsplit

from domain import clock, portal_log
from domain.access.actors import Actor
from domain.classes.calendar import family_feed
from domain.errors import NotFound
from domain.models import CalendarFeed
from domain.studio import settings
from domain.tokens import digest, new_token
from domain.unit_of_work import UnitOfWork


async def feed_address(actor: Actor) -> str:
    """A new calendar link for the actor's family, its https address; any earlier link stops working."""
    token = new_token()
    async with UnitOfWork() as uow:
        now = clock.now()
        stopped = await _stop_live(uow, actor.family_id, now)
        await CalendarFeed.create(
            family_id=actor.family_id, token_hash=digest(token), created_at=now, using_db=uow.connection
        )
        message = 'Calendar feed created, the earlier link stopped' if stopped else 'Calendar feed created'
        await portal_log.record(uow, actor.subject, 'calendar_feed_created', message)
    return f'{settings.current().base_url}/calendar/{token}.ics'


def webcal(address: str) -> str:
    """The same address for a phone's calendar app to subscribe to: webcal:// in place of https:// or http://."""
    return urlunsplit(('webcal', *urlsplit(address)[1:]))


async def revoke_feed(actor: Actor) -> None:
    """Stop the family's calendar link; NotFound when there is none live."""
    async with UnitOfWork() as uow:
        if not await _stop_live(uow, actor.family_id, clock.now()):
            raise NotFound()
        await portal_log.record(uow, actor.subject, 'calendar_feed_stopped', 'Calendar feed stopped')


async def feed_for_token(token: str) -> bytes:
    """The calendar behind a live link; NotFound for a stopped link or one never made."""
    feed = await CalendarFeed.get_or_none(token_hash=digest(token), revoked_at=None)
    if feed is None:
        raise NotFound()
    return await family_feed(feed.family_id)


async def _stop_live(uow: UnitOfWork, family_id: int, now: dt.datetime) -> int:
    return (
        await CalendarFeed.filter(family_id=family_id, revoked_at=None).using_db(uow.connection).update(revoked_at=now)
    )
