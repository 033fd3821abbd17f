"""Makeups: which meetings a credit may book (each rule of eligibility), the seats a meeting has for makeups,
booking and cancelling (the credit, the log, the email), the contact's tick, and two bookings at once."""

import asyncio
import datetime as dt

import pytest

from domain import clock
from domain.absences import makeups
from domain.absences.makeups import STARTED, CreditNotAvailable, SeatGone, TooLate
from domain.absences.rights import NotAllowedAbsences
from domain.classes import catalogue, enrolment, seats
from domain.classes.catalogue import CategoryForm, PatternForm
from domain.errors import NotFound
from domain.models import (
    Absence,
    Closure,
    Contact,
    CourseInstructor,
    CreditOrigin,
    CreditStatus,
    Enrolment,
    Gender,
    Makeup,
    MakeupCredit,
    MakeupStatus,
    OutboxMessage,
    PortalEvent,
)
from domain.studio import settings
from tests.domain.classes.making import MID_JANUARY, add_class, family
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures('database')

TUESDAYS = (PatternForm((1,), '17:00', '18:00'),)
THURSDAYS = (PatternForm((3,), '17:00', '18:00'),)
JAN_18, JAN_26, FEB_2, FEB_9 = dt.date(2027, 1, 18), dt.date(2027, 1, 26), dt.date(2027, 2, 2), dt.date(2027, 2, 9)
TUESDAYS_IN_WINDOW = [JAN_26, FEB_2, FEB_9, dt.date(2027, 2, 16)]  # 30 days from Wednesday 20 January: to Feb 19


@pytest.fixture(autouse=True)
def mid_january():
    with clock.pinned(MID_JANUARY):  # Wednesday 20 January 2027, 10:00 in Chicago
        yield


@pytest.fixture
async def tiers(admin):
    """Dance › Ballet › Level 2 and Level 3, and Dance › Jazz."""
    dance = await catalogue.add_category(admin, CategoryForm('Dance'))
    ballet = await catalogue.add_category(admin, CategoryForm('Ballet', dance.id))
    level2 = await catalogue.add_category(admin, CategoryForm('Level 2', ballet.id))
    level3 = await catalogue.add_category(admin, CategoryForm('Level 3', ballet.id))
    jazz = await catalogue.add_category(admin, CategoryForm('Jazz', dance.id))
    return {'dance': dance.id, 'ballet': ballet.id, 'level2': level2.id, 'level3': level3.id, 'jazz': jazz.id}


async def with_credit(admin, term, name='Bestie', *, missed=None, expires_on=None, **changes):
    """A child in Ballet 2 (Mondays) holding an available credit for Monday 18 January."""
    missed = missed or await add_class(admin, term, **changes)
    actor, (kid,) = await family(name, children=('Ava',))
    kid.gender = Gender.FEMALE
    await kid.save()
    place = await enrolment.enrol_by_staff(admin, kid.id, missed.id)
    credit = await MakeupCredit.create(
        family_id=actor.family_id,
        participant_id=kid.id,
        enrolment_id=place.id,
        course_id=missed.id,
        missed_on=JAN_18,
        origin=CreditOrigin.ABSENCE,
        status=CreditStatus.AVAILABLE,
        issued_at=clock.now(),
        expires_on=expires_on,
    )
    return actor, kid, missed, credit


async def offered(actor, credit) -> list[tuple[str, dt.date]]:
    return [(o.course, o.date) for o in await makeups.makeup_options(actor, credit.id)]


async def fill(admin, course, count: int = 1, prefix='Seated') -> list:
    places = []
    for n in range(count):
        _, (kid,) = await family(f'{prefix}{n}', children=('Kim',))
        places.append(await enrolment.enrol_by_staff(admin, kid.id, course.id))
    return places


async def log_lines(kind: str) -> list:
    return await PortalEvent.filter(kind=kind).order_by('id').values_list('message', flat=True)


# Which meetings a credit may book


