"""Makeup credits: one per missed meeting, at most `per_enrolment` held from one class even when issued at the
same instant, with the expiry the studio's rule gives; revoked when the roster finds the child present (a makeup
booked with it cancelled); a closure credits every child whose class would have met; staff grant or refuse a
pending one once."""

import asyncio
import datetime as dt

import pytest

from domain import clock
from domain.absences import credits
from domain.absences.credits import LIMIT_REACHED, NO_CREDIT, CreditDecided
from domain.access.actors import PermissionDenied
from domain.errors import ValidationFailed
from domain.models import (
    Absence,
    CreditOrigin,
    CreditStatus,
    Enrolment,
    Makeup,
    MakeupCredit,
    MakeupStatus,
    OutboxMessage,
    PortalEvent,
    StaffAuditEntry,
)
from domain.portal_log import LogSubject
from domain.unit_of_work import UnitOfWork
from tests.domain.absences.making import MON_25, MON_FEB_1, at, rules, studio

pytestmark = pytest.mark.usefixtures('database')

MONDAYS = [MON_25 + dt.timedelta(weeks=n) for n in range(4)]
LATER = at(dt.date(2027, 2, 23), 10)  # after the four Mondays


async def log_lines(kind: str) -> list[str]:
    return await PortalEvent.filter(kind=kind).order_by('id').values_list('message', flat=True)


async def issue(enrolment, day, origin=CreditOrigin.EXCUSED, **more) -> credits.Issued:
    async with UnitOfWork() as uow:
        return await credits.issue(uow, enrolment, day, origin=origin, **more)


async def ballet_place(child, ballet) -> Enrolment:
    return await Enrolment.get(participant_id=child.id, course_id=ballet.id)


async def test_a_child_holds_no_more_credits_from_a_class_than_the_studio_allows_even_issued_at_once(admin, term):
    _parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    await rules(admin, per_enrolment=2)
    place = await ballet_place(ava, ballet)
    with clock.pinned(LATER):
        issued = await asyncio.gather(*(issue(place, day) for day in MONDAYS))
    assert sorted(i.withheld for i in issued) == ['', '', LIMIT_REACHED, LIMIT_REACHED]
    assert await MakeupCredit.filter(enrolment_id=place.id).count() == 2
    assert len(await log_lines('makeup_credit_withheld')) == 2
    assert (await log_lines('makeup_credit_withheld'))[0].endswith(' - Limit of 2 reached')
    # a credit no longer held (used, expired…) leaves room for the next
    await MakeupCredit.filter(id=issued[0].credit.id).update(status=CreditStatus.USED)
    with clock.pinned(LATER):
        again = await issue(place, MONDAYS[3])
    assert again.credit is not None and again.credit.status == CreditStatus.AVAILABLE


async def test_one_meeting_has_one_credit_however_often_it_is_issued(admin, term):
    _parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    place = await ballet_place(ava, ballet)
    with clock.pinned(LATER):
        first, second = await asyncio.gather(issue(place, MON_25), issue(place, MON_25))
    assert first.credit.id == second.credit.id
    assert await MakeupCredit.all().count() == 1
    assert await log_lines('makeup_credit_issued') == [
        'Makeup credit issued: Ava Bestie - Ballet 2 - 1/25/2027 - Excused - Expires: 4/25/2027'
    ]
    (email,) = await OutboxMessage.filter(kind='makeup_credit')
    assert 'Ava has a makeup credit for Ballet 2 on Jan 25, 2027.' in email.body_text
    assert 'Use it by Apr 25, 2027.' in email.body_text


@pytest.mark.parametrize(
    ('values', 'last_day'),
    [
        ({'expiry': 'none'}, None),
        ({'expiry': 'days', 'expiry_count': 10}, dt.date(2027, 2, 4)),
        ({'expiry': 'weeks', 'expiry_count': 2}, dt.date(2027, 2, 8)),
        ({'expiry': 'months', 'expiry_count': 1}, dt.date(2027, 2, 25)),
        ({'expiry': 'term_end'}, dt.date(2027, 5, 29)),
    ],
)
async def test_a_credit_expires_as_the_studio_says(admin, term, values, last_day):
    _parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    await rules(admin, **values)
    with clock.pinned(LATER):
        done = await issue(await ballet_place(ava, ballet), MON_25)
    assert done.credit.expires_on == last_day


async def test_revoking_withdraws_the_credit_and_cancels_its_future_makeup_and_a_later_absence_reissues(admin, term):
    parent, ava, _leo, ballet, jazz, _ = await studio(admin, term)
    place = await ballet_place(ava, ballet)
    with clock.pinned(at(MON_25, 20)):
        credit = (await issue(place, MON_25)).credit
        await MakeupCredit.filter(id=credit.id).update(status=CreditStatus.BOOKED)
        makeup = await Makeup.create(
            credit_id=credit.id, family_id=parent.family_id, participant_id=ava.id, course_id=jazz.id,
            date=MON_FEB_1, booked_by=parent.contact_name, booked_at=clock.now(),
        )  # fmt: skip
        async with UnitOfWork() as uow:
            assert await credits.revoke(uow, place.id, MON_25, subject=parent.subject)
        async with UnitOfWork() as uow:
            assert not await credits.revoke(uow, place.id, MON_25, subject=parent.subject)  # once
    stored = await MakeupCredit.get(id=credit.id)
    assert stored.status == CreditStatus.REVOKED and stored.closed_at is not None
    assert (await Makeup.get(id=makeup.id)).status == MakeupStatus.CANCELLED
    assert await log_lines('makeup_credit_revoked') == [
        'Makeup credit revoked: Ava Bestie - Ballet 2 - 1/25/2027 - Marked present - Its makeup is cancelled'
    ]
    assert await OutboxMessage.filter(kind='makeup_credit', body_text__contains='withdrawn').count() == 1
    with clock.pinned(at(MON_25, 21)):
        back = await issue(place, MON_25)  # the roster corrected back to excused
    assert back.credit.id == credit.id and back.credit.status == CreditStatus.AVAILABLE


