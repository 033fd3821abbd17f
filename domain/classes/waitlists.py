"""Waitlists for full classes: a family joins for a child and sees its place in line; a freed seat is offered to
the children in line, in order; an offer keeps the seat for a while and is accepted in the portal (a checkout
holding that seat) or declined, and passes to the next child when it is declined or runs out.

The rules, in one place:
- a free seat belongs to the waitlist (seats.open_to_newcomers), so nobody outside it takes the seat first;
- offers are made under the class's row lock (seats.lock_classes) after counting the free seats again, so two
  workers (one per process) or a worker and staff at the same instant never offer one seat twice;
- an offer ends by a conditional update from OFFERED, so accepting, declining and running out cannot both win;
- eligibility (ages, clashes, a prior class) is checked again at offer time: a child who no longer fits is held
  back, named in the Parent Portal Log for staff, and the seat goes to the next child.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.functions import Max

from domain import audit, clock, db, events, i18n, portal_log
from domain.access.actors import Actor, StaffActor
from domain.billing import ledger, payments
from domain.classes import seats, waitlist_notices
from domain.classes.eligibility import CLASH, ClassFacts, enrolment_reasons, opening_reason, start_day
from domain.classes.enrolment import (
    ClassFull,
    NotEligible,
    _confirm_by_email,
    _enrol_one,
    _let_go_open,
    _log_day,
    _offered,
    _own_children,
    _paying_contact,
    _require_desk,
    child_facts,
    class_facts,
    family_is_enrolled,
)
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family.participants import staff_subject
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.notices import Notice
from domain.messages.outbox import Recipient
from domain.models import (
    WAITLIST_LIVE,
    Channel,
    Checkout,
    Contact,
    Course,
    Enrolment,
    Family,
    SavedCard,
    SeatHold,
    WaitlistEntry,
    WaitlistMode,
    WaitlistStatus,
)
from domain.portal_log import LogSubject
from domain.studio import settings
from domain.unit_of_work import UnitOfWork

log = logging.getLogger('kinroll.waitlists')

LAST_HOURS = dt.timedelta(hours=2)  # no offer is made this close to a meeting: nobody could act on it in time
PAGE = '/portal/classes/waitlists'  # the portal's page for waitlists and offers (pages/portal/classes/waitlists.py)


class NoWaitlist(DomainError):
    MESSAGE = N_('This class does not keep a waitlist')


class HasOpenings(DomainError):
    MESSAGE = N_('{name} has a place open: enrol instead')

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class AlreadyWaiting(DomainError):
    MESSAGE = N_('{child} is already on the waitlist for {name}')

    def __init__(self, child: str, name: str) -> None:
        super().__init__()
        self.child, self.name = child, name


class TooManyWaitlists(DomainError):
    MESSAGE = N_('{child} is on {most} waitlists already, as many as the studio allows')

    def __init__(self, child: str, most: int) -> None:
        super().__init__()
        self.child, self.most = child, most


class OfferGone(DomainError):
    MESSAGE = N_('This offer is no longer open')


class TooLateToOffer(DomainError):
    MESSAGE = N_('The class meets within two hours: offer the place after this meeting')


def mode_of(course: Course) -> WaitlistMode:
    return WaitlistMode(course.waitlist_mode) if course.waitlist_mode else settings.current().waitlist_mode


def keeps_waitlist(course: Course) -> bool:
    return settings.current().waitlists and bool(course.waitlist_open)


def offer_window(now: dt.datetime, next_meeting: dt.datetime | None) -> dt.timedelta | None:
    """How long an offer made now keeps its seat: the studio's hours, cut short to end two hours before the
    class meets; None in those last two hours, or when what is left is shorter than a checkout's hold."""
    window = dt.timedelta(hours=settings.current().offer_hours)
    if next_meeting is None:
        return window
    left = next_meeting - LAST_HOURS - now
    if left < dt.timedelta(minutes=settings.current().hold_minutes):
        return None  # too short to read an email and check out: the next meeting's offer waits
    return min(window, left)


def next_meeting_at(facts: ClassFacts, now: dt.datetime) -> dt.datetime | None:
    zone = ZoneInfo(settings.current().timezone)
    for meeting in facts.meetings:
        moment = dt.datetime.combine(meeting.date, meeting.start, tzinfo=zone)
        if moment > now:
            return moment.astimezone(dt.UTC)
    return None


# A family's waitlists


@dataclass(frozen=True)
class FamilyWaitlistLine:
    entry_id: int
    course_id: int
    course: str
    child: str
    status: WaitlistStatus
    position: int | None  # None when the studio keeps the order to itself, or once offered
    joined_at: dt.datetime
    offer_expires_at: dt.datetime | None
    auto_enrol: bool


