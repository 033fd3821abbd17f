"""A studio with classes, a family enrolled in them, and moments on the studio's clock, for the absences' tests."""

import datetime as dt
from zoneinfo import ZoneInfo

from domain import clock
from domain.access.actors import StaffActor
from domain.classes import enrolment
from domain.classes.catalogue import PatternForm
from domain.models import Contact
from domain.studio import settings
from tests.domain.classes.making import BEFORE_TERM, add_class, family
from tests.factories import make_staff

CHICAGO = ZoneInfo('America/Chicago')
MON_25 = dt.date(2027, 1, 25)  # Ballet 2 and Jazz 1 meet on Mondays, 17:00 and 18:30
MON_FEB_1 = dt.date(2027, 2, 1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment on the studio's clock, as the UTC moment the domain keeps."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO).astimezone(dt.UTC)


WEDNESDAY = at(dt.date(2027, 1, 20), 10)  # the week before Monday the 25th


async def studio(admin, term):
    """Ballet 2 (taught by Ines, Mondays 17:00-18:00) and Jazz 1 (Mondays 18:30-19:30); Ava is in both, Leo in
    Ballet 2 only. Returns (parent, ava, leo, ballet, jazz, instructor)."""
    made = await make_staff('ines@example.com', 'Ines Instructor', 'instructor')
    instructor = StaffActor(made.id, made.name, made.email, made.role)
    ballet = await add_class(admin, term, instructor_ids=(made.id,))
    jazz = await add_class(admin, term, 'Jazz 1', patterns=(PatternForm((0,), '18:30', '19:30'),))
    parent, (ava, leo) = await family('Bestie', children=('Ava', 'Leo'))
    with clock.pinned(BEFORE_TERM):
        for child, course in ((ava, ballet), (ava, jazz), (leo, ballet)):
            await enrolment.enrol_by_staff(admin, child.id, course.id)
    return parent, ava, leo, ballet, jazz, instructor


async def untick(actor) -> None:
    await Contact.filter(id=actor.contact_id).update(allow_manage_absences=False)


async def rules(admin, **values) -> None:
    await settings.update_absence_rules(admin, **values)
