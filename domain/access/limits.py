"""Holding a limit's key while its rows are counted and the new one is written, so simultaneous requests queue.

A limit counted over rows (codes sent to an address, links asked for from an IP) has no single row to
update, so one statement cannot both test and count it: two requests could each count four and each send
the fifth. Holding the limit's key for the rest of the unit of work makes the count and the write one step.
"""

from __future__ import annotations

from domain import db
from domain.unit_of_work import UnitOfWork


async def hold(uow: UnitOfWork, *keys: str) -> None:
    """Until `uow` ends, another unit of work holding any of these keys waits here. Take them all in one call.

    On PostgreSQL, a transaction-scoped advisory lock per key, taken in sorted order so that two requests never
    wait for each other. On SQLite nothing is needed: the process has one connection, and an open transaction
    has it to itself until it ends.
    """
    if db.dialect() != 'postgres':
        return
    for key in sorted(set(keys)):
        await uow.connection.execute_query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key])
