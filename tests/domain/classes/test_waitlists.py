"""Waitlists are fair: a freed seat is offered in join order and nobody outside the list takes it first; offers
hold the seat for a window, run out, pass on, and are made exactly once even by two workers at the same moment."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from domain import clock
from domain.access.actors import StaffActor
from domain.adapters.sandbox import SandboxGateway
from domain.billing import ledger, payments
from domain.classes import catalogue, enrolment, seats, waitlists
from domain.classes.enrolment import Choice, ClassFull, HoldRanOut, NotEligible
from domain.classes.waitlists import AlreadyWaiting, HasOpenings, NoWaitlist, OfferGone, TooManyWaitlists
from domain.errors import ValidationFailed
from domain.models import (
    Channel,
    Checkout,
    Contact,
    Course,
    Enrolment,
    OutboxMessage,
    Payment,
    PaymentStatus,
    PortalEvent,
    SavedCard,
    StaffAuditEntry,
    WaitlistEntry,
    WaitlistStatus,
)
from domain.studio import settings
from tests.domain.classes.making import BEFORE_TERM, add_class, family

pytestmark = pytest.mark.usefixtures('database')

HOUR = dt.timedelta(hours=1)


async def full_class(admin, term, *, capacity='1', **changes):
    """A class whose every seat is taken by the Firsts' children."""
    course = await add_class(admin, term, capacity=capacity, **changes)
    seated = 'Seated' + ''.join(part for part in course.name.split() if part.isalnum())
    _, children = await family(seated, children=tuple(f'Kid{n}' for n in range(int(capacity))))
    for child in children:
        await enrolment.enrol_by_staff(admin, child.id, course.id)
    return course


async def log_lines(kind: str) -> list[str]:
    return await PortalEvent.filter(kind=kind).order_by('id').values_list('message', flat=True)


