"""A studio to post news in: Ballet 2 with the Bestie family enrolled, the Waiters on its waitlist, the Others in
nothing; pinned on a Wednesday in January 2027."""

import datetime as dt
from dataclasses import dataclass

from domain import clock
from domain.access.actors import Actor
from domain.classes import enrolment
from domain.models import Contact, Course, WaitlistEntry
from tests.domain.classes.making import BEFORE_TERM, add_class, family

NOW = dt.datetime(2027, 1, 20, 16, 0, tzinfo=dt.UTC)  # 10:00 at the studio (America/Chicago)
# The first bytes of a PNG: enough for its type to be found from the content.
PNG = b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89'
PDF = b'%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'


@dataclass
class Studio:
    ballet: Course
    jazz: Course
    bestie: Actor
    waiter: Actor
    other: Actor


async def studio(admin, term) -> Studio:
    ballet = await add_class(admin, term)
    jazz = await add_class(admin, term, 'Jazz 1')
    bestie, (ava,) = await family('Bestie')
    waiter, (wes,) = await family('Waiter', children=('Wes',))
    other, _ = await family('Other', children=('Oscar',))
    with clock.pinned(BEFORE_TERM):
        await enrolment.enrol_by_staff(admin, ava.id, ballet.id)
    await WaitlistEntry.create(
        course_id=ballet.id, participant_id=wes.id, family_id=waiter.family_id, rank=1, joined_at=BEFORE_TERM
    )
    return Studio(ballet, jazz, bestie, waiter, other)


async def second_contact(actor: Actor, first_name: str = 'Mark', **values) -> Actor:
    """Another contact of the same family, signed in on their own."""
    contact = await Contact.create(family_id=actor.family_id, first_name=first_name, last_name='X', **values)
    return Actor(contact.id, actor.family_id, actor.family_name, contact.full_name, contact.email or '', 'en')
