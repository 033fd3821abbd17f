"""Parents registering a child, several children or the family for one date of an event.

A booking is one transaction: under the event's row lock (`events.lock_events`, the lock every seat of the event
is taken under) the date's openings are counted by the one seat rule (`events.seat_counts`), so simultaneous
bookings never take more seats than the date or the event has. The registrations, their fees, the event's
policies agreed to, the log lines and the "Portal Enroll" email with its calendar file are all kept, or none.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_skeleton, format_time
from icalendar import Calendar
from tortoise.backends.base.client import BaseDBAsyncClient

from domain import i18n, portal_log
from domain.access.actors import Actor
from domain.billing import ledger
from domain.classes import calendar, seats

# What enrolling a class already decides, decided once: whose children a parent may name (another family's
# reads as none), whom the confirmation goes to, and how the studio's log writes a date.
from domain.classes.enrolment import _log_day, _own_children, _paying_contact
from domain.classes.events import (
    CHOOSE_CHILDREN,
    OccurrenceLine,
    Problem,
    event_problem,
    events_by_date,
    lock_events,
    register_in,
    seat_counts,
)
from domain.errors import DomainError, NotFound
from domain.i18n import N_
from domain.messages import outbox

# An event's confirmation is written as every other notice is (the studio's name, the HTML, the escaping).
from domain.messages.notices import Notice, compose
from domain.messages.outbox import Recipient
from domain.models import (
    Channel,
    EventOccurrence,
    EventRegistrant,
    EventRegistration,
    EventType,
    LedgerKind,
    Participant,
    PolicyVersion,
)
from domain.records import checked_id
from domain.registration import policies
from domain.registration.policies import Acceptance
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner


class CannotRegister(DomainError):
    """Some of the children (or the family, keyed None) cannot register for the date; `problems` says why."""

    MESSAGE = N_('Some of your choices cannot be registered. See why below.')

    def __init__(self, problems: dict[int | None, Problem]) -> None:
        super().__init__()
        self.problems = problems


class DateFull(DomainError):
    """Fewer seats are left than were asked for: `openings` says how many (0: none)."""

    MESSAGE = N_('This date has just filled up. Please choose another.')

    def __init__(self, openings: int) -> None:
        super().__init__()
        self.openings = openings


# Booking


async def book_event(
    actor: Actor,
    occurrence_id: int | str,
    participant_ids: list[int],
    acceptances: dict[int, Acceptance] | None = None,
    *,
    user_agent: str = '',
) -> list[EventRegistration]:
    """Register the chosen children (for an event the family registers for, the family: name no child) for one
    date, post each registration's fee, agree to the event's policies the family owes, log each registration
    and email the confirmation. A second tap finds the children registered and says so."""
    chosen = list(dict.fromkeys(participant_ids))
    today = settings.today()
    async with UnitOfWork() as uow:
        db = uow.connection
        found = await EventOccurrence.get_or_none(id=checked_id(occurrence_id), using_db=db)
        if found is None:
            raise NotFound()
        event = (await lock_events(db, [found.event_id]))[found.event_id]
        for_family = event.registrant == EventRegistrant.FAMILY
        if not event.shown_to_families or (for_family and chosen):
            raise NotFound()
        occurrence = await EventOccurrence.get(id=found.id, using_db=db)  # as it is under the lock
        children = await _own_children(db, actor, set(chosen))
        registered = await _live_registrations(db, actor.family_id, [occurrence.id])
        problems = _problems(event, occurrence, [children[i] for i in chosen], registered, today)
        if problems:
            raise CannotRegister(problems)
        openings = (await seat_counts(db, [occurrence.id]))[occurrence.id].openings
        if openings < max(len(chosen), 1):
            raise DateFull(openings)
        versions = await _policies_owed(actor.family_id, [event.id])
        if versions:
            clean = Cleaner()
            policies.check_acceptances(clean, versions, acceptances or {}, actor.contact_name)
            clean.raise_if_invalid()
            await policies.record_agreements(uow, actor.subject, versions, acceptances or {}, user_agent=user_agent)
        comers: list[Participant | None] = [children[i] for i in chosen] if chosen else [None]
        booked = [await _register_one(uow, actor, event, occurrence, child) for child in comers]
        await _confirm_by_email(uow, actor.family_id, event, occurrence, booked, children)
    return booked


def _problems(
    event: EventType,
    occurrence: EventOccurrence,
    children: list[Participant],
    registered: list[EventRegistration],
    today: dt.date,
) -> dict[int | None, Problem]:
    """Why each chosen child (or the family, keyed None) cannot register. The children come in the order they
    were chosen, each eligible one counting towards the family's most children for those after it."""
    ours = [r for r in registered if r.occurrence_id == occurrence.id]
    taken = len(ours)
    if not children:
        found = event_problem(event, occurrence, None, family_registrations_for_this_occurrence=taken, today=today)
        return {None: found} if found else {}
    problems: dict[int | None, Problem] = {}
    for child in children:
        found = event_problem(
            event,
            occurrence,
            child,
            family_registrations_for_this_occurrence=taken,
            today=today,
            child_registered=any(r.participant_id == child.id for r in ours),
        )
        if found:
            problems[child.id] = found
        else:
            taken += 1
    return problems


