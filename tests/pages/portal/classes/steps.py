"""Classes as staff offer them to families, and a family with children of given ages, for the parents' screens."""

import datetime as dt

from domain.classes import catalogue
from domain.classes.catalogue import CourseForm, PatternForm
from tests.factories import make_family

MONDAY_AND_WEDNESDAY = PatternForm((0, 2), '17:00', '18:00')


async def offer(studio, name: str, *patterns: PatternForm, **changes):
    form = dict(
        name=name,
        term_id=studio.term.id,
        location_id=studio.location.id,
        room_id=studio.room.id,
        starts_on='2026-11-02',
        ends_on='2027-02-27',
        capacity='10',
        tuition='65.00',
        patterns=patterns or (MONDAY_AND_WEDNESDAY,),
        status='active',
        shown_to_families=True,
        self_enrol=True,
    )
    return await catalogue.add_course(studio.admin, CourseForm(**{**form, **changes}))


async def family_with(*children: tuple[str, dt.date]):
    made = await make_family('Ager', 'holly@example.com', children=tuple(name for name, _ in children))
    for child, (_, born) in zip(made.children, children, strict=True):
        child.birthdate = born
        await child.save()
    return made
