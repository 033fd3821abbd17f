"""Drops, transfers and trials a family asks for, and the staff's queue that decides them: each rule, each refusal,
what is charged and credited, and two decisions at the same moment."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from domain import clock
from domain.access.actors import PermissionDenied, StaffActor
from domain.classes import browsing, catalogue, enrolment, requests, seats, tuition
from domain.classes.catalogue import PatternForm, TermForm
from domain.classes.eligibility import BY_REQUEST, NO_SELF_ENROL
from domain.classes.enrolment import NotEligible
from domain.classes.requests import (
    AlreadyDecided,
    NoPlace,
    NotByRequest,
    RequestPending,
    TrialDayPassed,
    TrialsOff,
)
from domain.errors import NotFound, ValidationFailed
from domain.models import (
    Absence,
    ClassRequest,
    Course,
    Enrolment,
    LedgerEntry,
    LedgerKind,
    OutboxMessage,
    PortalEvent,
    RequestKind,
    RequestStatus,
    StaffAuditEntry,
    WaitlistEntry,
)
from domain.studio import settings
from tests.domain.classes.making import MID_JANUARY, add_class, family
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures('database')

FEB_8, FEB_15, FEB_1 = dt.date(2027, 2, 8), dt.date(2027, 2, 15), dt.date(2027, 2, 1)


@pytest.fixture
async def instructor() -> StaffActor:
    made = await make_staff('teacher@example.com', 'Tina Teacher', 'instructor')
    return StaffActor(made.id, made.name, made.email, made.role)


async def enrolled(admin, term, name='Bestie', **changes):
    """Ava enrolled in Ballet 2 (Mondays, $60 a month) from Monday 25 January; the clock is mid-January."""
    course = changes.pop('course', None) or await add_class(admin, term, **changes)
    actor, (ava,) = await family(name)
    place = await enrolment.enrol_by_staff(admin, ava.id, course.id)
    return actor, ava, course, place


async def log_lines(kind: str) -> list:
    return await PortalEvent.filter(kind=kind).order_by('id').values_list('message', flat=True)


@pytest.fixture(autouse=True)
def mid_january():
    with clock.pinned(MID_JANUARY):
        yield


async def test_the_usual_reasons_unless_the_studio_wrote_its_own():
    assert requests.drop_reasons() == ('Schedule change', 'Moving away', 'Cost', 'Not enjoying it', 'Other')
    await settings.change(drop_reasons='Injury\nToo far')
    assert requests.drop_reasons() == ('Injury', 'Too far')


async def test_drop_dates_are_meetings_after_the_notice_each_with_its_last_class(admin, term):
    actor, _, _, place = await enrolled(admin, term)
    assert place.starts_on == dt.date(2027, 1, 25)
    dates = await requests.drop_dates(actor, place.id)
    assert dates[:2] == [FEB_8, FEB_15]  # 14 days from Wednesday 20 January is 3 February: Mondays from the 8th
    choices = await requests.drop_choices(actor, place.id)
    assert choices.last_classes[FEB_15] == FEB_8 and choices.last_classes[FEB_8] == FEB_1
    await settings.change(drop_notice_days=0)
    assert (await requests.drop_dates(actor, place.id))[0] == dt.date(2027, 1, 25)


async def test_the_preview_says_what_stops_and_what_is_credited_per_month(admin, term):
    actor, _, _, place = await enrolled(admin, term)
    preview = await requests.drop_preview(actor, place.id, FEB_15)
    # January's $15 (one meeting of four) is posted and attended; half of February and March to May stop
    assert (preview.last_class, preview.stops, preview.credit) == (FEB_8, Decimal('210.00'), Decimal('0'))
    await tuition.post_tuition(admin, FEB_1)
    preview = await requests.drop_preview(actor, place.id, FEB_15)
    assert (preview.stops, preview.credit) == (Decimal('180.00'), Decimal('30.00'))  # half of February's $60 back


async def test_a_session_fee_is_credited_pro_rata_by_meetings(admin, term):
    actor, _, _, place = await enrolled(admin, term, tuition='600.00', tuition_basis='per_term')
    posted = await LedgerEntry.get(family_id=actor.family_id, kind=LedgerKind.FEE)
    assert posted.amount == Decimal('514.29')  # 18 of the session's 21 Mondays
    preview = await requests.drop_preview(actor, place.id, FEB_15)
    assert (preview.stops, preview.credit) == (Decimal('0'), Decimal('428.58'))  # all but 3 meetings back


async def test_a_drop_request_is_refused_beside_its_fields(admin, term):
    actor, _, _, place = await enrolled(admin, term)
    with pytest.raises(ValidationFailed) as refused:
        await requests.request_drop(actor, place.id, dt.date(2027, 2, 9), 'Other')  # a Tuesday
    assert refused.value.errors == {'on_date': requests.NOT_A_MEETING}
    with pytest.raises(ValidationFailed) as refused:
        await requests.request_drop(actor, place.id, FEB_1, 'Because')
    assert refused.value.errors == {'on_date': requests.TOO_SOON, 'reason': requests.NOT_A_REASON}
    stranger, _ = await family('Stranger')
    with pytest.raises(NotFound):
        await requests.request_drop(stranger, place.id, FEB_15, 'Other')
    with pytest.raises(ValidationFailed):
        await requests.drop_preview(actor, place.id, FEB_1)
    await requests.request_drop(actor, place.id, FEB_15, 'Cost')
    with pytest.raises(RequestPending):
        await requests.request_drop(actor, place.id, dt.date(2027, 2, 22), 'Cost')
    with pytest.raises(RequestPending):
        await requests.request_transfer(actor, place.id, (await add_class(admin, term, 'Jazz')).id, FEB_1)
    assert await ClassRequest.all().count() == 1
    assert await log_lines('drop_requested') == [
        'Drop requested: Ballet 2 - Student: Ava Bestie - Drop Date: 2/15/2027 - Reason: Cost'
    ]


async def test_staff_approve_a_drop_with_its_credit_log_audit_and_email(admin, term, instructor):
    actor, _, course, place = await enrolled(admin, term)
    await tuition.post_tuition(admin, FEB_1)
    request = await requests.request_drop(actor, place.id, FEB_15, 'Moving away', 'We move in March')
    assert await requests.pending_count() == 1
    with pytest.raises(PermissionDenied):
        await requests.approve(instructor, request.id)
    await requests.approve(admin, request.id, 'Good luck in the new town')
    assert (await Enrolment.get(id=place.id)).dropped_on == FEB_15
    credit = await LedgerEntry.get(family_id=actor.family_id, kind=LedgerKind.CREDIT)
    assert credit.amount == Decimal('30.00') and credit.source == f'drop:{place.id}'
    assert await log_lines('dropped') == ['Dropped from Class: Ballet 2 - Student: Ava Bestie - Drop Date: 2/15/2027']
    assert await log_lines('request_approved') == [
        'Drop approved: Ballet 2 - Student: Ava Bestie - Date: 2/15/2027 by Olga Owner'
    ]
    audit = await StaffAuditEntry.get(action='request_approved')
    assert audit.new_values == {'status': 'approved', 'message': 'Good luck in the new town'}
    mail = await OutboxMessage.get(kind='class_request')
    assert 'Ava leaves Ballet 2 from Feb 15, 2027' in mail.body_text and 'Good luck in the new town' in mail.body_text
    assert await requests.pending_count() == 0
    with pytest.raises(AlreadyDecided):
        await requests.decline(admin, request.id, 'Too late')
    # the months after the drop are charged only for what the child attends
    assert (await tuition.preview_tuition(admin, dt.date(2027, 3, 1))).posted == 0
    assert course.id in (await seats.taken([course.id], on=FEB_15))  # counted, and free again from the date
    assert (await seats.taken([course.id], on=FEB_15))[course.id].enrolled == 0


async def test_a_studio_that_approves_drops_drops_at_once(admin, term):
    await settings.change(drops_approved=True)
    actor, _, _, place = await enrolled(admin, term)
    request = await requests.request_drop(actor, place.id, FEB_15, 'Moving away')
    assert request.status == RequestStatus.APPROVED and request.decided_by == requests.AUTOMATIC
    assert (await Enrolment.get(id=place.id)).dropped_on == FEB_15
    assert await log_lines('drop_requested') == [
        'Drop requested: Ballet 2 - Student: Ava Bestie - Drop Date: 2/15/2027 - Reason: Moving away'
    ]
    assert await log_lines('dropped') == ['Dropped from Class: Ballet 2 - Student: Ava Bestie - Drop Date: 2/15/2027']
    assert await OutboxMessage.filter(kind='class_request').count() == 1
    assert await requests.pending_count() == 0


async def test_two_staff_approving_the_same_drop_at_once_drop_and_credit_once(admin, term):
    actor, _, _, place = await enrolled(admin, term)
    await tuition.post_tuition(admin, FEB_1)
    request = await requests.request_drop(actor, place.id, FEB_15, 'Cost')
    other = await make_staff('desk@example.com', 'Dan Desk', 'admin')
    desk = StaffActor(other.id, other.name, other.email, other.role)
    outcomes = await asyncio.gather(
        requests.approve(admin, request.id, 'yes'),
        requests.approve(desk, request.id, 'yes'),
        requests.decline(desk, request.id, 'no'),
        return_exceptions=True,
    )
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert all(isinstance(o, AlreadyDecided) for o in outcomes if isinstance(o, Exception))
    approved = not isinstance(outcomes[0], Exception) or not isinstance(outcomes[1], Exception)
    assert await LedgerEntry.filter(kind=LedgerKind.CREDIT).count() == (1 if approved else 0)  # February's half
    assert await OutboxMessage.filter(kind='class_request').count() == 1
    assert await StaffAuditEntry.filter(action__startswith='request_').count() == 1


async def test_staff_decline_with_a_message_and_the_child_stays(admin, term):
    actor, _, _, place = await enrolled(admin, term)
    request = await requests.request_drop(actor, place.id, FEB_15, 'Cost')
    await requests.decline(admin, request.id, 'Please call us first')
    assert (await Enrolment.get(id=place.id)).dropped_on is None
    (line,) = await requests.family_requests(actor)
    assert (line.status, line.decision_message) == (RequestStatus.DECLINED, 'Please call us first')
    mail = await OutboxMessage.get(kind='class_request')
    assert 'declined' in mail.subject and 'Please call us first' in mail.body_text


async def test_the_family_cancels_while_pending_and_not_after(admin, term):
    actor, _, _, place = await enrolled(admin, term)
    request = await requests.request_drop(actor, place.id, FEB_15, 'Cost')
    stranger, _ = await family('Stranger')
    with pytest.raises(NotFound):
        await requests.cancel_request(stranger, request.id)
    await requests.cancel_request(actor, request.id)
    assert (await ClassRequest.get(id=request.id)).status == RequestStatus.CANCELLED
    assert await log_lines('request_cancelled') == [
        'Request cancelled: Drop - Ballet 2 - Student: Ava Bestie - Date: 2/15/2027'
    ]
    with pytest.raises(AlreadyDecided):
        await requests.cancel_request(actor, request.id)
    with pytest.raises(AlreadyDecided):
        await requests.approve(admin, request.id)
    again = await requests.request_drop(actor, place.id, FEB_15, 'Cost')  # a new one may follow
    assert again.status == RequestStatus.PENDING


async def test_the_queue_shows_pending_first_oldest_first(admin, term):
    first, _, _, first_place = await enrolled(admin, term, 'First')
    second, _, _, second_place = await enrolled(admin, term, 'Second', course=await add_class(admin, term, 'Tap'))
    old = await requests.request_drop(first, first_place.id, FEB_15, 'Cost', 'a note')
    with clock.pinned(MID_JANUARY + dt.timedelta(hours=1)):
        newer = await requests.request_drop(second, second_place.id, FEB_15, 'Other')
        with pytest.raises(ValidationFailed):
            await requests.decline(admin, old.id, '  ')  # a refusal says why
        await requests.decline(admin, old.id, 'Please call us')
    with clock.pinned(MID_JANUARY + dt.timedelta(hours=2)):
        newest = await requests.request_drop(first, first_place.id, FEB_8, 'Other')
    lines = await requests.queue(admin)
    assert [line.id for line in lines] == [newer.id, newest.id, old.id]
    assert (lines[2].family, lines[2].child, lines[2].course, lines[2].note) == (
        'First',
        'Ava First',
        'Ballet 2',
        'a note',
    )


# Transfers


async def test_transfer_targets_take_the_child_now(admin, term):
    actor, _, _, place = await enrolled(admin, term)
    await add_class(admin, term, 'Ballet 3')  # Mondays at the same hour as the class being left: no clash
    await add_class(admin, term, 'Tap', patterns=(PatternForm((2,), '17:00', '18:00'),))
    await add_class(admin, term, 'Teens', min_age_years='13')  # too young
    await add_class(admin, term, 'Hidden', shown_to_families=False)
    full = await add_class(admin, term, 'Full', capacity='1')
    _, (kid,) = await family('Seated')
    await enrolment.enrol_by_staff(admin, kid.id, full.id)
    targets = await requests.transfer_targets(actor, place.id)
    assert [target.name for target in targets] == ['Ballet 3', 'Tap']
    tap = targets[1]
    # from Ava's first class on 25 January, to the later of two weeks (3 February) and the next two meetings
    assert tap.dates == [dt.date(2027, 1, 27), dt.date(2027, 2, 3)]


async def test_an_approved_transfer_leaves_one_class_and_joins_the_other_the_same_day(admin, term):
    actor, ava, _, place = await enrolled(admin, term)
    target = await add_class(admin, term, 'Tap', patterns=(PatternForm((2,), '17:00', '18:00'),), tuition='40.00')
    with pytest.raises(ValidationFailed) as refused:
        await requests.request_transfer(actor, place.id, target.id, dt.date(2027, 3, 3))
    assert refused.value.errors == {'on_date': requests.OUTSIDE_WINDOW}
    request = await requests.request_transfer(actor, place.id, target.id, dt.date(2027, 2, 3), 'Mondays are hard')
    assert await log_lines('transfer_requested') == [
        'Transfer requested: Ballet 2 - Student: Ava Bestie - To: Tap - Date: 2/3/2027'
    ]
    await requests.approve(admin, request.id)
    assert (await Enrolment.get(id=place.id)).dropped_on == dt.date(2027, 2, 3)
    new = await Enrolment.get(course_id=target.id, participant_id=ava.id)
    assert new.starts_on == dt.date(2027, 2, 3)
    fee = await LedgerEntry.get(source=tuition.tuition_source(new.id, '2027-02'))
    assert fee.amount == Decimal('40.00')  # every Wednesday of February
    assert 'Enrolled in Class: Tap - Student: Ava Bestie - Starts: 2/3/2027' in await log_lines('enrolled')


async def test_two_transfers_racing_for_the_targets_last_seat_one_wins(admin, term):
    target = await add_class(admin, term, 'Tap', capacity='1', patterns=(PatternForm((2,), '17:00', '18:00'),))
    first, _, course, first_place = await enrolled(admin, term, 'First')
    second, _, _, second_place = await enrolled(admin, term, 'Second', course=course)
    one = await requests.request_transfer(first, first_place.id, target.id, dt.date(2027, 2, 3))
    two = await requests.request_transfer(second, second_place.id, target.id, dt.date(2027, 2, 3))
    outcomes = await asyncio.gather(
        requests.approve(admin, one.id), requests.approve(admin, two.id), return_exceptions=True
    )
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert all(isinstance(o, NoPlace) for o in outcomes if isinstance(o, Exception))
    assert await Enrolment.filter(course_id=target.id).count() == 1
    assert await ClassRequest.filter(status=RequestStatus.PENDING).count() == 1  # the loser waits, nothing lost
    assert await Enrolment.filter(course_id=course.id, dropped_on__isnull=True).count() == 1


async def test_a_transfer_to_a_full_or_clashing_class_is_refused(admin, term):
    actor, ava, _, place = await enrolled(admin, term)
    full = await add_class(admin, term, 'Full', capacity='1', patterns=(PatternForm((2,), '17:00', '18:00'),))
    _, (kid,) = await family('Seated')
    await enrolment.enrol_by_staff(admin, kid.id, full.id)
    with pytest.raises(NoPlace):
        await requests.request_transfer(actor, place.id, full.id, dt.date(2027, 2, 3))
    other = await add_class(admin, term, 'Jazz', patterns=(PatternForm((3,), '17:00', '18:00'),))
    await enrolment.enrol_by_staff(admin, ava.id, other.id)  # Thursdays
    clashing = await add_class(admin, term, 'Drama', patterns=(PatternForm((3,), '17:30', '18:30'),))
    with pytest.raises(NotEligible):
        await requests.request_transfer(actor, place.id, clashing.id, dt.date(2027, 1, 28))


# Trials


async def test_a_trial_is_requested_for_a_future_meeting_and_approved_takes_a_seat(admin, term):
    course = await add_class(admin, term, capacity='2')
    actor, (ava,) = await family('Bestie')
    choices = await requests.trial_choices(actor, course.id)
    assert choices.children == [(ava.id, 'Ava')] and choices.dates[0] == dt.date(2027, 1, 25)
    with pytest.raises(ValidationFailed) as refused:
        await requests.request_trial(actor, ava.id, course.id, dt.date(2027, 1, 18))  # already past
    assert refused.value.errors == {'on_date': requests.NOT_A_MEETING}
    request = await requests.request_trial(actor, ava.id, course.id, FEB_1, 'She loves dancing')
    with pytest.raises(RequestPending):
        await requests.request_trial(actor, ava.id, course.id, FEB_8)
    assert await log_lines('trial_requested') == ['Trial requested: Ballet 2 - Student: Ava Bestie - Date: 2/1/2027']
    assert (await seats.taken([course.id], on=FEB_1))[course.id].enrolled == 0
    await requests.approve(admin, request.id, 'See you Monday')
    assert (await seats.taken([course.id], on=FEB_1))[course.id].enrolled == 1
    assert (await seats.taken([course.id], on=dt.date(2027, 2, 2)))[course.id].enrolled == 0  # only that day on


async def test_a_trial_is_refused_when_the_class_filled_meanwhile(admin, term):
    course = await add_class(admin, term, capacity='1')
    actor, (ava,) = await family('Bestie')
    request = await requests.request_trial(actor, ava.id, course.id, FEB_1)
    _, (kid,) = await family('Seated')
    await enrolment.enrol_by_staff(admin, kid.id, course.id)
    with pytest.raises(NoPlace):
        await requests.approve(admin, request.id)
    assert (await ClassRequest.get(id=request.id)).status == RequestStatus.PENDING
    with clock.pinned(dt.datetime(2027, 2, 3, 16, tzinfo=dt.UTC)), pytest.raises(TrialDayPassed):
        await requests.approve(admin, request.id)
    await requests.decline(admin, request.id, 'Full, sorry')


async def absent(place, day):
    return await Absence.create(
        enrolment_id=place.id,
        family_id=place.family_id,
        participant_id=place.participant_id,
        course_id=place.course_id,
        date=day,
        reported_by='Holly Seated',
        reported_at=clock.now(),
    )


async def test_a_full_class_offers_a_trial_on_a_day_a_reported_absence_frees_a_seat(admin, term):
    course = await add_class(admin, term, capacity='1')
    _, (kid,) = await family('Seated')
    place = await enrolment.enrol_by_staff(admin, kid.id, course.id)
    actor, (ava,) = await family('Bestie')
    assert (await requests.trial_choices(actor, course.id)).dates == []
    absence = await absent(place, FEB_8)
    assert (await requests.trial_choices(actor, course.id)).dates == [FEB_8]
    with pytest.raises(ValidationFailed) as refused:
        await requests.request_trial(actor, ava.id, course.id, FEB_1)
    assert refused.value.errors == {'on_date': requests.FULL_THAT_DAY}
    request = await requests.request_trial(actor, ava.id, course.id, FEB_8)
    absence.cancelled_at = clock.now()  # the family changed its mind before the desk decided
    await absence.save()
    with pytest.raises(NoPlace):
        await requests.approve(admin, request.id)
    absence.cancelled_at = None
    await absence.save()
    await requests.approve(admin, request.id)
    assert (await seats.meeting_seats([course.id], FEB_8))[course.id] == seats.MeetingSeats(1, 1, 1, 1, 0, 0)
    assert (await requests.trial_choices(actor, course.id)).dates == []  # the freed seat is the trial's now


async def test_a_trial_counts_the_seats_of_its_own_day_not_of_the_rest_of_the_session(admin, term):
    course = await add_class(admin, term, capacity='1')
    _, (kid,) = await family('Seated')
    await Enrolment.create(  # joins from 15 February: the 1st and the 8th are free for a trial
        family_id=kid.family_id,
        participant_id=kid.id,
        course_id=course.id,
        starts_on=FEB_15,
        enrolled_at=clock.now(),
        enrolled_by='Olga Owner',
    )
    actor, (ava,) = await family('Bestie')
    assert (await requests.trial_choices(actor, course.id)).dates[:3] == [dt.date(2027, 1, 25), FEB_1, FEB_8]
    request = await requests.request_trial(actor, ava.id, course.id, FEB_8)
    await requests.approve(admin, request.id)
    assert FEB_8 not in (await requests.trial_choices(actor, course.id)).dates


async def test_while_children_wait_a_trial_takes_only_a_seat_an_absence_freed(admin, term):
    course = await add_class(admin, term, capacity='2')
    _, (kid,) = await family('Seated')
    place = await enrolment.enrol_by_staff(admin, kid.id, course.id)
    waiter, (wes,) = await family('Waiting', children=('Wes',))
    await WaitlistEntry.create(
        course_id=course.id, participant_id=wes.id, family_id=waiter.family_id, rank=1, joined_at=clock.now()
    )
    actor, _ = await family('Bestie')
    assert (await requests.trial_choices(actor, course.id)).dates == []  # the free seat is the waitlist's
    await absent(place, FEB_8)
    assert (await requests.trial_choices(actor, course.id)).dates == [FEB_8]
    await Course.filter(id=course.id).update(free_seats_released=True)
    assert len((await requests.trial_choices(actor, course.id)).dates) > 1


async def test_trials_the_studio_does_not_offer_or_for_an_enrolled_child_are_refused(admin, term):
    actor, ava, course, _ = await enrolled(admin, term)
    with pytest.raises(NotEligible):
        await requests.request_trial(actor, ava.id, course.id, FEB_1)
    stranger, (other,) = await family('Stranger')
    with pytest.raises(NotFound):
        await requests.request_trial(actor, other.id, course.id, FEB_1)
    await settings.change(trials=False)
    with pytest.raises(TrialsOff):
        await requests.request_trial(stranger, other.id, course.id, FEB_1)
    with pytest.raises(TrialsOff):
        await requests.trial_choices(stranger, course.id)


async def test_a_transfer_to_the_class_being_left_is_no_transfer(admin, term):
    actor, _, course, place = await enrolled(admin, term)
    with pytest.raises(NotFound):
        await requests.request_transfer(actor, place.id, course.id, FEB_1)


async def test_an_enrolment_request_approved_enrols_from_the_next_meeting(admin, term):
    course = await add_class(admin, term, self_enrol=False)  # a class set to enrol by request
    actor, (ava,) = await family('Bestie')
    asked = await ClassRequest.create(
        kind='enrol',
        family_id=actor.family_id,
        participant_id=ava.id,
        contact_id=actor.contact_id,
        course_id=course.id,
        on_date=dt.date(2027, 1, 18),  # asked for a day that has passed by the time staff decide
        requested_by=actor.contact_name,
        created_at=clock.now(),
    )
    await requests.approve(admin, asked.id, 'Welcome')
    place = await Enrolment.get(participant_id=ava.id, course_id=course.id)
    assert place.starts_on == dt.date(2027, 1, 25)
    assert 'Ava is enrolled in Ballet 2' in (await OutboxMessage.get(kind='class_request')).body_text


# Enrolment requests, for classes set to take them


async def by_request(admin, term, **changes):
    return await add_class(admin, term, 'Team Gymnastics Level 3', self_enrol=False, enrol_by_request=True, **changes)


async def test_a_family_asks_to_enrol_in_a_class_that_takes_requests(admin, term):
    course = await by_request(admin, term)
    actor, (ava,) = await family('Bestie')
    offer = next(o for o in (await browsing.classes_for_family(actor)).offers if o.line.course.id == course.id)
    assert [reason.message for reason in offer.reasons[ava.id]] == [BY_REQUEST]
    assert offer.may_ask(ava.id)
    request = await requests.request_enrolment(actor, ava.id, course.id, 'She did Level 2 elsewhere')
    stored = await ClassRequest.get(id=request.id)
    assert (stored.kind, stored.status, stored.note) == (
        RequestKind.ENROL,
        RequestStatus.PENDING,
        'She did Level 2 elsewhere',
    )
    assert stored.on_date == dt.date(2027, 1, 25)  # the class's next meeting
    assert await log_lines('enrolment_requested') == [
        'Enrolment requested: Team Gymnastics Level 3 - Student: Ava Bestie'
    ]
    assert not await Enrolment.filter(course_id=course.id).exists()  # the desk decides
    offer = next(o for o in (await browsing.classes_for_family(actor)).offers if o.line.course.id == course.id)
    assert not offer.may_ask(ava.id)  # asked already: the card says it waits
    assert [line.kind for line in await requests.family_requests(actor)] == [RequestKind.ENROL]


async def test_only_a_class_that_takes_requests_and_does_not_enrol_families_itself_may_be_asked(admin, term):
    actor, (ava,) = await family('Bestie')
    desk_only = await add_class(admin, term, 'Desk only', self_enrol=False)
    both = await add_class(admin, term, 'Open', enrol_by_request=True)  # families enrol themselves: that wins
    for course in (desk_only, both):
        with pytest.raises(NotByRequest):
            await requests.request_enrolment(actor, ava.id, course.id)
    hidden = await by_request(admin, term, shown_to_families=False)
    _, (other,) = await family('Stranger')
    course = await by_request(admin, term)
    for child_id, course_id in ((ava.id, hidden.id), (other.id, course.id)):
        with pytest.raises(NotFound):
            await requests.request_enrolment(actor, child_id, course_id)
    assert not await ClassRequest.exists()
    offer = next(o for o in (await browsing.classes_for_family(actor)).offers if o.line.course.id == desk_only.id)
    assert [reason.message for reason in offer.reasons[ava.id]] == [NO_SELF_ENROL]


async def test_a_child_the_desk_could_not_enrol_may_not_ask(admin, term):
    course = await by_request(admin, term, min_age_years='10')
    actor, (ava,) = await family('Bestie')  # seven and a half
    with pytest.raises(NotEligible):
        await requests.request_enrolment(actor, ava.id, course.id)
    offer = next(o for o in (await browsing.classes_for_family(actor)).offers if o.line.course.id == course.id)
    assert not offer.may_ask(ava.id)
    later = await catalogue.add_term(admin, TermForm('Summer 2027', '2027-06-01', '2027-08-01', '2027-05-01T09:00'))
    location, room, _ = term
    summer = await by_request(
        admin, (location, room, later), starts_on='2027-06-01', ends_on='2027-08-01'
    )  # registration opens in May
    with pytest.raises(NotEligible) as refused:
        await requests.request_enrolment(actor, ava.id, summer.id)
    assert 'Registration opens' in refused.value.reasons[(ava.id, summer.id)][0].text('en')


async def test_a_second_request_to_enrol_the_same_child_waits_for_the_first(admin, term):
    course = await by_request(admin, term)
    actor, (ava,) = await family('Bestie')
    outcomes = await asyncio.gather(
        requests.request_enrolment(actor, ava.id, course.id),
        requests.request_enrolment(actor, ava.id, course.id),
        return_exceptions=True,
    )
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert all(isinstance(o, RequestPending) for o in outcomes if isinstance(o, Exception))
    with pytest.raises(RequestPending):
        await requests.request_enrolment(actor, ava.id, course.id)
    assert await ClassRequest.filter(kind=RequestKind.ENROL).count() == 1


async def test_an_enrolment_request_asked_by_the_family_and_approved_enrols_the_child(admin, term):
    course = await by_request(admin, term)
    actor, (ava,) = await family('Bestie')
    request = await requests.request_enrolment(actor, ava.id, course.id)
    await requests.approve(admin, request.id, 'See you Monday')
    place = await Enrolment.get(participant_id=ava.id, course_id=course.id)
    assert place.starts_on == dt.date(2027, 1, 25)
    mail = await OutboxMessage.get(kind='class_request')
    assert 'Ava is enrolled in Team Gymnastics Level 3' in mail.body_text
    assert 'See you Monday' in mail.body_text
    with pytest.raises(NotEligible):  # enrolled now
        await requests.request_enrolment(actor, ava.id, course.id)