async def join(actor: Actor, participant_id: int, course_id: int, *, auto_enrol: bool = False) -> FamilyWaitlistLine:
    """Put a child on a full class's waitlist, last in line. Counted under the family's lock, so two taps (or two
    parents) never put one child on twice or past the studio's limit."""
    now, today = clock.now(), settings.today()
    studio = settings.current()
    async with UnitOfWork() as uow:
        db = uow.connection
        await Family.select_for_update().filter(id=actor.family_id).using_db(db).first()
        child = (await _own_children(db, actor, {participant_id}))[participant_id]
        courses = await seats.lock_classes(db, [course_id])
        course = courses.get(course_id)
        if course is None or not _offered(course):
            raise NotFound()
        if not keeps_waitlist(course):
            raise NoWaitlist()
        facts = (await class_facts(db, [course]))[course_id]
        kid = (await child_facts(db, [child]))[child.id]
        reasons = enrolment_reasons(facts, kid, today=today)
        opening = opening_reason(facts.term, now, enrolled_family=await family_is_enrolled(db, actor.family_id, today))
        if opening:
            reasons.append(opening)
        if reasons:
            raise NotEligible({(child.id, course_id): reasons})
        counted = (await seats.taken([course_id], using_db=db))[course_id]  # counted as the listing counts
        if seats.open_to_newcomers(course, counted) > 0:
            raise HasOpenings(course.name)
        automatic = auto_enrol and mode_of(course) == WaitlistMode.AUTO_ENROL
        if automatic and not await SavedCard.filter(family_id=actor.family_id).using_db(db).exists():
            raise ValidationFailed({'auto_enrol': N_('Keep a card in Payments to be enrolled automatically')})
        live = WaitlistEntry.filter(participant_id=child.id, status__in=WAITLIST_LIVE).using_db(db)
        if await live.filter(course_id=course_id).exists():
            raise AlreadyWaiting(child.first_name, course.name)
        if await live.count() >= studio.waitlists_per_child:
            raise TooManyWaitlists(child.first_name, studio.waitlists_per_child)
        tops = (
            await WaitlistEntry.filter(course_id=course_id)
            .using_db(db)
            .annotate(top=Max('rank'))
            .values_list('top', flat=True)
        )
        top = int(tops[0] or 0) if tops else 0  # type: ignore[arg-type]
        entry = await WaitlistEntry.create(
            course_id=course_id,
            participant_id=child.id,
            family_id=actor.family_id,
            contact_id=actor.contact_id,
            rank=top + 1,
            auto_enrol=automatic,
            joined_at=now,
            expires_at=now + dt.timedelta(days=studio.waitlist_days) if studio.waitlist_days else None,
            using_db=db,
        )
        place = await _position(db, entry)
        message = f'Joined Waitlist: {course.name} - Student: {child.full_name} - Position: {place}'
        await portal_log.record(uow, actor.subject, 'waitlist_joined', message)
        await _tell(
            uow,
            entry,
            lambda language, name: waitlist_notices.joined(
                language,
                name,
                child.first_name,
                course.name,
                str(place) if studio.waitlist_position_shown else '',
            ),
        )
    return _line(entry, course.name, child.first_name, place)


async def family_waitlists(actor: Actor) -> list[FamilyWaitlistLine]:
    """The family's children on waitlists and their offers, offers first, then by when they joined."""
    entries = (
        await WaitlistEntry.filter(family_id=actor.family_id, status__in=WAITLIST_LIVE)
        .select_related('course', 'participant')
        .order_by('joined_at', 'id')
    )
    waiting = await WaitlistEntry.filter(
        course_id__in={entry.course_id for entry in entries}, status=WaitlistStatus.WAITING
    ).values_list('course_id', 'rank')  # every line's place from one read
    lines = []
    for entry in entries:
        ahead = sum(1 for course_id, rank in waiting if course_id == entry.course_id and rank < entry.rank)
        place = ahead + 1 if entry.status == WaitlistStatus.WAITING else None
        lines.append(_line(entry, entry.course.name, entry.participant.first_name, place))
    return sorted(lines, key=lambda line: line.status != WaitlistStatus.OFFERED)


@dataclass(frozen=True)
class KeptPlace:
    child: str
    course: str
    until: dt.datetime


_KEPT = """
    SELECT participant.first_name, course.name, waitlist_entry.offer_expires_at
    FROM waitlist_entry
    JOIN participant ON participant.id = waitlist_entry.participant_id
    JOIN course ON course.id = waitlist_entry.course_id
    WHERE waitlist_entry.family_id = ? AND waitlist_entry.status = 'offered' AND waitlist_entry.offer_expires_at > ?
    ORDER BY waitlist_entry.offer_expires_at
"""


async def kept_places(actor: Actor) -> list[KeptPlace]:
    """The places kept for the family's children right now: the dashboard says them on every view, so one
    hand-written query (db.fetch), usually of no rows."""
    rows = await db.fetch(_KEPT, actor.family_id, clock.now())
    return [KeptPlace(row['first_name'], row['name'], _moment(row['offer_expires_at'])) for row in rows]


