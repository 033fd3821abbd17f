"""Absences and makeups (issue 17): an absence a family reports (or staff mark), the makeup credit it may earn,
the makeup a credit books in another meeting, and the roster an instructor takes of each meeting.

A class meeting is named by its class and its date: a class meets at most once a day in the studio's patterns
as they are used here, and a roster, an absence and a makeup all point at that pair.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.models.classes import Course, Enrolment
    from domain.models.family import Family, Participant


class AbsenceReason(StrEnum):
    SICK = 'sick'
    TRAVEL = 'travel'
    SCHOOL_EVENT = 'school_event'
    OTHER = 'other'


class Absence(Model):
    """A child will miss (or missed) one meeting of a class they are enrolled in. Cancelling keeps the row, and a
    second report for the same meeting brings it back, so there is one row per enrolment and date."""

    id = fields.IntField(primary_key=True)
    enrolment: fields.ForeignKeyRelation[Enrolment] = fields.ForeignKeyField(
        'kinroll.Enrolment', related_name='absences', on_delete=fields.CASCADE
    )
    enrolment_id: int
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='absences', on_delete=fields.CASCADE
    )
    family_id: int
    participant: fields.ForeignKeyRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='absences', on_delete=fields.CASCADE
    )
    participant_id: int
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='absences', on_delete=fields.CASCADE
    )
    course_id: int
    date = fields.DateField(db_index=True)
    reason = fields.CharEnumField(AbsenceReason, max_length=16, default=AbsenceReason.OTHER)
    note = fields.TextField(default='')
    contact_id = fields.IntField(null=True)  # who reported it; None: staff, from the roster
    reported_by = fields.CharField(max_length=160)
    reported_at = fields.DatetimeField()
    in_time = fields.BooleanField(default=True)  # reported within the studio's notice
    cancelled_at = fields.DatetimeField(null=True)
    cancelled_by = fields.CharField(max_length=160, default='')
    # The roster was saved with the child absent or excused, or the class ended 30 minutes ago without one.
    confirmed_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = 'absence'
        unique_together = (('enrolment', 'date'),)


class CreditOrigin(StrEnum):
    ABSENCE = 'absence'  # reported by the family
    EXCUSED = 'excused'  # marked excused on the roster, not reported beforehand
    CLOSURE = 'closure'  # the studio closed on a day the class meets


class CreditStatus(StrEnum):
    PENDING = 'pending'  # the studio decides each absence's credit, and has not yet
    AVAILABLE = 'available'
    BOOKED = 'booked'  # a makeup is booked with it
    USED = 'used'  # its makeup took place, or was cancelled after the cut-off
    EXPIRED = 'expired'
    REVOKED = 'revoked'  # the roster later marked the child present
    REFUSED = 'refused'  # the studio decided no credit


CREDIT_HELD = (CreditStatus.PENDING, CreditStatus.AVAILABLE, CreditStatus.BOOKED)  # counted against the limit


class MakeupCredit(Model):
    """One missed meeting's right to attend another: at most one per enrolment and date, whatever its origin."""

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='makeup_credits', on_delete=fields.CASCADE
    )
    family_id: int
    participant: fields.ForeignKeyRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='makeup_credits', on_delete=fields.CASCADE
    )
    participant_id: int
    enrolment: fields.ForeignKeyRelation[Enrolment] = fields.ForeignKeyField(
        'kinroll.Enrolment', related_name='makeup_credits', on_delete=fields.CASCADE
    )
    enrolment_id: int
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='makeup_credits', on_delete=fields.CASCADE
    )  # the class the child missed
    course_id: int
    missed_on = fields.DateField()
    absence: fields.ForeignKeyNullableRelation[Absence] = fields.ForeignKeyField(
        'kinroll.Absence', related_name='credits', null=True, on_delete=fields.SET_NULL
    )
    absence_id: int | None
    origin = fields.CharEnumField(CreditOrigin, max_length=16, default=CreditOrigin.ABSENCE)
    status = fields.CharEnumField(CreditStatus, max_length=16, default=CreditStatus.AVAILABLE, db_index=True)
    issued_at = fields.DatetimeField()
    issued_by = fields.CharField(max_length=160, default='')  # '' for the studio's rules, else staff's name
    expires_on = fields.DateField(null=True, db_index=True)  # the last day a makeup may be taken; None: never
    reminded_at = fields.DatetimeField(null=True)  # the week-before-expiry email went out
    closed_at = fields.DatetimeField(null=True)  # used, expired, revoked or refused
    note = fields.TextField(default='')  # why it was revoked or refused

    makeups: fields.ReverseRelation[Makeup]

    class Meta:
        table = 'makeup_credit'
        unique_together = (('enrolment', 'missed_on'),)


class MakeupStatus(StrEnum):
    BOOKED = 'booked'
    CANCELLED = 'cancelled'  # in time: the credit came back
    LATE_CANCELLED = 'late_cancelled'  # after the cut-off: the credit is used


class Makeup(Model):
    """A child booked into one meeting of another class with a credit. Cancelled ones are kept."""

    id = fields.IntField(primary_key=True)
    credit: fields.ForeignKeyRelation[MakeupCredit] = fields.ForeignKeyField(
        'kinroll.MakeupCredit', related_name='makeups', on_delete=fields.CASCADE
    )
    credit_id: int
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='makeups', on_delete=fields.CASCADE
    )
    family_id: int
    participant: fields.ForeignKeyRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='makeups', on_delete=fields.CASCADE
    )
    participant_id: int
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='makeups', on_delete=fields.CASCADE
    )  # the class the child visits
    course_id: int
    date = fields.DateField(db_index=True)
    status = fields.CharEnumField(MakeupStatus, max_length=16, default=MakeupStatus.BOOKED, db_index=True)
    contact_id = fields.IntField(null=True)  # who booked it; None: staff
    booked_by = fields.CharField(max_length=160)
    booked_at = fields.DatetimeField()
    cancelled_at = fields.DatetimeField(null=True)
    cancelled_by = fields.CharField(max_length=160, default='')

    class Meta:
        table = 'makeup'


class AttendanceMark(StrEnum):
    PRESENT = 'present'
    ABSENT = 'absent'
    LATE = 'late'
    EXCUSED = 'excused'


class RollCall(Model):
    """The roster of one meeting as an instructor saved it, whose marks a later save replaces."""

    id = fields.IntField(primary_key=True)
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='roll_calls', on_delete=fields.CASCADE
    )
    course_id: int
    date = fields.DateField()
    taken_at = fields.DatetimeField()
    taken_by = fields.CharField(max_length=160)
    version = fields.IntField(default=1)  # raised by every save: a roster loaded before it is stale

    marks: fields.ReverseRelation[Attendance]

    class Meta:
        table = 'roll_call'
        unique_together = (('course', 'date'),)


class RosterRole(StrEnum):
    ENROLLED = 'enrolled'
    MAKEUP = 'makeup'
    TRIAL = 'trial'


class Attendance(Model):
    id = fields.IntField(primary_key=True)
    roll_call: fields.ForeignKeyRelation[RollCall] = fields.ForeignKeyField(
        'kinroll.RollCall', related_name='marks', on_delete=fields.CASCADE
    )
    roll_call_id: int
    participant: fields.ForeignKeyRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='attendance', on_delete=fields.CASCADE
    )
    participant_id: int
    family_id = fields.IntField()
    role = fields.CharEnumField(RosterRole, max_length=16, default=RosterRole.ENROLLED)
    mark = fields.CharEnumField(AttendanceMark, max_length=16)

    class Meta:
        table = 'attendance'
        unique_together = (('roll_call', 'participant'),)