async def test_the_scope_same_type_same_level_or_any(admin, term, tiers):
    level2, level3, jazz = (tiers['level2'],), (tiers['level3'],), (tiers['jazz'],)
    actor, _, _, credit = await with_credit(admin, term, category_ids=level2)
    await add_class(admin, term, 'Ballet 3', patterns=TUESDAYS, category_ids=level3)
    await add_class(admin, term, 'Ballet 2B', patterns=THURSDAYS, category_ids=level2)
    await add_class(admin, term, 'Jazz 1', patterns=(PatternForm((2,), '17:00', '18:00'),), category_ids=jazz)
    await add_class(admin, term, 'Open Studio', patterns=(PatternForm((4,), '17:00', '18:00'),))
    assert {course for course, _ in await offered(actor, credit)} == {'Ballet 3', 'Ballet 2B'}  # Dance › Ballet
    await settings.update_absence_rules(admin, scope='same_level')
    assert {course for course, _ in await offered(actor, credit)} == {'Ballet 2B'}
    await settings.update_absence_rules(admin, scope='any')
    assert {course for course, _ in await offered(actor, credit)} == {'Ballet 3', 'Ballet 2B', 'Jazz 1', 'Open Studio'}


async def test_a_top_tier_category_is_its_own_type_and_a_class_with_none_has_no_type(admin, term, tiers):
    actor, _, _, credit = await with_credit(admin, term, category_ids=(tiers['dance'],))
    await add_class(admin, term, 'Ballet 3', patterns=TUESDAYS, category_ids=(tiers['level3'],))
    await add_class(admin, term, 'Open Studio', patterns=THURSDAYS)
    assert {course for course, _ in await offered(actor, credit)} == {'Ballet 3'}  # under Dance
    other, _, _, uncategorised = await with_credit(admin, term, 'Other', missed=await add_class(admin, term, 'Tap'))
    assert await offered(other, uncategorised) == []


async def test_options_are_by_date_with_seats_left_place_and_first_instructor(admin, term):
    actor, _, _, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    ballet3 = await add_class(admin, term, 'Ballet 3', capacity='3', patterns=TUESDAYS)
    await add_class(admin, term, 'Jazz 1', patterns=(PatternForm((1,), '16:00', '17:00'),))
    await fill(admin, ballet3)
    for position, name in ((1, 'Second Teacher'), (0, 'First Teacher')):
        staff = await make_staff(f'{position}@example.com', name, 'instructor')
        await CourseInstructor.create(course_id=ballet3.id, staff_id=staff.id, position=position)
    options = await makeups.makeup_options(actor, credit.id)
    assert [(o.date, o.course) for o in options[:2]] == [(JAN_26, 'Jazz 1'), (JAN_26, 'Ballet 3')]  # by time
    first = options[1]
    assert (first.start, first.end, first.location, first.instructor, first.seats_left) == (
        dt.time(17),
        dt.time(18),
        'Main Street, Studio A',
        'First Teacher',
        2,
    )
    assert options[0].instructor == ''  # Jazz 1 has no instructor yet


async def test_ages_gender_and_the_classes_the_child_is_in_are_left_out(admin, term):
    actor, _, missed, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    await add_class(admin, term, 'Teens', patterns=TUESDAYS, min_age_years='12')
    await add_class(admin, term, 'Boys Hip Hop', patterns=TUESDAYS, gender_rule='male')
    await add_class(admin, term, 'Girls Ballet', patterns=THURSDAYS, gender_rule='female')
    await add_class(admin, term, 'Minis', patterns=THURSDAYS, max_age_years='4')
    got = await offered(actor, credit)
    assert {course for course, _ in got} == {'Girls Ballet'}  # Ava is 7; Ballet 2 is her own class
    assert all(course != missed.name for course, _ in got)


async def test_a_meeting_clashing_with_the_childs_own_class_that_day_is_left_out(admin, term):
    actor, ava, _, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    await add_class(admin, term, 'Ballet 3', patterns=(PatternForm((1,), '17:30', '18:30'),))
    jazz = await add_class(admin, term, 'Jazz 1', patterns=TUESDAYS)
    place = await enrolment.enrol_by_staff(admin, ava.id, jazz.id)
    assert await offered(actor, credit) == []  # Jazz on Tuesdays 17:00–18:00 clashes with every Ballet 3
    await Enrolment.filter(id=place.id).update(dropped_on=FEB_9)
    assert await offered(actor, credit) == [('Ballet 3', FEB_9), ('Ballet 3', dt.date(2027, 2, 16))]


