"""What families ask the studio for about a class, and the staff's queue that decides it: a drop from a date, a
transfer to another class, a trial on one day (and enrolments in classes set to enrol by request).

The rules, in one place:
- a drop's date is a day the class meets, no earlier than the studio's notice; it is exclusive, so the child's
  last class is the meeting before it. The preview says what stops being charged and what is credited back;
- a transfer's target must take the child now (ages, clashes besides the class being left, a free seat), on a
  day it meets within the studio's window: the next two meetings, or `transfer_days`, whichever is later;
- a trial is one future meeting of a class the child could join with a seat free that day (a child reported
  absent frees one; while children wait for the class, only such a seat); approved, it takes a seat on its day;
- one pending request per enrolment (per child and class for a trial), under the family's row lock;
- a decision claims the request by a conditional update from PENDING after the family's lock, so two staff
  deciding at once cannot both win, and a family cancelling meanwhile waits its turn. Nothing expires.
Every request and decision leaves a line in the Parent Portal Log; every decision a staff audit entry and an email
to the family in their language, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import audit, clock, i18n, portal_log
from domain.access.actors import Actor, StaffActor
from domain.billing import ledger
from domain.classes import request_notices, seats
from domain.classes.catalogue import FAMILY_STATUSES
from domain.classes.eligibility import (
    ENDED,
    ChildFacts,
    ClassFacts,
    Reason,
    enrolment_reasons,
    opening_reason,
    start_day,
)
from domain.classes.enrolment import (
    NotEligible,
    _enrol_one,
    _log_day,
    _own_children,
    _paying_contact,
    _require_desk,
    child_facts,
    class_facts,
    family_is_enrolled,
)
from domain.classes.tuition import fee_for, period_of, tuition_source
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family.participants import staff_subject
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.outbox import Recipient
from domain.models import (
    Channel,
    ClassRequest,
    Contact,
    Course,
    Enrolment,
    Family,
    LedgerEntry,
    LedgerKind,
    Participant,
    RequestKind,
    RequestStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from domain.portal_log import LogSubject
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

USUAL_REASONS = (N_('Schedule change'), N_('Moving away'), N_('Cost'), N_('Not enjoying it'), N_('Other'))
NEXT_MEETINGS = 2  # a transfer may always reach the target's next two meetings
AUTOMATIC = 'Automatic'  # who decided a drop the studio approves without staff
KIND_NAMES = {
    RequestKind.DROP: N_('Drop'),
    RequestKind.TRANSFER: N_('Transfer'),
    RequestKind.TRIAL: N_('Trial'),
    RequestKind.ENROL: N_('Enrolment'),
}

NOT_A_MEETING = N_('Choose a day the class meets')
TOO_SOON = N_('This is sooner than the studio’s notice for a drop allows: choose a later day')
NOT_A_REASON = N_('Choose one of the reasons')
OUTSIDE_WINDOW = N_('Choose one of the days offered')
FULL_THAT_DAY = N_('The class has no place free on that day: choose another day')
LONG_NOTE = 2000


class RequestPending(DomainError):
    MESSAGE = N_('A request for this class is already waiting for the studio')


class AlreadyDecided(DomainError):
    MESSAGE = N_('This request was decided already. The list is up to date again.')


class TrialsOff(DomainError):
    MESSAGE = N_('The studio does not offer trials')


class NoPlace(DomainError):
    MESSAGE = N_('{name} has no place free on that day')

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class AlreadyLeft(DomainError):
    MESSAGE = N_('The child has left this class already')


class TrialDayPassed(DomainError):
    MESSAGE = N_('The trial day has passed: decline it with a message, or ask the family for another day')


def drop_reasons() -> tuple[str, ...]:
    """The studio's own reasons, or the usual ones (msgids, shown translated)."""
    return settings.current().drop_reasons or USUAL_REASONS


# Drops


@dataclass(frozen=True)
class DropPreview:
    on_date: dt.date
    last_class: dt.date | None  # None: the child leaves before their first class
    stops: Decimal  # fees not posted yet that will no longer be charged
    credit: Decimal  # posted for meetings on or after the drop date, credited back


@dataclass(frozen=True)
class DropChoices:
    course: str
    child: str
    dates: list[dt.date]
    last_classes: dict[dt.date, dt.date | None]  # each date's last class before it
    reasons: tuple[str, ...]


