"""The studio's catalogue: locations and rooms, terms (the issue's sessions), categories, classes (`Course`,
since `class` is a keyword), their weekly meeting patterns, and the studio's closed dates.

Moments (when registration opens) are UTC; a class's dates are dates, and a meeting's start and end are times
of day on the studio's own clock, which stay 17:00 across a change to or from summer time.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.models.access import StaffUser
    from domain.models.family import Family, Participant
    from domain.models.registration import Policy


class Location(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120, unique=True)
    address = fields.TextField(default='')  # one line per line

    rooms: fields.ReverseRelation[Room]

    class Meta:
        table = 'location'


class Room(Model):
    id = fields.IntField(primary_key=True)
    location: fields.ForeignKeyRelation[Location] = fields.ForeignKeyField(
        'kinroll.Location', related_name='rooms', on_delete=fields.RESTRICT
    )
    location_id: int
    name = fields.CharField(max_length=80)

    class Meta:
        table = 'room'
        unique_together = (('location', 'name'),)


class Term(Model):
    """What the studio calls a session: the dates its classes run between, and when families may enrol."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    registration_opens_at = fields.DatetimeField()
    early_opens_at = fields.DatetimeField(null=True)  # sooner, for families already enrolled in a class
    hidden_from_families = fields.BooleanField(default=False)

    class Meta:
        table = 'term'


class Category(Model):
    """Dance › Ballet › Level 2: at most three tiers (domain/classes/catalogue.py keeps to that)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=80)
    parent: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        'kinroll.Category', related_name='children', null=True, on_delete=fields.RESTRICT
    )
    parent_id: int | None

    class Meta:
        table = 'category'


class AgeTakenAt(StrEnum):
    FIRST_MEETING = 'first_meeting'
    TERM_START = 'term_start'
    FIXED_DATE = 'fixed_date'  # the course's age_date


class GenderRule(StrEnum):
    ANY = 'any'
    FEMALE = 'female'
    MALE = 'male'


class TuitionBasis(StrEnum):
    PER_MONTH = 'per_month'
    PER_TERM = 'per_term'
    PER_MEETING = 'per_meeting'


class CourseStatus(StrEnum):
    DRAFT = 'draft'
    FUTURE = 'future'
    ACTIVE = 'active'
    CLOSED = 'closed'
    ARCHIVED = 'archived'


class WaitlistMode(StrEnum):
    MANUAL = 'manual'  # staff press Offer
    AUTO_OFFER = 'auto_offer'  # one offer at a time, in order
    AUTO_ENROL = 'auto_enrol'  # families who asked for it are enrolled at once; the others are offered


class Course(Model):
    """One class of the catalogue, as staff set it up."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    description = fields.TextField(default='')  # Markdown as staff typed it; shown with any HTML in it escaped
    categories: fields.ManyToManyRelation[Category] = fields.ManyToManyField(
        'kinroll.Category', related_name='courses', through='course_category'
    )
    term: fields.ForeignKeyRelation[Term] = fields.ForeignKeyField(
        'kinroll.Term', related_name='courses', on_delete=fields.RESTRICT
    )
    term_id: int
    location: fields.ForeignKeyRelation[Location] = fields.ForeignKeyField(
        'kinroll.Location', related_name='courses', on_delete=fields.RESTRICT
    )
    location_id: int
    room: fields.ForeignKeyNullableRelation[Room] = fields.ForeignKeyField(
        'kinroll.Room', related_name='courses', null=True, on_delete=fields.RESTRICT
    )
    room_id: int | None
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    capacity = fields.IntField()
    # Ages in whole months (5 years 6 months is 66), so "years and months" compare as one number; None: no limit.
    min_age_months = fields.IntField(null=True)
    max_age_months = fields.IntField(null=True)
    age_taken_at = fields.CharEnumField(AgeTakenAt, max_length=16, default=AgeTakenAt.FIRST_MEETING)
    age_date = fields.DateField(null=True)  # only for AgeTakenAt.FIXED_DATE
    gender_rule = fields.CharEnumField(GenderRule, max_length=8, default=GenderRule.ANY)
    prerequisite: fields.ForeignKeyNullableRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='leads_to', null=True, on_delete=fields.RESTRICT
    )
    prerequisite_id: int | None
    tuition = fields.DecimalField(max_digits=10, decimal_places=2)
    tuition_basis = fields.CharEnumField(TuitionBasis, max_length=16, default=TuitionBasis.PER_MONTH)
    registration_fee = fields.BooleanField(default=False)  # whether the studio's registration fee applies
    status = fields.CharEnumField(CourseStatus, max_length=16, default=CourseStatus.DRAFT)
    shown_to_families = fields.BooleanField(default=False)
    self_enrol = fields.BooleanField(default=False)  # families may enrol themselves, not only through the desk
    # Not enrolling themselves, families may ask to enrol, and the desk decides (the staff's queue, issue 16).
    enrol_by_request = fields.BooleanField(default=False, db_default=False)
    # Waitlists (issue 16): None takes the studio's mode; a full class keeps a list when `waitlist_open`.
    waitlist_mode = fields.CharEnumField(WaitlistMode, max_length=16, null=True)
    waitlist_open = fields.BooleanField(default=True, db_default=True)
    # Staff let free seats go to whoever enrols first, though families wait (the seat is "released").
    free_seats_released = fields.BooleanField(default=False, db_default=False)
    version = fields.IntField(default=1)  # raised by every save: a form loaded before it is stale
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    policies: fields.ManyToManyRelation[Policy] = fields.ManyToManyField(
        'kinroll.Policy', related_name='courses', through='course_policy'
    )  # asked for at checkout, through the policy engine

    patterns: fields.ReverseRelation[MeetingPattern]
    teaching: fields.ReverseRelation[CourseInstructor]
    enrolments: fields.ReverseRelation[Enrolment]

    class Meta:
        table = 'course'


