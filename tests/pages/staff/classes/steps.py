"""What the classes page tests share: a small catalogue, and signing in as staff of any role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nicegui.testing import User

from domain import clock
from domain.access.actors import StaffActor
from domain.classes import catalogue
from domain.classes.catalogue import CategoryForm, CourseForm, LocationForm, PatternForm, RoomForm, TermForm
from domain.models import Course, Enrolment, Location, Participant, Room, Term
from tests.factories import STAFF_PASSWORD, make_staff, totp_now
from tests.pages.helpers import press


@dataclass
class Studio:
    owner: StaffActor
    location: Location
    room: Room
    term: Term
    level_2: int  # Dance › Ballet › Level 2


async def a_studio() -> Studio:
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    owner = StaffActor(made.id, made.name, made.email, made.role)
    location = await catalogue.add_location(owner, LocationForm('Main Street', '12 Main Street'))
    room = await catalogue.add_room(owner, location.id, RoomForm('Studio A'))
    term = await catalogue.add_term(owner, TermForm('Spring 2027', '2027-01-11', '2027-05-29', '2026-12-01T09:00'))
    dance = await catalogue.add_category(owner, CategoryForm('Dance'))
    ballet = await catalogue.add_category(owner, CategoryForm('Ballet', dance.id))
    level_2 = await catalogue.add_category(owner, CategoryForm('Level 2', ballet.id))
    return Studio(owner, location, room, term, level_2.id)


async def a_class(studio: Studio, name: str, *instructor_ids: int, capacity: str = '10') -> Course:
    form = CourseForm(
        name,
        studio.term.id,
        studio.location.id,
        '2027-01-11',
        '2027-05-29',
        capacity,
        '65.00',
        (PatternForm((0, 2), '17:00', '18:00'),),
        room_id=studio.room.id,
        instructor_ids=instructor_ids,
        status='active',
    )
    return await catalogue.add_course(studio.owner, form)


async def enrol(course: Course, child: Participant, starts_on: dt.date) -> Enrolment:
    return await Enrolment.create(
        course=course,
        participant=child,
        family_id=child.family_id,
        starts_on=starts_on,
        enrolled_at=clock.now(),
        enrolled_by='Olga Owner',
    )


async def staff_member_signs_in(user: User, email: str, name: str, role: str) -> int:
    """Sign in as a new staff member of this role (an instructor's console has no Families link to wait for)."""
    made = await make_staff(email, name, role)
    await user.open('/staff/sign-in')
    user.find('Email').type(email)
    user.find('Password').type(STAFF_PASSWORD)
    user.find('Authenticator code').type(totp_now(made))
    press(user, 'Sign in')
    await user.should_see('Sign out', retries=30)
    return made.id