async def drop_choices(actor: Actor, enrolment_id: int) -> DropChoices:
    """What the drop form offers: the allowed dates, each with its last class, and the reasons."""
    enrolment, facts = await _own_enrolment(None, actor, enrolment_id)
    dates = _drop_dates(enrolment, facts)
    lasts = {day: _last_before(enrolment, facts, day) for day in dates}
    return DropChoices(enrolment.course.name, enrolment.participant.first_name, dates, lasts, drop_reasons())


async def drop_dates(actor: Actor, enrolment_id: int) -> list[dt.date]:
    enrolment, facts = await _own_enrolment(None, actor, enrolment_id)
    return _drop_dates(enrolment, facts)


async def drop_preview(actor: Actor, enrolment_id: int, on_date: dt.date) -> DropPreview:
    """What a drop from `on_date` would change, writing nothing: the parent reads it before sending."""
    enrolment, facts = await _own_enrolment(None, actor, enrolment_id)
    if on_date not in _drop_dates(enrolment, facts):
        raise ValidationFailed({'on_date': NOT_A_MEETING})
    return await _preview(None, enrolment, facts, on_date)


async def request_drop(actor: Actor, enrolment_id: int, on_date: dt.date, reason: str, note: str = '') -> ClassRequest:
    """The family asks for the child to leave from `on_date`; approved at once when the studio says so."""
    async with UnitOfWork() as uow:
        db = uow.connection
        await _lock_family(db, actor.family_id)
        enrolment, facts = await _own_enrolment(db, actor, enrolment_id)
        clean = Cleaner()
        if on_date not in _drop_dates(enrolment, facts):
            soon = any(m.date == on_date for m in facts.meetings) and on_date < _notice_day()
            clean.fail('on_date', TOO_SOON if soon else NOT_A_MEETING)
        if reason not in drop_reasons():
            clean.fail('reason', NOT_A_REASON)
        text = clean.text('note', note or '', max_length=LONG_NOTE)
        clean.raise_if_invalid()
        await _refuse_second(db, enrolment_id=enrolment.id)
        request = await _create(
            db, actor, RequestKind.DROP, enrolment.participant, enrolment.course, on_date, enrolment, reason, text
        )
        child, course = enrolment.participant.full_name, enrolment.course.name
        await portal_log.record(
            uow,
            actor.subject,
            'drop_requested',
            f'Drop requested: {course} - Student: {child} - Drop Date: {_log_day(on_date)} - Reason: {reason}',
        )
        if settings.current().drops_approved:
            await _claim(db, request, AUTOMATIC, '')
            await _carry_out(uow, request, actor.subject)
            await _tell(uow, request, approved=True)
    return request


# Transfers


@dataclass(frozen=True)
class TransferTarget:
    course_id: int
    name: str
    dates: list[dt.date]


async def transfer_targets(actor: Actor, enrolment_id: int) -> list[TransferTarget]:
    """The classes that would take the child now, each with the days a transfer may start."""
    enrolment, _ = await _own_enrolment(None, actor, enrolment_id)
    courses = await Course.filter(shown_to_families=True, status__in=FAMILY_STATUSES).exclude(id=enrolment.course_id)
    facts = await class_facts(None, list(courses))
    kid = await _child_leaving(None, enrolment)
    counted = await seats.taken([course.id for course in courses])
    today = settings.today()
    targets = []
    for course in sorted(courses, key=lambda c: c.name.casefold()):
        dates = _transfer_dates(facts[course.id], enrolment)
        if not dates or enrolment_reasons(facts[course.id], kid, today=today):
            continue
        if seats.open_to_newcomers(course, counted[course.id]) < 1:
            continue
        targets.append(TransferTarget(course.id, course.name, dates))
    return targets


