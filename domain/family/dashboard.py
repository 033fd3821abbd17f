"""Everything the parent's dashboard shows, gathered in one call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from domain import db
from domain.access.actors import Actor
from domain.billing.ledger import balance_of_rows
from domain.models import full_name


@dataclass(frozen=True)
class Person:
    """A participant or a contact as the dashboard names them."""

    id: int
    first_name: str
    full_name: str
    email: str = ''
    birthdate: dt.date | None = None


@dataclass(frozen=True)
class Dashboard:
    participants: list[Person]
    me: Person
    others: list[Person]
    balance: Decimal


# The dashboard is the page parents open most: three hand-written reads (`db.fetch`), no models built.
_PARTICIPANTS = (
    'SELECT id, first_name, last_name, birthdate FROM participant WHERE family_id = ? ORDER BY first_name, id'
)
_CONTACTS = 'SELECT id, first_name, last_name, email FROM contact WHERE family_id = ? ORDER BY is_primary DESC, id'
_LEDGER = 'SELECT kind, amount FROM ledger_entry WHERE family_id = ?'


async def dashboard(actor: Actor) -> Dashboard:
    participants = [
        Person(
            row['id'],
            row['first_name'],
            full_name(row['first_name'], row['last_name']),
            birthdate=db.as_date(row['birthdate']),
        )
        for row in await db.fetch(_PARTICIPANTS, actor.family_id)
    ]
    contacts = [
        Person(row['id'], row['first_name'], full_name(row['first_name'], row['last_name']), row['email'] or '')
        for row in await db.fetch(_CONTACTS, actor.family_id)
    ]
    me = next(c for c in contacts if c.id == actor.contact_id)
    ledger = await db.fetch(_LEDGER, actor.family_id)
    return Dashboard(
        participants,
        me,
        [c for c in contacts if c.id != actor.contact_id],
        balance_of_rows((row['kind'], row['amount']) for row in ledger),
    )
