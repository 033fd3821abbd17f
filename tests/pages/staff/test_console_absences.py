"""Staff switch the Parent Portal Log to absences and makeups only, as the studio's guide has them do: the older
lines go, and a new absence line arrives live while a sign-in does not."""

from nicegui.testing import User

from domain import portal_log
from domain.portal_log import LogSubject
from domain.unit_of_work import UnitOfWork
from tests.factories import make_family, signed_in
from tests.pages.helpers import messages, staff_signs_in, wait_for

BESTIE = LogSubject(1, 'Bestie', 1, 'Mia Bestie', 'mbestie@example.com', 'mbestie@example.com')


async def write(kind: str, message: str) -> None:
    async with UnitOfWork() as uow:
        await portal_log.record(uow, BESTIE, kind, message)


async def test_the_log_switched_to_absences_and_makeups_shows_only_those_and_new_ones_live(user: User):
    await make_family('Ager', 'holly@example.com')
    await write('absence_reported', 'Absence scheduled: Ava Bestie - Ballet 2 - 2/12/2027 - Reason: Sick')
    await write('makeup_booked', 'Makeup scheduled: Ava Bestie - Ballet 3 - 2/19/2027 - Credit: Ballet 2 2/12/2027')
    await signed_in('holly@example.com')
    await staff_signs_in(user)
    assert 'Login successful for UserID: holly@example.com' in messages(user)
    user.find(marker='log-absences-only').elements.pop().set_value(True)
    await wait_for(
        lambda: (
            messages(user)
            == [
                'Makeup scheduled: Ava Bestie - Ballet 3 - 2/19/2027 - Credit: Ballet 2 2/12/2027',
                'Absence scheduled: Ava Bestie - Ballet 2 - 2/12/2027 - Reason: Sick',
            ]
        )
    )
    await signed_in('holly@example.com')  # not an absence: stays out
    await write('makeup_credit_issued', 'Makeup credit issued: Leo Bestie - Tap 1 - 2/12/2027 - Absence')
    await wait_for(lambda: messages(user)[0] == 'Makeup credit issued: Leo Bestie - Tap 1 - 2/12/2027 - Absence')
    assert len(messages(user)) == 3
    user.find(marker='log-absences-only').elements.pop().set_value(False)
    await wait_for(lambda: len(messages(user)) == 5)