async def request_transfer(
    actor: Actor, enrolment_id: int, target_course_id: int, on_date: dt.date, note: str = ''
) -> ClassRequest:
    """The family asks to move the child to another class from `on_date`; staff decide."""
    async with UnitOfWork() as uow:
        db = uow.connection
        await _lock_family(db, actor.family_id)
        enrolment, _ = await _own_enrolment(db, actor, enrolment_id)
        target = (await seats.lock_classes(db, [target_course_id])).get(target_course_id)
        if (
            target is None
            or target.id == enrolment.course_id
            or not target.shown_to_families
            or target.status not in FAMILY_STATUSES
        ):
            raise NotFound()
        facts = (await class_facts(db, [target]))[target.id]
        clean = Cleaner()
        if on_date not in _transfer_dates(facts, enrolment):
            clean.fail('on_date', OUTSIDE_WINDOW)
        text = clean.text('note', note or '', max_length=LONG_NOTE)
        clean.raise_if_invalid()
        await _refuse_to_target(db, enrolment, target, facts, on_date)
        await _refuse_second(db, enrolment_id=enrolment.id)
        request = await _create(
            db, actor, RequestKind.TRANSFER, enrolment.participant, enrolment.course, on_date, enrolment, '', text
        )
        request.target_id = target.id
        await request.save(using_db=db, update_fields=['target_id'])
        await portal_log.record(
            uow,
            actor.subject,
            'transfer_requested',
            f'Transfer requested: {enrolment.course.name} - Student: {enrolment.participant.full_name}'
            f' - To: {target.name} - Date: {_log_day(on_date)}',
        )
    return request


# Trials


@dataclass(frozen=True)
class TrialChoices:
    course: str
    children: list[tuple[int, str]]  # the children who may try it: (id, first name)
    dates: list[dt.date]


async def trial_choices(actor: Actor, course_id: int) -> TrialChoices:
    """What the trial form offers: the children the class would take, and its future meetings."""
    if not settings.current().trials:
        raise TrialsOff()
    course = await _family_course(None, course_id)
    facts = (await class_facts(None, [course]))[course.id]
    children = await Participant.filter(family_id=actor.family_id, removed_at__isnull=True).order_by('id')
    kids = await child_facts(None, list(children))
    today = settings.today()
    able = [(c.id, c.first_name) for c in children if not enrolment_reasons(facts, kids[c.id], today=today)]
    return TrialChoices(course.name, able, await _trial_dates(None, facts))


async def request_trial(
    actor: Actor, participant_id: int, course_id: int, on_date: dt.date, note: str = ''
) -> ClassRequest:
    if not settings.current().trials:
        raise TrialsOff()
    async with UnitOfWork() as uow:
        db = uow.connection
        await _lock_family(db, actor.family_id)
        child = (await _own_children(db, actor, {participant_id}))[participant_id]  # another family's: NotFound
        course = await _family_course(db, course_id)
        facts = (await class_facts(db, [course]))[course.id]
        clean = Cleaner()
        if on_date not in await _trial_dates(db, facts):
            meets = any(m.date == on_date for m in facts.meetings) and on_date > settings.today()
            clean.fail('on_date', FULL_THAT_DAY if meets else NOT_A_MEETING)
        text = clean.text('note', note or '', max_length=LONG_NOTE)
        clean.raise_if_invalid()
        kid = (await child_facts(db, [child]))[child.id]
        reasons = enrolment_reasons(facts, kid, today=settings.today())
        if reasons:
            raise NotEligible({(child.id, course.id): reasons})
        await _refuse_second(db, participant_id=child.id, course_id=course.id)
        request = await _create(db, actor, RequestKind.TRIAL, child, course, on_date, None, '', text)
        await portal_log.record(
            uow,
            actor.subject,
            'trial_requested',
            f'Trial requested: {course.name} - Student: {child.full_name} - Date: {_log_day(on_date)}',
        )
    return request


# The family's own requests


@dataclass(frozen=True)
class RequestLine:
    id: int
    kind: RequestKind
    status: RequestStatus
    child: str
    course: str
    target: str
    on_date: dt.date
    reason: str
    note: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decision_message: str
    family: str = ''
    family_id: int = 0
    last_class: dt.date | None = None  # a waiting drop: the child's last class before its date (staff's queue only)
    credit: Decimal | None = None  # a waiting drop: posted fees credited back if approved (staff's queue only)


@dataclass(frozen=True)
class EnrolledClass:
    enrolment_id: int
    child: str  # first name
    course: str
    pending: bool  # a request for it waits for the studio


@dataclass(frozen=True)
class FamilyRequests:
    classes: list[EnrolledClass]  # the classes the children attend now or from a later day
    requests: list[RequestLine]


async def family_overview(actor: Actor) -> FamilyRequests:
    """The family's requests page: each class a child is in, with what may be asked for it, and the requests."""
    places = (
        await Enrolment.filter(
            seats.still_meeting(settings.today()), family_id=actor.family_id, dropped_on__isnull=True
        )
        .select_related('course', 'participant')
        .order_by('participant__first_name', 'course__name', 'id')
    )
    lines = await family_requests(actor)
    waiting = {
        row.enrolment_id for row in await ClassRequest.filter(family_id=actor.family_id, status=RequestStatus.PENDING)
    }
    classes = [EnrolledClass(p.id, p.participant.first_name, p.course.name, p.id in waiting) for p in places]
    return FamilyRequests(classes, lines)


