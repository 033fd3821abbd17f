"""The roster an instructor takes of one class meeting: who is expected (the children enrolled, makeup visitors
and approved trials), what the family reported, and the marks saved; saving it confirms absences, issues and
revokes makeup credits, and records the makeups taken.

A meeting is its class and its date. Instructors see only the meetings of the classes they teach (the classes'
own `visible_courses`). A roster is saved against the version it was loaded with, in one conditional UPDATE,
so of two instructors saving the same meeting at once exactly one wins and the other is told.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from domain import audit, clock, portal_log
from domain.absences import credits
from domain.absences.rules import CreditRule, meeting_start
from domain.access.actors import StaffActor
from domain.classes import seats
from domain.classes.enrolment import class_facts
from domain.classes.meetings import Meeting
from domain.classes.rosters import RosterChild, age_on, visible_courses
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family.participants import staff_subject
from domain.i18n import N_
from domain.models import (
    Absence,
    AbsenceReason,
    Attendance,
    AttendanceMark,
    ClassRequest,
    Course,
    CourseInstructor,
    CourseStatus,
    CreditOrigin,
    CreditStatus,
    Enrolment,
    Family,
    Makeup,
    MakeupCredit,
    MakeupStatus,
    Participant,
    RequestKind,
    RequestStatus,
    RollCall,
    RosterRole,
    StaffRole,
)
from domain.portal_log import log_day
from domain.records import checked_id
from domain.studio import settings
from domain.unit_of_work import UnitOfWork

MEETING_STATUSES = (CourseStatus.FUTURE, CourseStatus.ACTIVE, CourseStatus.CLOSED)
ABSENT_MARKS = (AttendanceMark.ABSENT, AttendanceMark.EXCUSED)
ATTENDED_MARKS = (AttendanceMark.PRESENT, AttendanceMark.LATE)


class RosterChanged(DomainError):
    """Someone saved this meeting's roster after it was loaded: nothing of this save was written."""

    MESSAGE = N_('Someone else saved this roster while you were taking it. Reload it to see their marks.')


class RosterTooEarly(DomainError):
    MESSAGE = N_('A roster can be saved once its class has started.')


@dataclass(frozen=True)
class MeetingLine:
    course_id: int
    course: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str
    room: str
    instructors: list[str]  # first instructor first
    enrolled: int
    absent: int  # reported absences
    makeups: int
    trials: int
    taken: bool  # a roster was saved

    @property
    def expected(self) -> int:
        return self.enrolled - self.absent + self.makeups + self.trials


@dataclass(frozen=True)
class RosterLine:
    child: RosterChild  # name, age, allergy and medical flags
    role: RosterRole
    reason: AbsenceReason | None  # a live absence's reason (reported by the family, or excused by staff)
    note: str  # the family's own words with it
    mark: AttendanceMark | None  # the saved mark; before any save, absent where an absence was reported
    credit_id: int | None  # this meeting's makeup credit for an enrolled child
    credit: CreditStatus | None

    @property
    def participant_id(self) -> int:
        return self.child.participant_id


@dataclass(frozen=True)
class MeetingRoster:
    course_id: int
    course: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str
    room: str
    instructors: list[str]
    lines: list[RosterLine]  # by first name, then last
    version: int | None  # the saved roster's, to save against; None before the first save
    taken_by: str
    taken_at: dt.datetime | None
    can_save: bool  # the class has started (the roster can be marked before, not saved)
    decides_credits: bool  # the studio decides each credit, and this staff member may (desk and admins)


# Reading


async def meetings_on(staff: StaffActor, day: dt.date) -> list[MeetingLine]:
    """The class meetings on a day (closed dates have none) in time order; an instructor's only those they teach."""
    courses = (
        await visible_courses(staff)
        .filter(starts_on__lte=day, ends_on__gte=day, status__in=MEETING_STATUSES)
        .select_related('location', 'room')
    )
    facts = await class_facts(None, courses)
    meeting = {course.id: _meeting_on(facts[course.id].meetings, day) for course in courses}
    meeting_courses = [course for course in courses if meeting[course.id] is not None]
    ids = [course.id for course in meeting_courses]
    enrolments = await Enrolment.filter(seats.still_meeting(day), course_id__in=ids, starts_on__lte=day).values_list(
        'id', 'course_id'
    )
    enrolled = _counted(course for _id, course in enrolments)
    absent = await _counts(
        Absence.filter(enrolment_id__in=[e for e, _course in enrolments], date=day, cancelled_at__isnull=True)
    )
    makeups = await _counts(Makeup.filter(course_id__in=ids, date=day, status=MakeupStatus.BOOKED))
    trials = await _counts(_trials(ids, day))
    taken = set(await RollCall.filter(course_id__in=ids, date=day).values_list('course_id', flat=True))
    teachers = await _instructors(ids)
    lines = []
    for course in meeting_courses:
        found = meeting[course.id]
        assert found is not None
        lines.append(
            MeetingLine(
                course.id,
                course.name,
                day,
                found.start,
                found.end,
                course.location.name,
                course.room.name if course.room else '',
                teachers.get(course.id, []),
                enrolled.get(course.id, 0),
                absent.get(course.id, 0),
                makeups.get(course.id, 0),
                trials.get(course.id, 0),
                course.id in taken,
            )
        )
    return sorted(lines, key=lambda line: (line.start, line.course.casefold(), line.course_id))


