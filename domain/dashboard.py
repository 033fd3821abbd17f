"""Everything the parent's dashboard shows, gathered in one call."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .access import Actor
from .billing import balance
from .models import Contact, Participant


@dataclass(frozen=True)
class Dashboard:
    participants: list[Participant]
    me: Contact
    others: list[Contact]
    balance: Decimal


async def dashboard(actor: Actor) -> Dashboard:
    participants = await Participant.filter(family_id=actor.family_id).order_by('first_name', 'id')
    contacts = await Contact.filter(family_id=actor.family_id).order_by('-is_primary', 'id')
    me = next(c for c in contacts if c.id == actor.contact_id)
    return Dashboard(
        participants,
        me,
        [c for c in contacts if c.id != actor.contact_id],
        await balance(actor.family_id),
    )
