"""A family's schedule: each child's class meetings, makeups and events, next first, a closed day flagged, a
dropped class gone from the day it was dropped, a child reported absent named apart on that meeting, and nothing of
another family's."""

import datetime as dt

import pytest

from domain import clock
from domain.absences import absences
from domain.classes import catalogue
from domain.classes.catalogue import ClosureForm, PatternForm
from domain.classes.schedule import Away, Kind, NextUp, family_schedule, next_up
from domain.models import (
    AbsenceReason,
    Course,
    CreditStatus,
    Enrolment,
    Makeup,
    MakeupCredit,
    MakeupStatus,
    Participant,
)
from tests.domain.classes.studio_setup import NOON_IN_CHICAGO, SATURDAY_MORNING, TODAY, enrol, make_studio, register
from tests.factories import make_family, signed_in

pytestmark = pytest.mark.usefixtures('database')

FIVE, SIX = dt.time(17, 0), dt.time(18, 0)
THURSDAY_AT_FOUR = PatternForm((3,), '16:00', '16:45')
THU_3, MON_7 = dt.date(2026, 12, 3), dt.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(NOON_IN_CHICAGO):
        yield TODAY


@pytest.fixture
async def studio(admin):
    return await make_studio(admin)


def lines(schedule) -> list[tuple]:
    return [(item.date, item.start, item.what, item.who, item.closed) for item in schedule.items]


async def test_each_childs_classes_and_events_are_listed_next_first_with_where_they_meet(studio):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava', 'Max'))
    ava, max_ = ager.children
    ballet = await studio.course('Ballet 2')
    swim = await studio.course('Swim Beginners', SATURDAY_MORNING)
    await enrol(ballet, ava)
    await enrol(swim, max_)
    workshop = await studio.event('Aerial Workshops', dt.date(2026, 12, 6))
    await register(workshop, ager.family.id)  # the whole family

    schedule = await family_schedule(ager.family.id, from_date=TODAY, days=7)

    assert lines(schedule) == [
        (dt.date(2026, 12, 2), FIVE, 'Ballet 2', ('Ava',), False),
        (dt.date(2026, 12, 5), dt.time(9, 30), 'Swim Beginners', ('Max',), False),
        (dt.date(2026, 12, 6), dt.time(10, 0), 'Aerial Workshops', (), False),
        (dt.date(2026, 12, 7), FIVE, 'Ballet 2', ('Ava',), False),
    ]
    first = schedule.items[0]
    assert (first.end, first.location, first.room, first.kind) == (SIX, 'Main Street', 'Studio A', Kind.CLASS)
    assert schedule.items[2].kind == Kind.EVENT
    assert [(c.first_name, c.classes) for c in schedule.children] == [
        ('Ava', ('Ballet 2',)),
        ('Max', ('Swim Beginners',)),
    ]
    assert [(c.next.date, c.next.what) for c in schedule.children] == [
        (dt.date(2026, 12, 2), 'Ballet 2'),
        (dt.date(2026, 12, 5), 'Swim Beginners'),
    ]


async def test_a_closed_day_is_flagged_with_its_reason_and_is_nobodys_next_meeting(studio, admin):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava',))
    await enrol(await studio.course('Ballet 2'), ager.children[0])
    await catalogue.add_closure(admin, ClosureForm('2026-12-02', 'Snow day'))

    schedule = await family_schedule(ager.family.id, from_date=TODAY, days=6)

    assert lines(schedule) == [
        (dt.date(2026, 12, 2), FIVE, 'Ballet 2', ('Ava',), True),
        (dt.date(2026, 12, 7), FIVE, 'Ballet 2', ('Ava',), False),
    ]
    assert schedule.items[0].note == 'Snow day'
    assert schedule.children[0].next.date == dt.date(2026, 12, 7)


async def test_siblings_in_one_meeting_share_its_line(studio):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava', 'Bea'))
    ballet = await studio.course('Ballet 2')
    for child in ager.children:
        await enrol(ballet, child)

    schedule = await family_schedule(ager.family.id, from_date=TODAY, days=1)

    assert lines(schedule) == [(dt.date(2026, 12, 2), FIVE, 'Ballet 2', ('Ava', 'Bea'), False)]


