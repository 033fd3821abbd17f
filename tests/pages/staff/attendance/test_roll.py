"""An instructor takes today's roster on her phone: the day's meetings, each child's row with the family's reported
reason, a makeup visitor marked, an allergy and a medical note written under the name; "All present" and "Undo";
Save, which names a child left unmarked; before the class starts the marks are chosen but Save waits; a roster
saved by someone else meanwhile is refused. The desk grants a credit the studio decides."""

import datetime as dt
from zoneinfo import ZoneInfo

from nicegui import ui
from nicegui.testing import User

from components.i18n import time_of_day
from domain import clock
from domain.absences import attendance
from domain.access.actors import StaffActor
from domain.classes import catalogue
from domain.classes.catalogue import CourseForm, PatternForm, TermForm
from domain.models import (
    Absence,
    AbsenceReason,
    Attendance,
    CreditStatus,
    Enrolment,
    Makeup,
    MakeupCredit,
    RollCall,
)
from domain.studio import settings
from tests.factories import make_family, make_staff
from tests.pages.helpers import press
from tests.pages.staff.classes.steps import Studio, a_studio, staff_member_signs_in


async def a_class_meeting_every_day(studio: Studio, name: str, *instructor_ids: int, hours=('00:00', '23:59')):
    today = settings.today()
    term = await catalogue.add_term(
        studio.owner,
        TermForm('Now', today - dt.timedelta(days=30), today + dt.timedelta(days=60), '2026-01-01T09:00'),
    )
    form = CourseForm(
        name,
        term.id,
        studio.location.id,
        (today - dt.timedelta(days=14)).isoformat(),
        (today + dt.timedelta(days=30)).isoformat(),
        '10',
        '65.00',
        (PatternForm(tuple(range(7)), *hours),),  # every day, so today too; by default begun whenever the test runs
        room_id=studio.room.id,
        instructor_ids=instructor_ids,
        status='active',
    )
    return await catalogue.add_course(studio.owner, form)


async def enrolled(course, *names: str):
    made = await make_family('Bestie', 'holly@example.com', children=names)
    for child in made.children:
        await Enrolment.create(
            course=course,
            participant=child,
            family_id=child.family_id,
            starts_on=course.starts_on,
            enrolled_at=clock.now(),
            enrolled_by='Olga Owner',
        )
    return made.children


async def reported_sick(course, child):
    enrolment = await Enrolment.get(course_id=course.id, participant_id=child.id)
    return await Absence.create(
        enrolment_id=enrolment.id,
        family_id=child.family_id,
        participant_id=child.id,
        course_id=course.id,
        date=settings.today(),
        reason=AbsenceReason.SICK,
        note='Fever',
        reported_by='Holly Bestie',
        reported_at=clock.now(),
    )


async def a_makeup_visitor(studio: Studio, course):
    other = await a_class_meeting_every_day(studio, 'Jazz 1')
    made = await make_family('Other', 'olive@example.com', children=('Cara',))
    (cara,) = made.children
    enrolment = await Enrolment.create(
        course=other,
        participant=cara,
        family_id=cara.family_id,
        starts_on=other.starts_on,
        enrolled_at=clock.now(),
        enrolled_by='Olga Owner',
    )
    credit = await MakeupCredit.create(
        family_id=cara.family_id,
        participant_id=cara.id,
        enrolment_id=enrolment.id,
        course_id=other.id,
        missed_on=settings.today() - dt.timedelta(days=3),
        status=CreditStatus.BOOKED,
        issued_at=clock.now(),
    )
    await Makeup.create(
        credit=credit,
        family_id=cara.family_id,
        participant_id=cara.id,
        course_id=course.id,
        date=settings.today(),
        booked_by='Olive Other',
        booked_at=clock.now(),
    )
    return cara, credit


def toggles(user: User) -> dict[str, ui.toggle]:
    """Each child's Present / Absent / Late / Excused, by the child's name."""
    return {
        t.props['aria-label'].removeprefix('Attendance of '): t
        for t in user.find(kind=ui.toggle).elements
        if str(t.props.get('aria-label', '')).startswith('Attendance of ')
    }


