"""Who a news post, a class resource or a studio message is for, and what a family belongs to.

An audience is a kind and, but for "every family", the id of what it names (a location, a class, a session,
an event, the class whose waitlist is meant, one family, one child). "Enrolled" means a child of the family
holds an enrolment that has not been dropped by `today` (a place starting later counts: its family gets the
welcome letter too); a child whose enrolment was dropped stops belonging on the drop date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tortoise.expressions import Q

from domain.i18n import N_
from domain.models import (
    WAITLIST_LIVE,
    AudienceKind,
    Course,
    Enrolment,
    EventRegistration,
    EventType,
    Family,
    FamilyStatus,
    Location,
    Participant,
    Term,
    WaitlistEntry,
)
from domain.models.family import full_name

# The audiences that reach many families (news posts and the studio's mass messages go to these)
MANY_FAMILIES = (
    AudienceKind.EVERYONE,
    AudienceKind.LOCATION,
    AudienceKind.CLASS,
    AudienceKind.SESSION,
    AudienceKind.EVENT,
    AudienceKind.WAITLIST,
)


@dataclass(frozen=True)
class Audience:
    kind: AudienceKind
    id: int | None = None

    @classmethod
    def everyone(cls) -> Audience:
        return cls(AudienceKind.EVERYONE)


@dataclass
class Belonging:
    """What one family belongs to today, to decide which posts and resources it sees."""

    family_id: int
    locations: set[int] = field(default_factory=set)
    classes: set[int] = field(default_factory=set)
    sessions: set[int] = field(default_factory=set)
    events: set[int] = field(default_factory=set)
    waitlists: set[int] = field(default_factory=set)  # classes a child of the family waits for
    participants: set[int] = field(default_factory=set)  # the family's children (not removed)

    def includes(self, kind: AudienceKind, target: int | None) -> bool:
        match kind:
            case AudienceKind.EVERYONE:
                return True
            case AudienceKind.FAMILY:
                return target == self.family_id
            case AudienceKind.LOCATION:
                return target in self.locations
            case AudienceKind.CLASS:
                return target in self.classes
            case AudienceKind.SESSION:
                return target in self.sessions
            case AudienceKind.EVENT:
                return target in self.events
            case AudienceKind.WAITLIST:
                return target in self.waitlists
            case AudienceKind.PARTICIPANT:
                return target in self.participants
        return False

    def matching(self) -> Q:
        """`includes` as a filter on a table with `audience_kind` and `audience_id` columns, so a read fetches only
        what the family sees (tests/domain/classes/test_audiences.py holds the two to the same answers)."""
        wanted = Q(audience_kind=AudienceKind.EVERYONE) | Q(
            audience_kind=AudienceKind.FAMILY, audience_id=self.family_id
        )
        for kind, ids in (
            (AudienceKind.LOCATION, self.locations),
            (AudienceKind.CLASS, self.classes),
            (AudienceKind.SESSION, self.sessions),
            (AudienceKind.EVENT, self.events),
            (AudienceKind.WAITLIST, self.waitlists),
            (AudienceKind.PARTICIPANT, self.participants),
        ):
            if ids:
                wanted |= Q(audience_kind=kind, audience_id__in=sorted(ids))
        return wanted


def _current(today: dt.date) -> Q:
    """Enrolments that still hold a place on `today` or later."""
    return Q(dropped_on__isnull=True) | Q(dropped_on__gt=today)


def _not_removed() -> Q:
    """An event registration of the family (no child named), or of a child still in the family."""
    return Q(participant_id__isnull=True) | Q(participant__removed_at__isnull=True)


async def belonging(family_id: int, today: dt.date) -> Belonging:
    """Four reads: the family's children, current enrolments (with their classes), events and waitlists."""
    found = Belonging(family_id)
    found.participants = await _ids(
        Participant.filter(family_id=family_id, removed_at__isnull=True).values_list('id', flat=True)
    )
    rows = await Enrolment.filter(
        _current(today), family_id=family_id, participant_id__in=found.participants or [0]
    ).values_list('course_id', 'course__location_id', 'course__term_id')
    for course_id, location_id, term_id in rows:
        found.classes.add(course_id)
        found.locations.add(location_id)
        found.sessions.add(term_id)
    found.events = await _ids(
        EventRegistration.filter(_not_removed(), family_id=family_id, cancelled_at__isnull=True).values_list(
            'occurrence__event_id', flat=True
        )
    )
    found.waitlists = await _ids(
        WaitlistEntry.filter(family_id=family_id, status__in=WAITLIST_LIVE).values_list('course_id', flat=True)
    )
    return found