async def family_requests(actor: Actor) -> list[RequestLine]:
    """The family's requests, newest first."""
    rows = (
        await ClassRequest.filter(family_id=actor.family_id)
        .select_related('participant', 'course', 'target', 'family')
        .order_by('-created_at', '-id')
        .limit(100)
    )
    return [_line(row) for row in rows]


async def cancel_request(actor: Actor, request_id: int) -> None:
    """The family withdraws a request staff have not decided yet."""
    async with UnitOfWork() as uow:
        db = uow.connection
        await _lock_family(db, actor.family_id)
        request = (
            await ClassRequest.filter(id=request_id, family_id=actor.family_id)
            .using_db(db)
            .select_related('participant', 'course')
            .first()
        )
        if request is None:
            raise NotFound()
        cancelled = (
            await ClassRequest.filter(id=request.id, status=RequestStatus.PENDING)
            .using_db(db)
            .update(status=RequestStatus.CANCELLED, decided_at=clock.now(), decided_by=actor.contact_name)
        )
        if not cancelled:
            raise AlreadyDecided()
        await portal_log.record(
            uow,
            actor.subject,
            'request_cancelled',
            f'Request cancelled: {_kind_word(request.kind)} - {request.course.name}'
            f' - Student: {request.participant.full_name} - Date: {_log_day(request.on_date)}',
        )


# The staff's queue


async def pending_count() -> int:
    return await ClassRequest.filter(status=RequestStatus.PENDING).count()


async def queue(by: StaffActor, *, limit: int = 200) -> list[RequestLine]:
    """Pending requests first, oldest first; then the latest decided ones, newest first."""
    _require_desk(by)
    related = ('participant', 'course', 'target', 'family')
    pending = (
        await ClassRequest.filter(status=RequestStatus.PENDING)
        .select_related(*related)
        .order_by('created_at', 'id')
        .limit(limit)
    )
    room = limit - len(pending)
    decided = (
        await ClassRequest.exclude(status=RequestStatus.PENDING)
        .select_related(*related)
        .order_by('-decided_at', '-id')
        .limit(room)
        if room > 0
        else []
    )
    return await _with_drop_facts(pending) + [_line(row) for row in decided]


async def _with_drop_facts(rows: list[ClassRequest]) -> list[RequestLine]:
    """The lines, a waiting drop's with the last class and the credit the desk's approval would give, read as
    the family's preview reads them: the drops' enrolments and their classes' meetings in one read for all."""
    drop_ids = {row.enrolment_id for row in rows if row.kind == RequestKind.DROP and row.enrolment_id is not None}
    enrolments = {
        enrolment.id: enrolment
        for enrolment in await Enrolment.filter(id__in=drop_ids, dropped_on__isnull=True).select_related('course')
    }
    facts = await class_facts(None, list({e.course_id: e.course for e in enrolments.values()}.values()))
    lines = []
    for row in rows:
        line = _line(row)
        enrolment = enrolments.get(row.enrolment_id) if row.kind == RequestKind.DROP else None  # type: ignore[arg-type]
        if enrolment is not None:
            preview = await _preview(None, enrolment, facts[enrolment.course_id], row.on_date)  # its posted fees
            line = replace(line, last_class=preview.last_class, credit=preview.credit)
        lines.append(line)
    return lines


async def approve(by: StaffActor, request_id: int, message: str = '') -> ClassRequest:
    """Staff approve: the drop, transfer, trial or enrolment is carried out, logged, audited and emailed, at once."""
    return await _decide(by, request_id, message, approved=True)


DECLINE_NEEDS_WHY = N_('Write the family a word on why: it is their email')


async def decline(by: StaffActor, request_id: int, message: str) -> ClassRequest:
    """A refusal always says why: the family's email would otherwise be a bare "declined"."""
    if not message.strip():
        raise ValidationFailed({'message': DECLINE_NEEDS_WHY})
    return await _decide(by, request_id, message, approved=False)


