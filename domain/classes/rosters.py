"""What staff see of the classes: which ones (an instructor, only those they teach), the list of them, and each
class's roster of children with their ages, health flags and the family's phones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from tortoise.queryset import QuerySet

from domain.access.actors import StaffActor
from domain.classes import seats
from domain.classes.catalogue import CatalogueLine, catalogue
from domain.errors import NotFound
from domain.models import (
    Contact,
    Course,
    CourseInstructor,
    Enrolment,
    Location,
    MeetingPattern,
    Participant,
    Room,
    StaffRole,
    Term,
)
from domain.records import checked_id
from domain.studio import settings


def visible_courses(staff: StaffActor) -> QuerySet[Course]:
    """The classes this staff member may see: an instructor only those they teach, the desk and admins all."""
    courses = Course.all()
    if staff.role == StaffRole.INSTRUCTOR:
        courses = courses.filter(teaching__staff_id=staff.staff_id)
    return courses


def in_week_order(patterns: list[MeetingPattern]) -> list[MeetingPattern]:
    """Monday's meetings before Saturday's, the earlier of a day's first."""
    return sorted(patterns, key=lambda pattern: (min(pattern.weekdays, default=7), pattern.start_minute, pattern.id))


# The class list


@dataclass(frozen=True)
class ClassLine:
    line: CatalogueLine  # the class with enrolled / capacity / openings
    patterns: list[MeetingPattern]
    instructors: list[str]  # first instructor first


@dataclass(frozen=True)
class ClassList:
    lines: list[ClassLine]
    terms: list[Term]  # every session, latest first, to choose from


async def class_list(staff: StaffActor, *, term_id: int | None = None, text: str = '') -> ClassList:
    """The classes the staff member sees, of one session or all, those whose name, location or instructor
    holds `text`."""
    visible = set(await visible_courses(staff).values_list('id', flat=True))
    lines = [line for line in await catalogue(term_id=term_id) if line.course.id in visible]
    ids = [line.course.id for line in lines]
    patterns = in_week_order(await MeetingPattern.filter(course_id__in=ids))
    teaching = await CourseInstructor.filter(course_id__in=ids).order_by('position', 'id').select_related('staff')
    needle = text.strip().casefold()
    listed = []
    for line in lines:
        names = [teacher.staff.name for teacher in teaching if teacher.course_id == line.course.id]
        searched = ' '.join([line.course.name, line.location.name, *names]).casefold()
        if needle in searched:
            meets = [pattern for pattern in patterns if pattern.course_id == line.course.id]
            listed.append(ClassLine(line, meets, names))
    return ClassList(listed, await Term.all().order_by('-starts_on', 'id'))


# The roster


@dataclass(frozen=True)
class Phone:
    contact: str  # the contact's name
    mobile: str  # E.164
    primary: bool


@dataclass(frozen=True)
class RosterChild:
    participant_id: int
    name: str
    age: tuple[int, int] | None  # years and months today; None without a birthdate
    starts_on: dt.date | None  # a future enrolment's first day; None once it has begun
    allergies: str
    medical_notes: str
    family_id: int
    family_name: str
    phones: list[Phone]  # primary contact first

    @property
    def has_allergies(self) -> bool:
        return bool(self.allergies.strip())

    @property
    def has_medical_notes(self) -> bool:
        return bool(self.medical_notes.strip())


@dataclass(frozen=True)
class Roster:
    course: Course
    term: Term
    location: Location
    room: Room | None
    patterns: list[MeetingPattern]
    instructors: list[str]  # first instructor first
    children: list[RosterChild]  # by first name, then last


async def roster(staff: StaffActor, course_id: int | str) -> Roster:
    """The children enrolled in the class from today on (a future one says when it starts). Another instructor's
    class, a missing one and an impossible id are the same NotFound."""
    course = await visible_courses(staff).filter(id=checked_id(course_id)).select_related('term', 'location').first()
    if course is None:
        raise NotFound()
    today = settings.today()
    enrolments = await Enrolment.filter(seats.still_meeting(today), course_id=course.id).select_related(
        'participant', 'family'
    )
    families = {enrolment.family_id for enrolment in enrolments}
    contacts = await Contact.filter(family_id__in=families, removed_at=None, mobile_phone__isnull=False).order_by(
        '-is_primary', 'id'
    )
    phones: dict[int, list[Phone]] = {}
    for contact in contacts:
        if contact.mobile_phone:
            phones.setdefault(contact.family_id, []).append(
                Phone(contact.full_name, contact.mobile_phone, contact.is_primary)
            )
    children = [_child(enrolment, today, phones.get(enrolment.family_id, [])) for enrolment in enrolments]
    teaching = await CourseInstructor.filter(course_id=course.id).order_by('position', 'id').select_related('staff')
    return Roster(
        course,
        course.term,
        course.location,
        await Room.get_or_none(id=course.room_id) if course.room_id is not None else None,
        in_week_order(await MeetingPattern.filter(course_id=course.id)),
        [teacher.staff.name for teacher in teaching],
        sorted(children, key=lambda child: (child.name.casefold(), child.participant_id)),
    )


def _child(enrolment: Enrolment, today: dt.date, phones: list[Phone]) -> RosterChild:
    child: Participant = enrolment.participant
    return RosterChild(
        child.id,
        child.full_name,
        age_on(child.birthdate, today),
        enrolment.starts_on if enrolment.starts_on > today else None,
        child.allergies,
        child.medical_notes,
        enrolment.family_id,
        enrolment.family.name,
        phones,
    )


def age_on(birthdate: dt.date | None, day: dt.date) -> tuple[int, int] | None:
    """Whole years and months on `day` (born 4 March 2012: 14 years 8 months on 2 December 2026)."""
    if birthdate is None or birthdate > day:
        return None
    between = relativedelta(day, birthdate)
    return between.years, between.months
