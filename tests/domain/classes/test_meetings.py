"""A class's meetings: each weekly pattern from its first day to its last, never past its session's end, and
none on a day the studio is closed."""

import datetime as dt

import pytest

from domain.classes import catalogue
from domain.classes.catalogue import ClosureForm, CourseForm, LocationForm, PatternForm, RoomForm, TermForm
from domain.classes.meetings import Meeting, course_meetings
from domain.models import Closure, Course

pytestmark = pytest.mark.usefixtures('database')

FIVE = dt.time(17, 0)
SIX = dt.time(18, 0)


async def make_course(admin, *, starts_on: str, ends_on: str, patterns, term_ends_on: str = '2027-02-28') -> Course:
    location = await catalogue.add_location(admin, LocationForm('Main Street'))
    room = await catalogue.add_room(admin, location.id, RoomForm('Studio A'))
    term = await catalogue.add_term(admin, TermForm('Winter', '2027-01-04', term_ends_on, '2026-12-01T09:00'))
    form = CourseForm('Ballet 2', term.id, location.id, starts_on, ends_on, '10', '65', patterns, room_id=room.id)
    return await catalogue.add_course(admin, form)


async def test_a_closed_day_takes_its_meeting_away(admin):
    course = await make_course(
        admin, starts_on='2027-01-11', ends_on='2027-01-27', patterns=(PatternForm((0, 2), '17:00', '18:00'),)
    )
    await catalogue.add_closure(admin, ClosureForm('2027-01-18', 'Martin Luther King Jr. Day'))  # a Monday
    assert [meeting.date for meeting in await course_meetings(course)] == [
        dt.date(2027, 1, 11),
        dt.date(2027, 1, 13),
        dt.date(2027, 1, 20),  # not Monday the 18th
        dt.date(2027, 1, 25),
        dt.date(2027, 1, 27),
    ]


async def test_meetings_stop_at_the_sessions_end_even_when_the_class_is_later_made_to_run_past_it(admin):
    course = await make_course(
        admin, starts_on='2027-02-15', ends_on='2027-02-28', patterns=(PatternForm((4,), '17:00', '18:00'),)
    )
    await Course.filter(id=course.id).update(ends_on=dt.date(2027, 3, 31))  # the term has not been lengthened
    course = await Course.get(id=course.id)
    assert await course_meetings(course) == [
        Meeting(dt.date(2027, 2, 19), FIVE, SIX, 'Studio A'),
        Meeting(dt.date(2027, 2, 26), FIVE, SIX, 'Studio A'),
    ]


async def test_two_patterns_give_meetings_in_date_and_time_order_including_the_first_and_last_day(admin):
    course = await make_course(
        admin,
        starts_on='2027-01-04',  # a Monday
        ends_on='2027-01-09',  # a Saturday
        patterns=(PatternForm((5,), '10:00', '11:00'), PatternForm((0,), '16:30', '17:15')),
    )
    assert await course_meetings(course) == [
        Meeting(dt.date(2027, 1, 4), dt.time(16, 30), dt.time(17, 15), 'Studio A'),
        Meeting(dt.date(2027, 1, 9), dt.time(10, 0), dt.time(11, 0), 'Studio A'),
    ]


async def test_the_demo_catalogue_is_browsable_and_its_spring_break_has_no_meetings():
    from domain.operations import demo

    await demo.seed()
    lines = await catalogue.catalogue(for_families=True)
    names = [line.course.name for line in lines]
    assert len(names) == 31 and 'Ballet 1' in names and 'Tadpoles' in names
    assert 'Minnows' not in names and 'Team Gymnastics Level 4' not in names  # a draft, and one hidden from families
    ballet_2 = next(line for line in lines if line.course.name == 'Ballet 2')
    assert ballet_2.category_paths == ['Dance › Ballet › Level 2'] and ballet_2.openings == 10
    days = [meeting.date for meeting in await course_meetings(ballet_2.course)]
    spring_break = (await Closure.get()).date
    assert spring_break.weekday() == 0  # a Monday, when Ballet 2 would meet
    assert spring_break not in days and len(days) > 30