async def _decide(by: StaffActor, request_id: int, message: str, *, approved: bool) -> ClassRequest:
    _require_desk(by)
    clean = Cleaner()
    text = clean.text('message', message or '', max_length=LONG_NOTE)
    clean.raise_if_invalid()
    async with UnitOfWork() as uow:
        db = uow.connection
        found = await ClassRequest.filter(id=request_id).using_db(db).first()
        if found is None:
            raise NotFound()
        family = await Family.select_for_update().filter(id=found.family_id).using_db(db).first()
        assert family is not None
        request = await ClassRequest.get(id=request_id, using_db=db)
        await _claim(db, request, by.name, text, approved=approved)
        subject = staff_subject(family, by)
        word = 'approved' if approved else 'declined'
        described = await _described(db, request)
        if approved:
            await _carry_out(uow, request, subject)
        await portal_log.record(
            uow, subject, f'request_{word}', f'{_kind_word(request.kind)} {word}: {described} by {by.name}'
        )
        await audit.record(
            uow,
            by,
            f'request_{word}',
            f'{_kind_word(request.kind)} request: {described}',
            {'status': RequestStatus.PENDING.value},
            {'status': request.status.value, 'message': text},
            family_id=family.id,
        )
        await _tell(uow, request, approved=approved)
    return request


# Carrying out an approved request, in the decision's transaction


async def _carry_out(uow: UnitOfWork, request: ClassRequest, subject: LogSubject) -> None:
    db = uow.connection
    if request.kind == RequestKind.DROP:
        enrolment, facts = await _locked_enrolment(db, request)
        await _drop(uow, subject, enrolment, facts, request.on_date, request.decided_by)
    elif request.kind == RequestKind.TRANSFER:
        await _transfer(uow, subject, request)
    elif request.kind == RequestKind.TRIAL:
        if request.on_date < settings.today():
            raise TrialDayPassed()
        course = (await seats.lock_classes(db, [request.course_id]))[request.course_id]
        counted = (await seats.meeting_seats([course.id], request.on_date, using_db=db))[course.id]
        besides = counted._replace(trials=counted.trials - 1)  # the claim made this trial one of them
        if besides.for_trials(waiting=await _waiting(db, course)) < 1:
            raise NoPlace(course.name)
    else:
        await _enrol_requested(uow, subject, request)


async def _drop(
    uow: UnitOfWork, subject: LogSubject, enrolment: Enrolment, facts: ClassFacts, on_date: dt.date, decided_by: str
) -> None:
    """The child leaves from `on_date`: the credit for posted meetings after it, the log line, the freed seat."""
    db = uow.connection
    preview = await _preview(db, enrolment, facts, on_date)
    enrolment.dropped_on = on_date
    await enrolment.save(using_db=db, update_fields=['dropped_on'])
    child, course = enrolment.participant.full_name, enrolment.course.name
    if preview.credit > 0:
        await ledger.post_entry(
            enrolment.family_id,
            LedgerKind.CREDIT,
            preview.credit,
            f'Drop credit: {course} ({child}), from {_log_day(on_date)}',
            using_db=db,
            source=f'drop:{enrolment.id}',
            posted_by=decided_by,
        )
    await portal_log.record(
        uow,
        subject,
        'dropped',
        f'Dropped from Class: {course} - Student: {child} - Drop Date: {_log_day(on_date)}',
    )
    uow.publish_after_commit(seats.SEATS_FREED, enrolment.course_id)


async def _transfer(uow: UnitOfWork, subject: LogSubject, request: ClassRequest) -> None:
    """Leave the old class and join the new one from the same day. A date that passed while staff decided
    becomes the target's next meeting: the child went on attending the old class meanwhile."""
    db = uow.connection
    await seats.lock_classes(db, {request.course_id, request.target_id})  # type: ignore[arg-type]
    enrolment, old_facts = await _locked_enrolment(db, request)
    target = await Course.get(id=request.target_id, using_db=db)
    facts = (await class_facts(db, [target]))[target.id]
    on_date = request.on_date
    if on_date < settings.today():
        upcoming = [m.date for m in facts.meetings if m.date >= settings.today()]
        if not upcoming:
            raise NotEligible({(enrolment.participant_id, target.id): [Reason(ENDED)]})
        on_date = upcoming[0]
    await _refuse_to_target(db, enrolment, target, facts, on_date)
    await _drop(uow, subject, enrolment, old_facts, on_date, request.decided_by)
    await _enrol_one(uow, subject, target, facts, enrolment.participant, on_date, enrolled_by=request.decided_by)


