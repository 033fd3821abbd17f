"""The absences' round: two processes running it at once confirm an absence, expire a credit, remind a family
and use a booked credit once each; a credit booked for a makeup still to come is left as it is."""

import asyncio
import datetime as dt

import pytest

from domain import clock
from domain.absences import absences, worker
from domain.models import (
    CreditOrigin,
    CreditStatus,
    Enrolment,
    Makeup,
    MakeupCredit,
    MakeupStatus,
    OutboxMessage,
    PortalEvent,
)
from tests.domain.absences.making import MON_25, WEDNESDAY, at, rules, studio

pytestmark = pytest.mark.usefixtures('database')


async def credit(parent, child, course, *, status=CreditStatus.AVAILABLE, expires_on=None, missed_on=MON_25):
    place = await Enrolment.get(participant_id=child.id, course_id=course.id)
    return await MakeupCredit.create(
        family_id=parent.family_id, participant_id=child.id, enrolment_id=place.id, course_id=course.id,
        missed_on=missed_on, origin=CreditOrigin.ABSENCE, status=status, issued_at=at(MON_25, 20),
        expires_on=expires_on,
    )  # fmt: skip


async def makeup(parent, child, course, made, day):
    return await Makeup.create(
        credit_id=made.id, family_id=parent.family_id, participant_id=child.id, course_id=course.id, date=day,
        booked_by=parent.contact_name, booked_at=at(MON_25, 20),
    )  # fmt: skip


async def both_rounds() -> None:
    await asyncio.gather(worker.run_once(), worker.run_once())


async def test_a_credit_past_its_last_day_expires_once_with_two_workers_but_a_booked_one_is_left(admin, term):
    parent, ava, leo, ballet, jazz, _ = await studio(admin, term)
    last_day = dt.date(2027, 3, 1)
    lapsing = await credit(parent, ava, ballet, expires_on=last_day)
    booked = await credit(parent, leo, ballet, status=CreditStatus.BOOKED, expires_on=last_day)
    await makeup(parent, leo, jazz, booked, dt.date(2027, 3, 1))  # taken on its last day: used, not expired
    with clock.pinned(at(last_day, 23, 59)):
        await both_rounds()
        assert (await MakeupCredit.get(id=lapsing.id)).status == CreditStatus.AVAILABLE  # usable all its last day
    with clock.pinned(at(dt.date(2027, 3, 2), 0, 1)):
        await both_rounds()
    assert (await MakeupCredit.get(id=lapsing.id)).status == CreditStatus.EXPIRED
    assert (await MakeupCredit.get(id=booked.id)).status == CreditStatus.USED  # its makeup took place
    lines = await PortalEvent.filter(kind='makeup_credit_expired').values_list('message', flat=True)
    assert lines == ['Makeup credit expired: Ava Bestie - Ballet 2 - 1/25/2027']
    expired = await OutboxMessage.filter(kind='makeup_credit', body_text__contains='has expired')
    assert len(expired) == 1 and 'Ava’s makeup credit for Ballet 2 on Jan 25, 2027 has expired.' in expired[0].body_text


async def test_a_booked_credit_whose_makeup_is_still_ahead_is_left_though_its_last_day_passed(admin, term):
    parent, ava, _leo, ballet, jazz, _ = await studio(admin, term)
    booked = await credit(parent, ava, ballet, status=CreditStatus.BOOKED, expires_on=dt.date(2027, 2, 1))
    await makeup(parent, ava, jazz, booked, dt.date(2027, 2, 8))
    with clock.pinned(at(dt.date(2027, 2, 3), 9)):
        await both_rounds()
    assert (await MakeupCredit.get(id=booked.id)).status == CreditStatus.BOOKED
    with clock.pinned(at(dt.date(2027, 2, 9), 9)):
        assert await worker.use_past_makeups() == 1
        assert await worker.use_past_makeups() == 0
    assert (await MakeupCredit.get(id=booked.id)).status == CreditStatus.USED


async def test_a_cancelled_makeup_does_not_use_its_credit(admin, term):
    parent, ava, _leo, ballet, jazz, _ = await studio(admin, term)
    booked = await credit(parent, ava, ballet, status=CreditStatus.BOOKED)
    gone = await makeup(parent, ava, jazz, booked, dt.date(2027, 2, 1))
    await Makeup.filter(id=gone.id).update(status=MakeupStatus.CANCELLED)
    await makeup(parent, ava, jazz, booked, dt.date(2027, 2, 15))  # booked again for later
    with clock.pinned(at(dt.date(2027, 2, 3), 9)):
        await both_rounds()
    assert (await MakeupCredit.get(id=booked.id)).status == CreditStatus.BOOKED


async def test_the_family_is_reminded_once_a_week_before_a_credit_expires(admin, term):
    parent, ava, leo, ballet, _jazz, _ = await studio(admin, term)
    soon = await credit(parent, ava, ballet, expires_on=dt.date(2027, 3, 8))
    later = await credit(parent, leo, ballet, expires_on=dt.date(2027, 3, 9))
    with clock.pinned(at(dt.date(2027, 3, 1), 8)):
        await both_rounds()
        await worker.run_once()
    assert (await MakeupCredit.get(id=soon.id)).reminded_at is not None
    assert (await MakeupCredit.get(id=later.id)).reminded_at is None  # eight days ahead: not yet
    (email,) = await OutboxMessage.filter(kind='credit_expiring')
    assert email.to_address == 'bestie@example.com'
    assert 'Ava’s makeup credit for Ballet 2 on Jan 25, 2027 expires on Mar 8, 2027.' in email.body_text


async def test_the_round_confirms_overdue_absences_once(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    await rules(admin, credit='always')
    with clock.pinned(WEDNESDAY):
        await absences.report(
            parent, participant_ids=[ava.id], course_id=ballet.id, first_day=MON_25, last_day=None, reason='sick'
        )
    with clock.pinned(at(MON_25, 18, 45)):
        await both_rounds()
    assert await MakeupCredit.filter(status=CreditStatus.AVAILABLE).count() == 1
    assert await PortalEvent.filter(kind='makeup_credit_issued').count() == 1


async def test_a_failing_step_does_not_stop_the_others(admin, term, monkeypatch):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    lapsing = await credit(parent, ava, ballet, expires_on=dt.date(2027, 2, 1))

    async def broken(now=None):
        raise RuntimeError('a broken row')

    monkeypatch.setattr(absences, 'confirm_overdue', broken)
    with clock.pinned(at(dt.date(2027, 2, 3), 9)):
        assert await worker.run_once() == 1
    assert (await MakeupCredit.get(id=lapsing.id)).status == CreditStatus.EXPIRED
