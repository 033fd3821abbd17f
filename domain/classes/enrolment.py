"""Enrolling children in classes: a parent's checkout that holds seats for a while, then enrols; staff enrolling
a child at the desk (past the age limits with a typed reason) or dropping one.

Seats are counted by the one capacity rule (seats.py) under the classes' row locks, so simultaneous checkouts
can never take more seats than a class has. An enrolment, its fees, its log line and its confirmation email are
written in one transaction: all of them, or none.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from icalendar import Calendar
from tortoise.backends.base.client import BaseDBAsyncClient

from domain import audit, clock, i18n, portal_log
from domain.access.actors import Actor, PermissionDenied, StaffActor
from domain.classes import calendar, seats
from domain.classes.catalogue import FAMILY_STATUSES
from domain.classes.eligibility import (
    ChildFacts,
    ClassFacts,
    Reason,
    enrolment_reasons,
    meet_together,
    opening_reason,
    start_day,
)
from domain.classes.meetings import closed_dates, meetings_of
from domain.classes.tuition import Price, post_first_fees, price_from, registration_fee_source
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family.participants import staff_subject
from domain.i18n import N_
from domain.messages import notices, outbox
from domain.messages.outbox import Recipient
from domain.models import (
    WAITLIST_LIVE,
    Channel,
    Checkout,
    Contact,
    Course,
    CourseInstructor,
    Enrolment,
    Family,
    LedgerEntry,
    MeetingPattern,
    Participant,
    PolicyVersion,
    SeatHold,
    StaffRole,
    Term,
    WaitlistEntry,
    WaitlistStatus,
)
from domain.portal_log import LogSubject
from domain.registration import policies
from domain.registration.policies import Acceptance
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

MOST_CHOICES = 12  # children × classes in one checkout


class NotEligible(DomainError):
    """Some choices cannot be enrolled; `reasons` says why, per (child id, class id)."""

    MESSAGE = N_('Some of your choices cannot be enrolled. See why below.')

    def __init__(self, reasons: dict[tuple[int, int], list[Reason]]) -> None:
        super().__init__()
        self.reasons = reasons


class ClassFull(DomainError):
    MESSAGE = N_('{name} has just filled up. Your other choices were not held: choose again.')

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class HoldRanOut(DomainError):
    MESSAGE = N_('The seats held for you were let go. Please choose your classes again.')


class NothingChosen(DomainError):
    MESSAGE = N_('Choose a child and a class first')


@dataclass(frozen=True)
class Choice:
    participant_id: int
    course_id: int


@dataclass(frozen=True)
class CheckoutLine:
    participant_id: int
    child: str
    course_id: int
    course: str
    starts_on: dt.date
    price: Price


@dataclass(frozen=True)
class CheckoutView:
    checkout_id: int
    expires_at: dt.datetime
    lines: list[CheckoutLine]
    registration_fees: list[tuple[str, Decimal]]  # (session name, fee), once per family and session
    policies: list[PolicyVersion]  # the classes' policies the family must agree to here

    @property
    def total(self) -> Decimal:
        return sum((line.price.first_fee for line in self.lines), Decimal('0')) + sum(
            (fee for _, fee in self.registration_fees), Decimal('0')
        )


# What eligibility needs, read once for every class and child in question


async def class_facts(db: BaseDBAsyncClient | None, courses: list[Course]) -> dict[int, ClassFacts]:
    """Each class's term, patterns and meetings (closures out), and its prior class's name."""
    ids = [course.id for course in courses]
    patterns: dict[int, list[MeetingPattern]] = {course_id: [] for course_id in ids}
    for pattern in await MeetingPattern.filter(course_id__in=ids).using_db(db).order_by('id'):
        patterns[pattern.course_id].append(pattern)
    prior_ids = {course.prerequisite_id for course in courses if course.prerequisite_id is not None}
    prior = dict(await Course.filter(id__in=prior_ids).using_db(db).values_list('id', 'name')) if prior_ids else {}
    terms = {term.id: term for term in await Term.filter(id__in={c.term_id for c in courses}).using_db(db)}
    closed = await closed_dates(db)
    facts = {}
    for course in courses:
        term = terms[course.term_id]
        meetings = meetings_of(course, term, patterns[course.id], closed)
        prior_name = str(prior.get(course.prerequisite_id, ''))
        facts[course.id] = ClassFacts(course, term, patterns[course.id], meetings, prior_name)
    return facts


async def child_facts(db: BaseDBAsyncClient | None, children: list[Participant]) -> dict[int, ChildFacts]:
    ids = [child.id for child in children]
    enrolments = await Enrolment.filter(participant_id__in=ids).using_db(db).select_related('course')
    patterns: dict[int, list[MeetingPattern]] = {}
    for pattern in await MeetingPattern.filter(course_id__in={e.course_id for e in enrolments}).using_db(db):
        patterns.setdefault(pattern.course_id, []).append(pattern)
    return {
        child.id: ChildFacts(child, [e for e in enrolments if e.participant_id == child.id], patterns)
        for child in children
    }


async def family_is_enrolled(db: BaseDBAsyncClient | None, family_id: int, today: dt.date) -> bool:
    """Families already enrolled in a class may enrol at a session's early opening."""
    return await Enrolment.filter(seats.still_meeting(today), family_id=family_id).using_db(db).exists()