class CourseInstructor(Model):
    """Who teaches a class, first instructor first. An instructor sees only the classes they teach."""

    id = fields.IntField(primary_key=True)
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='teaching', on_delete=fields.CASCADE
    )
    course_id: int
    staff: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        'kinroll.StaffUser', related_name='teaching', on_delete=fields.RESTRICT
    )
    staff_id: int
    position = fields.SmallIntField(default=0)

    class Meta:
        table = 'course_instructor'
        unique_together = (('course', 'staff'),)


class MeetingPattern(Model):
    """A class meets on these weekdays (0 Monday … 6 Sunday, as Python counts them) from start to end time."""

    id = fields.IntField(primary_key=True)
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='patterns', on_delete=fields.CASCADE
    )
    course_id: int
    weekdays: fields.Field[list[int]] = fields.JSONField(default=list)  # type: ignore[assignment]
    # Minutes after midnight on the studio's clock (17:30 is 1050): a time of day, not a moment, so it has no
    # zone to be converted from (and Tortoise's TimeField would give it UTC's).
    start_minute = fields.SmallIntField()
    end_minute = fields.SmallIntField()

    class Meta:
        table = 'meeting_pattern'

    @property
    def start_time(self) -> dt.time:
        return time_of_day(self.start_minute)

    @property
    def end_time(self) -> dt.time:
        return time_of_day(self.end_minute)


def time_of_day(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


def minute_of_day(time: dt.time) -> int:
    return time.hour * 60 + time.minute


class Closure(Model):
    """A day the studio is closed: no class meets on it."""

    id = fields.IntField(primary_key=True)
    date = fields.DateField(unique=True)
    reason = fields.CharField(max_length=200)

    class Meta:
        table = 'closure'


class Enrolment(Model):
    """A child's place in a class from `starts_on`, until the day before `dropped_on` (None: still enrolled).

    Active or future is read from the dates, never stored, so it cannot disagree with them.
    """

    id = fields.IntField(primary_key=True)
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='enrolments', on_delete=fields.RESTRICT
    )
    course_id: int
    participant: fields.ForeignKeyRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='enrolments', on_delete=fields.RESTRICT
    )
    participant_id: int
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='enrolments', on_delete=fields.RESTRICT
    )
    family_id: int
    starts_on = fields.DateField()
    dropped_on = fields.DateField(null=True)
    enrolled_at = fields.DatetimeField()
    enrolled_by = fields.CharField(max_length=160)  # the parent's or the staff member's name
    age_override_reason = fields.TextField(default='')  # staff enrolling a child outside the ages say why

    class Meta:
        table = 'enrolment'


class EventRegistrant(StrEnum):
    FAMILY = 'family'  # one registration for the whole family
    CHILDREN = 'children'  # one per child, up to the event's most children per family