async def _register_one(
    uow: UnitOfWork, actor: Actor, event: EventType, occurrence: EventOccurrence, child: Participant | None
) -> EventRegistration:
    registration = await register_in(
        uow, occurrence, actor.family_id, child.id if child else None, registered_by=actor.contact_name
    )
    who = child.full_name if child else f'{actor.family_name} family'
    fee = Decimal(str(event.fee))
    if fee > 0:
        await ledger.post_entry(
            actor.family_id,
            LedgerKind.FEE,
            fee,
            f'{event.name} ({who}), {occurrence.date:%b} {occurrence.date.day}',
            using_db=uow.connection,
            source=event_fee_source(registration.id),
            posted_by=actor.contact_name,
        )
    message = f'Registered for Event: {event.name} - Date/Time: {_log_day(occurrence.date)}'
    if child:
        message += f' - Student: {child.full_name}'
    await portal_log.record(uow, actor.subject, 'registered', message)
    return registration


def event_fee_source(registration_id: int) -> str:
    """The ledger takes a source once: a registration's fee can never be posted twice."""
    return f'event:{registration_id}'


async def _live_registrations(
    db: BaseDBAsyncClient | None, family_id: int, occurrence_ids: list[int]
) -> list[EventRegistration]:
    return await EventRegistration.filter(
        family_id=family_id, occurrence_id__in=occurrence_ids, cancelled_at__isnull=True
    ).using_db(db)


async def _policies_owed(family_id: int, event_ids: list[int]) -> list[PolicyVersion]:
    """The current versions of the events' own policies the family has not agreed to within the renewal time."""
    return [version for versions in (await _owed_by_event(family_id, event_ids)).values() for version in versions]


async def _owed_by_event(family_id: int, event_ids: list[int]) -> dict[int, list[PolicyVersion]]:
    pairs = await EventType.filter(id__in=event_ids, policies__id__isnull=False).values_list('id', 'policies__id')
    wanted: dict[int, set[int]] = {}
    for event_id, policy_id in pairs:
        wanted.setdefault(int(event_id), set()).add(int(policy_id))  # type: ignore[call-overload]
    if not wanted:
        return {}
    owed = await policies.owed(family_id, policy_ids=set().union(*wanted.values()))
    return {
        event_id: [version for version in owed if version.policy_id in ids]  # type: ignore[attr-defined]
        for event_id, ids in wanted.items()
    }


# The confirmation


def event_registered(language: str, name: str, event: str, when: str, comers: list[str]) -> Notice:
    """The "Portal Enroll" email of an event's registration: the event, its date and time, who comes."""
    t = functools.partial(i18n.gettext, language)
    who = '\n'.join(comers) if comers else t(N_('Your family'))
    return compose(
        'portal_enroll',
        language,
        N_('{studio}: registration confirmed'),
        [
            N_('Hello {name},'),
            N_('Thank you for registering for {event} on {when}:'),
            who.replace('{', '{{').replace('}', '}}'),
            N_('The attached calendar file adds the event to your phone. Your schedule is in your parent portal.'),
        ],
        name=name,
        event=event,
        when=when,
    )


def occurrence_moment(occurrence: EventOccurrence, language: str) -> str:
    """A date's day and start time in a reader's language: Sat, Dec 12, 2026, 10:00 AM."""
    locale = i18n.reader_locale(language, settings.current().phone_region)
    day = format_skeleton('yMMMEd', occurrence.date, locale=locale)
    return f'{day}, {format_time(occurrence.start_time, "short", locale=locale)}'