# The parent's checkout


async def hold_seats(actor: Actor, choices: list[Choice]) -> CheckoutView:
    """Hold a seat for each chosen child in each chosen class, for the studio's hold time. Any checkout the
    family still had open is let go first; nothing is held unless every choice can be."""
    chosen = list(dict.fromkeys(choices))
    if not chosen:
        raise NothingChosen()
    if len(chosen) > MOST_CHOICES:
        raise ValidationFailed({'choices': N_('Choose at most 12 enrolments at a time')})
    now, today = clock.now(), settings.today()
    async with UnitOfWork() as uow:
        db = uow.connection
        await Family.select_for_update().filter(id=actor.family_id).using_db(db).first()  # one checkout at a time
        await _let_go_open(db, actor.family_id, now)
        children = await _own_children(db, actor, {choice.participant_id for choice in chosen})
        courses = await seats.lock_classes(db, {choice.course_id for choice in chosen})
        if any(not _offered(course) for course in courses.values()) or len(courses) < len(
            {c.course_id for c in chosen}
        ):
            raise NotFound()
        facts = await class_facts(db, list(courses.values()))
        kids = await child_facts(db, list(children.values()))
        await _refuse_ineligible(db, actor.family_id, chosen, facts, kids, now=now, today=today)
        starts = {course_id: start_day(facts[course_id], today) or today for course_id in courses}
        needed = Counter(choice.course_id for choice in chosen)
        for course_id, count in needed.items():
            counted = (await seats.taken([course_id], on=starts[course_id], using_db=db))[course_id]
            if seats.open_to_newcomers(courses[course_id], counted) < count:
                raise ClassFull(courses[course_id].name)
        checkout = await Checkout.create(
            family_id=actor.family_id,
            contact_id=actor.contact_id,
            opened_at=now,
            expires_at=now + dt.timedelta(minutes=settings.current().hold_minutes),
            using_db=db,
        )
        for choice in chosen:
            await SeatHold.create(
                checkout_id=checkout.id,
                course_id=choice.course_id,
                participant_id=choice.participant_id,
                starts_on=starts[choice.course_id],
                using_db=db,
            )
        return await _view(db, checkout, facts, children)


async def checkout_view(actor: Actor, checkout_id: int) -> CheckoutView:
    """The family's open checkout as the page shows it; HoldRanOut once it was let go or ran out."""
    checkout = await _open_checkout(None, actor, checkout_id)
    holds = await SeatHold.filter(checkout_id=checkout.id)
    courses = await Course.filter(id__in={h.course_id for h in holds})
    children = {p.id: p for p in await Participant.filter(id__in={h.participant_id for h in holds})}
    return await _view(None, checkout, await class_facts(None, courses), children)


