"""A family reports absences for one child or several, one class or every class, a day or a range; bad input is
refused beside its field with nothing written; an absence is cancelled only before its class; the contact's tick
is enforced in the service; an absence is confirmed (and credited as the studio's rules say) 30 minutes after its
class ends when no roster was taken; the instructor and the family hear of it, once each."""

import asyncio
import datetime as dt

import pytest

from domain import clock
from domain.absences import absences
from domain.absences.absences import AbsenceStarted
from domain.absences.rights import AbsencesOff, NotAllowedAbsences
from domain.classes import catalogue
from domain.classes.catalogue import ClosureForm
from domain.errors import NotFound, ValidationFailed
from domain.models import (
    Absence,
    AbsenceReason,
    Contact,
    CreditStatus,
    MakeupCredit,
    OutboxMessage,
    PortalEvent,
    RollCall,
)
from tests.domain.absences.making import MON_25, MON_FEB_1, WEDNESDAY, at, rules, studio, untick
from tests.domain.classes.making import family

pytestmark = pytest.mark.usefixtures('database')


async def log_lines(kind: str) -> list[str]:
    return await PortalEvent.filter(kind=kind).order_by('id').values_list('message', flat=True)


def one_day(child, course, day=MON_25, reason='sick', **more):
    return dict(participant_ids=[child.id], course_id=course.id, first_day=day, last_day=None, reason=reason, **more)


