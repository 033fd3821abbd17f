"""A sign-in's ticket is swapped once for the browser's token, and only within a minute of the sign-in."""

import asyncio
import datetime as dt

import pytest

from domain import clock, tokens
from domain.access import handover, sessions
from domain.models import PortalSession
from domain.unit_of_work import UnitOfWork
from tests.factories import make_family

pytestmark = pytest.mark.usefixtures('database')


async def fresh_ticket(contact_id: int) -> str:
    async with UnitOfWork() as uow:
        return await sessions.start_session(uow, contact_id=contact_id)


async def test_a_ticket_is_swapped_once_even_when_both_arrive_at_once():
    made = await make_family('Ager', 'holly@example.com')
    ticket = await fresh_ticket(made.parent.id)
    results = await asyncio.gather(*(handover.parent_session(ticket) for _ in range(5)))
    tokens_given = [token for token in results if token]
    assert len(tokens_given) == 1
    row = await PortalSession.get()
    assert row.token_hash == tokens.digest(tokens_given[0])
    assert await sessions.resolve_parent(ticket) is None  # the ticket itself no longer signs in
    assert await sessions.resolve_parent(tokens_given[0]) is not None


async def test_a_ticket_older_than_the_window_is_refused():
    made = await make_family('Ager', 'holly@example.com')
    ticket = await fresh_ticket(made.parent.id)
    with clock.pinned(clock.now() + handover.HANDOVER_WINDOW + dt.timedelta(seconds=1)):
        assert await handover.parent_session(ticket) is None


async def test_a_parent_ticket_does_not_open_a_staff_session():
    made = await make_family('Ager', 'holly@example.com')
    ticket = await fresh_ticket(made.parent.id)
    assert await handover.staff_session(ticket) is None
    assert await handover.parent_session(ticket) is not None