async def test_a_child_joins_a_full_class_sees_the_place_in_line_and_leaves(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    other, (ben,) = await family('Other', children=('Ben',))
    with clock.pinned(BEFORE_TERM):
        first = await waitlists.join(bestie, ava.id, course.id)
        second = await waitlists.join(other, ben.id, course.id)
        assert (first.position, second.position) == (1, 2)
        assert await log_lines('waitlist_joined') == [
            'Joined Waitlist: Ballet 2 - Student: Ava Bestie - Position: 1',
            'Joined Waitlist: Ballet 2 - Student: Ben Other - Position: 2',
        ]
        email = await OutboxMessage.get(kind='waitlist_joined', family_id=bestie.family_id)
        assert 'Ava is on the waitlist for Ballet 2.' in email.body_text and 'Place in line: 1.' in email.body_text
        await waitlists.leave(bestie, first.entry_id)
        (line,) = await waitlists.family_waitlists(other)
        assert (line.child, line.course, line.position) == ('Ben', 'Ballet 2', 1)  # Ben moved up
        assert await waitlists.family_waitlists(bestie) == []
    assert await log_lines('waitlist_left') == ['Left Waitlist: Ballet 2 - Student: Ava Bestie']


async def test_joining_is_refused_with_a_reason(admin, term):
    course = await full_class(admin, term)
    roomy = await add_class(admin, term, 'Jazz 1', capacity='5')
    bestie, (ava, leo) = await family('Bestie', children=('Ava', 'Leo'))
    with clock.pinned(BEFORE_TERM):
        with pytest.raises(HasOpenings):
            await waitlists.join(bestie, ava.id, roomy.id)  # a class with a seat is enrolled in, not waited for
        await waitlists.join(bestie, ava.id, course.id)
        with pytest.raises(AlreadyWaiting):
            await waitlists.join(bestie, ava.id, course.id)
        await settings.change(waitlists_per_child=1)
        other_full = await full_class(admin, term, name='Tap 1')
        with pytest.raises(TooManyWaitlists):
            await waitlists.join(bestie, ava.id, other_full.id)
        await waitlists.join(bestie, leo.id, other_full.id)  # the limit is per child
        await Course.filter(id=course.id).update(waitlist_open=False)
        with pytest.raises(NoWaitlist):
            await waitlists.join(bestie, leo.id, course.id)
        await Course.filter(id=course.id).update(waitlist_open=True, min_age_months=144)
        with pytest.raises(NotEligible):
            await waitlists.join(bestie, leo.id, course.id)  # too young: waiting would be for nothing
    assert await WaitlistEntry.all().count() == 2


async def test_one_child_tapping_join_twice_at_once_is_on_the_list_once(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        outcomes = await asyncio.gather(
            *(waitlists.join(bestie, ava.id, course.id) for _ in range(5)), return_exceptions=True
        )
    assert sum(not isinstance(outcome, Exception) for outcome in outcomes) == 1
    assert all(isinstance(o, AlreadyWaiting) for o in outcomes if isinstance(o, Exception))
    assert await WaitlistEntry.filter(participant_id=ava.id).count() == 1


async def test_a_freed_seat_belongs_to_the_waitlist_and_is_offered_in_join_order(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    other, (ben,) = await family('Other', children=('Ben',))
    outsider, (cara,) = await family('Outsider', children=('Cara',))
    seated = await Enrolment.get(course_id=course.id)
    with clock.pinned(BEFORE_TERM):
        await waitlists.join(bestie, ava.id, course.id)
        await waitlists.join(other, ben.id, course.id)
        await enrolment.drop_by_staff(admin, seated.id, dt.date(2027, 1, 4))  # the seat is free before it begins
        (line,) = await catalogue.catalogue(for_families=True)
        assert (line.openings, line.waiting) == (0, 2)  # whatever is free is not for a newcomer
        with pytest.raises(ClassFull):
            await enrolment.hold_seats(outsider, [Choice(cara.id, course.id)])
        assert await waitlists.offer_seats() == 1
        ava_line, ben_line = await waitlists.family_waitlists(bestie) + await waitlists.family_waitlists(other)
        assert ava_line.status == WaitlistStatus.OFFERED and ava_line.offer_expires_at == BEFORE_TERM + 24 * HOUR
        assert (ben_line.status, ben_line.position) == (WaitlistStatus.WAITING, 1)
        with pytest.raises(ClassFull):
            await enrolment.hold_seats(outsider, [Choice(cara.id, course.id)])  # the offer keeps the seat
        assert await waitlists.offer_seats() == 0  # one seat, one offer
    assert await log_lines('waitlist_offer') == [
        'Waitlist offer sent: Ballet 2 - Student: Ava Bestie - Expires: 12/3/2026 10:00 AM'
    ]
    email = await OutboxMessage.get(kind='waitlist_offer', channel=Channel.EMAIL)
    assert email.to_address == 'bestie@example.com'
    assert 'kept for you until Dec 3, 2026, 10:00\u202fAM' in email.body_text
    assert '/portal/classes/waitlists' in email.body_text


async def test_accepting_an_offer_enrols_through_a_checkout_and_ends_the_offer(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    await Contact.filter(family_id=bestie.family_id).update(mobile_phone='+13125550101')
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
        await enrolment.drop_by_staff(admin, (await Enrolment.get(course_id=course.id)).id, dt.date(2027, 1, 4))
        await waitlists.offer_seats()
        checkout_id = await waitlists.accept_offer(bestie, entry.entry_id)
        (line,) = await catalogue.catalogue(for_families=True)
        assert (line.held, line.free) == (1, 0)  # the offer's seat counted once, not twice
        (enrolled,) = await enrolment.enrol(bestie, checkout_id)
    assert (enrolled.participant_id, enrolled.course_id) == (ava.id, course.id)
    assert (await WaitlistEntry.get(id=entry.entry_id)).status == WaitlistStatus.ENROLLED
    assert await log_lines('waitlist_accepted') == ['Waitlist offer accepted: Ballet 2 - Student: Ava Bestie']
    text = await OutboxMessage.get(kind='waitlist_offer', channel=Channel.SMS)
    assert text.to_address == '+13125550101' and 'a place in Ballet 2 is open for Ava' in text.body_text


async def test_a_declined_offer_passes_to_the_next_child_and_an_unanswered_one_runs_out(admin, term):
    course = await full_class(admin, term)
    parents = [await family(name, children=(child,)) for name, child in (('A', 'Ann'), ('B', 'Bo'), ('C', 'Cy'))]
    with clock.pinned(BEFORE_TERM):
        entries = [await waitlists.join(actor, kids[0].id, course.id) for actor, kids in parents]
        await enrolment.drop_by_staff(admin, (await Enrolment.get(course_id=course.id)).id, dt.date(2027, 1, 4))
        await waitlists.offer_seats()
        await waitlists.decline_offer(parents[0][0], entries[0].entry_id)
        with pytest.raises(OfferGone):
            await waitlists.accept_offer(parents[0][0], entries[0].entry_id)  # declined is final
        await waitlists.offer_seats()
    statuses = [(await WaitlistEntry.get(id=e.entry_id)).status for e in entries]
    assert statuses == [WaitlistStatus.DECLINED, WaitlistStatus.OFFERED, WaitlistStatus.WAITING]
    with clock.pinned(BEFORE_TERM + 24 * HOUR + dt.timedelta(seconds=1)):
        assert await waitlists.end_overdue() == 1
        assert await waitlists.offer_seats() == 1
        with pytest.raises(OfferGone):
            await waitlists.accept_offer(parents[1][0], entries[1].entry_id)
    statuses = [(await WaitlistEntry.get(id=e.entry_id)).status for e in entries]
    assert statuses == [WaitlistStatus.DECLINED, WaitlistStatus.OFFER_EXPIRED, WaitlistStatus.OFFERED]
    assert await log_lines('waitlist_offer_expired') == ['Waitlist offer expired: Ballet 2 - Student: Bo B']
    ended = await OutboxMessage.filter(kind='waitlist_ended').values_list('body_text', flat=True)
    assert any('You declined the place in Ballet 2 for Ann' in text for text in ended)
    assert any('was not accepted in time' in text for text in ended)


async def test_an_offer_is_shorter_when_the_class_meets_soon_and_none_is_made_in_the_last_two_hours(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    first_class = dt.datetime(2027, 1, 4, 23, 0, tzinfo=dt.UTC)  # Monday 4 January, 17:00 in Chicago
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
        await enrolment.drop_by_staff(admin, (await Enrolment.get(course_id=course.id)).id, dt.date(2027, 1, 4))
    with clock.pinned(first_class - 90 * dt.timedelta(minutes=1)):
        assert await waitlists.offer_seats() == 0  # 90 minutes before: nobody could take it in time
    with clock.pinned(first_class - 5 * HOUR):
        assert await waitlists.offer_seats() == 1
    offered = await WaitlistEntry.get(id=entry.entry_id)
    assert offered.offer_expires_at == first_class - 2 * HOUR  # three hours, not twenty-four


async def test_a_child_who_no_longer_fits_is_skipped_at_offer_time_and_staff_are_told(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    other, (ben,) = await family('Other', children=('Ben',))
    with clock.pinned(BEFORE_TERM):
        skipped = await waitlists.join(bestie, ava.id, course.id)
        await waitlists.join(other, ben.id, course.id)
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        ava.birthdate = dt.date(2010, 1, 1)  # the office corrected Ava's birthdate meanwhile
        await ava.save()
        await Course.filter(id=course.id).update(max_age_months=120)
        assert await waitlists.offer_seats() == 1
    held = await WaitlistEntry.get(id=skipped.entry_id)
    assert held.held_back and held.held_back_reason == 'Ava is 17; this class is for ages up to 10'
    assert (await WaitlistEntry.get(participant_id=ben.id)).status == WaitlistStatus.OFFERED
    (line,) = await log_lines('waitlist_skipped')
    assert (
        line == 'Waitlist skipped: Ballet 2 - Student: Ava Bestie - Reason: Ava is 17; this class is for ages up to 10'
    )


async def test_two_workers_at_the_same_moment_offer_each_seat_exactly_once(admin, term):
    course = await full_class(admin, term, capacity='3')
    parents = [await family(f'Fam{n}', children=(f'Kid{n}',)) for n in range(6)]
    with clock.pinned(BEFORE_TERM):
        for actor, kids in parents:
            await waitlists.join(actor, kids[0].id, course.id)
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))  # three seats freed
        made = await asyncio.gather(waitlists.offer_seats(), waitlists.offer_seats(), waitlists.offer_seats())
    assert sum(made) == 3
    offered = await WaitlistEntry.filter(status=WaitlistStatus.OFFERED).order_by('rank').values_list('rank', flat=True)
    assert offered == [1, 2, 3]  # the first three in line
    assert await OutboxMessage.filter(kind='waitlist_offer').count() == 3  # one email each, none twice


async def test_two_workers_ending_the_same_overdue_offer_end_it_once(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        await waitlists.join(bestie, ava.id, course.id)
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        await waitlists.offer_seats()
    with clock.pinned(BEFORE_TERM + 25 * HOUR):
        ended = await asyncio.gather(waitlists.end_overdue(), waitlists.end_overdue())
    assert sum(ended) == 1
    assert await OutboxMessage.filter(kind='waitlist_ended').count() == 1


async def test_an_entry_lasts_as_long_as_the_studio_says(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    await settings.change(waitlist_days=7)
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
    with clock.pinned(BEFORE_TERM + dt.timedelta(days=6)):
        assert await waitlists.end_overdue() == 0
    with clock.pinned(BEFORE_TERM + dt.timedelta(days=7)):
        assert await waitlists.end_overdue() == 1
    assert (await WaitlistEntry.get(id=entry.entry_id)).status == WaitlistStatus.EXPIRED
    assert await log_lines('waitlist_expired') == ['Waitlist entry expired: Ballet 2 - Student: Ava Bestie']


async def test_in_manual_mode_staff_offer_reorder_skip_and_release(admin, term):
    course = await full_class(admin, term)
    await waitlists.configure_class(admin, course.id, mode='manual', waitlist_open=True, released=False)
    parents = [await family(name, children=(child,)) for name, child in (('A', 'Ann'), ('B', 'Bo'), ('C', 'Cy'))]
    outsider, (cara,) = await family('Outsider', children=('Cara',))
    with clock.pinned(BEFORE_TERM):
        entries = [await waitlists.join(actor, kids[0].id, course.id) for actor, kids in parents]
        with pytest.raises(ClassFull):
            await waitlists.offer_now(admin, entries[2].entry_id)  # no free seat yet
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        assert await waitlists.offer_seats() == 0  # manual: the worker waits for staff
        await waitlists.move(admin, entries[2].entry_id, up=True)
        await waitlists.hold_back(admin, entries[0].entry_id, held=True, reason='Asked us to wait  for summer')
        listed = await waitlists.class_waitlist(admin, course.id)
        assert [(line.child, line.held_back) for line in listed.lines] == [
            ('Ann A', True),
            ('Cy C', False),
            ('Bo B', False),
        ]
        assert listed.free == 1
        await waitlists.offer_now(admin, entries[1].entry_id)  # staff choose Bo, out of order
        assert (await WaitlistEntry.get(id=entries[1].entry_id)).offered_by == admin.name
        await waitlists.remove(admin, entries[1].entry_id)  # and then take him off: the seat is free again
        await waitlists.configure_class(admin, course.id, mode='manual', waitlist_open=True, released=True)
        view = await enrolment.hold_seats(outsider, [Choice(cara.id, course.id)])  # released: first come
        assert [line.child for line in view.lines] == ['Cara']
    audit = await StaffAuditEntry.all().order_by('id').values_list('action', flat=True)
    assert {'waitlist_moved', 'waitlist_skipped', 'waitlist_removed', 'waitlist_configured'} <= set(audit)
    assert (await WaitlistEntry.get(id=entries[0].entry_id)).held_back_reason == 'Asked us to wait for summer'


async def test_staff_enrol_over_capacity_with_a_typed_reason(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
        with pytest.raises(ValidationFailed):
            await waitlists.enrol_over_capacity(admin, entry.entry_id, '   ')
        assert await Enrolment.filter(course_id=course.id).count() == 1  # nothing half-saved
        await waitlists.enrol_over_capacity(admin, entry.entry_id, 'Sibling of a student')
    assert await Enrolment.filter(course_id=course.id).count() == 2
    (line,) = await log_lines('waitlist_enrolled')
    assert line.endswith('- Reason: Sibling of a student')
    assert (await WaitlistEntry.get(id=entry.entry_id)).status == WaitlistStatus.ENROLLED


async def test_instructors_cannot_manage_a_waitlist(admin, term):
    from domain.access.actors import PermissionDenied
    from tests.factories import make_staff

    course = await full_class(admin, term)
    made = await make_staff('ines@example.com', 'Ines Marlowe', 'instructor')
    instructor = StaffActor(made.id, made.name, made.email, made.role)
    with pytest.raises(PermissionDenied):
        await waitlists.class_waitlist(instructor, course.id)


async def kept_card(family_id: int) -> SavedCard:
    return await SavedCard.create(
        family_id=family_id,
        token='tok_sandbox_approve_0042',
        brand='Visa',
        last4='4242',
        exp_month=12,
        exp_year=2030,
        fingerprint='visa-4242-12-2030',
        gateway='sandbox',
        is_default=True,
        created_at=clock.now(),
    )


async def test_automatic_enrolment_enrols_and_charges_the_saved_card_once(admin, term):
    gateway = SandboxGateway()
    payments.configure(gateway)
    course = await full_class(admin, term, tuition='60.00')
    await waitlists.configure_class(admin, course.id, mode='auto_enrol', waitlist_open=True, released=False)
    bestie, (ava,) = await family('Bestie')
    other, (ben,) = await family('Other', children=('Ben',))
    with clock.pinned(BEFORE_TERM):
        with pytest.raises(ValidationFailed) as refused:
            await waitlists.join(bestie, ava.id, course.id, auto_enrol=True)  # no card to charge
        assert 'auto_enrol' in refused.value.errors
        await kept_card(bestie.family_id)
        auto = await waitlists.join(bestie, ava.id, course.id, auto_enrol=True)
        await waitlists.join(other, ben.id, course.id)
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        made = await asyncio.gather(waitlists.offer_seats(), waitlists.offer_seats())
    assert sum(made) == 1  # one seat: Ava enrolled, Ben still waiting
    assert (await WaitlistEntry.get(id=auto.entry_id)).status == WaitlistStatus.ENROLLED
    assert (await WaitlistEntry.get(participant_id=ben.id)).status == WaitlistStatus.WAITING
    assert await Enrolment.filter(participant_id=ava.id, dropped_on__isnull=True).count() == 1
    assert await OutboxMessage.filter(kind='portal_enroll', family_id=bestie.family_id).exists()
    (paid,) = await Payment.filter(family_id=bestie.family_id)
    assert (paid.status, paid.amount, paid.idempotency_key) == (
        PaymentStatus.APPROVED,
        Decimal('60.00'),
        f'waitlist-{auto.entry_id}',
    )
    assert gateway.charge_count == 1
    assert await ledger.balance(bestie.family_id) == Decimal('0.00')


async def test_an_offer_that_ended_while_its_checkout_was_open_enrols_nobody(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        await waitlists.offer_seats()
        checkout_id = await waitlists.accept_offer(bestie, entry.entry_id)
        await waitlists.remove(admin, entry.entry_id)
        with pytest.raises(HoldRanOut):
            await enrolment.enrol(bestie, checkout_id)
    assert not await Enrolment.filter(participant_id=ava.id).exists()


async def test_an_offer_whose_checkout_is_still_paying_does_not_run_out_under_it(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        await waitlists.offer_seats()
    near_the_end = BEFORE_TERM + 24 * HOUR - dt.timedelta(minutes=1)
    with clock.pinned(near_the_end):
        checkout_id = await waitlists.accept_offer(bestie, entry.entry_id)  # kept 15 minutes for the checkout
    paying = near_the_end + dt.timedelta(minutes=14)
    await Checkout.filter(id=checkout_id).update(expires_at=paying + dt.timedelta(minutes=2))  # card being charged
    with clock.pinned(paying + dt.timedelta(minutes=1, seconds=30)):  # past the offer, not past the checkout
        assert await waitlists.end_overdue() == 0
        assert (await seats.taken([course.id]))[course.id].held == 1  # the checkout's hold counts now
        assert await waitlists.offer_seats() == 0  # so the seat is not offered to anyone else meanwhile
        (enrolled,) = await enrolment.enrol(bestie, checkout_id)
    assert enrolled.participant_id == ava.id
    assert (await WaitlistEntry.get(id=entry.entry_id)).status == WaitlistStatus.ENROLLED


async def test_a_child_enrolled_another_way_leaves_the_waitlist(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        await waitlists.configure_class(admin, course.id, mode='manual', waitlist_open=True, released=True)
        view = await enrolment.hold_seats(bestie, [Choice(ava.id, course.id)])  # a released seat, first come
        await enrolment.enrol(bestie, view.checkout_id)
        counted = (await seats.taken([course.id]))[course.id]
    assert (await WaitlistEntry.get(id=entry.entry_id)).status == WaitlistStatus.ENROLLED
    assert counted.waiting == 0  # no stale entry keeps newcomers out once the release ends


async def test_no_offer_shorter_than_a_checkout_is_made(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    first_class = dt.datetime(2027, 1, 4, 23, 0, tzinfo=dt.UTC)
    with clock.pinned(BEFORE_TERM):
        await waitlists.join(bestie, ava.id, course.id)
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
    with clock.pinned(first_class - 2 * HOUR - dt.timedelta(minutes=10)):  # ten minutes of offer would be left
        assert await waitlists.offer_seats() == 0
    assert await OutboxMessage.filter(kind='waitlist_offer').count() == 0


async def test_an_offer_made_after_the_class_stopped_self_enrolment_can_still_be_accepted(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
        await Course.filter(id=course.id).update(self_enrol=False)  # the studio now enrols this class itself
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        assert await waitlists.offer_seats() == 1
        checkout_id = await waitlists.accept_offer(bestie, entry.entry_id)
        (enrolled,) = await enrolment.enrol(bestie, checkout_id)
    assert enrolled.participant_id == ava.id


async def test_staff_offering_a_seat_is_audited(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        await waitlists.configure_class(admin, course.id, mode='manual', waitlist_open=True, released=False)
        await waitlists.offer_now(admin, entry.entry_id)
    assert await StaffAuditEntry.filter(action='waitlist_offered').count() == 1


async def test_the_desk_declines_a_kept_place_for_a_family_who_phoned(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    other, (ben,) = await family('Other', children=('Ben',))
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
        await waitlists.join(other, ben.id, course.id)
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        await waitlists.offer_seats()
        await waitlists.decline_for_family(admin, entry.entry_id)
        with pytest.raises(OfferGone):
            await waitlists.decline_for_family(admin, entry.entry_id)
        assert await waitlists.offer_seats() == 1  # Ben is offered the seat
    assert await log_lines('waitlist_declined') == [
        f'Waitlist offer declined: Ballet 2 - Student: Ava Bestie - By: {admin.name}'
    ]
    assert await StaffAuditEntry.filter(action='waitlist_declined').count() == 1


async def test_a_typed_reason_enrols_over_capacity_past_a_clash(admin, term):
    course = await full_class(admin, term)
    same_time = await add_class(admin, term, 'Tap 1', capacity='5')
    bestie, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        entry = await waitlists.join(bestie, ava.id, course.id)
        await enrolment.enrol_by_staff(admin, ava.id, same_time.id)  # now she has Tap 1 at the same hours
        await waitlists.enrol_over_capacity(admin, entry.entry_id, 'Her parents asked; she leaves Tap early')
    assert await Enrolment.filter(participant_id=ava.id, course_id=course.id).count() == 1


async def test_the_dashboard_reads_the_places_kept_for_the_family_in_one_query(admin, term):
    course = await full_class(admin, term)
    bestie, (ava,) = await family('Bestie')
    with clock.pinned(BEFORE_TERM):
        await waitlists.join(bestie, ava.id, course.id)
        assert await waitlists.kept_places(bestie) == []  # waiting is not kept
        await Enrolment.filter(course_id=course.id).update(dropped_on=dt.date(2027, 1, 4))
        await waitlists.offer_seats()
        (kept,) = await waitlists.kept_places(bestie)
    assert (kept.child, kept.course, kept.until) == ('Ava', 'Ballet 2', BEFORE_TERM + 24 * HOUR)
    with clock.pinned(BEFORE_TERM + 25 * HOUR):
        assert await waitlists.kept_places(bestie) == []  # run out, though not yet ended by the worker