def _moment(value: dt.datetime | str) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


async def leave(actor: Actor, entry_id: int) -> None:
    """Take the child off the list; an offer the child had passes to the next in line."""
    async with UnitOfWork() as uow:
        entry = await _family_entry(uow.connection, actor, entry_id, WAITLIST_LIVE)
        if not await _close(uow.connection, entry, WaitlistStatus.LEFT, from_status=entry.status):
            raise OfferGone()
        line = f'Left Waitlist: {entry.course.name} - Student: {entry.participant.full_name}'
        await portal_log.record(uow, actor.subject, 'waitlist_left', line)
        uow.publish_after_commit(seats.SEATS_FREED, entry.course_id)


async def decline_offer(actor: Actor, entry_id: int) -> None:
    async with UnitOfWork() as uow:
        entry = await _family_entry(uow.connection, actor, entry_id, (WaitlistStatus.OFFERED,))
        if not await _close(uow.connection, entry, WaitlistStatus.DECLINED, from_status=WaitlistStatus.OFFERED):
            raise OfferGone()
        line = f'Waitlist offer declined: {entry.course.name} - Student: {entry.participant.full_name}'
        await portal_log.record(uow, actor.subject, 'waitlist_declined', line)
        await _tell_ended(uow, entry, 'declined')
        uow.publish_after_commit(seats.SEATS_FREED, entry.course_id)


async def decline_for_family(by: StaffActor, entry_id: int) -> None:
    """The desk declines a kept place for a family who said no by phone: as if they had tapped Decline."""
    _require_desk(by)
    async with UnitOfWork() as uow:
        entry = await _live_entry(uow.connection, entry_id)
        if entry is None or not await _close(
            uow.connection, entry, WaitlistStatus.DECLINED, from_status=WaitlistStatus.OFFERED
        ):
            raise OfferGone()
        line = f'Waitlist offer declined: {entry.course.name} - Student: {entry.participant.full_name} - By: {by.name}'
        await portal_log.record(uow, _subject(entry.family, by), 'waitlist_declined', line)
        student = {'student': entry.participant.full_name}
        await audit.record(uow, by, 'waitlist_declined', f'Waitlist: {entry.course.name}', None, student)
        await _tell_ended(uow, entry, 'declined')
        uow.publish_after_commit(seats.SEATS_FREED, entry.course_id)


async def accept_offer(actor: Actor, entry_id: int) -> int:
    """Open a checkout holding the offered seat, so accepting goes through the class's policies and payment as
    any enrolment does; returns the checkout's id. The offer keeps the seat at least as long as a checkout would
    (the hold counts nothing itself: the offer does, until the checkout enrols and ends it)."""
    now, today = clock.now(), settings.today()
    async with UnitOfWork() as uow:
        db = uow.connection
        await Family.select_for_update().filter(id=actor.family_id).using_db(db).first()
        entry = await _family_entry(db, actor, entry_id, (WaitlistStatus.OFFERED,))
        if entry.offer_expires_at is None or entry.offer_expires_at <= now:
            raise OfferGone()
        courses = await seats.lock_classes(db, [entry.course_id])
        facts = (await class_facts(db, [courses[entry.course_id]]))[entry.course_id]
        kid = (await child_facts(db, [entry.participant]))[entry.participant_id]
        reasons = enrolment_reasons(facts, kid, today=today, staff=True)
        if reasons:
            raise NotEligible({(entry.participant_id, entry.course_id): reasons})
        await _let_go_open(db, actor.family_id, now)
        until = max(entry.offer_expires_at, now + dt.timedelta(minutes=settings.current().hold_minutes))
        if until != entry.offer_expires_at:
            entry.offer_expires_at = until
            await entry.save(using_db=db, update_fields=['offer_expires_at'])
        checkout = await Checkout.create(
            family_id=actor.family_id, contact_id=actor.contact_id, opened_at=now, expires_at=until, using_db=db
        )
        await SeatHold.create(
            checkout_id=checkout.id,
            course_id=entry.course_id,
            participant_id=entry.participant_id,
            starts_on=start_day(facts, today) or today,
            waitlist_entry_id=entry.id,
            using_db=db,
        )
    return checkout.id


# The worker: offers and their ends