async def meeting_roster(staff: StaffActor, course_id: int | str, day: dt.date) -> MeetingRoster:
    """Who is expected at one meeting and how they were marked. Another instructor's class, a class that does not
    meet that day (or a closed date) and an impossible id are the same NotFound."""
    course, meeting = await _meeting(staff, course_id, day)
    call = await RollCall.get_or_none(course_id=course.id, date=day)
    saved = dict(await Attendance.filter(roll_call_id=call.id).values_list('participant_id', 'mark')) if call else {}
    expected = await _expected(course.id, day)
    absences = {a.participant_id: a for a in await _live_absences(course.id, day)}
    credit_of = {c.participant_id: c for c in await MakeupCredit.filter(course_id=course.id, missed_on=day)}
    lines = []
    for child, role in expected.values():
        absence = absences.get(child.id) if role == RosterRole.ENROLLED else None
        credit = credit_of.get(child.id) if role == RosterRole.ENROLLED else None
        if call is not None:
            mark = AttendanceMark(saved[child.id]) if child.id in saved else None
        else:
            mark = AttendanceMark.ABSENT if absence is not None else None
        lines.append(
            RosterLine(
                _roster_child(child, day),
                role,
                absence.reason if absence else None,
                absence.note if absence else '',
                mark,
                credit.id if credit else None,
                credit.status if credit else None,
            )
        )
    lines.sort(key=lambda line: (line.child.name.casefold(), line.participant_id))
    rules = settings.current().absences
    return MeetingRoster(
        course.id,
        course.name,
        day,
        meeting.start,
        meeting.end,
        course.location.name,
        course.room.name if course.room else '',
        (await _instructors([course.id])).get(course.id, []),
        lines,
        call.version if call else None,
        call.taken_by if call else '',
        call.taken_at if call else None,
        _may_take(day, meeting),
        rules.credit == CreditRule.STAFF and staff.role != StaffRole.INSTRUCTOR,
    )


async def meeting_days(staff: StaffActor, course_id: int | str) -> tuple[list[dt.date], dt.date | None]:
    """The days a class meets (closed dates out), and the one a roster is most likely taken for: today's meeting,
    else the last one before today, else the first. NotFound as for the roster."""
    course = await visible_courses(staff).filter(id=checked_id(course_id), status__in=MEETING_STATUSES).first()
    if course is None:
        raise NotFound()
    days = sorted({meeting.date for meeting in (await class_facts(None, [course]))[course.id].meetings})
    today = settings.today()
    past = [day for day in days if day <= today]
    return days, past[-1] if past else (days[0] if days else None)


# Saving


async def save_roll(
    staff: StaffActor, course_id: int | str, day: dt.date, marks: dict[int, str], seen_version: int | None
) -> RollCall:
    """Save the marks of every child expected at the meeting, against the version the roster was loaded with
    (None: none was saved yet). An absence marked absent or excused is confirmed and earns its credit by the
    studio's rules; an excused child nobody reported gets a staff absence and a credit; a child marked present
    after all loses the meeting's credit; a makeup visitor's credit is used. All of it, or nothing."""
    course, meeting = await _meeting(staff, course_id, day)
    if not _may_take(day, meeting):
        raise RosterTooEarly()
    async with UnitOfWork() as uow:
        db = uow.connection
        expected = await _expected(course.id, day, db)
        chosen = _checked_marks(marks, expected)
        # Every family's row, then the class's, in the order every service takes them: a roster saved while a
        # parent books a makeup or the worker confirms an absence waits its turn instead of deadlocking.
        families = sorted({child.family_id for child, _role in expected.values()})
        await Family.select_for_update().filter(id__in=families).using_db(db).order_by('id')
        await seats.lock_classes(db, [course.id])
        call = await _claim(uow, course, day, seen_version, staff)
        before = dict(await Attendance.filter(roll_call_id=call.id).using_db(db).values_list('participant_id', 'mark'))
        await Attendance.filter(roll_call_id=call.id).using_db(db).delete()
        await Attendance.bulk_create(
            [
                Attendance(
                    roll_call_id=call.id,
                    participant_id=child.id,
                    family_id=child.family_id,
                    role=role,
                    mark=chosen[child.id],
                )
                for child, role in expected.values()
            ],
            using_db=db,
        )
        await _apply(uow, staff, course, day, expected, chosen)
        await audit.record(
            uow,
            staff,
            'roster_taken',
            f'{course.name} - {log_day(day)}',
            {'marks': _named(before, expected)} if before else None,
            {'marks': _named(chosen, expected)},
        )
    return call


