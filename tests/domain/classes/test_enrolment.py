"""Parents enrol children through a checkout that holds seats; a class is never overbooked, even when fifty
parents tap at once; every enrolment posts its fees, its log line and its email in one transaction."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from domain import clock
from domain.access.actors import Actor, PermissionDenied, StaffActor
from domain.classes import catalogue, enrolment, tuition
from domain.classes.catalogue import PatternForm, TermForm
from domain.classes.enrolment import Choice, ClassFull, HoldRanOut, NotEligible
from domain.errors import NotFound, ValidationFailed
from domain.models import (
    Enrolment,
    LedgerEntry,
    OutboxMessage,
    Participant,
    Policy,
    PolicyVersion,
    PortalEvent,
    StaffAuditEntry,
)
from domain.registration.policies import Acceptance
from domain.studio import settings
from tests.domain.classes.making import BEFORE_TERM, MID_JANUARY, add_class, family
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures('database')


async def test_a_checkout_holds_the_seat_then_enrols_posting_fees_log_and_email(admin, term):
    course = await add_class(admin, term, tuition='60.00', tuition_basis='per_month')
    actor, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        view = await enrolment.hold_seats(actor, [Choice(ava.id, course.id)])
        assert [(line.child, line.course, line.starts_on) for line in view.lines] == [
            ('Ava', 'Ballet 2', dt.date(2027, 1, 4))
        ]
        assert view.total == Decimal('60.00')  # all of January's Mondays: the first month in full
        assert view.expires_at == BEFORE_TERM + dt.timedelta(minutes=15)
        line = (await catalogue.catalogue(for_families=True))[0]
        assert (line.enrolled, line.held, line.openings) == (0, 1, 9)  # held seats count against the openings
        enrolled = await enrolment.enrol(actor, view.checkout_id)
    assert [(e.participant_id, e.course_id, e.starts_on) for e in enrolled] == [
        (ava.id, course.id, dt.date(2027, 1, 4))
    ]
    fees = await LedgerEntry.filter(family_id=actor.family_id).values_list('description', 'amount')
    assert [(text, Decimal(str(amount))) for text, amount in fees] == [
        ('Tuition: Ballet 2 (Ava Bestie), Jan 2027', Decimal('60.00'))
    ]
    log = await PortalEvent.filter(kind='enrolled').values_list('message', flat=True)
    assert log == ['Enrolled in Class: Ballet 2 - Student: Ava Bestie - Starts: 1/4/2027']
    email = await OutboxMessage.get(kind='portal_enroll')
    assert email.to_address == 'bestie@example.com' and 'Ava in Ballet 2, from Jan 4, 2027' in email.body_text
    assert 'Thank you for enrolling:' in email.body_text
    assert 'SUMMARY:Ballet 2 · Ava' in email.calendar and 'RRULE:FREQ=WEEKLY' in email.calendar  # invite.ics
    line = (await catalogue.catalogue(for_families=True))[0]
    assert (line.enrolled, line.held, line.openings) == (1, 0, 9)
    with pytest.raises(HoldRanOut):  # a second tap on "Enrol" finds the checkout closed: nothing twice
        await enrolment.enrol(actor, view.checkout_id)
    assert await Enrolment.all().count() == 1


async def test_fifty_parents_at_once_for_ten_seats_enrol_exactly_ten(admin, term):
    course = await add_class(admin, term, capacity='10')
    parents = [await family(f'Family{number}') for number in range(50)]

    async def try_to_enrol(actor: Actor, child: Participant) -> str:
        try:
            view = await enrolment.hold_seats(actor, [Choice(child.id, course.id)])
            await enrolment.enrol(actor, view.checkout_id)
        except ClassFull:
            return 'full'
        return 'enrolled'

    with clock.pinned(BEFORE_TERM):
        outcomes = await asyncio.gather(*(try_to_enrol(actor, children[0]) for actor, children in parents))
    assert outcomes.count('enrolled') == 10 and outcomes.count('full') == 40
    assert await Enrolment.filter(course_id=course.id).count() == 10
    enrolled_families = set(await Enrolment.filter(course_id=course.id).values_list('family_id', flat=True))
    charged_families = set(
        await LedgerEntry.filter(description__startswith='Tuition').values_list('family_id', flat=True)
    )
    assert charged_families == enrolled_families and len(charged_families) == 10  # the ledger matches, one each


async def test_a_hold_that_runs_out_frees_the_seat_and_cannot_be_enrolled(admin, term):
    course = await add_class(admin, term, capacity='1')
    first, (ava,) = await family('Bestie')
    second, (kim,) = await family('Gunnar')
    with clock.pinned(BEFORE_TERM):
        view = await enrolment.hold_seats(first, [Choice(ava.id, course.id)])
        with pytest.raises(ClassFull):
            await enrolment.hold_seats(second, [Choice(kim.id, course.id)])
    with clock.pinned(BEFORE_TERM + dt.timedelta(minutes=16)):
        later = await enrolment.hold_seats(second, [Choice(kim.id, course.id)])
        with pytest.raises(HoldRanOut):
            await enrolment.enrol(first, view.checkout_id)
        await enrolment.enrol(second, later.checkout_id)
    assert await Enrolment.filter(course_id=course.id).values_list('participant_id', flat=True) == [kim.id]


async def test_leaving_the_checkout_frees_its_seats_at_once(admin, term):
    course = await add_class(admin, term, capacity='1')
    first, (ava,) = await family('Bestie')
    second, (kim,) = await family('Gunnar')
    with clock.pinned(BEFORE_TERM):
        view = await enrolment.hold_seats(first, [Choice(ava.id, course.id)])
        await enrolment.let_go(first, view.checkout_id)
        await enrolment.hold_seats(second, [Choice(kim.id, course.id)])


async def test_a_child_who_cannot_enrol_is_told_why_in_their_parents_language(admin, term):
    young = await add_class(admin, term, 'Tiny Tots', min_age_years='5', max_age_years='7')
    actor, (ava,) = await family('Bestie', birthdate=dt.date(2015, 6, 1))  # 11 at the first meeting
    with clock.pinned(BEFORE_TERM), pytest.raises(NotEligible) as refused:
        await enrolment.hold_seats(actor, [Choice(ava.id, young.id)])
    (reason,) = refused.value.reasons[(ava.id, young.id)]
    assert reason.text('en') == 'Ava is 11; this class is for ages 5–7'
    assert reason.text('es') == 'Ava tiene 11 años; esta clase es para edades de 5 años a 7 años'
    assert reason.text('zh_Hans') == 'Ava11岁；这门课程适合5岁至7岁'
    assert await Enrolment.all().count() == 0


async def test_registration_not_open_yet_says_when_it_opens(admin, term):
    location, room, _ = term
    later_term = await catalogue.add_term(
        admin, TermForm('Summer 2027', '2027-06-07', '2027-08-27', '2027-02-03T09:00')
    )
    course = await add_class(
        admin, (location, room, later_term), 'Summer Jazz', starts_on='2027-06-07', ends_on='2027-08-27'
    )
    actor, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM), pytest.raises(NotEligible) as refused:
        await enrolment.hold_seats(actor, [Choice(ava.id, course.id)])
    assert [r.text('en') for r in refused.value.reasons[(ava.id, course.id)]] == [
        'Registration opens Wed, Feb 3, 9:00\u202fAM'
    ]


async def test_a_duplicate_or_a_clash_is_refused_with_the_reason(admin, term):
    ballet = await add_class(admin, term, 'Ballet 2')
    tap = await add_class(admin, term, 'Tap 1', patterns=(PatternForm((0,), '17:30', '18:30'),))
    actor, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        view = await enrolment.hold_seats(actor, [Choice(ava.id, ballet.id)])
        await enrolment.enrol(actor, view.checkout_id)
        with pytest.raises(NotEligible) as again:
            await enrolment.hold_seats(actor, [Choice(ava.id, ballet.id)])
        with pytest.raises(NotEligible) as clash:
            await enrolment.hold_seats(actor, [Choice(ava.id, tap.id)])
    assert [r.text('en') for r in again.value.reasons[(ava.id, ballet.id)]] == ['Ava is already enrolled in this class']
    assert [r.text('en') for r in clash.value.reasons[(ava.id, tap.id)]] == ['Ava has Ballet 2 at the same time']


async def test_another_familys_child_or_a_hidden_class_is_not_found(admin, term):
    course = await add_class(admin, term)
    hidden = await add_class(admin, term, 'Staff only', shown_to_families=False)
    actor, _children = await family('Bestie')
    _other, (kim,) = await family('Gunnar')
    with clock.pinned(BEFORE_TERM):
        with pytest.raises(NotFound):
            await enrolment.hold_seats(actor, [Choice(kim.id, course.id)])
        with pytest.raises(NotFound):
            await enrolment.hold_seats(actor, [Choice(_children[0].id, hidden.id)])


async def test_a_class_policy_is_asked_at_its_checkout_and_kept(admin, term):
    policy = await Policy.create(at_checkout=True)
    await PolicyVersion.create(policy=policy, version=1, title='Aerial safety', body='Hold on.', created_at=clock.now())
    course = await add_class(admin, term)
    await course.policies.add(policy)
    actor, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        view = await enrolment.hold_seats(actor, [Choice(ava.id, course.id)])
        assert [v.title for v in view.policies] == ['Aerial safety']
        with pytest.raises(ValidationFailed):
            await enrolment.enrol(actor, view.checkout_id, {})
        assert await Enrolment.all().count() == 0
        version = view.policies[0]
        await enrolment.enrol(actor, view.checkout_id, {version.id: Acceptance(True, actor.contact_name)})
    assert await Enrolment.all().count() == 1


async def test_prorated_tuition_from_mid_month_and_a_registration_fee_once_per_family(admin, term):
    await settings.change(registration_fee=Decimal('25.00'))
    first = await add_class(admin, term, 'Ballet 2', tuition='60.00', registration_fee=True)
    second = await add_class(
        admin, term, 'Jazz 1', tuition='40.00', registration_fee=True, patterns=(PatternForm((3,), '17:00', '18:00'),)
    )
    actor, (ava,) = await family('Bestie')
    with clock.pinned(MID_JANUARY):
        view = await enrolment.hold_seats(actor, [Choice(ava.id, first.id), Choice(ava.id, second.id)])
        # January has 4 Mondays (4, 11, 18, 25): from the 20th, one is left. Thursdays 7…28: two left of four.
        assert [line.price.first_fee for line in view.lines] == [Decimal('15.00'), Decimal('20.00')]
        assert view.registration_fees == [('Spring 2027', Decimal('25.00'))]
        await enrolment.enrol(actor, view.checkout_id)
    fees = sorted(
        Decimal(str(a)) for a in await LedgerEntry.filter(family_id=actor.family_id).values_list('amount', flat=True)
    )
    assert fees == [Decimal('15.00'), Decimal('20.00'), Decimal('25.00')]


async def test_posting_a_months_tuition_twice_posts_it_once(admin, term):
    course = await add_class(admin, term, tuition='60.00')
    actor, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        view = await enrolment.hold_seats(actor, [Choice(ava.id, course.id)])
        await enrolment.enrol(actor, view.checkout_id)
        first = await tuition.post_tuition(admin, dt.date(2027, 2, 1))
        again = await tuition.post_tuition(admin, dt.date(2027, 2, 1))
        january = await tuition.post_tuition(admin, dt.date(2027, 1, 1))  # posted at enrolment already
    assert (first.posted, first.total, again.posted, january.posted) == (1, Decimal('60.00'), 0, 0)
    assert await LedgerEntry.filter(family_id=actor.family_id).count() == 2


async def test_two_tuition_runs_at_once_post_once(admin, term):
    course = await add_class(admin, term)
    actor, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        view = await enrolment.hold_seats(actor, [Choice(ava.id, course.id)])
        await enrolment.enrol(actor, view.checkout_id)
        runs = await asyncio.gather(*(tuition.post_tuition(admin, dt.date(2027, 3, 1)) for _ in range(5)))
    assert sorted(run.posted for run in runs) == [0, 0, 0, 0, 1]


async def test_the_first_instructor_of_each_class_hears_of_an_enrolment_when_the_studio_asks(admin, term):
    ines = await make_staff('ines@example.com', 'Ines Marlowe', 'instructor')
    marcus = await make_staff('marcus@example.com', 'Marcus Bell', 'instructor')
    ballet = await add_class(admin, term, 'Ballet 2', instructor_ids=(ines.id, marcus.id))
    jazz = await add_class(
        admin, term, 'Jazz 1', instructor_ids=(marcus.id, ines.id), patterns=(PatternForm((3,), '17:00', '18:00'),)
    )
    actor, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        view = await enrolment.hold_seats(actor, [Choice(ava.id, ballet.id)])
        await enrolment.enrol(actor, view.checkout_id)  # the setting is off: no instructor is told
        assert not await OutboxMessage.filter(kind='instructor_enrolled').exists()
        await settings.change(email_instructor=True)
        view = await enrolment.hold_seats(actor, [Choice(ava.id, jazz.id)])
        await enrolment.enrol(actor, view.checkout_id)
    told = await OutboxMessage.filter(kind='instructor_enrolled').values_list('to_address', 'subject')
    assert [address for address, _subject in told] == ['marcus@example.com']
    assert 'Ava Bestie' in told[0][1] and 'Jazz 1' in told[0][1]


async def test_the_monthly_run_posts_the_month_once_and_only_when_the_studio_chose_it(admin, term):
    course = await add_class(admin, term, tuition='60.00')
    actor, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        view = await enrolment.hold_seats(actor, [Choice(ava.id, course.id)])
        await enrolment.enrol(actor, view.checkout_id)
    february = dt.datetime(2027, 2, 1, 7, 0, tzinfo=dt.UTC)  # 1 a.m. on the 1st at the studio
    with clock.pinned(february):
        assert await tuition.post_this_month_if_due() is None  # the studio posts by hand
        assert await LedgerEntry.filter(family_id=actor.family_id).count() == 1  # January's, at enrolment
        await settings.change(monthly_tuition=True)
        runs = await asyncio.gather(*(tuition.post_this_month_if_due() for _ in range(3)))  # three processes
        later = await tuition.post_this_month_if_due()  # the next hour
    assert sorted(run.posted for run in runs if run) == [0, 0, 1] and later and later.posted == 0
    fees = await LedgerEntry.filter(family_id=actor.family_id).order_by('id').values_list('amount', 'posted_by')
    assert [(Decimal(str(amount)), by) for amount, by in fees][1:] == [
        (Decimal('60.00'), 'Monthly tuition (automatic)')
    ]
    entries = await StaffAuditEntry.filter(action='tuition_posted').values_list('staff_name', 'new_values')
    assert entries == [('Monthly tuition (automatic)', {'posted': 1, 'total': '60.00'})]  # the empty runs leave none


async def test_staff_enrol_past_the_ages_only_with_a_reason_which_the_log_keeps(admin, term):
    desk = await make_staff('desk@example.com', 'Dee Desk')
    staff = StaffActor(desk.id, desk.name, desk.email, desk.role)
    course = await add_class(admin, term, 'Tiny Tots', min_age_years='5', max_age_years='7', self_enrol=False)
    _actor, (ava,) = await family('Bestie', birthdate=dt.date(2015, 6, 1))
    with clock.pinned(BEFORE_TERM):
        with pytest.raises(NotEligible):
            await enrolment.enrol_by_staff(staff, ava.id, course.id)
        made = await enrolment.enrol_by_staff(staff, ava.id, course.id, age_override_reason='Helps her sister')
        assert made.age_override_reason == 'Helps her sister'
        log = await PortalEvent.filter(kind='enrolled').values_list('message', flat=True)
        assert log == [
            'Enrolled in Class: Tiny Tots - Student: Ava Bestie - Starts: 1/4/2027 - Age override: Helps her sister'
        ]
        assert await StaffAuditEntry.filter(action='enrolled_by_staff').count() == 1
        email = await OutboxMessage.get(kind='portal_enroll')
        assert 'The studio has enrolled:' in email.body_text and 'Thank you' not in email.body_text
        with pytest.raises(ValidationFailed):
            await enrolment.drop_by_staff(staff, made.id, dt.date(2027, 1, 1))
        await enrolment.drop_by_staff(staff, made.id, dt.date(2027, 2, 1))
    line = (await catalogue.catalogue())[0]
    assert line.enrolled == 1  # still meets in January
    assert await PortalEvent.filter(kind='dropped').values_list('message', flat=True) == [
        'Dropped from Class: Tiny Tots - Student: Ava Bestie - Drop Date: 2/1/2027'
    ]


async def test_an_instructor_cannot_enrol_or_drop(admin, term):
    teacher = await make_staff('teach@example.com', 'Tia Teacher', 'instructor')
    staff = StaffActor(teacher.id, teacher.name, teacher.email, teacher.role)
    course = await add_class(admin, term)
    _actor, (ava,) = await family('Bestie')
    with pytest.raises(PermissionDenied):
        await enrolment.enrol_by_staff(staff, ava.id, course.id)
