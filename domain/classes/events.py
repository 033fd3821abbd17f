"""Events: workshops, parties, camps and open houses, each an event type held on dated occurrences.

Administrators set them up (every change in one unit of work with its staff-audit entry, every mistake said
field by field before anything is written). Seats are counted by one rule (`seat_counts`): an occurrence's
capacity, and its event's maximum size over all its occurrences, less registrations not cancelled and seats
live checkouts hold. Whoever takes a seat holds the event's row lock (`lock_events`) for the rest of its
transaction, as do the edits that lower a capacity, so neither can slip past the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q, Subquery
from tortoise.functions import Count

from domain import audit, clock, i18n, portal_log
from domain.access.actors import PermissionDenied, StaffActor, require_admin
from domain.classes import ages

# The catalogue's typed-input helpers (the underscored ones) are private to it, but they are what an event's
# form is typed in too: one reading of a typed date, time, age and choice for the whole of the studio's set-up.
from domain.classes.catalogue import (
    LARGEST_CAPACITY,
    NOT_AN_OPTION,
    Choice,
    LocationWithRooms,
    _day,
    _enum,
    _months,
    _time_of_day,
    _whole,
    _years_and_months,
    catalogue_setup,
)
from domain.classes.eligibility import Age, Reason
from domain.classes.rosters import Phone
from domain.errors import NotFound
from domain.family.participants import staff_subject
from domain.i18n import N_
from domain.models import (
    Checkout,
    Contact,
    EventOccurrence,
    EventRegistrant,
    EventRegistration,
    EventType,
    Family,
    Location,
    OccurrenceStatus,
    Participant,
    Policy,
    Room,
    StaffRole,
)
from domain.models.classes import minute_of_day
from domain.records import checked_id
from domain.registration.policies import current_versions
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

LARGEST_FEE = Decimal('100000')
LARGEST_EVENT = 100000  # registrations over all of an event's dates
MOST_CHILDREN = 20

BELOW_REGISTERED = N_('This is fewer places than already registered')
TOO_MUCH = N_('This is more than an event can cost')
END_AFTER_START = N_('An event must end after it starts')
ROOM_ELSEWHERE = N_('Choose a room of this location')
ROOMS_ELSEWHERE = N_("Some of this event's dates are in rooms of its present location: change their rooms first")

PASSED = N_('This date has passed')
NOT_BOOKABLE_YET = N_('This date is not open for booking yet')
UNAVAILABLE = N_('This date is not available')
FAMILY_ONCE = N_('Your family is already registered for this date')
CHOOSE_CHILDREN = N_('Choose the children who will come')
CHILD_REGISTERED = N_('{child} is already registered for this date')
AT_MOST_CHILDREN = N_('Your family may register at most {count} child')
AT_MOST_CHILDREN_PLURAL = N_('Your family may register at most {count} children')
NEEDS_BIRTHDATE = N_("Add {child}'s birthdate to register for an event with age limits")
AGES_BETWEEN = N_('{child} is {age}; this event is for ages {youngest}–{oldest}')
AGES_FROM = N_('{child} is {age}; this event is for ages {youngest} and up')
AGES_UP_TO = N_('{child} is {age}; this event is for ages up to {oldest}')


@dataclass(frozen=True)
class Problem(Reason):
    """Why a child (or the family) cannot register: a message and its values, written in a reader's language by
    `text`; a message with a count has a plural, chosen for that count in that language."""

    plural: str = ''
    count: int = 0

    def text(self, language: str) -> str:
        if not self.plural:
            return super().text(language)
        # a message with a plural holds only counts, which need no writing in the reader's language
        return i18n.ngettext(language, self.message, self.plural, self.count).format(**self.values)


# Setting events up


@dataclass(frozen=True)
class EventTypeForm:
    """An event as staff typed it. Ages are years and months, empty for no limit; an empty cut-off date takes
    each child's age on the date they come; an empty maximum size has none."""

    name: str
    location_id: int | None
    fee: str | Decimal
    description: str = ''
    registrant: str = EventRegistrant.CHILDREN.value
    most_children: str | int | None = '1'
    min_age_years: str | int | None = None
    min_age_months: str | int | None = None
    max_age_years: str | int | None = None
    max_age_months: str | int | None = None
    age_cutoff: str | dt.date | None = None
    max_size: str | int | None = None
    shown_to_families: bool = True
    policy_ids: tuple[int, ...] = ()

    def checked(self, clean: Cleaner) -> dict:
        """The event's own columns, with every mistake the form alone shows noted in `clean`."""
        registrant = _enum(clean, 'registrant', self.registrant, EventRegistrant)
        most_children = 1
        if registrant == EventRegistrant.CHILDREN:
            most_children = _required(clean, 'most_children', self.most_children, least=1, most=MOST_CHILDREN) or 1
        youngest = _months(clean, 'min_age', self.min_age_years, self.min_age_months)
        oldest = _months(clean, 'max_age', self.max_age_years, self.max_age_months)
        if youngest is not None and oldest is not None and oldest < youngest:
            clean.fail('max_age_years', N_('The oldest age is below the youngest'))
        decimals = min(i18n.minor_units(settings.current().currency), 2)
        return {
            'name': clean.name('name', self.name, max_length=120),
            'description': clean.text('description', self.description, max_length=10000),
            'fee': clean.amount(
                'fee', self.fee, maximum=LARGEST_FEE, zero_allowed=True, too_much=TOO_MUCH, decimals=decimals
            ),
            'registrant': registrant,
            'most_children': most_children,
            'min_age_months': youngest,
            'max_age_months': oldest,
            'age_cutoff': _day(clean, 'age_cutoff', self.age_cutoff, required=False),
            'max_size': _whole(clean, 'max_size', self.max_size, least=1, most=LARGEST_EVENT),
            'location_id': self.location_id,
            'shown_to_families': bool(self.shown_to_families),
        }