async def _enrol_requested(uow: UnitOfWork, subject: LogSubject, request: ClassRequest) -> None:
    db = uow.connection
    course = (await seats.lock_classes(db, [request.course_id]))[request.course_id]
    child = await Participant.get(id=request.participant_id, using_db=db)
    facts = (await class_facts(db, [course]))[course.id]
    kid = (await child_facts(db, [child]))[child.id]
    reasons = enrolment_reasons(facts, kid, today=settings.today(), staff=True)
    if reasons:
        raise NotEligible({(child.id, course.id): reasons})
    upcoming = [m.date for m in facts.meetings if m.date >= max(request.on_date, settings.today())]
    starts = upcoming[0] if upcoming else request.on_date
    counted = (await seats.taken([course.id], on=starts, using_db=db))[course.id]
    if seats.open_to_newcomers(course, counted) < 1:
        raise NoPlace(course.name)
    await _enrol_one(uow, subject, course, facts, child, starts, enrolled_by=request.decided_by)


# Reading and checking


def _notice_day() -> dt.date:
    return settings.today() + dt.timedelta(days=settings.current().drop_notice_days)


def _drop_dates(enrolment: Enrolment, facts: ClassFacts) -> list[dt.date]:
    earliest = max(_notice_day(), enrolment.starts_on)
    return sorted({m.date for m in facts.meetings if m.date >= earliest})


def _last_before(enrolment: Enrolment, facts: ClassFacts, on_date: dt.date) -> dt.date | None:
    before = [m.date for m in facts.meetings if enrolment.starts_on <= m.date < on_date]
    return max(before) if before else None


def _transfer_dates(facts: ClassFacts, enrolment: Enrolment) -> list[dt.date]:
    """The target's meetings from today, up to the later of its second next meeting and `transfer_days`."""
    today = settings.today()
    upcoming = sorted({m.date for m in facts.meetings if m.date >= max(today, enrolment.starts_on)})
    if not upcoming:
        return []
    window = today + dt.timedelta(days=settings.current().transfer_days)
    last = max(window, upcoming[min(NEXT_MEETINGS, len(upcoming)) - 1])
    return [day for day in upcoming if day <= last]


async def _trial_dates(db: BaseDBAsyncClient | None, facts: ClassFacts) -> list[dt.date]:
    """The class's future meetings with a seat free for a trial that day: a child reported absent frees one."""
    today = settings.today()
    days = sorted({m.date for m in facts.meetings if m.date > today})
    course = facts.course
    counted = await seats.meetings_seats([(course.id, day) for day in days], using_db=db)
    waiting = await _waiting(db, course)
    return [day for day in days if counted[(course.id, day)].for_trials(waiting=waiting) > 0]


async def _waiting(db: BaseDBAsyncClient | None, course: Course) -> bool:
    """Children wait for the class and staff have not released its free seats: its vacancies are theirs."""
    if course.free_seats_released:
        return False
    return (
        await WaitlistEntry.filter(course_id=course.id, status=WaitlistStatus.WAITING, held_back=False)
        .using_db(db)
        .exists()
    )


async def _preview(
    db: BaseDBAsyncClient | None, enrolment: Enrolment, facts: ClassFacts, on_date: dt.date
) -> DropPreview:
    """Per period: what was posted and is no longer owed is credit; what was not posted yet and will not be is
    what stops. Both pro rata by meetings, as tuition is charged."""
    course, meetings = enrolment.course, facts.meetings
    prefix = tuition_source(enrolment.id, '')
    posted: dict[str, Decimal] = {}
    for source, amount in (
        await LedgerEntry.filter(source__startswith=prefix).using_db(db).values_list('source', 'amount')
    ):
        period = str(source)[len(prefix) :]
        posted[period] = posted.get(period, Decimal('0')) + Decimal(str(amount))
    periods = {period_of(course, m.date) for m in meetings if m.date >= max(on_date, enrolment.starts_on)}
    stops, credit = Decimal('0'), Decimal('0')
    for period in periods | set(posted):
        owed = fee_for(course, meetings, period, attending_from=enrolment.starts_on, until=on_date)
        if period in posted:
            credit += max(posted[period] - owed, Decimal('0'))
        else:
            whole = fee_for(course, meetings, period, attending_from=enrolment.starts_on, until=None)
            stops += max(whole - owed, Decimal('0'))
    return DropPreview(on_date, _last_before(enrolment, facts, on_date), stops, credit)