async def test_a_second_makeup_at_the_same_time_clashes_with_the_first(admin, term):
    actor, ava, missed, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    ballet3 = await add_class(admin, term, 'Ballet 3', patterns=TUESDAYS)
    await add_class(admin, term, 'Jazz 1', patterns=TUESDAYS)
    second = await MakeupCredit.create(
        family_id=actor.family_id,
        participant_id=ava.id,
        enrolment_id=credit.enrolment_id,
        course_id=missed.id,
        missed_on=dt.date(2027, 1, 11),
        status=CreditStatus.AVAILABLE,
        issued_at=clock.now(),
    )
    await makeups.book(actor, credit.id, ballet3.id, JAN_26)
    assert ('Jazz 1', JAN_26) not in await offered(actor, second)
    assert ('Jazz 1', FEB_2) in await offered(actor, second)


async def test_closed_dates_the_window_and_the_expiry(admin, term):
    actor, _, _, credit = await with_credit(admin, term, expires_on=dt.date(2027, 2, 12))
    await settings.update_absence_rules(admin, scope='any')
    await add_class(admin, term, 'Ballet 3', patterns=TUESDAYS)
    await Closure.create(date=FEB_2, reason='Snow day')
    assert await offered(actor, credit) == [('Ballet 3', JAN_26), ('Ballet 3', FEB_9)]  # the credit expires on 12th
    await MakeupCredit.filter(id=credit.id).update(expires_on=None)
    assert [day for _, day in await offered(actor, credit)] == [JAN_26, FEB_9, dt.date(2027, 2, 16)]  # 30 days
    await settings.update_absence_rules(admin, makeup_ahead_days=10)
    assert [day for _, day in await offered(actor, credit)] == [JAN_26]


async def test_a_meeting_is_booked_until_the_cutoff_before_it_starts(admin, term):
    actor, _, _, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any', cutoff_hours=2)
    noon = await add_class(admin, term, 'Noon', patterns=(PatternForm((2,), '12:30', '13:30'),))  # Wednesdays
    await add_class(admin, term, 'Eleven', patterns=(PatternForm((2,), '11:00', '12:00'),))
    today = dt.date(2027, 1, 20)
    got = await offered(actor, credit)
    assert ('Noon', today) in got and ('Eleven', today) not in got  # 10:00 now: 11:00 is within 2 h, 12:30 not
    with clock.pinned(MID_JANUARY + dt.timedelta(minutes=31)), pytest.raises(TooLate):  # 12:30 within 2 h now
        await makeups.book(actor, credit.id, noon.id, today)
    assert not await Makeup.exists()


async def test_a_credit_not_available_offers_nothing_and_another_familys_is_none(admin, term):
    actor, _, _, credit = await with_credit(admin, term)
    stranger, _ = await family('Stranger')
    with pytest.raises(NotFound):
        await makeups.makeup_options(stranger, credit.id)
    await MakeupCredit.filter(id=credit.id).update(status=CreditStatus.PENDING)
    with pytest.raises(CreditNotAvailable):
        await makeups.makeup_options(actor, credit.id)


# The seats a meeting has for makeups


async def test_makeups_fill_real_vacancies_unless_the_studio_adds_seats(admin, term):
    actor, _, _, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    ballet3 = await add_class(admin, term, 'Ballet 3', capacity='1', patterns=TUESDAYS)
    await fill(admin, ballet3)
    assert await offered(actor, credit) == []
    await settings.update_absence_rules(admin, extra_seats=1)
    options = await makeups.makeup_options(actor, credit.id)
    assert [(o.date, o.seats_left) for o in options] == [(day, 1) for day in TUESDAYS_IN_WINDOW]
    await makeups.book(actor, credit.id, ballet3.id, JAN_26)
    counted = (await seats.meeting_seats([ballet3.id], JAN_26))[ballet3.id]
    assert counted == seats.MeetingSeats(1, 1, 0, 0, 1, 0) and counted.for_makeups(1) == 0
    assert counted.for_trials(waiting=False) == 0