class EventType(Model):
    """A workshop, party, camp or open house, with its fee and who may come, held on dated occurrences."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    description = fields.TextField(default='')  # Markdown, shown with any HTML escaped
    fee = fields.DecimalField(max_digits=10, decimal_places=2)
    registrant = fields.CharEnumField(EventRegistrant, max_length=16, default=EventRegistrant.CHILDREN)
    most_children = fields.SmallIntField(default=1)  # per family, when children register
    min_age_months = fields.IntField(null=True)
    max_age_months = fields.IntField(null=True)
    age_cutoff = fields.DateField(null=True)  # the date ages are taken at; None: each occurrence's date
    max_size = fields.IntField(null=True)  # the most registrations over all occurrences; None: no limit
    location: fields.ForeignKeyRelation[Location] = fields.ForeignKeyField(
        'kinroll.Location', related_name='events', on_delete=fields.RESTRICT
    )
    location_id: int
    shown_to_families = fields.BooleanField(default=True)
    policies: fields.ManyToManyRelation[Policy] = fields.ManyToManyField(
        'kinroll.Policy', related_name='events', through='event_policy'
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    occurrences: fields.ReverseRelation[EventOccurrence]

    class Meta:
        table = 'event_type'


class OccurrenceStatus(StrEnum):
    OPEN = 'open'
    NOTICE = 'notice'  # shown to families, not bookable
    UNAVAILABLE = 'unavailable'


class EventOccurrence(Model):
    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[EventType] = fields.ForeignKeyField(
        'kinroll.EventType', related_name='occurrences', on_delete=fields.CASCADE
    )
    event_id: int
    date = fields.DateField()
    start_minute = fields.SmallIntField()  # on the studio's clock, as a meeting pattern's
    end_minute = fields.SmallIntField()
    room: fields.ForeignKeyNullableRelation[Room] = fields.ForeignKeyField(
        'kinroll.Room', related_name='occurrences', null=True, on_delete=fields.RESTRICT
    )
    room_id: int | None
    capacity = fields.IntField()
    status = fields.CharEnumField(OccurrenceStatus, max_length=16, default=OccurrenceStatus.OPEN)

    class Meta:
        table = 'event_occurrence'

    @property
    def start_time(self) -> dt.time:
        return time_of_day(self.start_minute)

    @property
    def end_time(self) -> dt.time:
        return time_of_day(self.end_minute)


class EventRegistration(Model):
    """A family (participant None) or one child registered for one occurrence, cancelled ones kept."""

    id = fields.IntField(primary_key=True)
    occurrence: fields.ForeignKeyRelation[EventOccurrence] = fields.ForeignKeyField(
        'kinroll.EventOccurrence', related_name='registrations', on_delete=fields.RESTRICT
    )
    occurrence_id: int
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='event_registrations', on_delete=fields.RESTRICT
    )
    family_id: int
    participant: fields.ForeignKeyNullableRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='event_registrations', null=True, on_delete=fields.RESTRICT
    )
    participant_id: int | None
    registered_at = fields.DatetimeField()
    registered_by = fields.CharField(max_length=160)
    cancelled_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'event_registration'


class Checkout(Model):
    """A family's basket of seats, held for them until `expires_at`, then enrolled, let go or run out."""

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='checkouts', on_delete=fields.CASCADE
    )
    family_id: int
    contact_id = fields.IntField()
    opened_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)
    closed_at = fields.DatetimeField(null=True)  # enrolled, let go, or found run out: its holds count no more
    outcome = fields.CharField(max_length=16, default='')  # 'enrolled', 'released', 'expired'

    holds: fields.ReverseRelation[SeatHold]

    class Meta:
        table = 'checkout'


class SeatHold(Model):
    """One seat a checkout holds: a child in a class, or a child (or the family) at an event occurrence."""

    id = fields.IntField(primary_key=True)
    checkout: fields.ForeignKeyRelation[Checkout] = fields.ForeignKeyField(
        'kinroll.Checkout', related_name='holds', on_delete=fields.CASCADE
    )
    checkout_id: int
    course: fields.ForeignKeyNullableRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='holds', null=True, on_delete=fields.CASCADE
    )
    course_id: int | None
    occurrence: fields.ForeignKeyNullableRelation[EventOccurrence] = fields.ForeignKeyField(
        'kinroll.EventOccurrence', related_name='holds', null=True, on_delete=fields.CASCADE
    )
    occurrence_id: int | None
    participant: fields.ForeignKeyNullableRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='holds', null=True, on_delete=fields.CASCADE
    )
    participant_id: int | None
    starts_on = fields.DateField(null=True)  # a class seat: from this day
    # A seat held for a waitlist offer being accepted: the offer already counts it, so the hold does not.
    waitlist_entry: fields.ForeignKeyNullableRelation[WaitlistEntry] = fields.ForeignKeyField(
        'kinroll.WaitlistEntry', related_name='holds', null=True, on_delete=fields.SET_NULL
    )
    waitlist_entry_id: int | None

    class Meta:
        table = 'seat_hold'