async def test_an_instructor_takes_todays_roster_on_her_phone(user: User):
    studio = await a_studio()
    ines_id = await staff_member_signs_in(user, 'ines@example.com', 'Ines Instructor', 'instructor')
    course = await a_class_meeting_every_day(studio, 'Ballet 2', ines_id)
    ava, ben = await enrolled(course, 'Ava', 'Ben')
    ben.allergies = 'Peanuts'
    ben.medical_notes = 'Asthma:\ninhaler in the bag'
    await ben.save()
    await reported_sick(course, ava)
    cara, credit = await a_makeup_visitor(studio, course)
    await user.open('/staff/attendance')
    await user.should_see('Attendance')
    await user.should_see('Ballet 2')
    await user.should_not_see('Jazz 1')  # not hers
    await user.should_see('Expected: 2')  # Ava is reported absent, Cara comes for a makeup
    today = settings.today().isoformat()
    user.find(marker=f'meeting-{course.id}').click()
    await user.should_see('Reported absent: Sick · Fever')
    await user.should_see(marker='role')  # Cara's Makeup chip
    await user.should_see('Allergy: Peanuts')  # written out under the name, no tap needed
    await user.should_see('Medical: Asthma: inhaler in the bag')
    assert [e.text for e in user.find(marker='allergy-text').elements] == ['Allergy: Peanuts']  # Ben's only
    marks = toggles(user)
    assert set(marks) == {'Ava Bestie', 'Ben Bestie', 'Cara Other'}
    assert (marks['Ava Bestie'].value, marks['Ben Bestie'].value) == ('absent', None)
    press(user, 'All present')
    assert {name: t.value for name, t in marks.items()} == {
        'Ava Bestie': 'absent',  # the family's report is kept
        'Ben Bestie': 'present',
        'Cara Other': 'present',
    }
    marks['Ben Bestie'].value = 'late'
    press(user, 'Undo')
    assert marks['Ben Bestie'].value is None  # back to what was loaded
    press(user, 'Save')
    await user.should_see('Mark every child on the roster. Not marked yet: Ben Bestie, Cara Other')
    assert not await RollCall.exists(course_id=course.id)
    press(user, 'All present')
    marks['Ben Bestie'].value = 'late'
    press(user, 'Save')
    await user.should_see('Saved by Ines Instructor', retries=10)
    call = await RollCall.get(course_id=course.id)
    stored = dict(await Attendance.filter(roll_call_id=call.id).values_list('participant_id', 'mark'))
    assert stored == {ava.id: 'absent', ben.id: 'late', cara.id: 'present'}
    assert (await MakeupCredit.get(id=credit.id)).status == CreditStatus.USED
    assert (await Absence.get(participant_id=ava.id)).confirmed_at is not None
    assert f'/staff/attendance/{course.id}/{today}' in user.back_history[-1]


async def test_a_roster_saved_meanwhile_is_not_overwritten(user: User):
    studio = await a_studio()
    ines_id = await staff_member_signs_in(user, 'ines@example.com', 'Ines Instructor', 'instructor')
    course = await a_class_meeting_every_day(studio, 'Ballet 2', ines_id)
    ava, ben = await enrolled(course, 'Ava', 'Ben')
    today = settings.today()
    await user.open(f'/staff/attendance/{course.id}/{today.isoformat()}')
    await user.should_see('Ava Bestie')
    press(user, 'All present')
    await attendance.save_roll(studio.owner, course.id, today, {ava.id: 'absent', ben.id: 'present'}, None)
    press(user, 'Save')
    await user.should_see('Someone else saved this roster while you were taking it. Reload it to see their marks.')
    call = await RollCall.get(course_id=course.id)
    assert (await Attendance.get(roll_call_id=call.id, participant_id=ava.id)).mark == 'absent'  # theirs stands
    press(user, 'Reload')
    await user.should_see('Saved by Olga Owner')
    assert toggles(user)['Ava Bestie'].value == 'absent'