async def test_a_reported_absence_frees_its_seat_on_that_day_only(admin, term):
    actor, _, _, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    ballet3 = await add_class(admin, term, 'Ballet 3', capacity='1', patterns=TUESDAYS)
    (place,) = await fill(admin, ballet3)
    absence = await Absence.create(
        enrolment_id=place.id,
        family_id=place.family_id,
        participant_id=place.participant_id,
        course_id=ballet3.id,
        date=FEB_2,
        reported_by='Holly Seated0',
        reported_at=clock.now(),
    )
    options = await makeups.makeup_options(actor, credit.id)
    assert [(o.date, o.seats_left) for o in options] == [(FEB_2, 1)]
    await makeups.book(actor, credit.id, ballet3.id, FEB_2)
    assert (await seats.meeting_seats([ballet3.id], FEB_2))[ballet3.id] == seats.MeetingSeats(1, 1, 1, 0, 1, 0)
    absence.cancelled_at = clock.now()
    await absence.save()
    assert (await seats.meeting_seats([ballet3.id], FEB_2))[ballet3.id].absent == 0


async def test_meeting_seats_count_only_who_is_there_that_day(admin, term):
    course = await add_class(admin, term, 'Ballet 3', capacity='5', patterns=TUESDAYS)
    _, late, dropped = await fill(admin, course, 3)
    await Enrolment.filter(id=late.id).update(starts_on=FEB_9)
    await Enrolment.filter(id=dropped.id).update(dropped_on=FEB_2)
    counted = await seats.meetings_seats([(course.id, JAN_26), (course.id, FEB_2), (course.id, FEB_9)])
    assert [counted[(course.id, day)].enrolled for day in (JAN_26, FEB_2, FEB_9)] == [2, 1, 2]


# Booking


async def test_booking_takes_the_seat_and_the_credit_logs_and_emails(admin, term):
    actor, ava, _, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    ballet3 = await add_class(admin, term, 'Ballet 3', capacity='2', patterns=TUESDAYS)
    makeup = await makeups.book(actor, credit.id, ballet3.id, FEB_2)
    assert (makeup.status, makeup.participant_id, makeup.booked_by) == (MakeupStatus.BOOKED, ava.id, 'Holly Bestie')
    assert (await MakeupCredit.get(id=credit.id)).status == CreditStatus.BOOKED
    assert await log_lines('makeup_scheduled') == [
        'Makeup scheduled: Ava Bestie - Ballet 3 - 2/2/2027 - Credit: Ballet 2 1/18/2027'
    ]
    (mail,) = await OutboxMessage.filter(kind='makeup_booked')
    assert mail.to_address == 'bestie@example.com' and 'Ballet 3' in mail.body_text
    with pytest.raises(CreditNotAvailable):
        await makeups.book(actor, credit.id, ballet3.id, FEB_9)  # one live makeup per credit
    (line,) = await makeups.family_credits(actor)
    assert line.status == CreditStatus.BOOKED and line.makeup is not None
    assert (line.makeup.course, line.makeup.date, line.makeup.start) == ('Ballet 3', FEB_2, dt.time(17))
    assert line.makeup.cancellable and line.makeup.credit_back_if_cancelled
    assert line.makeup.free_cancel_until == dt.datetime(2027, 2, 1, 23, tzinfo=dt.UTC)  # 24 h before 17:00 CST


async def test_a_meeting_not_among_the_options_is_refused(admin, term):
    actor, _, missed, credit = await with_credit(admin, term)
    ballet3 = await add_class(admin, term, 'Ballet 3', patterns=TUESDAYS)  # no category: not the same type
    with pytest.raises(TooLate):
        await makeups.book(actor, credit.id, ballet3.id, FEB_2)
    await settings.update_absence_rules(admin, scope='any')
    with pytest.raises(TooLate):
        await makeups.book(actor, credit.id, ballet3.id, dt.date(2027, 2, 3))  # not a Tuesday
    with pytest.raises(TooLate):
        await makeups.book(actor, credit.id, missed.id, dt.date(2027, 2, 1))  # her own class
    assert not await Makeup.exists() and (await MakeupCredit.get(id=credit.id)).status == CreditStatus.AVAILABLE


