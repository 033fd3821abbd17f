"""The demo studio's messages: an email to every family about the recital and a text to the Jazz 2 class, sent
through the same service staff use, and Mary Bestie's registration (her answers, written as registration writes
them, on the day she signed the waiver). The lead calls `seed_messages()` after the demo studio is seeded."""

from __future__ import annotations

from domain import portal_log
from domain.access.actors import StaffActor
from domain.classes.audiences import Audience
from domain.messages import studio_messages
from domain.models import (
    Agreement,
    Answer,
    AudienceKind,
    Contact,
    Course,
    Participant,
    Question,
    QuestionScope,
    StaffRole,
    StaffUser,
    StudioMessage,
    StudioMessageChannel,
)
from domain.operations.demo import DEMO_PARENT_EMAIL
from domain.portal_log import LogSubject
from domain.registration import questions
from domain.unit_of_work import UnitOfWork

DEMO_TEXTED_CLASS = 'Jazz 2'
RECITAL_SUBJECT = 'Spring recital: Saturday, May 15'
RECITAL_BODY = (
    'Dear families,\n\n'
    'Our spring recital is on Saturday, May 15 at the Riverside Main Gym. Doors open at 9:30, the show starts '
    'at 10:00.\n\n'
    'Dancers arrive at 9:00 in costume, hair in a bun. Tickets are $12 at the front desk.\n\n'
    'See you there!'
)
TEXT_BODY = 'Jazz 2 moves to Studio B this Thursday only. Same time.'
FAMILY_ANSWER = 'A friend or family member'
CHILD_ANSWERS = {'Ava': 'Two years of ballet', 'Leo': 'None yet'}


async def seed_messages() -> bool:
    """Add the demo's messages unless staff sent some already. Returns whether anything was added."""
    if await StudioMessage.exists():
        return False
    admin = await StaffUser.filter(role=StaffRole.ADMIN).order_by('id').first()
    mary = await Contact.filter(email=DEMO_PARENT_EMAIL).prefetch_related('family').first()
    if admin is None or mary is None:
        return False
    staff = StaffActor(admin.id, admin.name, admin.email, admin.role)
    await studio_messages.send(
        staff,
        channel=StudioMessageChannel.EMAIL,
        subject=RECITAL_SUBJECT,
        body=RECITAL_BODY,
        audience=Audience.everyone(),
    )
    jazz = await Course.filter(name=DEMO_TEXTED_CLASS).first()
    if jazz is not None:
        await studio_messages.send(
            staff,
            channel=StudioMessageChannel.TEXT,
            subject='',
            body=TEXT_BODY,
            audience=Audience(AudienceKind.CLASS, jazz.id),
        )
    await _seed_registration(mary)
    return True


async def _seed_registration(mary: Contact) -> None:
    """Mary's answers and the registration line, on the day of the agreement she signed at registration."""
    signed = await Agreement.filter(family_id=mary.family_id).order_by('agreed_at').first()
    if signed is None or await Answer.filter(family_id=mary.family_id).exists():
        return
    family_questions = await Question.filter(scope=QuestionScope.FAMILY, retired_at=None).order_by('position')
    child_questions = await Question.filter(scope=QuestionScope.PARTICIPANT, retired_at=None).order_by('position')
    children = await Participant.filter(family_id=mary.family_id, removed_at=None).order_by('id')
    async with UnitOfWork() as uow:
        await questions.save_answers(
            uow,
            mary.family_id,
            None,
            family_questions[:1],
            {q.id: FAMILY_ANSWER for q in family_questions[:1]},
            signed.agreed_at,
        )
        for child in children:
            answer = CHILD_ANSWERS.get(child.first_name, 'None yet')
            await questions.save_answers(
                uow,
                mary.family_id,
                child,
                child_questions[:1],
                {q.id: answer for q in child_questions[:1]},
                signed.agreed_at,
            )
        names = ', '.join(child.full_name for child in children)
        await portal_log.record(
            uow,
            LogSubject.of(mary),
            'registration_submitted',
            f'Registration submitted: {mary.family.name} family, participants: {names}',
            occurred_at=signed.agreed_at,
        )