async def test_a_dropped_class_stops_on_its_drop_day_and_a_future_one_shows_its_first_meeting(studio):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava',))
    ava = ager.children[0]
    await enrol(await studio.course('Ballet 2'), ava, starts_on=dt.date(2026, 11, 2), dropped_on=dt.date(2026, 12, 7))
    await enrol(await studio.course('Tap', SATURDAY_MORNING), ava, starts_on=dt.date(2027, 1, 9))
    await enrol(await studio.course('Jazz'), ava, starts_on=dt.date(2026, 11, 2), dropped_on=dt.date(2026, 11, 30))

    schedule = await family_schedule(ager.family.id, from_date=TODAY, days=14)

    assert lines(schedule) == [(dt.date(2026, 12, 2), FIVE, 'Ballet 2', ('Ava',), False)]  # not the 7th nor the 9th
    assert schedule.children[0].classes == ('Ballet 2', 'Tap')  # Jazz was dropped before today
    later = await family_schedule(ager.family.id, from_date=dt.date(2026, 12, 3))
    assert (later.children[0].next.date, later.children[0].next.what) == (dt.date(2027, 1, 9), 'Tap')


async def test_a_cancelled_registration_and_a_child_who_left_are_not_shown(studio):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava', 'Max'))
    ava, max_ = ager.children
    workshop = await studio.event('Aerial Workshops', dt.date(2026, 12, 6))
    await register(workshop, ager.family.id, ava, cancelled=True)
    await enrol(await studio.course('Ballet 2'), max_)
    max_.removed_at = clock.now()
    await max_.save()

    schedule = await family_schedule(ager.family.id, from_date=TODAY)

    assert schedule.items == []
    assert [c.first_name for c in schedule.children] == ['Ava']


async def test_a_parent_sees_only_their_own_familys_schedule(studio):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava',))
    await make_family('Bestie', 'bonnie@example.com', children=('Bo',))
    await enrol(await studio.course('Ballet 2'), ager.children[0])

    bonnie = await signed_in('bonnie@example.com')
    theirs = await family_schedule(bonnie, from_date=TODAY)
    holly = await signed_in('holly@example.com')
    mine = await family_schedule(holly, from_date=TODAY)

    assert theirs.items == [] and [c.first_name for c in theirs.children] == ['Bo']
    assert mine.items and all(item.who == ('Ava',) for item in mine.items)


async def soonest_in_schedule(family_id: int):
    """The dashboard's answer worked out from the whole schedule: the earliest of the children's next meetings."""
    schedule = await family_schedule(family_id)
    nexts = [child.next for child in schedule.children if child.next]
    return min(((n.date, n.start, n.what) for n in nexts), default=None)


async def next_for(made) -> NextUp | None:
    return await next_up(await signed_in(made.parent.email))


async def test_the_dashboards_next_class_skips_a_closed_day_and_a_dropped_class(studio, admin):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava', 'Max'))
    ava, max_ = ager.children
    assert await next_for(ager) is None  # nothing yet
    await enrol(await studio.course('Ballet 2'), ava, starts_on=dt.date(2026, 11, 2), dropped_on=dt.date(2026, 12, 2))
    await enrol(await studio.course('Swim Beginners', SATURDAY_MORNING), max_)
    await catalogue.add_closure(admin, ClosureForm('2026-12-05', 'Snow day'))
    soonest = await next_for(ager)  # Ballet was dropped from today; Saturday the 5th is closed
    assert (soonest.date, soonest.start, soonest.what, soonest.who) == (
        dt.date(2026, 12, 12),
        dt.time(9, 30),
        'Swim Beginners',
        ('Max',),
    )
    assert (soonest.date, soonest.start, soonest.what) == await soonest_in_schedule(ager.family.id)


async def test_the_dashboards_next_is_an_event_when_it_comes_first_and_names_siblings_once(studio):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava', 'Max'))
    ava, max_ = ager.children
    swim = await studio.course('Swim Beginners', SATURDAY_MORNING)
    await enrol(swim, ava)
    await enrol(swim, max_)
    soonest = await next_for(ager)
    assert (soonest.date, soonest.what, soonest.who) == (dt.date(2026, 12, 5), 'Swim Beginners', ('Ava', 'Max'))
    workshop = await studio.event('Aerial Workshops', dt.date(2026, 12, 3))
    await register(workshop, ager.family.id, max_, cancelled=True)  # cancelled: not next
    assert (await next_for(ager)).what == 'Swim Beginners'
    await register(workshop, ager.family.id)  # the whole family
    soonest = await next_for(ager)
    assert (soonest.date, soonest.start, soonest.what, soonest.who) == (
        dt.date(2026, 12, 3),
        dt.time(10, 0),
        'Aerial Workshops',
        (),
    )