async def test_two_parents_racing_for_the_last_seat_one_wins_the_other_hears_at_once(admin, term):
    await settings.update_absence_rules(admin, scope='any')
    missed = await add_class(admin, term)
    ballet3 = await add_class(admin, term, 'Ballet 3', capacity='1', patterns=TUESDAYS)
    first = await with_credit(admin, term, 'First', missed=missed)
    second = await with_credit(admin, term, 'Second', missed=missed)
    outcomes = await asyncio.gather(
        *(makeups.book(actor, credit.id, ballet3.id, FEB_2) for actor, _, _, credit in (first, second)),
        return_exceptions=True,
    )
    assert sorted(type(o).__name__ for o in outcomes) == ['Makeup', 'SeatGone']
    assert await Makeup.filter(course_id=ballet3.id, date=FEB_2).count() == 1
    statuses = sorted([(await MakeupCredit.get(id=c.id)).status for _, _, _, c in (first, second)])
    assert statuses == [CreditStatus.AVAILABLE, CreditStatus.BOOKED]  # the loser keeps the credit
    loser = first if isinstance(outcomes[1], Makeup) else second
    with pytest.raises(SeatGone):
        await makeups.book(loser[0], loser[3].id, ballet3.id, FEB_2)


async def test_the_same_credit_booked_twice_at_once_books_one_makeup(admin, term):
    actor, _, _, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    ballet3 = await add_class(admin, term, 'Ballet 3', patterns=TUESDAYS)
    jazz = await add_class(admin, term, 'Jazz 1', patterns=THURSDAYS)
    outcomes = await asyncio.gather(
        makeups.book(actor, credit.id, ballet3.id, FEB_2),
        makeups.book(actor, credit.id, jazz.id, dt.date(2027, 2, 4)),
        return_exceptions=True,
    )
    assert sorted(type(o).__name__ for o in outcomes) == ['CreditNotAvailable', 'Makeup']
    assert await Makeup.filter(credit_id=credit.id).count() == 1


async def test_a_contact_without_the_tick_reads_but_cannot_book_or_cancel(admin, term):
    actor, _, _, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    ballet3 = await add_class(admin, term, 'Ballet 3', patterns=TUESDAYS)
    makeup = await makeups.book(actor, credit.id, ballet3.id, FEB_2)
    await Contact.filter(id=actor.contact_id).update(allow_manage_absences=False)
    assert len(await makeups.family_credits(actor)) == 1
    with pytest.raises(NotAllowedAbsences):
        await makeups.cancel(actor, makeup.id)
    assert (await Makeup.get(id=makeup.id)).status == MakeupStatus.BOOKED
    await Contact.filter(id=actor.contact_id).update(allow_manage_absences=True)
    await makeups.cancel(actor, makeup.id)
    await Contact.filter(id=actor.contact_id).update(allow_manage_absences=False)
    assert await makeups.makeup_options(actor, credit.id)  # reading is allowed
    with pytest.raises(NotAllowedAbsences):
        await makeups.book(actor, credit.id, ballet3.id, FEB_9)
    assert await Makeup.filter(status=MakeupStatus.BOOKED).count() == 0
    assert (await MakeupCredit.get(id=credit.id)).status == CreditStatus.AVAILABLE


# Cancelling


async def booked(admin, term):
    actor, _, _, credit = await with_credit(admin, term)
    await settings.update_absence_rules(admin, scope='any', cancel_hours=24)
    ballet3 = await add_class(admin, term, 'Ballet 3', patterns=TUESDAYS)
    return actor, credit, await makeups.book(actor, credit.id, ballet3.id, FEB_2)


FEB_2_START = dt.datetime(2027, 2, 2, 23, tzinfo=dt.UTC)  # 17:00 in Chicago


async def test_cancelled_before_the_cutoff_the_credit_comes_back(admin, term):
    actor, credit, makeup = await booked(admin, term)
    with clock.pinned(FEB_2_START - dt.timedelta(hours=24, minutes=1)):
        assert await makeups.cancel(actor, makeup.id) is True
    assert (await Makeup.get(id=makeup.id)).status == MakeupStatus.CANCELLED
    assert (await MakeupCredit.get(id=credit.id)).status == CreditStatus.AVAILABLE
    assert await log_lines('makeup_cancelled') == [
        'Makeup cancelled: Ava Bestie - Ballet 3 - 2/2/2027 - Credit returned'
    ]
    (mail,) = await OutboxMessage.filter(kind='makeup_cancelled')
    assert 'credit is back' in mail.body_text
    with pytest.raises(NotFound):
        await makeups.cancel(actor, makeup.id)  # cancelled already
    (line,) = await makeups.family_credits(actor)
    assert line.status == CreditStatus.AVAILABLE and line.makeup is None