async def offer_seats(now: dt.datetime | None = None) -> int:
    """Offer each class's free seats to the children waiting for them, in order; returns how many offers (or
    automatic enrolments) were made. Classes in manual mode wait for staff."""
    now = now or clock.now()
    course_ids = set(
        await WaitlistEntry.filter(status=WaitlistStatus.WAITING, held_back=False).values_list('course_id', flat=True)
    )
    counted = await seats.taken(course_ids)  # type: ignore[arg-type]
    capacity = dict(await Course.filter(id__in=course_ids).values_list('id', 'capacity'))
    made = 0
    for course_id in sorted(course_ids):  # type: ignore[type-var]
        taken = counted[course_id]  # type: ignore[index]
        if seats.openings(capacity.get(course_id, 0), taken.enrolled, taken.held) < 1:
            continue  # full: no lock taken, no checkout kept waiting for nothing
        try:
            made += await _offer_class(course_id, now)  # type: ignore[arg-type]
        except Exception:  # one broken class must not stop the offers of every class after it
            log.exception('waitlist offers for class %s failed; tried again next round', course_id)
        await asyncio.sleep(0)
    return made


async def _offer_class(course_id: int, now: dt.datetime) -> int:
    """Offers in order until the class's free seats are spoken for; a family that asked to be enrolled at once is
    enrolled in a transaction of its own (family first, then class, as every enrolment locks them)."""
    made = 0
    while True:
        offered, enrol_next = await _offer_in(course_id, now)
        made += offered
        if enrol_next is None or not await _enrol_automatically(enrol_next):
            return made
        made += 1


async def _offer_in(
    course_id: int, now: dt.datetime, *, entry_id: int | None = None, by: StaffActor | None = None
) -> tuple[int, int | None]:
    """(offers made, the entry to enrol automatically before going on, if one came next in line)."""
    today = settings.today()
    async with UnitOfWork() as uow:
        db = uow.connection
        course = (await seats.lock_classes(db, [course_id])).get(course_id)
        if course is None:
            return 0, None
        mode = mode_of(course)
        if by is None and mode == WaitlistMode.MANUAL:
            return 0, None
        facts = (await class_facts(db, [course]))[course_id]
        starts = start_day(facts, today)
        if starts is None:
            return 0, None  # no meetings left: the entries end with the class (end_overdue)
        window = offer_window(now, next_meeting_at(facts, now))
        if window is None:
            if by is not None:
                raise TooLateToOffer()
            return 0, None
        counted = (await seats.taken([course_id], on=starts, using_db=db))[course_id]
        free = seats.openings(course.capacity, counted.enrolled, counted.held)
        if by is not None and free < 1:
            raise ClassFull(course.name)
        waiting = WaitlistEntry.filter(course_id=course_id, status=WaitlistStatus.WAITING).using_db(db)
        waiting = waiting.filter(id=entry_id) if entry_id is not None else waiting.filter(held_back=False)
        made = 0
        for entry in await waiting.select_related('participant', 'family').order_by('rank', 'id'):
            if made >= free:
                break
            kid = (await child_facts(db, [entry.participant]))[entry.participant_id]
            reasons = enrolment_reasons(facts, kid, today=today, staff=True)
            if reasons:
                if by is not None:
                    raise NotEligible({(entry.participant_id, course_id): reasons})
                await _hold_back_ineligible(uow, entry, course, reasons[0].text('en'))
                continue
            if by is None and mode == WaitlistMode.AUTO_ENROL and entry.auto_enrol:
                return made, entry.id
            if await _offer(uow, entry, course, now, now + window, by):
                made += 1
        return made, None


async def _offer(
    uow: UnitOfWork,
    entry: WaitlistEntry,
    course: Course,
    now: dt.datetime,
    until: dt.datetime,
    by: StaffActor | None,
) -> bool:
    """Offer the seat if the child still waits (the family may have left the list a moment ago, without the
    class's lock): whether it was offered."""
    offered_by = by.name if by else ''
    changed = (
        await WaitlistEntry.filter(id=entry.id, status=WaitlistStatus.WAITING)
        .using_db(uow.connection)
        .update(status=WaitlistStatus.OFFERED, offered_at=now, offer_expires_at=until, offered_by=offered_by)
    )
    if not changed:
        return False
    entry.status, entry.offered_at, entry.offer_expires_at = WaitlistStatus.OFFERED, now, until
    studio = settings.current()
    local = until.astimezone(ZoneInfo(studio.timezone))
    expires = f'{_log_day(local.date())} {local.strftime("%I:%M %p").lstrip("0")}'  # as the log writes moments
    line = f'Waitlist offer sent: {course.name} - Student: {entry.participant.full_name} - Expires: {expires}'
    await portal_log.record(uow, _subject(entry.family, by), 'waitlist_offer', line)
    link = studio.base_url.rstrip('/') + PAGE

    def notice(language: str, name: str) -> Notice:
        until_said = i18n.format_moment(until, studio.timezone, language)
        return waitlist_notices.offer(language, name, entry.participant.first_name, course.name, until_said, link)

    await _tell(uow, entry, notice, texted=True)
    if by is not None:
        student = {'student': entry.participant.full_name, 'expires': until}
        await audit.record(uow, by, 'waitlist_offered', f'Waitlist: {course.name}', None, student)
    return True