def _required(clean: Cleaner, name: str, value: str | int | None, *, least: int, most: int) -> int | None:
    number = _whole(clean, name, value, least=least, most=most)
    if number is None and name not in clean.errors:
        clean.fail(name, N_('This field is required'))
    return number


async def add_event(by: StaffActor, form: EventTypeForm) -> EventType:
    require_admin(by)
    async with UnitOfWork() as uow:
        values = await _event_values(uow, form, None)
        event = await EventType.create(**values, using_db=uow.connection)
        policies = await _set_policies(uow, event, form.policy_ids)
        await audit.record(uow, by, 'event_added', _event_target(event), None, {**values, 'policy_ids': policies})
    return event


async def edit_event(by: StaffActor, event_id: int | str, form: EventTypeForm) -> EventType:
    require_admin(by)
    async with UnitOfWork() as uow:
        event = await _locked_event(uow, event_id)
        values = await _event_values(uow, form, event)
        before = {key: getattr(event, key) for key in values} | {
            'policy_ids': await _policies_of(uow.connection, event)
        }
        event.update_from_dict(values)
        await event.save(using_db=uow.connection)
        await event.policies.clear(using_db=uow.connection)
        after = values | {'policy_ids': await _set_policies(uow, event, form.policy_ids)}
        old, new = audit.changes(before, after)
        if new:
            await audit.record(uow, by, 'event_edited', _event_target(event), old, new)
    return event


async def _event_values(uow: UnitOfWork, form: EventTypeForm, event: EventType | None) -> dict:
    """The event's columns, with what only the database can tell checked too: the location and policies exist,
    and a maximum size is not below the registrations the event has."""
    clean = Cleaner()
    values = form.checked(clean)
    db = uow.connection
    if form.location_id is None or not await Location.filter(id=form.location_id).using_db(db).exists():
        clean.fail('location_id', NOT_AN_OPTION)
    wanted = set(form.policy_ids)
    if len(wanted) != await Policy.filter(id__in=wanted, retired_at=None).using_db(db).count():
        clean.fail('policy_ids', NOT_AN_OPTION)
    if event is not None and form.location_id != event.location_id and 'location_id' not in clean.errors:
        elsewhere = EventOccurrence.filter(event_id=event.id, room_id__not_isnull=True).exclude(
            room__location_id=form.location_id
        )
        if await elsewhere.using_db(db).exists():
            clean.fail('location_id', ROOMS_ELSEWHERE)
    if event is not None and values['max_size'] is not None:
        registered = await _live(EventRegistration.filter(occurrence__event_id=event.id)).using_db(db).count()
        if values['max_size'] < registered:
            clean.fail('max_size', BELOW_REGISTERED)
    clean.raise_if_invalid()
    return values