async def test_a_parent_reports_one_meeting_of_one_class_once(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    with clock.pinned(WEDNESDAY):
        (absence,) = await absences.report(parent, **one_day(ava, ballet, note='Flu'))
        assert await absences.report(parent, **one_day(ava, ballet, reason='travel')) == []  # not doubled
    stored = await Absence.get(id=absence.id)
    assert (stored.date, stored.reason, stored.note, stored.in_time) == (MON_25, AbsenceReason.SICK, 'Flu', True)
    assert (stored.contact_id, stored.reported_by) == (parent.contact_id, parent.contact_name)
    assert await Absence.all().count() == 1
    assert await log_lines('absence_scheduled') == [
        'Absence scheduled: Ava Bestie - Ballet 2 - 1/25/2027 - Reason: Sick'
    ]


async def test_several_children_every_class_and_a_range_report_each_meeting_they_attend(admin, term):
    parent, ava, leo, _ballet, _jazz, _ = await studio(admin, term)
    with clock.pinned(WEDNESDAY):
        made = await absences.report(
            parent,
            participant_ids=[ava.id, leo.id],
            course_id=None,
            first_day=MON_25,
            last_day=MON_FEB_1,
            reason='travel',
        )
    got = sorted((a.participant_id, a.course_id, a.date) for a in made)
    rows = sorted(await Absence.all().values_list('participant_id', 'course__name', 'date'))
    assert len(got) == 6
    assert rows == sorted(
        [
            (ava.id, 'Ballet 2', MON_25),
            (ava.id, 'Jazz 1', MON_25),
            (ava.id, 'Ballet 2', MON_FEB_1),
            (ava.id, 'Jazz 1', MON_FEB_1),
            (leo.id, 'Ballet 2', MON_25),
            (leo.id, 'Ballet 2', MON_FEB_1),
        ]
    )
    assert len(await log_lines('absence_scheduled')) == 6


async def test_bad_input_is_refused_beside_its_field_and_nothing_is_written(admin, term):
    parent, ava, leo, ballet, jazz, _ = await studio(admin, term)
    other, (cara,) = await family('Other', children=('Cara',))
    cases = [
        (one_day(ava, ballet, day=dt.date(2027, 1, 18)), 'first_day', absences.IN_THE_PAST),
        (one_day(ava, ballet, day=dt.date(2027, 3, 22)), 'first_day', absences.TOO_FAR_AHEAD),  # 61 days ahead
        ({**one_day(ava, ballet), 'last_day': dt.date(2027, 1, 24)}, 'last_day', absences.BEFORE_FIRST),
        (one_day(leo, jazz), 'course_id', absences.NOT_IN_CLASS),
        ({**one_day(ava, jazz), 'participant_ids': [ava.id, leo.id]}, 'course_id', absences.NOT_IN_CLASS_ALL),
        (one_day(ava, ballet, reason='bored'), 'reason', absences.NOT_A_REASON),
        (one_day(ava, ballet, note='x' * 501), 'note', 'This is too long'),
        (one_day(ava, ballet, day=dt.date(2027, 1, 26)), 'first_day', absences.NO_MEETING_DAY),  # a Tuesday
        ({**one_day(ava, ballet), 'participant_ids': []}, 'participant_ids', absences.CHOOSE_CHILD),
    ]
    with clock.pinned(WEDNESDAY):
        for typed, field, message in cases:
            with pytest.raises(ValidationFailed) as refused:
                await absences.report(parent, **typed)
            assert refused.value.errors.get(field) == message, (typed, refused.value.errors)
        with pytest.raises(NotFound):
            await absences.report(parent, **one_day(cara, ballet))  # another family's child reads as none
        await absences.report(parent, **one_day(ava, ballet, day=dt.date(2027, 3, 15)))  # 54 days ahead: taken
    assert await Absence.all().count() == 1
    assert other.family_id != parent.family_id


async def test_a_closed_date_says_so(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    await catalogue.add_closure(admin, ClosureForm('2027-01-25', 'Snow day'))
    with clock.pinned(WEDNESDAY):
        with pytest.raises(ValidationFailed) as refused:
            await absences.report(parent, **one_day(ava, ballet))
        assert refused.value.errors == {'first_day': absences.CLOSED}
        assert await absences.upcoming_closures() == [(MON_25, 'Snow day')]
        # a range over the closure reports the meetings that take place, not the closed one
        made = await absences.report(parent, **{**one_day(ava, ballet), 'last_day': MON_FEB_1})
        assert [a.date for a in made] == [MON_FEB_1]
        (child,) = [c for c in await absences.report_choices(parent) if c.participant_id == ava.id]
        days = {c.course: [d.date for d in c.days] for c in child.classes}
        assert MON_25 not in days['Ballet 2'] and MON_FEB_1 in days['Ballet 2']


async def test_a_meeting_that_has_started_is_refused_and_a_late_report_is_not_in_time(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    with clock.pinned(at(MON_25, 17, 0)):
        with pytest.raises(AbsenceStarted):
            await absences.report(parent, **one_day(ava, ballet))
        with pytest.raises(AbsenceStarted):  # a range that takes it in is refused whole
            await absences.report(parent, **{**one_day(ava, ballet), 'last_day': MON_FEB_1})
    assert await Absence.all().count() == 0
    with clock.pinned(at(MON_25, 15, 1)):  # the notice is 2 hours: 15:00 was the last moment in time
        (late, in_time) = await absences.report(parent, **{**one_day(ava, ballet), 'last_day': MON_FEB_1})
    assert (late.date, late.in_time) == (MON_25, False)
    assert (in_time.date, in_time.in_time) == (MON_FEB_1, True)


async def test_the_day_before_notice_ends_at_midnight_on_the_studio_clock(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    await rules(admin, notice='day_before')
    with clock.pinned(at(dt.date(2027, 1, 24), 23, 58)):
        (absence,) = await absences.report(parent, **one_day(ava, ballet))
    assert absence.in_time
    with clock.pinned(at(MON_FEB_1, 0, 1)):
        (absence,) = await absences.report(parent, **one_day(ava, ballet, day=MON_FEB_1))
    assert not absence.in_time


async def test_cancel_before_the_class_and_report_again_but_never_after_it_starts(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    other, _ = await family('Other', children=('Cara',))
    with clock.pinned(WEDNESDAY):
        (absence,) = await absences.report(parent, **one_day(ava, ballet))
        with pytest.raises(NotFound):
            await absences.cancel(other, absence.id)
        await absences.cancel(parent, absence.id)
        assert await absences.family_absences(parent) == []
        with pytest.raises(NotFound):
            await absences.cancel(parent, absence.id)  # once
        (again,) = await absences.report(parent, **one_day(ava, ballet, reason='other'))
    assert again.id == absence.id and again.cancelled_at is None and again.reason == AbsenceReason.OTHER
    assert await log_lines('absence_cancelled') == ['Absence cancelled: Ava Bestie - Ballet 2 - 1/25/2027']
    with clock.pinned(at(MON_25, 17, 0)):
        (line,) = await absences.family_absences(parent)
        assert not line.cancellable
        with pytest.raises(AbsenceStarted):
            await absences.cancel(parent, absence.id)
    assert (await Absence.get(id=absence.id)).cancelled_at is None


async def test_the_contacts_tick_and_the_studios_switch_are_enforced_in_the_service(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    with clock.pinned(WEDNESDAY):
        (absence,) = await absences.report(parent, **one_day(ava, ballet))
        await untick(parent)
        with pytest.raises(NotAllowedAbsences):
            await absences.report(parent, **one_day(ava, ballet, day=MON_FEB_1))
        with pytest.raises(NotAllowedAbsences):
            await absences.cancel(parent, absence.id)
        assert [line.id for line in await absences.family_absences(parent)] == [absence.id]  # reading is allowed
        await Contact.filter(id=parent.contact_id).update(allow_manage_absences=True)
        await rules(admin, reported=False)
        with pytest.raises(AbsencesOff):
            await absences.report(parent, **one_day(ava, ballet, day=MON_FEB_1))
        with pytest.raises(AbsencesOff):
            await absences.cancel(parent, absence.id)
    assert await Absence.filter(cancelled_at__isnull=True).count() == 1


async def test_two_taps_at_once_report_a_meeting_once(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    with clock.pinned(WEDNESDAY):
        made = await asyncio.gather(*(absences.report(parent, **one_day(ava, ballet)) for _ in range(4)))
    assert sorted(len(m) for m in made) == [0, 0, 0, 1]
    assert await Absence.all().count() == 1
    assert await OutboxMessage.filter(kind='absence_reported').count() == 2  # the parent and the instructor, once


async def test_the_instructor_the_primary_and_the_reporting_contact_are_emailed_once_each(admin, term):
    parent, ava, leo, _ballet, _jazz, _ = await studio(admin, term)
    second = await Contact.create(
        family_id=parent.family_id, first_name='Sam', last_name='Bestie', email='sam@example.com',
        preferred_language='es',
    )  # fmt: skip
    reporter = parent.__class__(**{**parent.__dict__, 'contact_id': second.id, 'contact_name': 'Sam Bestie'})
    with clock.pinned(WEDNESDAY):
        await absences.report(
            reporter, participant_ids=[ava.id, leo.id], course_id=None, first_day=MON_25, last_day=None, reason='sick'
        )
    sent = {m.to_address: m for m in await OutboxMessage.filter(kind='absence_reported')}
    assert set(sent) == {'bestie@example.com', 'sam@example.com', 'ines@example.com'}
    ines, sam, holly = sent['ines@example.com'], sent['sam@example.com'], sent['bestie@example.com']
    assert 'Ava Bestie: Ballet 2' in ines.body_text and 'Leo Bestie: Ballet 2' in ines.body_text
    assert 'Jazz 1' not in ines.body_text  # Ines teaches Ballet 2 only
    assert ines.family_id is None and ines.language == 'en'
    assert sam.language == 'es' and 'Jazz 1' in sam.body_text and 'Ava: Jazz 1' in holly.body_text
    assert sam.family_id == parent.family_id == holly.family_id


async def test_the_choices_show_each_childs_meetings_reported_and_in_time(admin, term):
    parent, _ava, leo, ballet, _jazz, _ = await studio(admin, term)
    with clock.pinned(WEDNESDAY):
        await absences.report(parent, **one_day(leo, ballet))
    with clock.pinned(at(MON_25, 15, 30)):
        choices = {c.first_name: c for c in await absences.report_choices(parent)}
    assert [c.course for c in choices['Ava'].classes] == ['Ballet 2', 'Jazz 1']
    assert [c.course for c in choices['Leo'].classes] == ['Ballet 2']
    first = choices['Leo'].classes[0].days[0]
    assert (first.date, first.start, first.reported, first.in_time) == (MON_25, dt.time(17), True, False)
    days = choices['Ava'].classes[0].days
    assert days[0].date == MON_25 and not days[0].reported and days[1].in_time
    assert days[-1].date <= MON_25 + dt.timedelta(days=60)
    with clock.pinned(at(MON_25, 17, 1)):  # started: no longer a choice
        (ballet_days, _) = next(c for c in await absences.report_choices(parent) if c.first_name == 'Ava').classes
    assert ballet_days.days[0].date == MON_FEB_1


async def test_the_familys_list_puts_upcoming_first_then_the_past_with_their_credits(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    await rules(admin, credit='always')
    with clock.pinned(WEDNESDAY):
        await absences.report(parent, **{**one_day(ava, ballet), 'last_day': dt.date(2027, 2, 8)})
    with clock.pinned(at(MON_FEB_1, 20)):
        assert await absences.confirm_overdue() == 2
        lines = await absences.family_absences(parent)
    assert [(line.date, line.cancellable, line.credit) for line in lines] == [
        (dt.date(2027, 2, 8), True, None),
        (MON_FEB_1, False, CreditStatus.AVAILABLE),
        (MON_25, False, CreditStatus.AVAILABLE),
    ]
    assert (lines[0].child, lines[0].course, lines[0].start, lines[0].reported_by) == (
        'Ava',
        'Ballet 2',
        dt.time(17),
        parent.contact_name,
    )


@pytest.mark.parametrize(
    ('rule', 'late', 'in_time'),
    [
        ('never', None, None),
        ('always', CreditStatus.AVAILABLE, CreditStatus.AVAILABLE),
        ('in_time', None, CreditStatus.AVAILABLE),
        ('staff', CreditStatus.PENDING, CreditStatus.PENDING),
    ],
)
async def test_a_confirmed_absence_earns_the_credit_the_studios_rule_gives(admin, term, rule, late, in_time):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    await rules(admin, credit=rule, per_enrolment=5)
    with clock.pinned(at(MON_25, 15, 30)):  # late for the 25th, in time for the 1st
        await absences.report(parent, **{**one_day(ava, ballet), 'last_day': MON_FEB_1})
    with clock.pinned(at(MON_FEB_1, 20)):
        assert await absences.confirm_overdue() == 2
    earned = dict(await MakeupCredit.all().values_list('missed_on', 'status'))
    assert (earned.get(MON_25), earned.get(MON_FEB_1)) == (late, in_time)


async def test_an_absence_is_confirmed_30_minutes_after_its_class_ends_unless_a_roster_was_taken(admin, term):
    parent, ava, leo, ballet, _jazz, _ = await studio(admin, term)
    await rules(admin, credit='always')
    with clock.pinned(WEDNESDAY):
        await absences.report(
            parent, participant_ids=[ava.id, leo.id], course_id=ballet.id, first_day=MON_25, last_day=None,
            reason='sick',
        )  # fmt: skip
    assert await absences.confirm_overdue(at(MON_25, 18, 29)) == 0  # the class ended at 18:00
    assert await Absence.filter(confirmed_at__isnull=False).count() == 0
    with clock.pinned(at(MON_25, 18, 30)):
        assert sum(await asyncio.gather(absences.confirm_overdue(), absences.confirm_overdue())) == 2
        assert await absences.confirm_overdue() == 0
    assert await MakeupCredit.filter(status=CreditStatus.AVAILABLE).count() == 2
    assert len(await log_lines('makeup_credit_issued')) == 2
    assert await OutboxMessage.filter(kind='makeup_credit').count() == 2


async def test_a_meeting_with_a_roster_is_left_to_the_roster(admin, term):
    parent, ava, _leo, ballet, _jazz, _ = await studio(admin, term)
    await rules(admin, credit='always')
    with clock.pinned(WEDNESDAY):
        await absences.report(parent, **one_day(ava, ballet))
    await RollCall.create(course_id=ballet.id, date=MON_25, taken_at=at(MON_25, 18), taken_by='Ines Instructor')
    with clock.pinned(at(MON_25, 20)):
        assert await absences.confirm_overdue() == 0
    assert await MakeupCredit.all().count() == 0