async def test_an_instructor_cannot_open_another_instructors_meeting(user: User):
    studio = await a_studio()
    await staff_member_signs_in(user, 'ines@example.com', 'Ines Instructor', 'instructor')
    ivo = await make_staff('ivo@example.com', 'Ivo Instructor', 'instructor')
    course = await a_class_meeting_every_day(studio, 'Ballet 2', ivo.id)
    await user.open(f'/staff/attendance/{course.id}/{settings.today().isoformat()}')
    await user.should_see('Not found')
    await user.should_not_see('Ballet 2')
    await user.open(f'/staff/attendance/{course.id}/not-a-date')
    await user.should_see('Not found')


async def test_the_class_roster_leads_to_taking_todays_attendance(user: User):
    studio = await a_studio()
    ines_id = await staff_member_signs_in(user, 'ines@example.com', 'Ines Instructor', 'instructor')
    course = await a_class_meeting_every_day(studio, 'Ballet 2', ines_id)
    await enrolled(course, 'Ava')
    await user.open(f'/staff/classes/{course.id}/roster')
    assert user.find(marker='meeting').elements.pop().value == settings.today().isoformat()
    press(user, 'Take attendance')
    await user.should_see('Ava Bestie')
    await user.should_see('All present')


async def test_the_desk_grants_a_credit_the_studio_decides(user: User):
    studio = await a_studio()
    desk_id = await staff_member_signs_in(user, 'desk@example.com', 'Dana Desk', 'front_desk')
    course = await a_class_meeting_every_day(studio, 'Ballet 2')
    (ava,) = await enrolled(course, 'Ava')
    await reported_sick(course, ava)
    await settings.update_absence_rules(studio.owner, credit='staff')
    desk = StaffActor(desk_id, 'Dana Desk', 'desk@example.com', 'front_desk')
    await attendance.save_roll(desk, course.id, settings.today(), {ava.id: 'absent'}, None)
    await user.open(f'/staff/attendance/{course.id}/{settings.today().isoformat()}')
    await user.should_see('Credit awaiting your decision')
    press(user, 'Grant')
    await user.should_see('Credit issued')
    assert (await MakeupCredit.get(participant_id=ava.id)).status == CreditStatus.AVAILABLE


async def test_before_the_class_starts_the_marks_can_be_chosen_but_not_saved(user: User):
    chicago = ZoneInfo('America/Chicago')
    studio = await a_studio()
    ines_id = await staff_member_signs_in(user, 'ines@example.com', 'Ines Instructor', 'instructor')
    today = settings.today()
    with clock.pinned(dt.datetime.combine(today, dt.time(16, 30), chicago)):
        course = await a_class_meeting_every_day(studio, 'Ballet 2', ines_id, hours=('17:00', '18:00'))
        (ava,) = await enrolled(course, 'Ava')
        await user.open(f'/staff/attendance/{course.id}/{today.isoformat()}')
        starts = time_of_day(dt.time(17, 0))
        await user.should_see(f'You can save the roster once the class has started at {starts}')
        (save,) = [b for b in user.find(kind=ui.button).elements if b.text == 'Save']
        assert not save.enabled
        assert save.props.get('no-caps') is True  # written like the page's other buttons, not in capitals
        press(user, 'All present')  # an instructor may mark the children ahead
        assert toggles(user)['Ava Bestie'].value == 'present'
        (timer,) = user.find(kind=ui.timer).elements
        await timer.callback()  # still before the start: nothing changes
        assert not save.enabled
    with clock.pinned(dt.datetime.combine(today, dt.time(17, 1), chicago)):
        await timer.callback()  # what the page's timer does once the class has started
        await user.should_not_see('You can save the roster once the class has started', retries=10)
        assert toggles(user)['Ava Bestie'].value == 'present'  # the marks chosen ahead are kept
        press(user, 'Save')
        await user.should_see('Saved by Ines Instructor', retries=10)
    call = await RollCall.get(course_id=course.id)
    assert await Attendance.get(roll_call_id=call.id, participant_id=ava.id).values_list('mark', flat=True) == 'present'
