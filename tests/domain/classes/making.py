"""Classes and families to enrol, for the class tests."""

import datetime as dt

from domain.access.actors import Actor
from domain.classes import catalogue
from domain.classes.catalogue import CourseForm, PatternForm
from domain.models import Participant
from tests.factories import make_family

BEFORE_TERM = dt.datetime(2026, 12, 2, 16, 0, tzinfo=dt.UTC)
MID_JANUARY = dt.datetime(2027, 1, 20, 16, 0, tzinfo=dt.UTC)  # a Wednesday, 10:00 at the studio


async def add_class(admin, term, name='Ballet 2', *, capacity='10', tuition='60.00', **changes):
    location, room, made = term
    typed = dict(
        name=name,
        term_id=made.id,
        location_id=location.id,
        room_id=room.id,
        starts_on='2027-01-04',
        ends_on='2027-05-29',
        capacity=capacity,
        tuition=tuition,
        patterns=(PatternForm((0,), '17:00', '18:00'),),  # Mondays
        status='active',
        shown_to_families=True,
        self_enrol=True,
    )
    return await catalogue.add_course(admin, CourseForm(**{**typed, **changes}))


async def family(name: str, children=('Ava',), birthdate=dt.date(2019, 6, 1)) -> tuple[Actor, list[Participant]]:
    made = await make_family(name, f'{name.lower()}@example.com', children=children, password=None)
    for child in made.children:
        child.birthdate = birthdate
        await child.save()
    parent = made.parent
    return Actor(parent.id, made.family.id, made.family.name, parent.full_name, parent.email or '', 'en'), made.children
