"""A closure added by an administrator credits, in the same transaction, every child enrolled in a class that
would have met on it when the studio's rules say a closure earns one; a closure that fails half-way leaves
neither the closed date nor any credit."""

import datetime as dt

import pytest

from domain import clock
from domain.absences import absences, credits
from domain.classes import catalogue
from domain.classes.catalogue import ClosureForm
from domain.errors import ValidationFailed
from domain.models import Absence, Closure, CreditOrigin, CreditStatus, MakeupCredit, PortalEvent, StaffAuditEntry
from tests.domain.absences.making import MON_25, at, rules, studio

pytestmark = pytest.mark.usefixtures('database')
THURSDAY_BEFORE = at(dt.date(2027, 1, 21), 9)


async def credited() -> list[tuple]:
    return sorted(await MakeupCredit.all().values_list('participant__first_name', 'course__name', 'origin', 'status'))


async def test_a_closure_credits_each_child_whose_class_would_have_met_with_the_closure(admin, term):
    await studio(admin, term)
    await rules(admin, closure_credits=True)
    with clock.pinned(THURSDAY_BEFORE):
        closure = await catalogue.add_closure(admin, ClosureForm(MON_25, 'Snow day'))
    assert closure.date == MON_25 and await Closure.filter(date=MON_25).exists()
    assert await credited() == [
        ('Ava', 'Ballet 2', CreditOrigin.CLOSURE, CreditStatus.AVAILABLE),
        ('Ava', 'Jazz 1', CreditOrigin.CLOSURE, CreditStatus.AVAILABLE),
        ('Leo', 'Ballet 2', CreditOrigin.CLOSURE, CreditStatus.AVAILABLE),
    ]
    lines = await PortalEvent.filter(kind='makeup_credit_issued').values_list('message', flat=True)
    assert sorted(lines)[0].startswith('Makeup credit issued: Ava Bestie - Ballet 2 - 1/25/2027 - Closure')
    assert await StaffAuditEntry.filter(action='closure_added').count() == 1


async def test_a_closure_gives_no_credit_when_the_studio_gives_none_or_no_class_meets(admin, term):
    await studio(admin, term)
    with clock.pinned(THURSDAY_BEFORE):
        await catalogue.add_closure(admin, ClosureForm(MON_25, 'Snow day'))  # closure_credits is off by default
        await rules(admin, closure_credits=True)
        await catalogue.add_closure(admin, ClosureForm(dt.date(2027, 1, 27), 'Staff training'))  # a Wednesday
    assert await Closure.all().count() == 2
    assert await credited() == []


async def test_a_date_closed_already_is_refused_and_credits_nobody_twice(admin, term):
    await studio(admin, term)
    await rules(admin, closure_credits=True)
    with clock.pinned(THURSDAY_BEFORE):
        await catalogue.add_closure(admin, ClosureForm(MON_25, 'Snow day'))
        with pytest.raises(ValidationFailed):
            await catalogue.add_closure(admin, ClosureForm(MON_25, 'Still snowing'))
    assert await MakeupCredit.all().count() == 3


async def test_a_closure_whose_credits_fail_is_not_saved_either(admin, term, monkeypatch):
    await studio(admin, term)
    await rules(admin, closure_credits=True)
    issued = []
    real_issue = credits.issue

    async def issue_then_fail(*args, **kwargs):
        issued.append(await real_issue(*args, **kwargs))
        if len(issued) == 2:
            raise RuntimeError('the database went away')
        return issued[-1]

    monkeypatch.setattr(credits, 'issue', issue_then_fail)
    with clock.pinned(THURSDAY_BEFORE), pytest.raises(RuntimeError):
        await catalogue.add_closure(admin, ClosureForm(MON_25, 'Snow day'))
    assert len(issued) == 2  # two credits were written, in the closure's transaction
    assert not await Closure.exists() and not await MakeupCredit.exists()
    assert not await StaffAuditEntry.filter(action='closure_added').exists()
    assert not await PortalEvent.filter(kind='makeup_credit_issued').exists()


async def test_a_closure_cancels_the_absences_reported_for_it_and_they_earn_nothing_later(admin, term):
    parent, ava, _leo, ballet, _jazz, _ines = await studio(admin, term)
    await rules(admin, credit='always')  # closure credits stay off: the closed day earns nothing at all
    with clock.pinned(THURSDAY_BEFORE):
        (absence,) = await absences.report(
            parent, participant_ids=[ava.id], course_id=ballet.id, first_day=MON_25, last_day=None, reason='sick'
        )
        await catalogue.add_closure(admin, ClosureForm(MON_25, 'Snow day'))
    stored = await Absence.get(id=absence.id)
    assert stored.cancelled_at is not None and stored.cancelled_by == 'Closure - Olga Owner'
    assert await PortalEvent.filter(kind='absence_cancelled', message__endswith='- Studio closed').count() == 1
    assert await absences.confirm_overdue(at(MON_25, 22)) == 0
    assert await credited() == []


async def test_a_closure_moved_to_another_day_closes_that_day_too(admin, term):
    parent, ava, _leo, ballet, _jazz, _ines = await studio(admin, term)
    await rules(admin, closure_credits=True)
    with clock.pinned(THURSDAY_BEFORE):
        closure = await catalogue.add_closure(admin, ClosureForm(dt.date(2027, 1, 27), 'Staff training'))
        (absence,) = await absences.report(
            parent, participant_ids=[ava.id], course_id=ballet.id, first_day=MON_25, last_day=None, reason='sick'
        )
        await catalogue.edit_closure(admin, closure.id, ClosureForm(MON_25, 'Staff training'))
    assert (await Absence.get(id=absence.id)).cancelled_at is not None
    assert [row[:2] for row in await credited()] == [('Ava', 'Ballet 2'), ('Ava', 'Jazz 1'), ('Leo', 'Ballet 2')]