async def _enrol_automatically(entry_id: int) -> bool:
    """The family asked to be enrolled as soon as a seat opens: enrolled, its fees posted and the usual
    confirmation sent, then their saved card charged what the enrolment added. Whether to go on down the line."""
    today = settings.today()
    async with UnitOfWork() as uow:
        db = uow.connection
        entry = await _live_entry(db, entry_id, (WaitlistStatus.WAITING,))
        if entry is None:
            return False  # another worker enrolled the child a moment ago
        await Family.select_for_update().filter(id=entry.family_id).using_db(db).first()
        course = (await seats.lock_classes(db, [entry.course_id]))[entry.course_id]
        entry = await _live_entry(db, entry_id, (WaitlistStatus.WAITING,))  # again, under the locks
        facts = (await class_facts(db, [course]))[course.id]
        starts = start_day(facts, today)
        counted = (await seats.taken([course.id], on=starts, using_db=db))[course.id]
        if entry is None or starts is None or seats.openings(course.capacity, counted.enrolled, counted.held) < 1:
            return False
        kid = (await child_facts(db, [entry.participant]))[entry.participant_id]
        reasons = enrolment_reasons(facts, kid, today=today, staff=True)
        if reasons:
            await _hold_back_ineligible(uow, entry, course, reasons[0].text('en'))
            return True
        if not await _close(db, entry, WaitlistStatus.ENROLLED, WaitlistStatus.WAITING):
            return True  # the family left the list a moment ago: nobody is enrolled or charged
        before = await ledger.balance(entry.family_id, using_db=db)
        subject = _subject(entry.family, None)
        enrolment = await _enrol_one(uow, subject, course, facts, kid.participant, starts, enrolled_by='Waitlist')
        line = f'Enrolled from Waitlist: {course.name} - Student: {entry.participant.full_name}'
        await portal_log.record(uow, subject, 'waitlist_enrolled', line)
        await _confirm_by_email(
            uow, entry.family_id, [enrolment], {course.id: course}, {kid.participant.id: kid.participant}
        )
        added = await ledger.balance(entry.family_id, using_db=db) - before
    await _charge_saved_card(entry, added)
    return True


async def _charge_saved_card(entry: WaitlistEntry, added: Decimal) -> None:
    """After the enrolment has committed, under a key of the entry's own, so it is charged once at most. A card
    declined or a processor away leaves the fees on the account, as any unpaid fee is (and the log says so)."""
    card = await SavedCard.filter(family_id=entry.family_id).order_by('-is_default', 'id').first()
    contact = await Contact.filter(id=entry.contact_id, removed_at__isnull=True).select_related('family').first()
    if card is None or contact is None:
        return
    amount = min(added, await payments.payable_balance(entry.family_id))
    if amount <= 0:
        return
    try:
        await payments.pay(Actor.of(contact), f'waitlist-{entry.id}', amount, card_id=card.id)
    except DomainError as refused:
        log.warning('waitlist enrolment %s left unpaid on the account: %s', entry.id, refused)


async def _hold_back_ineligible(uow: UnitOfWork, entry: WaitlistEntry, course: Course, why: str) -> None:
    """A child who no longer fits is passed over, not removed: staff see why and decide."""
    entry.held_back, entry.held_back_reason = True, why
    await entry.save(using_db=uow.connection, update_fields=['held_back', 'held_back_reason'])
    line = f'Waitlist skipped: {course.name} - Student: {entry.participant.full_name} - Reason: {why}'
    await portal_log.record(uow, _subject(entry.family, None), 'waitlist_skipped', line)


async def end_overdue(now: dt.datetime | None = None) -> int:
    """End offers that ran out and entries that outlived the studio's limit or their class; returns how many.
    Each ends in its own small transaction, claimed by a conditional update (another process may be at the same
    rows), and the event loop breathes between them."""
    now = now or clock.now()
    today = settings.today()
    ended = 0
    overdue = (
        await WaitlistEntry.filter(
            Q(status=WaitlistStatus.OFFERED, offer_expires_at__lte=now)
            | Q(status=WaitlistStatus.WAITING, expires_at__lte=now)
            | Q(status__in=WAITLIST_LIVE, course__ends_on__lt=today)
        )
        .order_by('id')
        .values_list('id', flat=True)
    )
    for entry_id in overdue:
        try:
            ended += await _end_one(entry_id, now, today)  # type: ignore[arg-type]
        except Exception:  # one broken entry must not keep every other from ending
            log.exception('waitlist entry %s could not be ended; tried again next round', entry_id)
        await asyncio.sleep(0)
    return ended