async def _set_policies(uow: UnitOfWork, event: EventType, policy_ids: Iterable[int]) -> list[int]:
    chosen = await Policy.filter(id__in=set(policy_ids)).using_db(uow.connection)
    if chosen:
        await event.policies.add(*chosen, using_db=uow.connection)
    return await _policies_of(uow.connection, event)


async def _policies_of(db: BaseDBAsyncClient | None, event: EventType) -> list[int]:
    ids = await Policy.filter(events__id=event.id).using_db(db).order_by('id').values_list('id', flat=True)
    return [int(policy_id) for policy_id in ids]  # type: ignore[call-overload]


def _event_target(event: EventType) -> str:
    return f'Event: {event.name}'


# Its dates


@dataclass(frozen=True)
class OccurrenceForm:
    """One date of an event, its times on the studio's clock; the room, if any, one of the event's location."""

    date: str | dt.date
    start_time: str | dt.time
    end_time: str | dt.time
    capacity: str | int
    room_id: int | None = None
    status: str = OccurrenceStatus.OPEN.value

    def checked(self, clean: Cleaner) -> dict:
        start = _time_of_day(clean, 'start_time', self.start_time)
        end = _time_of_day(clean, 'end_time', self.end_time)
        if start and end and end <= start:
            clean.fail('end_time', END_AFTER_START)
        return {
            'date': _day(clean, 'date', self.date),
            'start_minute': minute_of_day(start) if start else None,
            'end_minute': minute_of_day(end) if end else None,
            'capacity': _required(clean, 'capacity', self.capacity, least=1, most=LARGEST_CAPACITY),
            'room_id': self.room_id,
            'status': _enum(clean, 'status', self.status, OccurrenceStatus),
        }


async def add_occurrence(by: StaffActor, event_id: int | str, form: OccurrenceForm) -> EventOccurrence:
    require_admin(by)
    async with UnitOfWork() as uow:
        event = await _locked_event(uow, event_id)
        values = await _occurrence_values(uow, form, event, None)
        occurrence = await EventOccurrence.create(**values, event_id=event.id, using_db=uow.connection)
        await audit.record(uow, by, 'occurrence_added', _occurrence_target(event, occurrence), None, values)
    return occurrence


async def edit_occurrence(by: StaffActor, occurrence_id: int | str, form: OccurrenceForm) -> EventOccurrence:
    require_admin(by)
    async with UnitOfWork() as uow:
        found = await EventOccurrence.get_or_none(id=checked_id(occurrence_id), using_db=uow.connection)
        if found is None:
            raise NotFound()
        event = await _locked_event(uow, found.event_id)
        occurrence = await EventOccurrence.get(id=found.id, using_db=uow.connection)  # as it is under the lock
        values = await _occurrence_values(uow, form, event, occurrence)
        before = {key: getattr(occurrence, key) for key in values}
        occurrence.update_from_dict(values)
        await occurrence.save(using_db=uow.connection)
        old, new = audit.changes(before, values)
        if new:
            await audit.record(uow, by, 'occurrence_edited', _occurrence_target(event, occurrence), old, new)
    return occurrence


