"""Staff enrol a child from the family page (past the ages only with a typed reason) and drop one."""

import datetime as dt

from nicegui import ui
from nicegui.testing import User

from domain.access.actors import StaffActor
from domain.classes import catalogue
from domain.classes.catalogue import CourseForm, LocationForm, PatternForm, TermForm
from domain.models import Enrolment, PortalEvent
from tests.factories import make_family, make_staff
from tests.pages.helpers import press, staff_signs_in
from tests.pages.staff.test_staff_edits import inside

# The session's dates follow today's, as the signed-in staff member's session does (the clock is not pinned).
FIRST_MONDAY = dt.date.today() + dt.timedelta(days=35 - dt.date.today().weekday())


async def tiny_tots() -> int:
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    admin = StaffActor(made.id, made.name, made.email, made.role)
    location = await catalogue.add_location(admin, LocationForm('Main Street'))
    term = await catalogue.add_term(
        admin, TermForm('Spring', FIRST_MONDAY, FIRST_MONDAY + dt.timedelta(weeks=20), '2020-01-01T09:00')
    )
    course = await catalogue.add_course(
        admin,
        CourseForm(
            name='Tiny Tots',
            term_id=term.id,
            location_id=location.id,
            starts_on=FIRST_MONDAY,
            ends_on=FIRST_MONDAY + dt.timedelta(weeks=20),
            capacity='8',
            tuition='50.00',
            patterns=(PatternForm((0,), '16:00', '16:45'),),
            min_age_years='3',
            max_age_years='5',
            status='active',
        ),
    )
    return course.id


async def test_staff_enrol_past_the_ages_with_a_reason_then_drop(user: User):
    course_id = await tiny_tots()
    ava_age = (FIRST_MONDAY - dt.date(2012, 3, 4)).days * 100 // 36524  # born 4 March 2012 (factories)
    made = await make_family('Bestie', 'mary@example.com', children=('Ava',), password=None)  # born 2012: 14
    await staff_signs_in(user)  # on the real clock: the authenticator code is of now
    await user.open(f'/staff/families/{made.family.id}')
    user.find(kind=ui.expansion, content='Enrol in a class').elements.pop().open()
    classes = user.find(kind=ui.select, content='Class').elements.pop()
    assert classes.options[course_id].startswith('Tiny Tots · Mon ') and classes.options[course_id].endswith(
        'places left'
    )  # told apart by its days, times and places, not its name alone
    classes.set_value(course_id)
    press(user, 'Enrol')
    await user.should_see(f'Ava is {ava_age}; this class is for ages 3–5', retries=30)
    assert await Enrolment.all().count() == 0
    user.find('Reason to enrol outside the age limits').type('Helps her little brother')
    press(user, 'Enrol')
    await user.should_see(f'Starts {FIRST_MONDAY:%b} {FIRST_MONDAY.day}, {FIRST_MONDAY.year}', retries=30)
    (one,) = await Enrolment.all()
    assert one.age_override_reason == 'Helps her little brother'
    drop_from = inside(user, f'enrolments-{made.children[0].id}', 'Drop from').elements.pop()
    drop_from.set_value((FIRST_MONDAY + dt.timedelta(weeks=4)).isoformat())
    inside(user, f'enrolments-{made.children[0].id}', 'Drop').click()
    inside(user, f'drop-{one.id}', 'Drop').click()
    dropped = FIRST_MONDAY + dt.timedelta(weeks=4)
    await user.should_see(f'Drops {dropped:%b} {dropped.day}, {dropped.year}', retries=30)
    assert (await Enrolment.get(id=one.id)).dropped_on == FIRST_MONDAY + dt.timedelta(weeks=4)
    assert await PortalEvent.filter(kind='dropped').count() == 1