async def _end_one(entry_id: int, now: dt.datetime, today: dt.date) -> int:
    async with UnitOfWork() as uow:
        db = uow.connection
        entry = (
            await WaitlistEntry.filter(id=entry_id)
            .using_db(db)
            .select_related('course', 'participant', 'family')
            .first()
        )
        if entry is None:
            return 0
        if entry.status == WaitlistStatus.OFFERED and entry.offer_expires_at and entry.offer_expires_at <= now:
            paying = SeatHold.filter(waitlist_entry_id=entry.id, checkout__closed_at__isnull=True)
            if await paying.filter(checkout__expires_at__gt=now).using_db(db).exists():
                return 0  # accepted, and its checkout is still at it (a card being charged): the checkout decides
            why, line = WaitlistStatus.OFFER_EXPIRED, 'Waitlist offer expired'
        elif entry.status in WAITLIST_LIVE and (
            entry.course.ends_on < today or (entry.expires_at is not None and entry.expires_at <= now)
        ):
            why, line = WaitlistStatus.EXPIRED, 'Waitlist entry expired'
        else:
            return 0  # accepted or moved on since it was read
        if not await _close(db, entry, why, from_status=entry.status):
            return 0
        await portal_log.record(
            uow,
            _subject(entry.family, None),
            f'waitlist_{why.value}',
            f'{line}: {entry.course.name} - Student: {entry.participant.full_name}',
        )
        await _tell_ended(uow, entry, why.value)
        uow.publish_after_commit(seats.SEATS_FREED, entry.course_id)
        return 1


class WaitlistWorker:
    """Ends what ran out and makes the offers: when a seat may have been freed in this process (or another, by
    the relay), and every minute for drops reaching their date and offers running out."""

    def __init__(self, *, idle_seconds: float = 60) -> None:
        self.idle_seconds = idle_seconds
        self._wake = asyncio.Event()
        self._unsubscribe = events.bus.subscribe(seats.SEATS_FREED, lambda _id: self._wake.set())
        self._task: asyncio.Task | None = None
        self._stopping = False

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name='waitlist worker')

    async def stop(self, timeout: float = 30) -> None:
        self._stopping = True
        self._unsubscribe()
        self._wake.set()
        if self._task:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._task, timeout)

    async def run_once(self) -> int:
        ended = 0
        try:
            ended = await end_overdue()
        except Exception:  # the offers still go out
            log.exception('ending overdue waitlist entries failed')
        return ended + await offer_seats()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self.run_once()
            except Exception:  # a broken row must not stop the offers for every other class
                log.exception('waitlist round failed')
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.idle_seconds)
            self._wake.clear()


# Staff


@dataclass(frozen=True)
class StaffWaitlistLine:
    entry_id: int
    position: int
    child: str
    family_id: int
    family: str
    status: WaitlistStatus
    joined_at: dt.datetime
    offer_expires_at: dt.datetime | None
    held_back: bool
    held_back_reason: str
    auto_enrol: bool


@dataclass(frozen=True)
class ClassWaitlist:
    course_id: int
    course: str
    mode: WaitlistMode
    released: bool
    free: int  # seats nobody has
    lines: list[StaffWaitlistLine]


async def class_waitlist(by: StaffActor, course_id: int) -> ClassWaitlist:
    _require_desk(by)
    course = await Course.get_or_none(id=course_id)
    if course is None:
        raise NotFound()
    entries = (
        await WaitlistEntry.filter(course_id=course_id, status__in=WAITLIST_LIVE)
        .select_related('participant', 'family')
        .order_by('rank', 'id')
    )
    facts = (await class_facts(None, [course]))[course_id]
    counted = (await seats.taken([course_id], on=start_day(facts, settings.today())))[course_id]
    lines = [
        StaffWaitlistLine(
            entry.id,
            place,
            entry.participant.full_name,
            entry.family_id,
            entry.family.name,
            WaitlistStatus(entry.status),
            entry.joined_at,
            entry.offer_expires_at,
            entry.held_back,
            entry.held_back_reason,
            entry.auto_enrol,
        )
        for place, entry in enumerate(entries, start=1)
    ]
    free = seats.openings(course.capacity, counted.enrolled, counted.held)
    return ClassWaitlist(course.id, course.name, mode_of(course), course.free_seats_released, free, lines)


async def move(by: StaffActor, entry_id: int, *, up: bool) -> None:
    """Swap a waiting child with the one before (or after) them in line."""
    _require_desk(by)
    async with UnitOfWork() as uow:
        db = uow.connection
        entry = await _staff_entry(db, entry_id)
        await seats.lock_classes(db, [entry.course_id])
        entry = await _staff_entry(db, entry_id)  # read again under the lock
        neighbours = WaitlistEntry.filter(course_id=entry.course_id, status__in=WAITLIST_LIVE).using_db(db)
        if up:
            other = await neighbours.filter(rank__lt=entry.rank).order_by('-rank').first()
        else:
            other = await neighbours.filter(rank__gt=entry.rank).order_by('rank').first()
        if other is None:
            return
        entry.rank, other.rank = other.rank, entry.rank
        await entry.save(using_db=db, update_fields=['rank'])
        await other.save(using_db=db, update_fields=['rank'])
        await audit.record(
            uow,
            by,
            'waitlist_moved',
            f'Waitlist: {entry.course.name}',
            None,
            {'student': entry.participant.full_name, 'moved': 'up' if up else 'down'},
        )