async def _occurrence_values(
    uow: UnitOfWork, form: OccurrenceForm, event: EventType, occurrence: EventOccurrence | None
) -> dict:
    clean = Cleaner()
    values = form.checked(clean)
    db = uow.connection
    if (
        form.room_id is not None
        and not await Room.filter(id=form.room_id, location_id=event.location_id).using_db(db).exists()
    ):
        clean.fail('room_id', ROOM_ELSEWHERE)
    if occurrence is not None and values['capacity'] is not None:
        registered = await _live(EventRegistration.filter(occurrence_id=occurrence.id)).using_db(db).count()
        if values['capacity'] < registered:
            clean.fail('capacity', BELOW_REGISTERED)
    clean.raise_if_invalid()
    return values


def _occurrence_target(event: EventType, occurrence: EventOccurrence) -> str:
    return f'Event: {event.name} - Date/Time: {_log_moment(occurrence)}'


def _log_moment(occurrence: EventOccurrence) -> str:
    """As the studio's own log writes an event's date and time: 11/11/2023 17:30."""
    day = occurrence.date
    return f'{day.month}/{day.day}/{day.year} {occurrence.start_time.strftime("%H:%M")}'


async def lock_events(connection: BaseDBAsyncClient, event_ids: Iterable[int]) -> dict[int, EventType]:
    """Lock the events' rows until the transaction ends, in id order (so two checkouts never deadlock). The
    maximum size spans every date of an event, so the event, not the date, is what a seat is taken under."""
    ids = sorted(set(event_ids))
    locked = await EventType.select_for_update().filter(id__in=ids).using_db(connection).order_by('id')
    return {event.id: event for event in locked}


async def _locked_event(uow: UnitOfWork, event_id: int | str) -> EventType:
    wanted = checked_id(event_id)
    event = (await lock_events(uow.connection, [wanted])).get(wanted)
    if event is None:
        raise NotFound()
    return event


# Seats: the one rule


def _live(registrations):  # type: ignore[no-untyped-def]
    return registrations.filter(cancelled_at__isnull=True)


@dataclass(frozen=True)
class Seats:
    capacity: int
    registered: int  # not cancelled
    held: int  # by live checkouts
    openings: int  # after the date's capacity and the event's maximum size


async def seat_counts(connection: BaseDBAsyncClient | None, occurrence_ids: Iterable[int]) -> dict[int, Seats]:
    """Each date's seats, read in one statement: its capacity less its registrations and held seats, and no more
    than its event's maximum size less the registrations and held seats of all the event's dates; never below 0.

    A hold counts while its checkout is open and has not run out. A caller taking seats holds `lock_events`."""
    ids = set(occurrence_ids)
    if not ids:
        return {}
    live_checkouts = Checkout.filter(closed_at__isnull=True, expires_at__gt=clock.now()).values('id')
    rows = (
        await EventOccurrence.filter(event_id__in=Subquery(EventOccurrence.filter(id__in=ids).values('event_id')))
        .using_db(connection)
        # DISTINCT: the date's registrations and holds are both joined to it, so each appears once per the other
        .annotate(
            registered=Count('registrations__id', distinct=True, _filter=Q(registrations__cancelled_at__isnull=True)),
            held=Count('holds__id', distinct=True, _filter=Q(holds__checkout_id__in=Subquery(live_checkouts))),
        )
        .group_by('id', 'event_id', 'capacity', 'event__max_size')
        .values('id', 'event_id', 'capacity', 'event__max_size', 'registered', 'held')
    )
    used_by_event: dict[int, int] = {}
    for row in rows:
        used_by_event[row['event_id']] = used_by_event.get(row['event_id'], 0) + row['registered'] + row['held']
    counted = {}
    for row in rows:
        if row['id'] not in ids:
            continue
        openings = row['capacity'] - row['registered'] - row['held']
        if row['event__max_size'] is not None:
            openings = min(openings, row['event__max_size'] - used_by_event[row['event_id']])
        counted[row['id']] = Seats(row['capacity'], row['registered'], row['held'], max(openings, 0))
    return counted


async def occurrence_openings(connection: BaseDBAsyncClient | None, occurrence_ids: Iterable[int]) -> dict[int, int]:
    """The seats still to be had at each date (see `seat_counts`)."""
    return {
        occurrence_id: seats.openings
        for occurrence_id, seats in (await seat_counts(connection, occurrence_ids)).items()
    }