async def _lock_family(db: BaseDBAsyncClient, family_id: int) -> None:
    await Family.select_for_update().filter(id=family_id).using_db(db).first()


async def _own_enrolment(db: BaseDBAsyncClient | None, actor: Actor, enrolment_id: int) -> tuple[Enrolment, ClassFacts]:
    """The family's enrolment the child still attends, with its class's meetings; another family's: NotFound."""
    enrolment = (
        await Enrolment.filter(id=enrolment_id, family_id=actor.family_id)
        .filter(seats.still_meeting(settings.today()))
        .using_db(db)
        .select_related('course', 'participant')
        .first()
    )
    if enrolment is None or enrolment.dropped_on is not None:
        raise NotFound()
    return enrolment, (await class_facts(db, [enrolment.course]))[enrolment.course_id]


async def _locked_enrolment(db: BaseDBAsyncClient, request: ClassRequest) -> tuple[Enrolment, ClassFacts]:
    await seats.lock_classes(db, [request.course_id])
    enrolment = (
        await Enrolment.filter(id=request.enrolment_id, dropped_on__isnull=True)
        .using_db(db)
        .select_related('course', 'participant')
        .first()
    )
    if enrolment is None:
        raise AlreadyLeft()
    return enrolment, (await class_facts(db, [enrolment.course]))[enrolment.course_id]


async def _family_course(db: BaseDBAsyncClient | None, course_id: int) -> Course:
    course = await Course.filter(id=course_id, shown_to_families=True, status__in=FAMILY_STATUSES).using_db(db).first()
    if course is None:
        raise NotFound()
    return course


async def _child_leaving(db: BaseDBAsyncClient | None, enrolment: Enrolment) -> ChildFacts:
    """The child's facts as if the class being left were not theirs: it neither clashes nor counts."""
    kid = (await child_facts(db, [enrolment.participant]))[enrolment.participant_id]
    return replace(kid, enrolments=[e for e in kid.enrolments if e.id != enrolment.id])


async def _refuse_to_target(
    db: BaseDBAsyncClient, enrolment: Enrolment, target: Course, facts: ClassFacts, on_date: dt.date
) -> None:
    """The target must take the child now: eligibility without the class being left, and a seat from the date.
    The caller holds the target's row lock."""
    kid = await _child_leaving(db, enrolment)
    reasons = enrolment_reasons(facts, kid, today=settings.today())
    if reasons:
        raise NotEligible({(enrolment.participant_id, target.id): reasons})
    counted = (await seats.taken([target.id], on=on_date, using_db=db))[target.id]
    if seats.open_to_newcomers(target, counted) < 1:
        raise NoPlace(target.name)


async def _refuse_second(
    db: BaseDBAsyncClient,
    *,
    enrolment_id: int | None = None,
    participant_id: int = 0,
    course_id: int = 0,
    kind: RequestKind | None = None,
) -> None:
    """One pending request per enrolment (per child and class for a trial; per child and class and `kind` when
    given, so a trial waiting does not stop a request to enrol). The caller holds the family's lock."""
    pending = ClassRequest.filter(status=RequestStatus.PENDING).using_db(db)
    if kind is not None:
        pending = pending.filter(kind=kind)
    if enrolment_id is not None:
        pending = pending.filter(enrolment_id=enrolment_id)
    else:
        pending = pending.filter(participant_id=participant_id, course_id=course_id, enrolment_id__isnull=True)
    if await pending.exists():
        raise RequestPending()


async def _create(
    db: BaseDBAsyncClient,
    actor: Actor,
    kind: RequestKind,
    child: Participant,
    course: Course,
    on_date: dt.date,
    enrolment: Enrolment | None,
    reason: str,
    note: str,
) -> ClassRequest:
    return await ClassRequest.create(
        kind=kind,
        family_id=actor.family_id,
        participant_id=child.id,
        contact_id=actor.contact_id,
        course_id=course.id,
        enrolment_id=enrolment.id if enrolment else None,
        on_date=on_date,
        reason=reason,
        note=note,
        requested_by=actor.contact_name,
        created_at=clock.now(),
        using_db=db,
    )


async def _claim(db: BaseDBAsyncClient, request: ClassRequest, by: str, message: str, *, approved: bool = True) -> None:
    """Only one decision wins: the update finds the request pending, or finds nothing."""
    status = RequestStatus.APPROVED if approved else RequestStatus.DECLINED
    now = clock.now()
    won = (
        await ClassRequest.filter(id=request.id, status=RequestStatus.PENDING)
        .using_db(db)
        .update(status=status, decided_at=now, decided_by=by, decision_message=message)
    )
    if not won:
        raise AlreadyDecided()
    request.status, request.decided_at, request.decided_by, request.decision_message = status, now, by, message