async def hold_back(by: StaffActor, entry_id: int, *, held: bool, reason: str = '') -> None:
    """Skip a child for offers until staff let them go on (their place in line is kept)."""
    _require_desk(by)
    async with UnitOfWork() as uow:
        entry = await _staff_entry(uow.connection, entry_id)
        entry.held_back, entry.held_back_reason = held, ' '.join(reason.split()) if held else ''
        await entry.save(using_db=uow.connection, update_fields=['held_back', 'held_back_reason'])
        await audit.record(
            uow,
            by,
            'waitlist_skipped' if held else 'waitlist_resumed',
            f'Waitlist: {entry.course.name}',
            None,
            {'student': entry.participant.full_name, 'reason': entry.held_back_reason},
        )
        if not held:
            uow.publish_after_commit(seats.SEATS_FREED, entry.course_id)


async def offer_now(by: StaffActor, entry_id: int) -> None:
    """Offer a free seat to the chosen child, whatever their place in line and the class's mode."""
    _require_desk(by)
    entry = await _staff_entry(None, entry_id)
    if entry.status != WaitlistStatus.WAITING:
        raise OfferGone()
    offered, _ = await _offer_in(entry.course_id, clock.now(), entry_id=entry.id, by=by)
    if not offered:
        raise OfferGone()


async def remove(by: StaffActor, entry_id: int) -> None:
    _require_desk(by)
    async with UnitOfWork() as uow:
        entry = await _staff_entry(uow.connection, entry_id)
        if not await _close(uow.connection, entry, WaitlistStatus.REMOVED, from_status=entry.status):
            raise OfferGone()
        line = f'Removed from Waitlist: {entry.course.name} - Student: {entry.participant.full_name}'
        await portal_log.record(uow, _subject(entry.family, by), 'waitlist_removed', line)
        await audit.record(
            uow,
            by,
            'waitlist_removed',
            f'Waitlist: {entry.course.name}',
            None,
            {'student': entry.participant.full_name},
        )
        await _tell_ended(uow, entry, 'removed')
        uow.publish_after_commit(seats.SEATS_FREED, entry.course_id)


async def enrol_over_capacity(by: StaffActor, entry_id: int, reason: str) -> Enrolment:
    """Enrol a waiting child although the class is full, for a reason staff type; the log keeps it."""
    _require_desk(by)
    why = ' '.join(reason.split())
    if not why:
        raise ValidationFailed({'reason': N_('Say why this child is enrolled over the capacity')})
    today = settings.today()
    async with UnitOfWork() as uow:
        db = uow.connection
        entry = await _staff_entry(db, entry_id)
        await Family.select_for_update().filter(id=entry.family_id).using_db(db).first()
        courses = await seats.lock_classes(db, [entry.course_id])
        course = courses[entry.course_id]
        facts = (await class_facts(db, [course]))[course.id]
        kid = (await child_facts(db, [entry.participant]))[entry.participant_id]
        # The typed reason stands for the desk's judgement on ages and a clash too; the rest (already enrolled, a
        # class with no meetings left, a prior class) still refuses.
        reasons = [
            reason
            for reason in enrolment_reasons(facts, kid, today=today, staff=True)
            if not reason.is_age and reason.message != CLASH
        ]
        if reasons:
            raise NotEligible({(entry.participant_id, course.id): reasons})
        if not await _close(db, entry, WaitlistStatus.ENROLLED, from_status=entry.status):
            raise OfferGone()
        starts = start_day(facts, today) or today
        subject = _subject(entry.family, by)
        enrolment = await _enrol_one(uow, subject, course, facts, entry.participant, starts, enrolled_by=by.name)
        line = (
            f'Enrolled over capacity from Waitlist: {course.name} - Student: {entry.participant.full_name}'
            f' - Reason: {why}'
        )
        await portal_log.record(uow, subject, 'waitlist_enrolled', line)
        await audit.record(
            uow,
            by,
            'enrolled_over_capacity',
            f'Class: {course.name}',
            None,
            {'student': entry.participant.full_name, 'starts_on': starts, 'reason': why},
        )
        await _confirm_by_email(
            uow, entry.family_id, [enrolment], courses, {entry.participant_id: entry.participant}, by_studio=True
        )
    return enrolment