async def test_the_dashboards_next_leaves_out_a_child_who_left_and_another_family(studio):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava', 'Max'))
    bestie = await make_family('Bestie', 'bonnie@example.com', children=('Bo',))
    ava, max_ = ager.children
    await enrol(await studio.course('Ballet 2'), max_)  # today at five
    await enrol(await studio.course('Swim Beginners', SATURDAY_MORNING), ava)
    await enrol(await studio.course('Tap'), bestie.children[0])
    max_.removed_at = clock.now()
    await max_.save()
    soonest = await next_for(ager)
    assert (soonest.what, soonest.who) == ('Swim Beginners', ('Ava',))
    assert (soonest.date, soonest.start, soonest.what) == await soonest_in_schedule(ager.family.id)


async def report_absent(parent_email: str, children: list[Participant], day: dt.date, reason: str) -> None:
    """As the parent reports it in the portal: every class of these children that day."""
    await absences.report(
        await signed_in(parent_email),
        participant_ids=[child.id for child in children],
        course_id=None,
        first_day=day,
        last_day=None,
        reason=reason,
    )


async def booked_makeup(
    child: Participant, missed: Enrolment, course: Course, day: dt.date, status: MakeupStatus = MakeupStatus.BOOKED
) -> Makeup:
    """A makeup as makeups.book leaves it, with the credit of a meeting the child missed before it."""
    credit = await MakeupCredit.create(
        family_id=child.family_id,
        participant=child,
        enrolment=missed,
        course_id=missed.course_id,
        missed_on=day - dt.timedelta(days=10),
        status=CreditStatus.BOOKED if status == MakeupStatus.BOOKED else CreditStatus.AVAILABLE,
        issued_at=clock.now(),
    )
    return await Makeup.create(
        credit=credit,
        family_id=child.family_id,
        participant=child,
        course=course,
        date=day,
        status=status,
        booked_by='Holly Ager',
        booked_at=clock.now(),
    )


@pytest.fixture
async def bestie(studio):
    """Ava, Leo and Nora in Ballet 2 (Monday and Wednesday at five); Tap meets on Thursdays at four."""
    made = await make_family('Bestie', 'bonnie@example.com', children=('Ava', 'Leo', 'Nora'))
    ballet = await studio.course('Ballet 2')
    made.enrolments = [await enrol(ballet, child) for child in made.children]
    made.tap = await studio.course('Tap', THURSDAY_AT_FOUR)
    return made


async def test_a_child_reported_absent_is_named_apart_on_that_meeting_and_it_is_not_their_next(bestie):
    ava, leo, nora = bestie.children
    await report_absent('bonnie@example.com', [ava], TODAY, 'sick')
    await report_absent('bonnie@example.com', [leo, nora], MON_7, 'travel')

    schedule = await family_schedule(bestie.family.id, from_date=TODAY, days=8)

    sick, travel = AbsenceReason.SICK, AbsenceReason.TRAVEL
    assert [(item.date, item.who, item.absent) for item in schedule.items] == [
        (TODAY, ('Leo', 'Nora'), (Away('Ava', sick),)),
        (MON_7, ('Ava',), (Away('Leo', travel), Away('Nora', travel))),
        (dt.date(2026, 12, 9), ('Ava', 'Leo', 'Nora'), ()),
    ]
    assert [(c.first_name, c.next.date) for c in schedule.children] == [
        ('Ava', MON_7),
        ('Leo', TODAY),
        ('Nora', TODAY),
    ]
    await report_absent('bonnie@example.com', [ava], MON_7, 'sick')  # now nobody comes that day
    monday = (await family_schedule(bestie.family.id, from_date=MON_7, days=1)).items
    assert [(item.who, item.absent) for item in monday] == [
        ((), (Away('Ava', sick), Away('Leo', travel), Away('Nora', travel)))
    ]