async def let_go(actor: Actor, checkout_id: int) -> None:
    """The parent leaves the checkout: its seats are free for others at once."""
    async with UnitOfWork() as uow:
        await (
            Checkout.filter(id=checkout_id, family_id=actor.family_id, closed_at__isnull=True)
            .using_db(uow.connection)
            .update(closed_at=clock.now(), outcome='released')
        )
        uow.publish_after_commit(seats.SEATS_FREED, None)  # the seats it held may be the waitlist's now


async def enrol(
    actor: Actor, checkout_id: int, acceptances: dict[int, Acceptance] | None = None, *, user_agent: str = ''
) -> list[Enrolment]:
    """Enrol every child the checkout holds a seat for, post their fees, agree to the classes' policies, log
    each enrolment and queue the confirmation: in one transaction. A second tap finds the checkout closed."""
    now, today = clock.now(), settings.today()
    async with UnitOfWork() as uow:
        db = uow.connection
        await Family.select_for_update().filter(id=actor.family_id).using_db(db).first()
        checkout = await _open_checkout(db, actor, checkout_id)
        holds = await SeatHold.filter(checkout_id=checkout.id).using_db(db).order_by('id')
        courses = await seats.lock_classes(db, {hold.course_id for hold in holds if hold.course_id is not None})
        children = await _own_children(db, actor, {hold.participant_id for hold in holds if hold.participant_id})
        facts = await class_facts(db, list(courses.values()))
        kids = await child_facts(db, list(children.values()))
        chosen = [Choice(hold.participant_id, hold.course_id) for hold in holds]  # type: ignore[arg-type]
        offered = {chosen[n] for n, hold in enumerate(holds) if hold.waitlist_entry_id is not None}
        await _refuse_ineligible(db, actor.family_id, chosen, facts, kids, now=now, today=today, offered=offered)
        versions = await _policies_owed(db, actor.family_id, list(courses))
        if versions:
            clean = Cleaner()
            policies.check_acceptances(clean, versions, acceptances or {}, actor.contact_name)
            clean.raise_if_invalid()
            await policies.record_agreements(uow, actor.subject, versions, acceptances or {}, user_agent=user_agent)
        enrolled = []
        for hold in holds:
            course, child = courses[hold.course_id], children[hold.participant_id]  # type: ignore[index]
            starts = hold.starts_on or today
            if hold.waitlist_entry_id is not None:
                await _accept_offer(uow, actor.subject, hold.waitlist_entry_id, course, child)
            enrolment = await _enrol_one(
                uow, actor.subject, course, facts[course.id], child, starts, enrolled_by=actor.contact_name
            )
            enrolled.append(enrolment)
        checkout.closed_at, checkout.outcome = now, 'enrolled'
        await checkout.save(using_db=db, update_fields=['closed_at', 'outcome'])
        await _confirm_by_email(uow, actor.family_id, enrolled, courses, children)
    return enrolled


async def _enrol_one(
    uow: UnitOfWork,
    subject: LogSubject,
    course: Course,
    facts: ClassFacts,
    child: Participant,
    starts: dt.date,
    *,
    enrolled_by: str,
    reason: str = '',
) -> Enrolment:
    enrolment = await Enrolment.create(
        course_id=course.id,
        participant_id=child.id,
        family_id=child.family_id,  # type: ignore[attr-defined]
        starts_on=starts,
        enrolled_at=clock.now(),
        enrolled_by=enrolled_by,
        age_override_reason=reason,
        using_db=uow.connection,
    )
    price = price_from(course, facts.meetings, starts)
    await post_first_fees(uow, enrolment, course, child.full_name, price, posted_by=enrolled_by)
    message = f'Enrolled in Class: {course.name} - Student: {child.full_name} - Starts: {_log_day(starts)}'
    if reason:
        message += f' - Age override: {reason}'
    await portal_log.record(uow, subject, 'enrolled', message)
    # However the child got the seat (released seats, a transfer, the desk), they wait for it no more.
    await (
        WaitlistEntry.filter(course_id=course.id, participant_id=child.id, status__in=WAITLIST_LIVE)
        .using_db(uow.connection)
        .update(status=WaitlistStatus.ENROLLED, closed_at=clock.now())
    )
    return enrolment