async def _claim(
    uow: UnitOfWork, course: Course, day: dt.date, seen_version: int | None, staff: StaffActor
) -> RollCall:
    """Take the meeting's roster for this save, raising its version in the same statement that checks it: a second
    save from the same version finds no row (or, for the first roster, the row the first one inserted)."""
    db = uow.connection
    now = clock.now()
    if seen_version is None:
        try:
            return await RollCall.create(
                using_db=db, course_id=course.id, date=day, taken_at=now, taken_by=staff.name, version=1
            )
        except IntegrityError:
            raise RosterChanged() from None
    changed = (
        await RollCall.filter(course_id=course.id, date=day, version=seen_version)
        .using_db(db)
        .update(version=F('version') + 1, taken_at=now, taken_by=staff.name)
    )
    if not changed:
        raise RosterChanged()
    return await RollCall.get(course_id=course.id, date=day, using_db=db)


async def _apply(
    uow: UnitOfWork,
    staff: StaffActor,
    course: Course,
    day: dt.date,
    expected: dict[int, tuple[Participant, RosterRole]],
    chosen: dict[int, AttendanceMark],
) -> None:
    db = uow.connection
    now = clock.now()
    enrolments = {
        e.participant_id: e
        for e in await Enrolment.filter(seats.still_meeting(day), course_id=course.id, starts_on__lte=day).using_db(db)
    }
    absences = {
        a.participant_id: a for a in await Absence.filter(course_id=course.id, date=day).using_db(db).order_by('id')
    }
    families = {f.id: f for f in await Family.filter(id__in={c.family_id for c, _ in expected.values()}).using_db(db)}
    for child, role in expected.values():
        mark = chosen[child.id]
        subject = staff_subject(families[child.family_id], staff)
        if role == RosterRole.MAKEUP:
            await _makeup_taken(db, course.id, day, child.id, mark, now)
            continue
        if role != RosterRole.ENROLLED:
            continue
        enrolment = enrolments[child.id]
        absence = absences.get(child.id)
        live = absence is not None and absence.cancelled_at is None
        if mark in ATTENDED_MARKS:
            if live and absence is not None and absence.confirmed_at is not None:
                await Absence.filter(id=absence.id).using_db(db).update(confirmed_at=None)
            await credits.revoke(uow, enrolment.id, day, subject=subject)
        elif live and absence is not None:
            if absence.confirmed_at is None:
                await Absence.filter(id=absence.id).using_db(db).update(confirmed_at=now)
            await credits.issue(
                uow, enrolment, day, origin=CreditOrigin.ABSENCE, absence=absence, issued_by=staff.name, subject=subject
            )
        elif mark == AttendanceMark.EXCUSED:
            excused = await _staff_absence(db, enrolment, absence, day, staff, now)
            await portal_log.record(
                uow,
                subject,
                'absence_excused',
                f'Absence excused: {child.full_name} - {course.name} - {log_day(day)} - By: {staff.name}',
            )
            await credits.issue(
                uow, enrolment, day, origin=CreditOrigin.EXCUSED, absence=excused, issued_by=staff.name, subject=subject
            )


async def _staff_absence(
    db: BaseDBAsyncClient,
    enrolment: Enrolment,
    absence: Absence | None,
    day: dt.date,
    staff: StaffActor,
    now: dt.datetime,
) -> Absence:
    """The absence staff record by marking a child excused whom nobody reported (a cancelled report comes back)."""
    values = dict(
        reason=AbsenceReason.OTHER,
        note='',
        contact_id=None,
        reported_by=staff.name,
        reported_at=now,
        in_time=True,
        cancelled_at=None,
        cancelled_by='',
        confirmed_at=now,
    )
    if absence is None:
        return await Absence.create(
            using_db=db,
            enrolment_id=enrolment.id,
            family_id=enrolment.family_id,
            participant_id=enrolment.participant_id,
            course_id=enrolment.course_id,
            date=day,
            **values,
        )
    await Absence.filter(id=absence.id).using_db(db).update(**values)
    return await Absence.get(id=absence.id, using_db=db)