async def test_a_cancelled_absence_puts_the_child_back_on_the_meeting(bestie):
    ava = bestie.children[0]
    await report_absent('bonnie@example.com', [ava], TODAY, 'sick')
    [line] = await absences.family_absences(await signed_in('bonnie@example.com'))
    await absences.cancel(await signed_in('bonnie@example.com'), line.id)

    [today] = (await family_schedule(bestie.family.id, from_date=TODAY, days=1)).items

    assert (today.who, today.absent) == (('Ava', 'Leo', 'Nora'), ())


async def test_a_booked_makeup_is_a_meeting_of_its_own_and_a_cancelled_one_is_not_shown(bestie):
    _ava, leo, nora = bestie.children
    await booked_makeup(nora, bestie.enrolments[2], bestie.tap, THU_3)
    await booked_makeup(leo, bestie.enrolments[1], bestie.tap, dt.date(2026, 12, 10), MakeupStatus.CANCELLED)
    await report_absent('bonnie@example.com', [nora], TODAY, 'sick')

    schedule = await family_schedule(bestie.family.id, from_date=TODAY, days=6)

    assert [(item.date, item.start, item.what, item.kind, item.who) for item in schedule.items] == [
        (TODAY, FIVE, 'Ballet 2', Kind.CLASS, ('Ava', 'Leo')),
        (THU_3, dt.time(16, 0), 'Tap', Kind.MAKEUP, ('Nora',)),
        (MON_7, FIVE, 'Ballet 2', Kind.CLASS, ('Ava', 'Leo', 'Nora')),
    ]
    makeup = schedule.items[1]
    assert (makeup.end, makeup.location, makeup.room) == (dt.time(16, 45), 'Main Street', 'Studio A')
    nora_next = schedule.children[2].next
    assert (nora_next.date, nora_next.what, nora_next.kind) == (THU_3, 'Tap', Kind.MAKEUP)
    assert schedule.children[2].classes == ('Ballet 2',)  # a makeup is no enrolment
    later = await family_schedule(bestie.family.id, from_date=dt.date(2026, 12, 10), days=1)
    assert [item.what for item in later.items] == []  # Leo's cancelled makeup; Ballet 2 does not meet Thursdays


async def test_the_dashboards_next_leaves_out_children_reported_absent_and_counts_a_makeup(bestie):
    ava, leo, nora = bestie.children
    await report_absent('bonnie@example.com', [ava], TODAY, 'sick')
    soonest = await next_for(bestie)
    assert (soonest.date, soonest.what, soonest.who, soonest.makeup) == (TODAY, 'Ballet 2', ('Leo', 'Nora'), ())

    await report_absent('bonnie@example.com', [leo, nora], TODAY, 'sick')  # nobody goes today
    soonest = await next_for(bestie)
    assert (soonest.date, soonest.who) == (MON_7, ('Ava', 'Leo', 'Nora'))
    assert (soonest.date, soonest.start, soonest.what) == await soonest_in_schedule(bestie.family.id)

    await booked_makeup(leo, bestie.enrolments[1], bestie.tap, THU_3, MakeupStatus.CANCELLED)
    assert (await next_for(bestie)).date == MON_7  # a cancelled makeup is no meeting
    await booked_makeup(nora, bestie.enrolments[2], bestie.tap, THU_3)
    soonest = await next_for(bestie)
    assert (soonest.date, soonest.start, soonest.what, soonest.who, soonest.makeup) == (
        THU_3,
        dt.time(16, 0),
        'Tap',
        ('Nora',),
        ('Nora',),
    )
    assert (soonest.date, soonest.start, soonest.what) == await soonest_in_schedule(bestie.family.id)


async def test_the_dashboards_next_skips_a_makeup_of_a_child_who_left_and_a_past_one(bestie):
    ava, leo, nora = bestie.children
    await report_absent('bonnie@example.com', [ava, leo, nora], TODAY, 'sick')
    await booked_makeup(nora, bestie.enrolments[2], bestie.tap, dt.date(2026, 11, 26))  # last Thursday
    await booked_makeup(leo, bestie.enrolments[1], bestie.tap, THU_3)
    leo.removed_at = clock.now()
    await leo.save()

    soonest = await next_for(bestie)

    assert (soonest.date, soonest.who, soonest.makeup) == (MON_7, ('Ava', 'Nora'), ())
