"""The demo studio's classes and events, as a visitor finds them: about thirty classes over two locations in one
session, a few full and a few with a place or two left, three events, the demo family's own enrolments with their
fees and log lines, and instructors who see only the classes they teach. And every child the demo enrols is one
the studio's own rules would let in."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from domain import clock
from domain.access.actors import Actor, StaffActor
from domain.classes import browsing, enrolment, events, rosters, seats, tuition, waitlists
from domain.classes.catalogue import catalogue
from domain.classes.eligibility import ALREADY_ENROLLED, BY_REQUEST
from domain.classes.enrolment import Choice
from domain.errors import NotFound
from domain.models import (
    Contact,
    Course,
    CourseInstructor,
    Enrolment,
    EventRegistrant,
    EventRegistration,
    LedgerEntry,
    Participant,
    PortalEvent,
    StaffRole,
    StaffUser,
    WaitlistEntry,
)
from domain.operations import demo
from domain.studio import settings
from tests.factories import signed_in

pytestmark = pytest.mark.usefixtures('database')

BEFORE_TERM = dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC)  # a Wednesday, noon at the studio; registration open
MID_TERM = dt.datetime(2027, 3, 10, 18, 0, tzinfo=dt.UTC)  # a Wednesday in March


async def seeded(moment: dt.datetime = BEFORE_TERM) -> None:
    with clock.pinned(moment):
        assert await demo.seed()


async def staff(email: str) -> StaffActor:
    made = await StaffUser.get(email=email)
    return StaffActor(made.id, made.name, made.email, made.role)


async def demo_parent() -> Actor:
    contact = await Contact.get(email=demo.DEMO_PARENT_EMAIL).select_related('family')
    return Actor.of(contact)


async def test_about_thirty_classes_over_two_locations_in_one_session():
    await seeded()
    with clock.pinned(BEFORE_TERM):
        everything = await catalogue()
        shown = await catalogue(for_families=True)
    assert 28 <= len(everything) <= 34
    assert {line.location.name for line in everything} == {'Adams Street', 'Riverside'}
    assert {line.location.name for line in shown} == {'Adams Street', 'Riverside'}
    spring = [line for line in everything if line.course.name not in demo.DEMO_ABSENCE_CLASSES]  # and a short one
    assert len({line.term.name for line in spring}) == 1 and spring[0].term.name == 'Spring 2027'
    assert {path.split(' › ')[0] for line in shown for path in line.category_paths} == {'Dance', 'Swim', 'Gymnastics'}
    assert all(line.room is not None and line.room.location_id == line.location.id for line in everything)


async def test_a_few_classes_are_full_and_a_few_have_one_or_two_places_left():
    await seeded()
    with clock.pinned(BEFORE_TERM):
        lines = await catalogue(for_families=True)
        counted = await seats.taken(line.course.id for line in lines)
    full = {line.course.name for line in lines if line.openings == 0}
    few = {line.course.name for line in lines if 0 < line.openings <= 2}
    assert full == {'Tadpoles', 'Pointe Prep', 'Tumble Tots', 'Sea Otters'}
    assert {'Creative Movement', 'Guppies', 'Jazz 2', 'Ninja Warriors'} <= few and len(few) <= 6
    assert all(line.enrolled <= line.capacity for line in lines)  # the demo overbooks nothing
    for line in lines:  # the listing counts by the one capacity rule: enrolled from today, no live checkouts
        offered = 1 if line.course.name == 'Pointe Prep' else 0  # its last seat is kept for Ava, from the waitlist
        assert counted[line.course.id][:2] == (line.enrolled, offered)
    assert next(line for line in lines if line.course.name == 'Ballet 2').openings == 10  # empty, for the visitor


async def test_every_child_the_demo_enrols_is_one_the_studio_would_let_in():
    """Their age and gender suit the class, none has two classes at the same time, and each prior class asked
    for was taken: staff at the desk could have enrolled every one of them (parents, those classes that allow it)."""
    await seeded()
    with clock.pinned(BEFORE_TERM):
        today = settings.today()
        courses = await Course.all()
        facts = await enrolment.class_facts(None, courses)
        children = await Participant.filter(id__in=await Enrolment.all().values_list('participant_id', flat=True))
        kids = await enrolment.child_facts(None, children)
        refused = {}
        for made in await Enrolment.all():
            reasons = enrolment.enrolment_reasons(
                facts[made.course_id], kids[made.participant_id], today=today, staff=True
            )
            reasons = [reason for reason in reasons if reason.message != ALREADY_ENROLLED]
            if reasons:
                refused[(facts[made.course_id].course.name, made.participant_id)] = [r.text('en') for r in reasons]
    assert refused == {}
    assert len(children) > 100  # enough children to fill the classes, from families of their own
    sizes = Counter(child.family_id for child in children)
    assert max(sizes.values()) <= 3


async def test_three_events_with_the_aerial_workshops_on_saturdays_one_full_one_not_bookable_yet():
    await seeded()
    with clock.pinned(BEFORE_TERM):
        today = settings.today()
        dates = await events.events_by_date(True, today)
    assert {line.event.name for line in dates} == {'Aerial Workshops', 'Summer Camp Open House', 'Spring Showcase'}
    aerial = [line for line in dates if line.event.name == 'Aerial Workshops']
    assert len(aerial) >= 3
    assert all(line.occurrence.date > today and line.occurrence.date.weekday() == 5 for line in aerial)
    assert [line.openings for line in aerial if not line.bookable and line.openings == 0] == [0]  # one full
    assert [line.occurrence.status for line in aerial if line.openings > 0 and not line.bookable] == ['notice']
    assert all(line.seats.registered <= line.seats.capacity for line in dates)
    showcase = [line.occurrence.date for line in dates if line.event.name == 'Spring Showcase']
    assert showcase and all(day.weekday() == 5 and day <= dt.date(2027, 5, 29) for day in showcase)


async def test_each_child_at_an_aerial_workshop_is_of_its_ages_and_its_fee_is_posted():
    await seeded()
    with clock.pinned(BEFORE_TERM):
        today = settings.today()
        registrations = await EventRegistration.filter(
            occurrence__event__registrant=EventRegistrant.CHILDREN
        ).select_related('occurrence__event', 'participant')
        problems = [
            events.event_problem(
                r.occurrence.event,
                r.occurrence,
                r.participant,
                family_registrations_for_this_occurrence=0,
                today=today,
            )
            for r in registrations
        ]
    assert registrations and problems == [None] * len(registrations)
    fees = await LedgerEntry.filter(description__startswith='Aerial Workshop').values_list('family_id', flat=True)
    assert Counter(fees) == Counter(r.family_id for r in registrations)  # Holly Ager's among them, 12 days ago


async def test_the_demo_family_is_enrolled_with_its_first_fees_posted_once_and_logged():
    await seeded()
    parent = await demo_parent()
    made = (
        await Enrolment.filter(family_id=parent.family_id)
        .exclude(course__name__in=demo.DEMO_ABSENCE_CLASSES)  # the technique weeks running now: their own test
        .select_related('course', 'participant')
    )
    assert sorted((e.participant.first_name, e.course.name, e.starts_on) for e in made) == [
        ('Ava', 'Contemporary', dt.date(2027, 1, 13)),  # the first Wednesday of the session
        ('Ava', 'Jazz 2', dt.date(2027, 1, 14)),
        ('Leo', 'Rec Gymnastics 2', dt.date(2027, 1, 14)),
        ('Nora', 'Tap 1', dt.date(2027, 1, 11)),
    ]
    posted = await LedgerEntry.filter(family_id=parent.family_id, source__isnull=False).values_list(
        'description', 'amount'
    )
    assert sorted(posted) == [
        ('Registration fee: Spring 2027', Decimal('25.00')),  # once for the family and session
        ('Tuition: Contemporary (Ava Bestie), Jan 2027', Decimal('75.00')),
        ('Tuition: Jazz 2 (Ava Bestie), Jan 2027', Decimal('62.00')),
        ('Tuition: Rec Gymnastics 2 (Leo Bestie), Jan 2027', Decimal('68.00')),
        ('Tuition: Tap 1 (Nora Bestie), Jan 2027', Decimal('55.00')),
    ]
    logged = await PortalEvent.filter(family_id=parent.family_id, kind='enrolled').values_list('message', flat=True)
    assert sorted(logged) == [
        'Enrolled in Class: Contemporary - Student: Ava Bestie - Starts: 1/13/2027',
        'Enrolled in Class: Jazz 2 - Student: Ava Bestie - Starts: 1/14/2027',
        'Enrolled in Class: Rec Gymnastics 2 - Student: Leo Bestie - Starts: 1/14/2027',
        'Enrolled in Class: Tap 1 - Student: Nora Bestie - Starts: 1/11/2027',
    ]


async def test_the_january_tuition_run_posts_nothing_the_demo_posted_at_enrolment():
    await seeded()
    admin = await staff(demo.DEMO_STAFF_EMAIL)
    before = await LedgerEntry.all().count()
    with clock.pinned(BEFORE_TERM):
        january = await tuition.post_tuition(admin, dt.date(2027, 1, 1))
        february = await tuition.post_tuition(admin, dt.date(2027, 2, 1))
    assert january.posted == 0 and january.total == Decimal('0')
    monthly = await Enrolment.filter(course__tuition_basis__in=('per_month', 'per_meeting')).count()
    assert february.posted == monthly and await LedgerEntry.all().count() == before + monthly


async def test_the_demo_parent_can_enrol_a_child_in_a_class_the_listing_offers():
    await seeded()
    parent = await demo_parent()
    with clock.pinned(BEFORE_TERM):
        listing = await browsing.classes_for_family(parent)
        open_to = [(offer, child) for offer in listing.offers for child, why in offer.reasons.items() if why == []]
        assert open_to, 'the demo family has no class to enrol in'
        offer, child = open_to[0]
        view = await enrolment.hold_seats(parent, [Choice(child, offer.line.course.id)])
        await enrolment.enrol(parent, view.checkout_id)
    assert await Enrolment.filter(participant_id=child, course_id=offer.line.course.id).exists()


async def test_an_instructor_sees_only_the_classes_they_teach():
    await seeded()
    taught: dict[str, set[str]] = {}
    with clock.pinned(BEFORE_TERM):
        for first_name, (email, _name) in demo.DEMO_INSTRUCTORS.items():
            instructor = await staff(email)
            assert instructor.role == StaffRole.INSTRUCTOR
            seen = set(await rosters.visible_courses(instructor).values_list('name', flat=True))
            teaching = CourseInstructor.filter(staff_id=instructor.staff_id)
            assert seen == set(await teaching.values_list('course__name', flat=True)) and seen
            listed = await rosters.class_list(instructor)
            assert {line.line.course.name for line in listed.lines} == seen
            taught[first_name] = seen
        admin = await staff(demo.DEMO_STAFF_EMAIL)
        everything = set(await rosters.visible_courses(admin).values_list('name', flat=True))
        tadpoles = await Course.get(name='Tadpoles')
        with pytest.raises(NotFound):  # Sam's class: Ines opens no roster of it
            await rosters.roster(await staff(demo.DEMO_INSTRUCTORS['Ines'][0]), tadpoles.id)
        assert (await rosters.roster(await staff(demo.DEMO_INSTRUCTORS['Sam'][0]), tadpoles.id)).children
    assert set().union(*taught.values()) == everything and sum(map(len, taught.values())) == len(everything)
    assert 'Tadpoles' in taught['Sam'] and 'Ballet 1' in taught['Ines'] and 'Ballet 1' not in taught['Marcus']


async def test_seeded_in_the_middle_of_the_session_the_children_start_at_their_next_meeting():
    await seeded(MID_TERM)
    with clock.pinned(MID_TERM):
        today = settings.today()
        lines = await catalogue(for_families=True)
    assert {line.course.status for line in lines} == {'active'}
    assert {line.course.name for line in lines if line.openings == 0} >= {'Tadpoles', 'Tumble Tots'}
    spring = Enrolment.exclude(course__name__in=demo.DEMO_ABSENCE_CLASSES)  # the technique weeks began before
    assert min(await spring.values_list('starts_on', flat=True)) >= today
    logged = await PortalEvent.filter(kind='enrolled', message__contains='Tap 1').values_list('message', flat=True)
    assert logged == ['Enrolled in Class: Tap 1 - Student: Nora Bestie - Starts: 3/15/2027']  # the next Monday


async def test_full_classes_have_children_waiting_and_ava_has_an_offer():
    await seeded()
    bestie = await signed_in(demo.DEMO_PARENT_EMAIL, demo.DEMO_PARENT_PASSWORD)
    with clock.pinned(BEFORE_TERM):
        lines = await waitlists.family_waitlists(bestie)
    assert [(line.child, line.course, line.status, line.position) for line in lines] == [
        ('Ava', 'Pointe Prep', 'offered', None),
        ('Nora', 'Sea Otters', 'waiting', 2),
    ]
    waiting = (
        await WaitlistEntry.filter(status='waiting').select_related('course').values_list('course__name', flat=True)
    )
    assert sorted(set(waiting)) == ['Pointe Prep', 'Sea Otters', 'Tadpoles', 'Tumble Tots']
    assert await WaitlistEntry.filter(held_back=True).count() == 1
    with clock.pinned(BEFORE_TERM):
        listing = await browsing.classes_for_family(bestie)
    pointe = next(offer for offer in listing.offers if offer.line.course.name == 'Pointe Prep')
    ava = next(child.participant_id for child in listing.children if child.first_name == 'Ava')
    assert ava in pointe.offered and ava in pointe.waiting  # the card says her place is kept, not only that she waits
    assert await Contact.filter(id__in=await WaitlistEntry.all().values_list('contact_id', flat=True)).count() >= 5


async def test_the_desk_has_requests_to_decide_and_one_decided():
    from domain.classes import requests
    from domain.models import ClassRequest

    await seeded()
    admin = await StaffUser.get(email=demo.DEMO_STAFF_EMAIL)
    with clock.pinned(BEFORE_TERM):
        waiting = await requests.queue(StaffActor(admin.id, admin.name, admin.email, admin.role))
    pending = sorted((line.kind, line.child) for line in waiting if line.status == 'pending')
    assert pending == [('drop', 'Ava Bestie'), ('transfer', 'Barbie Ager'), ('trial', 'Leo Bestie')]
    decided = await ClassRequest.get(status='approved')
    assert decided.kind == 'drop' and decided.decision_message.startswith('Thank you')


async def test_families_ask_to_enrol_in_team_gymnastics_level_3():
    await seeded()
    asking = await Course.filter(enrol_by_request=True).values_list('name', 'self_enrol', 'shown_to_families')
    assert asking == [('Team Gymnastics Level 3', False, True)]
    parent = await demo_parent()
    with clock.pinned(BEFORE_TERM):
        listing = await browsing.classes_for_family(parent)
    team = next(offer for offer in listing.offers if offer.line.course.name == 'Team Gymnastics Level 3')
    assert team.reasons and all(reasons[0].message == BY_REQUEST for reasons in team.reasons.values())  # not "call us"


WEEK_BEFORE_SPRING_BREAK = dt.datetime(2027, 3, 15, 15, 0, tzinfo=dt.UTC)  # next Monday is closed, so is none past


@pytest.mark.parametrize('moment', [BEFORE_TERM, MID_TERM, WEEK_BEFORE_SPRING_BREAK])
async def test_the_demo_family_has_an_absence_ahead_and_credits_in_every_state_and_ines_a_meeting_today(moment):
    from domain.absences import absences, attendance, makeups
    from domain.models import CreditStatus, RollCall

    await seeded(moment)
    with clock.pinned(moment):
        bestie = await demo_parent()
        today = settings.today()
        reported = [line for line in await absences.family_absences(bestie) if line.date > today]
        credits = await makeups.family_credits(bestie)
        ines = await staff(demo.DEMO_INSTRUCTORS['Ines'][0])
        meetings = await attendance.meetings_on(ines, today)
    assert [(line.child, line.course, line.cancellable) for line in reported] == [('Ava', demo.DEMO_TECHNIQUE, True)]
    states = {credit.status for credit in credits}
    assert states == {
        CreditStatus.AVAILABLE,
        CreditStatus.BOOKED,
        CreditStatus.USED,
        CreditStatus.EXPIRED,
        CreditStatus.REVOKED,
    }
    (booked,) = [credit for credit in credits if credit.status == CreditStatus.BOOKED]
    assert booked.makeup is not None and booked.makeup.date > today and booked.makeup.course == demo.DEMO_PRACTICE
    assert demo.DEMO_TECHNIQUE in [meeting.course for meeting in meetings]
    assert await RollCall.filter(course__name=demo.DEMO_TECHNIQUE, date__lt=today).count() == 5
    logged = set(await PortalEvent.filter(kind__startswith='makeup_').values_list('kind', flat=True))
    assert {'makeup_credit_issued', 'makeup_scheduled', 'makeup_credit_revoked', 'makeup_credit_expired'} <= logged