async def _accept_offer(
    uow: UnitOfWork, subject: LogSubject, entry_id: int, course: Course, child: Participant
) -> None:
    """A seat offered from the waitlist is enrolled: the offer ends as accepted, in the enrolment's transaction.
    An offer that ended meanwhile (staff took the child off the list) kept no seat to enrol in."""
    accepted = (
        await WaitlistEntry.filter(id=entry_id, status=WaitlistStatus.OFFERED)
        .using_db(uow.connection)
        .update(status=WaitlistStatus.ENROLLED, closed_at=clock.now())
    )
    if not accepted:
        raise HoldRanOut()
    await portal_log.record(
        uow, subject, 'waitlist_accepted', f'Waitlist offer accepted: {course.name} - Student: {child.full_name}'
    )


def _log_day(day: dt.date) -> str:
    return portal_log.log_day(day)


def _offered(course: Course) -> bool:
    return bool(course.shown_to_families) and course.status in FAMILY_STATUSES


async def _own_children(db: BaseDBAsyncClient, actor: Actor, ids: set[int]) -> dict[int, Participant]:
    children = await Participant.filter(id__in=ids, family_id=actor.family_id, removed_at__isnull=True).using_db(db)
    if len(children) != len(ids):
        raise NotFound()  # another family's child reads as no child at all
    return {child.id: child for child in children}


async def _let_go_open(db: BaseDBAsyncClient, family_id: int, now: dt.datetime) -> None:
    await (
        Checkout.filter(family_id=family_id, closed_at__isnull=True)
        .using_db(db)
        .update(closed_at=now, outcome='released')
    )


async def _open_checkout(db: BaseDBAsyncClient | None, actor: Actor, checkout_id: int) -> Checkout:
    checkout = await Checkout.filter(id=checkout_id, family_id=actor.family_id).using_db(db).first()
    if checkout is None:
        raise NotFound()
    if checkout.closed_at is not None or checkout.expires_at <= clock.now():
        raise HoldRanOut()
    return checkout


async def _refuse_ineligible(
    db: BaseDBAsyncClient,
    family_id: int,
    chosen: list[Choice],
    facts: dict[int, ClassFacts],
    kids: dict[int, ChildFacts],
    *,
    now: dt.datetime,
    today: dt.date,
    offered: set[Choice] = frozenset(),  # type: ignore[assignment]
) -> None:
    """A seat offered from the waitlist is judged as the offer was (waitlists.offer_reasons): the class's
    self-enrol switch and registration window held when the child joined, and staff offer past them."""
    enrolled_family = await family_is_enrolled(db, family_id, today)
    reasons: dict[tuple[int, int], list[Reason]] = {}
    for choice in chosen:
        from_list = choice in offered
        found = enrolment_reasons(facts[choice.course_id], kids[choice.participant_id], today=today, staff=from_list)
        opening = opening_reason(facts[choice.course_id].term, now, enrolled_family=enrolled_family)
        if opening and not from_list:
            found.append(opening)
        for other in chosen:
            same_child = other.participant_id == choice.participant_id and other.course_id != choice.course_id
            if same_child and meet_together(facts[choice.course_id].patterns, facts[other.course_id].patterns):
                child = kids[choice.participant_id].participant.first_name
                found.append(Reason(CHOSEN_CLASH, {'child': child, 'other': facts[other.course_id].course.name}))
                break
        if found:
            reasons[(choice.participant_id, choice.course_id)] = found
    if reasons:
        raise NotEligible(reasons)


CHOSEN_CLASH = N_('{child} would also be in {other} at the same time')


async def _policies_owed(db: BaseDBAsyncClient, family_id: int, course_ids: list[int]) -> list[PolicyVersion]:
    """The current versions of the classes' own policies the family has not agreed to within the renewal time."""
    policy_ids = set(await Course.filter(id__in=course_ids).using_db(db).values_list('policies__id', flat=True)) - {
        None
    }
    if not policy_ids:
        return []
    return await policies.owed(family_id, policy_ids=policy_ids)  # type: ignore[arg-type]


