"""A studio with a class, a session and an event, families in them, and files to share, for the resources' tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain import clock
from domain.access.actors import Actor, StaffActor
from domain.classes.audiences import Audience
from domain.files.inspection import MB
from domain.models import AudienceKind, Course, CourseInstructor, EventOccurrence, Participant, WaitlistEntry
from domain.resources import resources
from tests.domain.classes.making import family
from tests.domain.classes.studio_setup import NOON_IN_CHICAGO, TODAY, Studio, enrol, make_studio
from tests.factories import make_staff

PDF = b'%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'
EXECUTABLE = b'MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff' + bytes(200)
TOO_BIG = b'%PDF-1.4\n' + bytes(51 * MB)


@dataclass
class Shared:
    """Ballet (Ava Bestie enrolled, Leo Ager waiting), Jazz (nobody), the Winter session and the Gala event."""

    studio: Studio
    ballet: Course
    jazz: Course
    gala: EventOccurrence
    bestie: Actor
    ava: Participant
    ager: Actor
    leo: Participant
    instructor: StaffActor

    @property
    def admin(self) -> StaffActor:
        return self.studio.admin

    def for_class(self, course: Course | None = None) -> Audience:
        return Audience(AudienceKind.CLASS, (course or self.ballet).id)

    def for_session(self) -> Audience:
        return Audience(AudienceKind.SESSION, self.studio.term.id)


async def shared_studio(admin: StaffActor) -> Shared:
    studio = await make_studio(admin)
    made = await make_staff('ines@example.com', 'Ines Instructor', 'instructor')
    ines = StaffActor(made.id, made.name, made.email, made.role)
    ballet = await studio.course('Ballet')
    jazz = await studio.course('Jazz')
    await CourseInstructor.create(course=ballet, staff_id=made.id, position=0)
    gala = await studio.event('Gala', TODAY + dt.timedelta(days=10))
    bestie, (ava,) = await family('Bestie', children=('Ava',))
    ager, (leo,) = await family('Ager', children=('Leo',))
    await enrol(ballet, ava, starts_on=TODAY)
    await WaitlistEntry.create(course=ballet, participant=leo, family_id=leo.family_id, rank=1, joined_at=clock.now())
    return Shared(studio, ballet, jazz, gala, bestie, ava, ager, leo, ines)


async def a_pdf(shared: Shared, *, title='Costume guide', audience: Audience | None = None, waiting=False, data=PDF):
    return await resources.add_file(
        shared.admin,
        title=title,
        description='What to wear on the day',
        audience=audience or shared.for_class(),
        include_waiting=waiting,
        data=data,
        file_name='costume-guide.pdf',
    )


NOON = NOON_IN_CHICAGO