class WaitlistStatus(StrEnum):
    WAITING = 'waiting'
    OFFERED = 'offered'  # a seat is kept for the child until `offer_expires_at`
    ENROLLED = 'enrolled'
    LEFT = 'left'  # the family took the child off the list
    DECLINED = 'declined'  # the family said no to an offer
    OFFER_EXPIRED = 'offer_expired'
    EXPIRED = 'expired'  # the entry outlived the studio's limit, or the class ended
    REMOVED = 'removed'  # staff took the child off the list


WAITLIST_LIVE = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntry(Model):
    """A child waiting for a seat in a full class, in `rank` order (lowest first), then offered one."""

    id = fields.IntField(primary_key=True)
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='waitlist', on_delete=fields.CASCADE
    )
    course_id: int
    participant: fields.ForeignKeyRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='waitlist_entries', on_delete=fields.CASCADE
    )
    participant_id: int
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='waitlist_entries', on_delete=fields.CASCADE
    )
    family_id: int
    contact_id = fields.IntField(null=True)  # who put the child on the list (None: staff)
    rank = fields.IntField()
    status = fields.CharEnumField(WaitlistStatus, max_length=16, default=WaitlistStatus.WAITING, db_index=True)
    auto_enrol = fields.BooleanField(default=False)  # "enrol us automatically and charge my saved card"
    held_back = fields.BooleanField(default=False)  # passed over for offers until staff let it go on
    held_back_reason = fields.TextField(default='')
    joined_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(null=True)  # the studio's limit on how long an entry lasts
    offered_at = fields.DatetimeField(null=True)
    offer_expires_at = fields.DatetimeField(null=True, db_index=True)
    offered_by = fields.CharField(max_length=160, default='')  # '' for the automatic offer, else staff's name
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'waitlist_entry'


class RequestKind(StrEnum):
    ENROL = 'enrol'  # a class set to enrol by request
    DROP = 'drop'
    TRANSFER = 'transfer'
    TRIAL = 'trial'


class RequestStatus(StrEnum):
    PENDING = 'pending'
    APPROVED = 'approved'
    DECLINED = 'declined'
    CANCELLED = 'cancelled'  # the family withdrew it


class ClassRequest(Model):
    """Something a family asked for that staff decide: the staff's queue of online activity."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(RequestKind, max_length=16)
    status = fields.CharEnumField(RequestStatus, max_length=16, default=RequestStatus.PENDING, db_index=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='class_requests', on_delete=fields.CASCADE
    )
    family_id: int
    participant: fields.ForeignKeyRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='class_requests', on_delete=fields.CASCADE
    )
    participant_id: int
    contact_id = fields.IntField(null=True)
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='requests', on_delete=fields.CASCADE
    )
    course_id: int
    enrolment: fields.ForeignKeyNullableRelation[Enrolment] = fields.ForeignKeyField(
        'kinroll.Enrolment', related_name='requests', null=True, on_delete=fields.CASCADE
    )  # the place a drop or a transfer is about
    enrolment_id: int | None
    target: fields.ForeignKeyNullableRelation[Course] = fields.ForeignKeyField(
        'kinroll.Course', related_name='transfers_in', null=True, on_delete=fields.CASCADE
    )  # a transfer's new class
    target_id: int | None
    on_date = fields.DateField()  # the drop date (exclusive), the transfer's first day, the trial's day
    reason = fields.CharField(max_length=200, default='')  # a drop's reason from the studio's list
    note = fields.TextField(default='')  # the family's own words
    requested_by = fields.CharField(max_length=160)
    created_at = fields.DatetimeField()
    decided_at = fields.DatetimeField(null=True)
    decided_by = fields.CharField(max_length=160, default='')
    decision_message = fields.TextField(default='')

    class Meta:
        table = 'class_request'


class CalendarFeed(Model):
    """A family's private calendar address. Only the token's digest is kept, and revoking ends it for good."""

    id = fields.IntField(primary_key=True)
    family: fields.ForeignKeyRelation[Family] = fields.ForeignKeyField(
        'kinroll.Family', related_name='calendar_feeds', on_delete=fields.CASCADE
    )
    family_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'calendar_feed'