async def _view(
    db: BaseDBAsyncClient | None, checkout: Checkout, facts: dict[int, ClassFacts], children: dict[int, Participant]
) -> CheckoutView:
    holds = await SeatHold.filter(checkout_id=checkout.id).using_db(db).order_by('id')
    lines = []
    for hold in holds:
        course_facts = facts[hold.course_id]  # type: ignore[index]
        child = children[hold.participant_id]  # type: ignore[index]
        starts = hold.starts_on or settings.today()
        lines.append(
            CheckoutLine(
                child.id,
                child.first_name,
                course_facts.course.id,
                course_facts.course.name,
                starts,
                price_from(course_facts.course, course_facts.meetings, starts),
            )
        )
    fee = settings.current().registration_fee
    registration_fees: list[tuple[str, Decimal]] = []
    if fee > 0:
        terms = {f.term.id: f.term for f in facts.values() if f.course.registration_fee}
        for term in terms.values():
            source = registration_fee_source(checkout.family_id, term.id)
            if not await LedgerEntry.filter(source=source).using_db(db).exists():
                registration_fees.append((term.name, fee))
    versions = await _policies_owed(db, checkout.family_id, list(facts))  # type: ignore[arg-type]
    return CheckoutView(checkout.id, checkout.expires_at, lines, registration_fees, versions)


async def _confirm_by_email(
    uow: UnitOfWork,
    family_id: int,
    enrolled: list[Enrolment],
    courses: dict[int, Course],
    children: dict[int, Participant],
    *,
    by_studio: bool = False,
) -> None:
    """The "Portal Enroll" email to the paying contact, in their language; and to each class's first instructor
    when the studio asks for it."""
    payer = await _paying_contact(uow.connection, family_id)
    studio = settings.current()
    if payer is not None and payer.email:
        language = payer.preferred_language
        lines = [
            (courses[e.course_id].name, children[e.participant_id].first_name, i18n.format_day(e.starts_on, language))
            for e in enrolled
        ]
        notice = notices.portal_enroll(language, payer.first_name, lines, by_studio=by_studio)
        recipient = Recipient(payer.full_name, payer.email, language, family_id, payer.id)
        await outbox.enqueue(uow, Channel.EMAIL, recipient, notice, calendar=await _invitation(enrolled))
    if studio.email_instructor:
        first_teachers: dict[int, CourseInstructor] = {}
        for taught in (
            await CourseInstructor.filter(course_id__in={e.course_id for e in enrolled})
            .using_db(uow.connection)
            .order_by('position', 'id')
            .select_related('staff')
        ):
            first_teachers.setdefault(taught.course_id, taught)
        for enrolment in enrolled:
            teacher = first_teachers.get(enrolment.course_id)
            if teacher is None:
                continue
            notice = notices.instructor_enrolled(
                studio.default_language,
                teacher.staff.name,
                courses[enrolment.course_id].name,
                children[enrolment.participant_id].full_name,
                i18n.format_day(enrolment.starts_on, studio.default_language),
            )
            recipient = Recipient(teacher.staff.name, teacher.staff.email, studio.default_language)
            await outbox.enqueue(uow, Channel.EMAIL, recipient, notice)


async def _invitation(enrolled: list[Enrolment]) -> str:
    """One calendar file with every class of the checkout, each child's meetings from their first day."""
    files = [Calendar.from_ical(await calendar.class_invitation(e.id)) for e in enrolled]
    together = files[0]
    for more in files[1:]:
        for event in more.walk('VEVENT'):
            together.add_component(event)
    return together.to_ical().decode()


async def _paying_contact(db: BaseDBAsyncClient, family_id: int) -> Contact | None:
    """The billing contact, else the primary one, of those still in the family."""
    contacts = await Contact.filter(family_id=family_id, removed_at__isnull=True).using_db(db).order_by('id')
    for flag in ('is_billing', 'is_primary'):
        for contact in contacts:
            if getattr(contact, flag) and contact.email:
                return contact
    return None