async def _confirm_by_email(
    uow: UnitOfWork,
    family_id: int,
    event: EventType,
    occurrence: EventOccurrence,
    booked: list[EventRegistration],
    children: dict[int, Participant],
) -> None:
    payer = await _paying_contact(uow.connection, family_id)
    if payer is None or not payer.email:
        return
    language = payer.preferred_language
    comers = [children[r.participant_id].first_name for r in booked if r.participant_id is not None]
    notice = event_registered(language, payer.first_name, event.name, occurrence_moment(occurrence, language), comers)
    recipient = Recipient(payer.full_name, payer.email, language, family_id, payer.id)
    await outbox.enqueue(uow, Channel.EMAIL, recipient, notice, calendar=await _invitation(booked))


async def _invitation(booked: list[EventRegistration]) -> str:
    """One calendar file with each registration, each with the UID the family's feed gives it."""
    files = [Calendar.from_ical(await calendar.occurrence_invitation(r.id)) for r in booked]
    together = files[0]
    for more in files[1:]:
        for event in more.walk('VEVENT'):
            together.add_component(event)
    return together.to_ical().decode()


# What the Events screen reads


@dataclass(frozen=True)
class ChildChoice:
    """One of the family's children for one date: registered already, kept out by `problem`, or free to come."""

    participant_id: int
    first_name: str
    registered: bool
    problem: Problem | None


@dataclass(frozen=True)
class EventDate:
    line: OccurrenceLine
    date_problem: Problem | None  # the date itself cannot be booked (on notice, passed), whoever comes
    family_registered: bool  # an event the family registers for: it is
    family_problem: Problem | None  # an event the family registers for: why it cannot
    children: list[ChildChoice]  # an event children register for: each of the family's children
    policies: list[PolicyVersion]  # the event's policies the family would agree to in booking

    @property
    def for_family(self) -> bool:
        return self.line.event.registrant == EventRegistrant.FAMILY

    @property
    def fee(self) -> Decimal:
        return Decimal(str(self.line.event.fee))

    @property
    def openings(self) -> int:
        return self.line.openings

    @property
    def can_book(self) -> bool:
        """Something is left to book here: a seat, and the family or one of its children free to come."""
        if not self.line.bookable or self.date_problem:
            return False
        if self.for_family:
            return self.family_problem is None
        return any(child.problem is None for child in self.children)

    def openings_word(self) -> str:
        return seats.shown_as(self.openings)


@dataclass(frozen=True)
class FamilyEvents:
    dates: list[EventDate]  # earliest first
    has_children: bool


async def family_events(actor: Actor, today: dt.date) -> FamilyEvents:
    """Every date from `today` on that families see, with what this family may book on it and why not."""
    lines = await events_by_date(True, today)
    children = list(await Participant.filter(family_id=actor.family_id, removed_at__isnull=True).order_by('id'))
    registered = await _live_registrations(None, actor.family_id, [line.occurrence.id for line in lines])
    owed = await _owed_by_event(actor.family_id, list({line.event.id for line in lines}))
    return FamilyEvents(
        [_event_date(line, children, registered, owed.get(line.event.id, []), today) for line in lines],
        bool(children),
    )


def _event_date(
    line: OccurrenceLine,
    children: list[Participant],
    registered: list[EventRegistration],
    owed: list[PolicyVersion],
    today: dt.date,
) -> EventDate:
    event, occurrence = line.event, line.occurrence
    ours = [r for r in registered if r.occurrence_id == occurrence.id]
    date_problem = event_problem(event, occurrence, None, family_registrations_for_this_occurrence=0, today=today)
    if date_problem and date_problem.message == CHOOSE_CHILDREN:
        date_problem = None  # what a date of an event children come to says before any child is named
    if event.registrant == EventRegistrant.FAMILY:
        family_problem = event_problem(
            event, occurrence, None, family_registrations_for_this_occurrence=len(ours), today=today
        )
        return EventDate(line, date_problem, bool(ours), family_problem, [], owed)
    choices = [
        ChildChoice(
            child.id,
            child.first_name,
            any(r.participant_id == child.id for r in ours),
            _problems(event, occurrence, [child], ours, today).get(child.id),
        )
        for child in children
    ]
    return EventDate(line, date_problem, False, None, choices, owed)
