"""Everything the parent's dashboard shows, gathered in one call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from domain import db
from domain.access.actors import Actor, Standing
from domain.billing.ledger import balance_of_rows
from domain.models import ContactRole, full_name


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
    balance: Decimal | None  # None for a contact whose role sees no payments
    standing: Standing
    makeup_credits: int  # credits ready to book a makeup with


# The dashboard is the page parents open most: four hand-written reads (`db.fetch`), no models built.
_PARTICIPANTS = (
    'SELECT id, first_name, last_name, birthdate FROM participant WHERE family_id = ? AND removed_at IS NULL '
    'ORDER BY first_name, id'
)
_CONTACTS = (
    'SELECT id, first_name, last_name, email, role, is_primary FROM contact '
    'WHERE family_id = ? AND removed_at IS NULL ORDER BY is_primary DESC, id'
)
_LEDGER = 'SELECT kind, amount FROM ledger_entry WHERE family_id = ?'
_CREDITS = "SELECT COUNT(*) AS available FROM makeup_credit WHERE family_id = ? AND status = 'available'"


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
    rows = await db.fetch(_CONTACTS, actor.family_id)
    contacts = [
        Person(row['id'], row['first_name'], full_name(row['first_name'], row['last_name']), row['email'] or '')
        for row in rows
    ]
    me = next(c for c in contacts if c.id == actor.contact_id)
    mine = next(row for row in rows if row['id'] == actor.contact_id)
    standing = Standing(actor.contact_id, ContactRole(mine['role']), bool(mine['is_primary']))
    balance = None
    if standing.sees_payments:
        ledger = await db.fetch(_LEDGER, actor.family_id)
        balance = balance_of_rows((row['kind'], row['amount']) for row in ledger)
    others = [c for c in contacts if c.id != actor.contact_id] if standing.sees_contacts else []
    (credits,) = await db.fetch(_CREDITS, actor.family_id)
    return Dashboard(participants, me, others, balance, standing, credits['available'])
