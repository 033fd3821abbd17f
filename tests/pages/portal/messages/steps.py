"""What the Messages page tests share: an owner to send as, a family as registration leaves it, waiting for a
change a switch saves."""

import asyncio
from collections.abc import Awaitable, Callable

from domain import clock, portal_log
from domain.access.actors import StaffActor
from domain.models import PolicyVersion, QuestionScope
from domain.portal_log import LogSubject
from domain.registration import policies, questions
from domain.registration.policies import Acceptance, PolicyForm
from domain.registration.questions import QuestionForm
from domain.unit_of_work import UnitOfWork
from tests.factories import MadeFamily, make_family, make_staff

WAIVER = '**Dance is physical.** <script>alert(1)</script>'


async def owner() -> StaffActor:
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    return StaffActor(made.id, made.name, made.email, made.role)


async def registered_family(boss: StaffActor) -> tuple[PolicyVersion, MadeFamily]:
    """The Ager family as registration leaves it: a family answer, Ava's answer, the waiver signed, the log line."""
    await questions.add_question(boss, QuestionForm('How did you hear about us?', 'short_text'))
    await questions.add_question(boss, QuestionForm('Swimming level', 'short_text', scope='participant'))
    version = await policies.add_policy(boss, PolicyForm('Liability waiver', WAIVER))
    made = await make_family('Ager', 'holly@example.com', children=('Ava',))
    await made.parent.fetch_related('family')
    (family_q,) = await questions.active_questions(QuestionScope.FAMILY)
    (child_q,) = await questions.active_questions(QuestionScope.PARTICIPANT)
    subject = LogSubject.of(made.parent)
    now = clock.now()
    async with UnitOfWork() as uow:
        await questions.save_answers(uow, made.family.id, None, [family_q], {family_q.id: 'A friend'}, now)
        await questions.save_answers(uow, made.family.id, made.children[0], [child_q], {child_q.id: 'Beginner'}, now)
        await policies.record_agreements(uow, subject, [version], {version.id: Acceptance(True, 'Holly Ager')})
        await portal_log.record(uow, subject, 'registration_submitted', 'Registration submitted: Ager family')
    return version, made


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 2.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if await check():
            return
        await asyncio.sleep(0.02)
    assert await check()