async def test_a_past_makeup_is_left_as_it_was_when_its_credit_is_revoked(admin, term):
    parent, ava, _leo, ballet, jazz, _ = await studio(admin, term)
    place = await ballet_place(ava, ballet)
    with clock.pinned(at(MON_25, 20)):
        credit = (await issue(place, MON_25)).credit
        makeup = await Makeup.create(
            credit_id=credit.id, family_id=parent.family_id, participant_id=ava.id, course_id=jazz.id,
            date=MON_25, booked_by=parent.contact_name, booked_at=clock.now(),
        )  # fmt: skip
    with clock.pinned(at(MON_FEB_1, 9)):
        async with UnitOfWork() as uow:
            assert await credits.revoke(uow, place.id, MON_25, subject=parent.subject)
    assert (await Makeup.get(id=makeup.id)).status == MakeupStatus.BOOKED
    assert (await log_lines('makeup_credit_revoked'))[0].endswith(' - Marked present')


async def test_a_closure_credits_every_child_whose_class_would_have_met_when_the_studio_says_so(admin, term):
    _parent, _ava, _leo, _ballet, _jazz, _ = await studio(admin, term)
    with clock.pinned(at(dt.date(2027, 1, 21), 9)):
        async with UnitOfWork() as uow:
            assert await credits.issue_for_closure(uow, MON_25, by=admin) == 0  # the studio gives none
        await rules(admin, closure_credits=True)
        async with UnitOfWork() as uow:
            assert await credits.issue_for_closure(uow, dt.date(2027, 1, 27), by=admin) == 0  # no class Wednesdays
        async with UnitOfWork() as uow:
            assert await credits.issue_for_closure(uow, MON_25, by=admin) == 3
    rows = sorted(await MakeupCredit.all().values_list('participant__first_name', 'course__name', 'origin', 'status'))
    assert rows == [
        ('Ava', 'Ballet 2', CreditOrigin.CLOSURE, CreditStatus.AVAILABLE),
        ('Ava', 'Jazz 1', CreditOrigin.CLOSURE, CreditStatus.AVAILABLE),
        ('Leo', 'Ballet 2', CreditOrigin.CLOSURE, CreditStatus.AVAILABLE),
    ]
    assert all(' - Closure - Expires: 4/25/2027' in line for line in await log_lines('makeup_credit_issued'))


async def test_staff_grant_or_refuse_a_pending_credit_once(admin, term):
    parent, ava, leo, ballet, _jazz, instructor = await studio(admin, term)
    await rules(admin, credit='staff')
    with clock.pinned(LATER):
        pending = (await issue(await ballet_place(ava, ballet), MON_25, origin=CreditOrigin.ABSENCE)).credit
        other = (await issue(await ballet_place(leo, ballet), MON_25, origin=CreditOrigin.ABSENCE)).credit
        assert (pending.status, other.status) == (CreditStatus.PENDING, CreditStatus.PENDING)
        assert await OutboxMessage.filter(kind='makeup_credit').count() == 0  # nothing to tell yet
        with pytest.raises(PermissionDenied):
            await credits.grant(instructor, pending.id)
        with pytest.raises(ValidationFailed):
            await credits.refuse(admin, other.id, 'x' * 501)
        granted = await credits.grant(admin, pending.id)
        with pytest.raises(CreditDecided):
            await credits.refuse(admin, pending.id)
        refused = await credits.refuse(admin, other.id, 'Reported after the class')
    assert (granted.status, granted.issued_by) == (CreditStatus.AVAILABLE, 'Olga Owner')
    assert (refused.status, refused.note) == (CreditStatus.REFUSED, 'Reported after the class')
    assert await log_lines('makeup_credit_granted') == [
        'Makeup credit granted: Ava Bestie - Ballet 2 - 1/25/2027 - By: Olga Owner'
    ]
    assert await log_lines('makeup_credit_refused') == [
        'Makeup credit refused: Leo Bestie - Ballet 2 - 1/25/2027 - By: Olga Owner'
    ]
    bodies = await OutboxMessage.filter(kind='makeup_credit').order_by('id').values_list('body_text', flat=True)
    assert len(bodies) == 2 and 'Ava has a makeup credit' in bodies[0] and 'Reported after the class' in bodies[1]
    assert await StaffAuditEntry.filter(action__startswith='makeup_credit_').count() == 2
    assert parent.family_id


async def test_a_late_absence_earns_nothing_when_only_in_time_ones_do(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    absence = await Absence.create(
        enrolment_id=(await ballet_place(ava, ballet)).id, family_id=parent.family_id, participant_id=ava.id,
        course_id=ballet.id, date=MON_25, reported_by='Holly Bestie', reported_at=at(MON_25, 16), in_time=False,
    )  # fmt: skip
    with clock.pinned(LATER):
        done = await issue(await ballet_place(ava, ballet), MON_25, CreditOrigin.ABSENCE, absence=absence,
                           subject=LogSubject(parent.family_id, 'Bestie'))  # fmt: skip
    assert (done.credit, done.withheld) == (None, NO_CREDIT)