# Who may register


def event_problem(
    event: EventType,
    occurrence: EventOccurrence,
    participant: Participant | None,
    *,
    family_registrations_for_this_occurrence: int,
    today: dt.date,
    child_registered: bool = False,
) -> Problem | None:
    """Why this child (or, with no participant, the family) cannot register for this date, or None. Seats are
    not its business: `occurrence_openings` counts them, under the lock, at the checkout.

    `family_registrations_for_this_occurrence` counts the family's registrations for the date not cancelled
    (its children's, or its own), `child_registered` says whether this child's is one of them."""
    if occurrence.date < today:
        return Problem(PASSED)
    if occurrence.status == OccurrenceStatus.UNAVAILABLE:
        return Problem(UNAVAILABLE)
    if occurrence.status == OccurrenceStatus.NOTICE:
        return Problem(NOT_BOOKABLE_YET)
    if event.registrant == EventRegistrant.FAMILY:
        return Problem(FAMILY_ONCE) if family_registrations_for_this_occurrence else None
    if participant is None:
        return Problem(CHOOSE_CHILDREN)
    name = participant.first_name
    if child_registered:
        return Problem(CHILD_REGISTERED, {'child': name})
    if family_registrations_for_this_occurrence >= event.most_children:
        most = event.most_children
        return Problem(AT_MOST_CHILDREN, {'count': most}, plural=AT_MOST_CHILDREN_PLURAL, count=most)
    return _age_problem(event, occurrence, participant)


def _age_problem(event: EventType, occurrence: EventOccurrence, participant: Participant) -> Problem | None:
    youngest, oldest = event.min_age_months, event.max_age_months
    if youngest is None and oldest is None:
        return None
    name = participant.first_name
    if participant.birthdate is None:
        return Problem(NEEDS_BIRTHDATE, {'child': name})
    months = ages.age_in_months(participant.birthdate, event.age_cutoff or occurrence.date)
    if ages.within_ages(months, youngest, oldest):
        return None
    whole = ages.whole_years(youngest, oldest)
    values: dict[str, object] = {'child': name, 'age': Age(months, whole)}
    if youngest is not None:
        values['youngest'] = Age(youngest, whole)
    if oldest is not None:
        values['oldest'] = Age(oldest, whole)
    message = (
        AGES_BETWEEN if youngest is not None and oldest is not None else AGES_FROM if oldest is None else AGES_UP_TO
    )
    return Problem(message, values)


async def register_in(
    uow: UnitOfWork, occurrence: EventOccurrence, family_id: int, participant_id: int | None, registered_by: str
) -> EventRegistration:
    """Register a child (or, with no participant, the family) for a date. The caller holds the event's lock
    (`lock_events`) and has found an opening and no `event_problem`; it writes the log line."""
    return await EventRegistration.create(
        occurrence_id=occurrence.id,
        family_id=family_id,
        participant_id=participant_id,
        registered_at=clock.now(),
        registered_by=registered_by,
        using_db=uow.connection,
    )


async def cancel_registration_by_staff(by: StaffActor, registration_id: int | str) -> EventRegistration:
    """The desk or an administrator cancels a registration: its seat is free at once, the registration kept.
    One cancelled already, or none such, is NotFound."""
    _require_event_staff(by)
    async with UnitOfWork() as uow:
        db = uow.connection
        registration = await EventRegistration.get_or_none(id=checked_id(registration_id), using_db=db)
        if registration is None:
            raise NotFound()
        occurrence = await EventOccurrence.get(id=registration.occurrence_id, using_db=db)
        event = await _locked_event(uow, occurrence.event_id)
        now = clock.now()
        cancelled = await _live(EventRegistration.filter(id=registration.id)).using_db(db).update(cancelled_at=now)
        if not cancelled:
            raise NotFound()  # cancelled meanwhile
        registration.cancelled_at = now
        family = await Family.get(id=registration.family_id, using_db=db)
        who = 'Family'
        if registration.participant_id is not None:
            who = (await Participant.get(id=registration.participant_id, using_db=db)).full_name
        said = f'Registration cancelled for Event: {event.name} - Date/Time: {_log_moment(occurrence)} - {who}'
        await portal_log.record(uow, staff_subject(family, by), 'event_registration_cancelled', f'{said} by {by.name}')
        target = f'{_occurrence_target(event, occurrence)} - {who} of the {family.name} family'
        await audit.record(
            uow, by, 'event_registration_cancelled', target, None, {'cancelled_at': now}, family_id=family.id
        )
    return registration