async def families_of(audience: Audience, today: dt.date) -> set[int]:
    """The ids of the active families an audience reaches today."""
    kind, target = audience.kind, audience.id
    active = await _ids(Family.filter(status=FamilyStatus.ACTIVE).values_list('id', flat=True))
    if kind == AudienceKind.EVERYONE:
        return active
    if kind == AudienceKind.FAMILY:
        return {target} & active if target is not None else set()
    if kind == AudienceKind.PARTICIPANT:
        ids = await _ids(Participant.filter(id=target, removed_at__isnull=True).values_list('family_id', flat=True))
        return ids & active
    if kind == AudienceKind.WAITLIST:
        ids = await _ids(
            WaitlistEntry.filter(course_id=target, status__in=WAITLIST_LIVE).values_list('family_id', flat=True)
        )
        return ids & active
    if kind == AudienceKind.EVENT:
        ids = await _ids(
            EventRegistration.filter(
                _not_removed(), occurrence__event_id=target, cancelled_at__isnull=True
            ).values_list('family_id', flat=True)
        )
        return ids & active
    by = {AudienceKind.CLASS: 'course_id', AudienceKind.LOCATION: 'course__location_id'}
    column = by.get(kind, 'course__term_id')
    ids = await _ids(
        Enrolment.filter(_current(today), participant__removed_at__isnull=True, **{column: target}).values_list(
            'family_id', flat=True
        )
    )
    return ids & active


async def _ids(query: Any) -> set[int]:
    return {int(value) for value in await query}


@dataclass(frozen=True)
class Choice:
    """One audience staff may pick, with its name as shown in a select ("Class: Ballet 2")."""

    audience: Audience
    kind_label: str  # a gettext id
    name: str  # data


KIND_LABELS: dict[AudienceKind, str] = {
    AudienceKind.EVERYONE: N_('Every family'),
    AudienceKind.LOCATION: N_('Location'),
    AudienceKind.CLASS: N_('Class'),
    AudienceKind.SESSION: N_('Session'),
    AudienceKind.EVENT: N_('Event'),
    AudienceKind.WAITLIST: N_('Waiting for'),
    AudienceKind.FAMILY: N_('Family'),
    AudienceKind.PARTICIPANT: N_('Student'),
}


async def choices(*, kinds: tuple[AudienceKind, ...]) -> list[Choice]:
    """Every audience of these kinds staff may pick now, in the order of `kinds`, each kind by name."""
    found: list[Choice] = []
    for kind in kinds:
        label = KIND_LABELS[kind]
        if kind == AudienceKind.EVERYONE:
            found.append(Choice(Audience.everyone(), label, ''))
        elif kind == AudienceKind.LOCATION:
            found += [Choice(Audience(kind, x.id), label, x.name) for x in await Location.all().order_by('name')]
        elif kind in (AudienceKind.CLASS, AudienceKind.WAITLIST):
            courses = await Course.all().order_by('name', 'id').values_list('id', 'name')
            found += [Choice(Audience(kind, course_id), label, name) for course_id, name in courses]
        elif kind == AudienceKind.SESSION:
            found += [Choice(Audience(kind, x.id), label, x.name) for x in await Term.all().order_by('-starts_on')]
        elif kind == AudienceKind.EVENT:
            found += [Choice(Audience(kind, x.id), label, x.name) for x in await EventType.all().order_by('name')]
    return found


async def name_of(audience: Audience) -> str:
    """The name of what an audience names, as data ('' for every family, '?' for one since deleted)."""
    kind, target = audience.kind, audience.id
    model = {
        AudienceKind.LOCATION: Location,
        AudienceKind.CLASS: Course,
        AudienceKind.WAITLIST: Course,
        AudienceKind.SESSION: Term,
        AudienceKind.EVENT: EventType,
        AudienceKind.FAMILY: Family,
    }.get(kind)
    if kind == AudienceKind.EVERYONE:
        return ''
    if kind == AudienceKind.PARTICIPANT:
        child = await Participant.get_or_none(id=target)
        return full_name(child.first_name, child.last_name) if child else '?'
    record = await model.get_or_none(id=target) if model else None
    return str(getattr(record, 'name', '?')) if record else '?'
