"""A studio with classes and events, and children enrolled or registered in them, for the schedule and calendar
tests. Enrolments and registrations are written directly, as the enrolment checkout would leave them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from domain import clock
from domain.access.actors import StaffActor
from domain.classes import catalogue
from domain.classes.catalogue import CourseForm, LocationForm, PatternForm, RoomForm, TermForm
from domain.models import (
    Course,
    Enrolment,
    EventOccurrence,
    EventRegistration,
    EventType,
    Location,
    Participant,
    Room,
    Term,
)

NOON_IN_CHICAGO = dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC)  # Wednesday 2 December 2026
TODAY = dt.date(2026, 12, 2)
MONDAY_AND_WEDNESDAY = PatternForm((0, 2), '17:00', '18:00')
SATURDAY_MORNING = PatternForm((5,), '09:30', '10:15')


@dataclass
class Studio:
    admin: StaffActor
    location: Location
    room: Room
    term: Term

    async def course(
        self, name: str, *patterns: PatternForm, starts_on: str = '2026-11-02', ends_on: str = '2027-02-27'
    ) -> Course:
        form = CourseForm(
            name,
            self.term.id,
            self.location.id,
            starts_on,
            ends_on,
            '10',
            '65',
            patterns or (MONDAY_AND_WEDNESDAY,),
            room_id=self.room.id,
        )
        return await catalogue.add_course(self.admin, form)

    async def event(self, name: str, date: dt.date, start_minute: int = 600, end_minute: int = 720) -> EventOccurrence:
        event = await EventType.create(name=name, fee=Decimal('25'), location=self.location)
        return await EventOccurrence.create(
            event=event, date=date, start_minute=start_minute, end_minute=end_minute, room=self.room, capacity=20
        )


async def make_studio(admin: StaffActor) -> Studio:
    location = await catalogue.add_location(admin, LocationForm('Main Street', '12 Main Street\nSpringfield'))
    room = await catalogue.add_room(admin, location.id, RoomForm('Studio A'))
    term = await catalogue.add_term(admin, TermForm('Winter', '2026-11-02', '2027-02-27', '2026-10-01T09:00'))
    return Studio(admin, location, room, term)


async def enrol(
    course: Course, child: Participant, *, starts_on: dt.date = TODAY, dropped_on: dt.date | None = None
) -> Enrolment:
    return await Enrolment.create(
        course=course,
        participant=child,
        family_id=child.family_id,
        starts_on=starts_on,
        dropped_on=dropped_on,
        enrolled_at=clock.now(),
        enrolled_by='Holly Ager',
    )


async def register(
    occurrence: EventOccurrence, family_id: int, child: Participant | None = None, *, cancelled: bool = False
) -> EventRegistration:
    return await EventRegistration.create(
        occurrence=occurrence,
        family_id=family_id,
        participant=child,
        registered_at=clock.now(),
        registered_by='Holly Ager',
        cancelled_at=clock.now() if cancelled else None,
    )
