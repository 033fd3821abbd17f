"""Finding a family, and the family file staff open: contacts, participants, account, portal sessions."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q

from domain.billing.ledger import AccountSummary, account_summary
from domain.classes import seats
from domain.errors import NotFound
from domain.models import (
    Contact,
    Course,
    CourseStatus,
    Enrolment,
    Family,
    MeetingPattern,
    Participant,
    PortalSession,
)
from domain.records import checked_id


@dataclass(frozen=True)
class FamilyRow:
    id: int
    name: str
    status: str
    contacts: str


@dataclass(frozen=True)
class EnrolableClass:
    """A class staff may enrol a child in, with what tells it apart at the desk: when it meets, places left."""

    course: Course
    patterns: list[MeetingPattern]
    openings: int  # by the one capacity rule


@dataclass(frozen=True)
class FamilyFile:
    family: Family
    contacts: list[Contact]
    participants: list[Participant]
    account: AccountSummary
    open_sessions: dict[int, int]  # contact id -> sessions not ended
    removed: tuple[Contact, ...] = ()  # taken off the family: their payments, agreements and log lines stay theirs
    removed_participants: tuple[Participant, ...] = ()  # left the studio: their history stays, read-only
    enrolments: tuple[Enrolment, ...] = ()  # every class its children were ever enrolled in, their courses loaded
    enrolable: tuple[EnrolableClass, ...] = ()  # the classes staff may enrol a child in: not draft, closed or archived


async def find_families(text: str = '', *, limit: int = 50) -> list[FamilyRow]:
    """By family name, or by a contact's name, email or phone."""
    query = Family.all()
    if needle := text.strip():
        query = query.filter(
            Q(name__icontains=needle)
            | Q(contacts__first_name__icontains=needle)
            | Q(contacts__last_name__icontains=needle)
            | Q(contacts__email__icontains=needle)
            | Q(contacts__mobile_phone__icontains=needle)
        ).distinct()
    families = await query.order_by('name', 'id').limit(limit).prefetch_related('contacts')
    return [FamilyRow(f.id, f.name, f.status.value, ', '.join(c.full_name for c in f.contacts)) for f in families]


async def family_file(family_id: int | str) -> FamilyFile:
    family_id = checked_id(family_id)
    family = await Family.get_or_none(id=family_id)
    if family is None:
        raise NotFound()
    everyone = await Contact.filter(family_id=family_id).order_by('-is_primary', 'id')
    contacts = [c for c in everyone if c.removed_at is None]
    sessions = await PortalSession.filter(contact_id__in=[c.id for c in contacts], ended_at=None).values_list(
        'contact_id', flat=True
    )
    open_sessions = {c.id: sum(1 for s in sessions if s == c.id) for c in contacts}
    children = await Participant.filter(family_id=family_id).order_by('first_name', 'id')
    return FamilyFile(
        family,
        contacts,
        [p for p in children if p.removed_at is None],
        await account_summary(family_id, recent=10),
        open_sessions,
        tuple(c for c in everyone if c.removed_at is not None),
        tuple(p for p in children if p.removed_at is not None),
        tuple(await Enrolment.filter(family_id=family_id).select_related('course').order_by('-starts_on', 'id')),
        await _enrolable(),
    )


async def _enrolable() -> tuple[EnrolableClass, ...]:
    """Classes neither draft, closed nor archived, by name, with their meetings and places left: three queries."""
    courses = await Course.filter(status__in=(CourseStatus.FUTURE, CourseStatus.ACTIVE)).order_by('name', 'id')
    ids = [course.id for course in courses]
    patterns: dict[int, list[MeetingPattern]] = {course_id: [] for course_id in ids}
    for pattern in await MeetingPattern.filter(course_id__in=ids).order_by('id'):
        patterns[pattern.course_id].append(pattern)
    counted = await seats.taken(ids)
    return tuple(
        EnrolableClass(course, patterns[course.id], seats.open_to_newcomers(course, counted[course.id]))
        for course in courses
    )