async def _described(db: BaseDBAsyncClient, request: ClassRequest) -> str:
    child = await Participant.get(id=request.participant_id, using_db=db)
    course = await Course.get(id=request.course_id, using_db=db)
    said = f'{course.name} - Student: {child.full_name}'
    if request.target_id is not None:
        target = await Course.get(id=request.target_id, using_db=db)
        said += f' - To: {target.name}'
    return f'{said} - Date: {_log_day(request.on_date)}'


def _kind_word(kind: RequestKind) -> str:
    return {'drop': 'Drop', 'transfer': 'Transfer', 'trial': 'Trial', 'enrol': 'Enrolment'}[kind.value]


def _line(row: ClassRequest) -> RequestLine:
    return RequestLine(
        row.id,
        RequestKind(row.kind),
        RequestStatus(row.status),
        row.participant.full_name,
        row.course.name,
        row.target.name if row.target else '',
        row.on_date,
        row.reason,
        row.note,
        row.created_at,
        row.decided_at,
        row.decision_message,
        row.family.name,
        row.family_id,
    )


async def _tell(uow: UnitOfWork, request: ClassRequest, *, approved: bool) -> None:
    """Email the contact who asked, in their language; the family's paying contact when that one has gone."""
    db = uow.connection
    contact = None
    if request.contact_id is not None:
        contact = (
            await Contact.filter(id=request.contact_id, family_id=request.family_id, removed_at__isnull=True)
            .using_db(db)
            .first()
        )
    if contact is None or not contact.email:
        contact = await _paying_contact(db, request.family_id)
    if contact is None or not contact.email:
        return
    language = contact.preferred_language
    child = await Participant.get(id=request.participant_id, using_db=db)
    course = await Course.get(id=request.course_id, using_db=db)
    target = await Course.get(id=request.target_id, using_db=db) if request.target_id is not None else None
    notice = request_notices.decided(
        language,
        contact.first_name,
        request.kind.value,
        child.first_name,
        course.name,
        target.name if target else '',
        i18n.format_day(request.on_date, language),
        approved=approved,
        message=request.decision_message if request.decided_by != AUTOMATIC else '',
    )
    recipient = Recipient(contact.full_name, contact.email, language, request.family_id, contact.id)
    await outbox.enqueue(uow, Channel.EMAIL, recipient, notice)


# Enrolment requests, for classes set to take them


class NotByRequest(DomainError):
    MESSAGE = N_('This class does not take enrolment requests')


async def request_enrolment(actor: Actor, participant_id: int, course_id: int, note: str = '') -> ClassRequest:
    """The family asks to enrol the child in a class that takes requests; approved, the child joins from the next
    meeting. The child must be one the desk could enrol now, and registration open for this family."""
    async with UnitOfWork() as uow:
        db = uow.connection
        await _lock_family(db, actor.family_id)
        child = (await _own_children(db, actor, {participant_id}))[participant_id]  # another family's: NotFound
        course = await _family_course(db, course_id)
        if course.self_enrol or not course.enrol_by_request:
            raise NotByRequest()
        clean = Cleaner()
        text = clean.text('note', note or '', max_length=LONG_NOTE)
        clean.raise_if_invalid()
        facts = (await class_facts(db, [course]))[course.id]
        kid = (await child_facts(db, [child]))[child.id]
        today = settings.today()
        reasons = enrolment_reasons(facts, kid, today=today, staff=True)
        enrolled_family = await family_is_enrolled(db, actor.family_id, today)
        if opens := opening_reason(facts.term, clock.now(), enrolled_family=enrolled_family):
            reasons.append(opens)
        if reasons:
            raise NotEligible({(child.id, course.id): reasons})
        await _refuse_second(db, participant_id=child.id, course_id=course.id, kind=RequestKind.ENROL)
        starts = start_day(facts, today)
        assert starts is not None  # enrolment_reasons says ENDED otherwise
        request = await _create(db, actor, RequestKind.ENROL, child, course, starts, None, '', text)
        await portal_log.record(
            uow,
            actor.subject,
            'enrolment_requested',
            f'Enrolment requested: {course.name} - Student: {child.full_name}',
        )
    return request