async def _makeup_taken(
    db: BaseDBAsyncClient, course_id: int, day: dt.date, participant_id: int, mark: AttendanceMark, now: dt.datetime
) -> None:
    """A makeup visitor marked present, late or absent has used the credit; excused leaves it as it is."""
    if mark == AttendanceMark.EXCUSED:
        return
    credit_ids = (
        await Makeup.filter(course_id=course_id, date=day, participant_id=participant_id, status=MakeupStatus.BOOKED)
        .using_db(db)
        .values_list('credit_id', flat=True)
    )
    if credit_ids:
        await (
            MakeupCredit.filter(id__in=list(credit_ids), status=CreditStatus.BOOKED)
            .using_db(db)
            .update(status=CreditStatus.USED, closed_at=now)
        )


# Shared


async def _meeting(staff: StaffActor, course_id: int | str, day: dt.date) -> tuple[Course, Meeting]:
    course = (
        await visible_courses(staff)
        .filter(id=checked_id(course_id), status__in=MEETING_STATUSES)
        .select_related('location', 'room')
        .first()
    )
    if course is None:
        raise NotFound()
    found = _meeting_on((await class_facts(None, [course]))[course.id].meetings, day)
    if found is None:
        raise NotFound()
    return course, found


def _meeting_on(meetings: list[Meeting], day: dt.date) -> Meeting | None:
    return next((meeting for meeting in meetings if meeting.date == day), None)


def _may_take(day: dt.date, meeting: Meeting) -> bool:
    """A roster is saved once its class has started: before that a family may still report the absence (and an
    early roster would confirm absences, and credit them, for a class not yet held)."""
    return clock.now() >= meeting_start(day, meeting.start, settings.current().timezone)


def _trials(course_ids: Iterable[int], day: dt.date):
    return ClassRequest.filter(
        course_id__in=list(course_ids), kind=RequestKind.TRIAL, status=RequestStatus.APPROVED, on_date=day
    )


async def _expected(
    course_id: int, day: dt.date, db: BaseDBAsyncClient | None = None
) -> dict[int, tuple[Participant, RosterRole]]:
    """Each child expected at the meeting by participant id: enrolled ones first, then makeup visitors, trials."""
    enrolled = await Enrolment.filter(seats.still_meeting(day), course_id=course_id, starts_on__lte=day).using_db(db)
    makeups = await Makeup.filter(course_id=course_id, date=day, status=MakeupStatus.BOOKED).using_db(db)
    trials = await _trials([course_id], day).using_db(db)
    roles: dict[int, RosterRole] = {}
    for rows, role in ((enrolled, RosterRole.ENROLLED), (makeups, RosterRole.MAKEUP), (trials, RosterRole.TRIAL)):
        for row in rows:
            roles.setdefault(row.participant_id, role)
    children = await Participant.filter(id__in=list(roles)).using_db(db)
    return {child.id: (child, roles[child.id]) for child in children}


async def _live_absences(course_id: int, day: dt.date) -> list[Absence]:
    return await Absence.filter(course_id=course_id, date=day, cancelled_at__isnull=True)


def _checked_marks(
    marks: dict[int, str], expected: dict[int, tuple[Participant, RosterRole]]
) -> dict[int, AttendanceMark]:
    chosen: dict[int, AttendanceMark] = {}
    for participant_id, mark in marks.items():
        if int(participant_id) not in expected:
            raise ValidationFailed({'marks': N_('A child marked is not on this roster. Reload it.')})
        try:
            chosen[int(participant_id)] = AttendanceMark(mark)
        except ValueError:
            raise ValidationFailed({'marks': N_('Choose present, absent, late or excused')}) from None
    if set(chosen) != set(expected):
        raise ValidationFailed({'marks': N_('Mark every child on the roster')})
    return chosen


def _named(marks: dict, expected: dict[int, tuple[Participant, RosterRole]]) -> dict[str, str]:
    return {
        expected[pid][0].full_name if pid in expected else str(pid): str(AttendanceMark(mark).value)
        for pid, mark in sorted(marks.items())
    }


def _roster_child(child: Participant, day: dt.date) -> RosterChild:
    return RosterChild(
        child.id,
        child.full_name,
        age_on(child.birthdate, day),
        None,
        child.allergies,
        child.medical_notes,
        child.family_id,
        '',
        [],
    )


async def _counts(query) -> dict[int, int]:
    return _counted(await query.values_list('course_id', flat=True))


def _counted(course_ids: Iterable[int]) -> dict[int, int]:
    return dict(Counter(course_ids))


async def _instructors(course_ids: list[int]) -> dict[int, list[str]]:
    teaching = (
        await CourseInstructor.filter(course_id__in=course_ids).order_by('position', 'id').select_related('staff')
    )
    names: dict[int, list[str]] = {}
    for teacher in teaching:
        names.setdefault(teacher.course_id, []).append(teacher.staff.name)
    return names