def _require_event_staff(staff: StaffActor) -> None:
    """Instructors see only the classes they teach; events are the desk's and the administrators'."""
    if staff.role == StaffRole.INSTRUCTOR:
        raise PermissionDenied()


# What staff and families read


@dataclass(frozen=True)
class OccurrenceLine:
    occurrence: EventOccurrence
    event: EventType
    location: Location
    room: Room | None
    seats: Seats

    @property
    def openings(self) -> int:
        return self.seats.openings

    @property
    def bookable(self) -> bool:
        """Families may book it: open, with a seat. A date on notice is shown, never booked."""
        return self.occurrence.status == OccurrenceStatus.OPEN and self.seats.openings > 0


async def events_by_date(for_families: bool, from_date: dt.date) -> list[OccurrenceLine]:
    """Dates from `from_date` on, earliest first, each with its event, place and seats. Families see only the
    events shown to them and no date made unavailable (one on notice, yes: shown, not bookable)."""
    query = EventOccurrence.filter(date__gte=from_date)
    if for_families:
        query = query.filter(event__shown_to_families=True).exclude(status=OccurrenceStatus.UNAVAILABLE)
    occurrences = await query.select_related('event__location', 'room').order_by('date', 'start_minute', 'id')
    return await _lines(occurrences)


async def _lines(occurrences: list[EventOccurrence]) -> list[OccurrenceLine]:
    seats = await seat_counts(None, [occurrence.id for occurrence in occurrences])
    return [
        OccurrenceLine(occurrence, occurrence.event, occurrence.event.location, occurrence.room, seats[occurrence.id])
        for occurrence in occurrences
    ]


@dataclass(frozen=True)
class EventSummary:
    event: EventType
    location: Location
    upcoming: list[OccurrenceLine]  # from today, earliest first


async def events_overview(staff: StaffActor, from_date: dt.date) -> list[EventSummary]:
    """Every event by name, with its dates from `from_date` on: the staff's list of events."""
    _require_event_staff(staff)
    events = await EventType.all().select_related('location').order_by('name', 'id')
    lines = await events_by_date(False, from_date)
    return [
        EventSummary(event, event.location, [line for line in lines if line.event.id == event.id]) for event in events
    ]


@dataclass(frozen=True)
class StoredEvent:
    """An event as stored, in its form's words, with every date it has (latest first) and their seats."""

    event: EventType
    form: EventTypeForm
    occurrences: list[OccurrenceLine]


async def event_for_editing(staff: StaffActor, event_id: int | str) -> StoredEvent:
    _require_event_staff(staff)
    event = await EventType.get_or_none(id=checked_id(event_id)).select_related('location')
    if event is None:
        raise NotFound()
    policies = await _policies_of(None, event)
    youngest, oldest = _years_and_months(event.min_age_months), _years_and_months(event.max_age_months)
    form = EventTypeForm(
        name=event.name,
        location_id=event.location_id,
        fee=str(event.fee),
        description=event.description,
        registrant=EventRegistrant(event.registrant).value,
        most_children=str(event.most_children),
        min_age_years=youngest[0],
        min_age_months=youngest[1],
        max_age_years=oldest[0],
        max_age_months=oldest[1],
        age_cutoff=event.age_cutoff.isoformat() if event.age_cutoff else '',
        max_size=str(event.max_size) if event.max_size is not None else '',
        shown_to_families=event.shown_to_families,
        policy_ids=tuple(policies),
    )
    occurrences = await EventOccurrence.filter(event_id=event.id).select_related('event__location', 'room')
    dated = sorted(occurrences, key=lambda o: (o.date, o.start_minute, o.id), reverse=True)
    return StoredEvent(event, form, await _lines(dated))