async def test_cancelled_after_the_cutoff_the_credit_is_used_and_once_started_not_at_all(admin, term):
    actor, credit, makeup = await booked(admin, term)
    with clock.pinned(FEB_2_START - dt.timedelta(hours=23, minutes=59)):
        (line,) = await makeups.family_credits(actor)
        assert line.makeup is not None and line.makeup.cancellable and not line.makeup.credit_back_if_cancelled
        assert await makeups.cancel(actor, makeup.id) is False
    assert (await Makeup.get(id=makeup.id)).status == MakeupStatus.LATE_CANCELLED
    stored = await MakeupCredit.get(id=credit.id)
    assert stored.status == CreditStatus.USED and stored.closed_at is not None
    assert await log_lines('makeup_cancelled') == ['Makeup cancelled: Ava Bestie - Ballet 3 - 2/2/2027 - Credit used']
    (line,) = await makeups.family_credits(actor)
    assert line.status == CreditStatus.USED and line.makeup is not None
    assert line.makeup.status == MakeupStatus.LATE_CANCELLED


async def test_a_makeup_whose_class_started_cannot_be_cancelled(admin, term):
    actor, _, makeup = await booked(admin, term)
    with clock.pinned(FEB_2_START), pytest.raises(TooLate) as refused:
        await makeups.cancel(actor, makeup.id)
    assert refused.value.message == STARTED
    assert (await Makeup.get(id=makeup.id)).status == MakeupStatus.BOOKED
    stranger, _ = await family('Stranger')
    with pytest.raises(NotFound):
        await makeups.cancel(stranger, makeup.id)


async def test_the_familys_credits_available_first_then_booked_then_the_rest(admin, term):
    actor, ava, missed, credit = await with_credit(admin, term)
    base = dict(family_id=actor.family_id, participant_id=ava.id, enrolment_id=credit.enrolment_id, course_id=missed.id)
    expired = await MakeupCredit.create(
        **base, missed_on=dt.date(2027, 1, 4), status=CreditStatus.EXPIRED, issued_at=clock.now()
    )
    soon = await MakeupCredit.create(
        **base, missed_on=dt.date(2027, 1, 11), issued_at=clock.now(), expires_on=dt.date(2027, 2, 1)
    )
    pending = await MakeupCredit.create(
        **base, missed_on=dt.date(2026, 12, 28), status=CreditStatus.PENDING, issued_at=clock.now()
    )
    lines = await makeups.family_credits(actor)
    assert [line.id for line in lines] == [soon.id, credit.id, pending.id, expired.id]
    assert (lines[0].child, lines[0].course, lines[0].origin) == ('Ava', 'Ballet 2', CreditOrigin.ABSENCE)
    stranger, _ = await family('Stranger')
    assert await makeups.family_credits(stranger) == []


async def test_a_closure_on_a_booked_makeups_day_cancels_it_and_gives_the_credit_back(admin, term):
    _, credit, makeup = await booked(admin, term)
    with clock.pinned(FEB_2_START - dt.timedelta(hours=2)):  # past the family's own cut-off: it was not their choice
        await catalogue.add_closure(admin, catalogue.ClosureForm(FEB_2, 'Burst pipe'))
    assert (await Makeup.get(id=makeup.id)).status == MakeupStatus.CANCELLED
    assert (await MakeupCredit.get(id=credit.id)).status == CreditStatus.AVAILABLE
    assert await log_lines('makeup_cancelled') == [
        'Makeup cancelled: Ava Bestie - Ballet 3 - 2/2/2027 - Studio closed - Credit returned'
    ]
    mail = (await OutboxMessage.filter(kind='makeup_cancelled').first()).body_text
    assert 'The studio is closed on' in mail and 'credit is back' in mail