async def configure_class(by: StaffActor, course_id: int, *, mode: str, waitlist_open: bool, released: bool) -> None:
    """A class's own waitlist: its mode ('' for the studio's), whether a full class takes one, and whether its
    free seats go to whoever enrols first though children wait (the seat "released")."""
    _require_desk(by)
    if mode and mode not in {m.value for m in WaitlistMode}:
        raise ValidationFailed({'mode': N_('Choose one of the options')})
    async with UnitOfWork() as uow:
        course = (await seats.lock_classes(uow.connection, [course_id])).get(course_id)
        if course is None:
            raise NotFound()
        values = {'waitlist_mode': WaitlistMode(mode) if mode else None, 'waitlist_open': waitlist_open}
        values['free_seats_released'] = released
        old, new = audit.changes({key: getattr(course, key) for key in values}, values)
        if not new:
            return
        course.update_from_dict(values)
        await course.save(using_db=uow.connection, update_fields=list(values))
        await audit.record(uow, by, 'waitlist_configured', f'Class: {course.name}', old, new)
        uow.publish_after_commit(seats.SEATS_FREED, course.id)


# Shared steps


async def _position(db: BaseDBAsyncClient | None, entry: WaitlistEntry) -> int:
    """A waiting child's place in line: 1 + the children waiting before them."""
    ahead = (
        await WaitlistEntry.filter(course_id=entry.course_id, status=WaitlistStatus.WAITING, rank__lt=entry.rank)
        .using_db(db)
        .count()
    )
    return ahead + 1


def _line(entry: WaitlistEntry, course: str, child: str, place: int | None) -> FamilyWaitlistLine:
    shown = place if settings.current().waitlist_position_shown else None
    return FamilyWaitlistLine(
        entry.id,
        entry.course_id,
        course,
        child,
        WaitlistStatus(entry.status),
        shown,
        entry.joined_at,
        entry.offer_expires_at if entry.status == WaitlistStatus.OFFERED else None,
        entry.auto_enrol,
    )


async def _close(
    db: BaseDBAsyncClient, entry: WaitlistEntry, status: WaitlistStatus, from_status: WaitlistStatus | str
) -> bool:
    """End an entry if nothing else ended it first: the one place the race between accepting, declining,
    running out and staff is decided."""
    changed = (
        await WaitlistEntry.filter(id=entry.id, status=from_status)
        .using_db(db)
        .update(status=status, closed_at=clock.now())
    )
    if changed:
        entry.status = status
    return bool(changed)


async def _family_entry(
    db: BaseDBAsyncClient, actor: Actor, entry_id: int, statuses: tuple[WaitlistStatus, ...]
) -> WaitlistEntry:
    entry = (
        await WaitlistEntry.filter(id=entry_id, family_id=actor.family_id)
        .using_db(db)
        .select_related('course', 'participant', 'family')
        .first()
    )
    if entry is None:
        raise NotFound()  # another family's entry reads as none at all
    if entry.status not in statuses:
        raise OfferGone()
    return entry


async def _staff_entry(db: BaseDBAsyncClient | None, entry_id: int) -> WaitlistEntry:
    entry = await _live_entry(db, entry_id)
    if entry is None:
        raise NotFound()
    return entry


async def _live_entry(
    db: BaseDBAsyncClient | None, entry_id: int, statuses: tuple[WaitlistStatus, ...] = WAITLIST_LIVE
) -> WaitlistEntry | None:
    return (
        await WaitlistEntry.filter(id=entry_id, status__in=statuses)
        .using_db(db)
        .select_related('course', 'participant', 'family')
        .first()
    )


def _subject(family: Family, by: StaffActor | None) -> LogSubject:
    return staff_subject(family, by) if by else LogSubject(family.id, family.name)


async def _tell(uow: UnitOfWork, entry: WaitlistEntry, notice, *, texted: bool = False) -> None:
    """Email (and for an offer, text) the contact who put the child on the list, in their language; the family's
    paying contact when that one has gone."""
    contact = await _contact_to_tell(uow.connection, entry)
    if contact is None:
        return
    language = contact.preferred_language
    message = notice(language, contact.first_name)
    if contact.email:
        recipient = Recipient(contact.full_name, contact.email, language, entry.family_id, contact.id)
        await outbox.enqueue(uow, Channel.EMAIL, recipient, message)
    if texted and contact.mobile_phone:
        recipient = Recipient(contact.full_name, contact.mobile_phone, language, entry.family_id, contact.id)
        await outbox.enqueue(uow, Channel.SMS, recipient, message)


async def _tell_ended(uow: UnitOfWork, entry: WaitlistEntry, why: str) -> None:
    child, course = entry.participant.first_name, entry.course.name
    await _tell(uow, entry, lambda language, name: waitlist_notices.ended(language, name, child, course, why))


async def _contact_to_tell(db: BaseDBAsyncClient, entry: WaitlistEntry) -> Contact | None:
    if entry.contact_id is not None:
        contact = (
            await Contact.filter(id=entry.contact_id, family_id=entry.family_id, removed_at__isnull=True)
            .using_db(db)
            .first()
        )
        if contact is not None and (contact.email or contact.mobile_phone):
            return contact
    return await _paying_contact(db, entry.family_id)