def occurrence_form(occurrence: EventOccurrence) -> OccurrenceForm:
    """A date as its form types it."""
    return OccurrenceForm(
        occurrence.date.isoformat(),
        occurrence.start_time.strftime('%H:%M'),
        occurrence.end_time.strftime('%H:%M'),
        str(occurrence.capacity),
        occurrence.room_id,
        OccurrenceStatus(occurrence.status).value,
    )


@dataclass(frozen=True)
class EventChoices:
    locations: list[LocationWithRooms]
    policies: list[Choice]  # current policies, by their newest title

    def rooms_of(self, location_id: int | None) -> list[Room]:
        return next((place.rooms for place in self.locations if place.location.id == location_id), [])


async def event_choices() -> EventChoices:
    """What an event's forms choose from."""
    versions = await current_versions()
    return EventChoices(
        (await catalogue_setup()).locations,
        [Choice(version.policy_id, version.title) for version in versions],  # type: ignore[attr-defined]
    )


# The roster of a date


@dataclass(frozen=True)
class RosterEntry:
    registration_id: int
    child: str  # '' for a family's registration
    age: tuple[int, int] | None  # years and months on the date; None for a family or without a birthdate
    family_id: int
    family_name: str
    allergies: str
    medical_notes: str
    phones: list[Phone] = field(default_factory=list)  # primary contact first
    registered_at: dt.datetime | None = None
    registered_by: str = ''

    @property
    def has_allergies(self) -> bool:
        return bool(self.allergies.strip())

    @property
    def has_medical_notes(self) -> bool:
        return bool(self.medical_notes.strip())


@dataclass(frozen=True)
class OccurrenceRoster:
    line: OccurrenceLine
    entries: list[RosterEntry]  # families' registrations first, then children by name


async def occurrence_roster(staff: StaffActor, occurrence_id: int | str) -> OccurrenceRoster:
    """Who is registered for a date (not the cancelled), with what staff need on the day."""
    _require_event_staff(staff)
    occurrence = await EventOccurrence.get_or_none(id=checked_id(occurrence_id)).select_related(
        'event__location', 'room'
    )
    if occurrence is None:
        raise NotFound()
    [line] = await _lines([occurrence])
    registrations = await _live(EventRegistration.filter(occurrence_id=occurrence.id)).select_related(
        'family', 'participant'
    )
    phones = await _phones({registration.family_id for registration in registrations})
    entries = [
        _entry(registration, occurrence.date, phones.get(registration.family_id, [])) for registration in registrations
    ]
    entries.sort(key=lambda entry: (entry.child != '', entry.child.casefold(), entry.family_name.casefold()))
    return OccurrenceRoster(line, entries)


async def _phones(family_ids: set[int]) -> dict[int, list[Phone]]:
    contacts = await Contact.filter(family_id__in=family_ids, removed_at=None, mobile_phone__isnull=False).order_by(
        '-is_primary', 'id'
    )
    phones: dict[int, list[Phone]] = {}
    for contact in contacts:
        if contact.mobile_phone:
            phones.setdefault(contact.family_id, []).append(
                Phone(contact.full_name, contact.mobile_phone, contact.is_primary)
            )
    return phones


def _entry(registration: EventRegistration, on: dt.date, phones: list[Phone]) -> RosterEntry:
    child = registration.participant
    age = None
    if child is not None and child.birthdate is not None and child.birthdate <= on:
        age = divmod(ages.age_in_months(child.birthdate, on), 12)
    return RosterEntry(
        registration.id,
        child.full_name if child is not None else '',
        age,
        registration.family_id,
        registration.family.name,
        child.allergies if child is not None else '',
        child.medical_notes if child is not None else '',
        phones,
        registration.registered_at,
        registration.registered_by,
    )