# Staff at the desk


async def enrol_by_staff(
    by: StaffActor, participant_id: int, course_id: int, *, age_override_reason: str = ''
) -> Enrolment:
    """Enrol a child from the family page: the same rules as a parent's checkout, except that the class need not
    be open to families and that an age limit can be passed with a typed reason, which the log keeps."""
    _require_desk(by)
    today = settings.today()
    async with UnitOfWork() as uow:
        db = uow.connection
        child = await Participant.filter(id=participant_id, removed_at__isnull=True).using_db(db).first()
        if child is None:
            raise NotFound()
        # The family first, then the class, as a parent's checkout locks them: the family's registration fee is
        # posted once whoever enrols at the same moment, and neither waits on the other in the opposite order.
        await Family.select_for_update().filter(id=child.family_id).using_db(db).first()  # type: ignore[attr-defined]
        courses = await seats.lock_classes(db, [course_id])
        if course_id not in courses:
            raise NotFound()
        course = courses[course_id]
        facts = (await class_facts(db, [course]))[course_id]
        kid = (await child_facts(db, [child]))[child.id]
        reasons = enrolment_reasons(facts, kid, today=today, staff=True)
        reason = ' '.join(age_override_reason.split())
        if reason:
            reasons = [r for r in reasons if not r.is_age]
        if reasons:
            raise NotEligible({(child.id, course_id): reasons})
        starts = start_day(facts, today) or today
        counted = (await seats.taken([course_id], on=starts, using_db=db))[course_id]
        if seats.open_to_newcomers(course, counted) < 1:
            raise ClassFull(course.name)
        family = await Family.get(id=child.family_id).using_db(db)  # type: ignore[attr-defined]
        subject = staff_subject(family, by)
        enrolment = await _enrol_one(uow, subject, course, facts, child, starts, enrolled_by=by.name, reason=reason)
        await audit.record(
            uow,
            by,
            'enrolled_by_staff',
            f'Class: {course.name}',
            None,
            {'student': child.full_name, 'starts_on': starts, 'age_override_reason': reason},
        )
        await _confirm_by_email(uow, family.id, [enrolment], courses, {child.id: child}, by_studio=True)
    return enrolment


class DropDateTooEarly(DomainError):
    MESSAGE = N_('A child cannot leave a class before starting it')


async def drop_by_staff(by: StaffActor, enrolment_id: int, dropped_on: dt.date) -> Enrolment:
    """The child leaves the class from `dropped_on` (their last meeting is the one before it)."""
    _require_desk(by)
    async with UnitOfWork() as uow:
        db = uow.connection
        enrolment = (
            await Enrolment.filter(id=enrolment_id, dropped_on__isnull=True)
            .using_db(db)
            .select_related('course', 'participant', 'family')
            .first()
        )
        if enrolment is None:
            raise NotFound()
        if dropped_on < enrolment.starts_on:
            raise ValidationFailed({'dropped_on': DropDateTooEarly.MESSAGE})
        await seats.lock_classes(db, [enrolment.course_id])
        enrolment.dropped_on = dropped_on
        await enrolment.save(using_db=db, update_fields=['dropped_on'])
        family = enrolment.family
        subject = staff_subject(family, by)
        message = (
            f'Dropped from Class: {enrolment.course.name} - Student: {enrolment.participant.full_name}'
            f' - Drop Date: {_log_day(dropped_on)}'
        )
        await portal_log.record(uow, subject, 'dropped', message)
        uow.publish_after_commit(seats.SEATS_FREED, enrolment.course_id)
        await audit.record(
            uow,
            by,
            'dropped_by_staff',
            f'Class: {enrolment.course.name}',
            {'dropped_on': None},
            {'dropped_on': dropped_on},
        )
    return enrolment


def _require_desk(by: StaffActor) -> None:
    if by.role == StaffRole.INSTRUCTOR:
        raise PermissionDenied()
