"""A family the parent signs in as, enrolled in two Monday classes, and the makeup credits the page shows."""

import datetime as dt
from dataclasses import dataclass

from domain import clock
from domain.classes import enrolment
from domain.classes.catalogue import PatternForm
from domain.models import Course, CreditOrigin, CreditStatus, Enrolment, MakeupCredit, Participant
from tests.domain.classes.making import BEFORE_TERM, add_class
from tests.factories import make_family

SATURDAY_TAP = PatternForm((5,), '09:30', '10:15')


@dataclass
class Studio:
    family_id: int
    contact_id: int
    ava: Participant
    leo: Participant
    ballet: Course
    jazz: Course
    tap: Course


async def bestie_studio(admin, term, *, tap_capacity: str = '10') -> Studio:
    """Ava in Ballet 2 (Mondays 17:00) and Jazz 1 (Mondays 18:30), Leo in Ballet 2; Saturday Tap takes makeups.
    The parent signs in as holly@example.com."""
    ballet = await add_class(admin, term)
    jazz = await add_class(admin, term, 'Jazz 1', patterns=(PatternForm((0,), '18:30', '19:30'),))
    tap = await add_class(admin, term, 'Saturday Tap', patterns=(SATURDAY_TAP,), capacity=tap_capacity)
    made = await make_family('Bestie', 'holly@example.com', children=('Ava', 'Leo'))
    for child in made.children:
        child.birthdate = dt.date(2019, 6, 1)
        await child.save()
    ava, leo = made.children
    with clock.pinned(BEFORE_TERM):
        for child, course in ((ava, ballet), (ava, jazz), (leo, ballet)):
            await enrolment.enrol_by_staff(admin, child.id, course.id)
    return Studio(made.family.id, made.parent.id, ava, leo, ballet, jazz, tap)


async def credit(child: Participant, course: Course, missed_on: dt.date, **more) -> MakeupCredit:
    """A credit as credits.issue leaves it, for a meeting the child missed."""
    place = await Enrolment.get(participant_id=child.id, course_id=course.id)
    values = dict(origin=CreditOrigin.ABSENCE, status=CreditStatus.AVAILABLE, expires_on=missed_on + dt.timedelta(90))
    return await MakeupCredit.create(
        family_id=child.family_id,
        participant=child,
        enrolment=place,
        course=course,
        missed_on=missed_on,
        issued_at=clock.now(),
        **{**values, **more},
    )
