"""The roster of a class meeting: who is expected (enrolled, makeup visitors, trials) with what the family
reported; saving it confirms absences, issues and revokes credits, uses a visitor's credit, and of two
instructors saving at once exactly one wins."""

import asyncio
import datetime as dt

import pytest

from domain import clock
from domain.absences import attendance, credits
from domain.absences.attendance import RosterChanged, RosterTooEarly
from domain.access.actors import StaffActor
from domain.classes import enrolment
from domain.errors import NotFound, ValidationFailed
from domain.models import (
    Absence,
    AbsenceReason,
    Attendance,
    AttendanceMark,
    ClassRequest,
    Closure,
    CourseInstructor,
    CreditOrigin,
    CreditStatus,
    Makeup,
    MakeupCredit,
    PortalEvent,
    RequestKind,
    RequestStatus,
    RollCall,
    RosterRole,
    StaffAuditEntry,
)
from domain.studio import settings
from tests.domain.classes.making import BEFORE_TERM, add_class, family
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures('database')

MONDAY = dt.date(2027, 1, 18)
DURING_CLASS = dt.datetime(2027, 1, 18, 23, 30, tzinfo=dt.UTC)  # 17:30 at the studio, Ballet 2 meets 17:00-18:00
P, A, L, E = (mark.value for mark in AttendanceMark)


async def instructor(email='ines@example.com', name='Ines Instructor') -> StaffActor:
    made = await make_staff(email, name, 'instructor')
    return StaffActor(made.id, made.name, made.email, made.role)


async def a_meeting(admin, term):
    """Ballet 2 (Ines teaches it) on Mondays with Ava and Ben enrolled; Ava reported sick for the 18th; Cara comes
    from Jazz 1 for a makeup and Dan for a trial."""
    ines = await instructor()
    ballet = await add_class(admin, term, instructor_ids=(ines.staff_id,))
    jazz = await add_class(admin, term, 'Jazz 1')
    _, (ava, ben) = await family('Bestie', children=('Ava', 'Ben'))
    _, (cara,) = await family('Other', children=('Cara',))
    _, (dan,) = await family('Trial', children=('Dan',))
    with clock.pinned(BEFORE_TERM):
        ava_in = await enrolment.enrol_by_staff(admin, ava.id, ballet.id)
        await enrolment.enrol_by_staff(admin, ben.id, ballet.id)
        cara_in = await enrolment.enrol_by_staff(admin, cara.id, jazz.id)
    ben.allergies = 'Peanuts'
    await ben.save()
    await Absence.create(
        enrolment_id=ava_in.id,
        family_id=ava.family_id,
        participant_id=ava.id,
        course_id=ballet.id,
        date=MONDAY,
        reason=AbsenceReason.SICK,
        note='Fever',
        contact_id=None,
        reported_by='Holly Bestie',
        reported_at=BEFORE_TERM,
        in_time=True,
    )
    credit = await MakeupCredit.create(
        family_id=cara.family_id,
        participant_id=cara.id,
        enrolment_id=cara_in.id,
        course_id=jazz.id,
        missed_on=dt.date(2027, 1, 11),
        status=CreditStatus.BOOKED,
        issued_at=BEFORE_TERM,
    )
    await Makeup.create(
        credit=credit,
        family_id=cara.family_id,
        participant_id=cara.id,
        course_id=ballet.id,
        date=MONDAY,
        booked_by='Olga Other',
        booked_at=BEFORE_TERM,
    )
    await ClassRequest.create(
        kind=RequestKind.TRIAL,
        status=RequestStatus.APPROVED,
        family_id=dan.family_id,
        participant_id=dan.id,
        course_id=ballet.id,
        on_date=MONDAY,
        requested_by='Tess Trial',
        created_at=BEFORE_TERM,
    )
    return ines, ballet, jazz, (ava, ben, cara, dan), credit


async def test_an_instructor_sees_the_meetings_she_teaches_and_each_meetings_children(admin, term):
    ines, ballet, jazz, _children, _credit = await a_meeting(admin, term)
    with clock.pinned(DURING_CLASS):
        (mine,) = await attendance.meetings_on(ines, MONDAY)
        assert (mine.course, mine.start, mine.enrolled, mine.absent, mine.makeups, mine.trials, mine.taken) == (
            'Ballet 2',
            dt.time(17, 0),
            2,
            1,
            1,
            1,
            False,
        )
        assert mine.expected == 3 and mine.instructors == ['Ines Instructor'] and mine.room == 'Studio A'
        assert [line.course for line in await attendance.meetings_on(admin, MONDAY)] == ['Ballet 2', 'Jazz 1']
        assert await attendance.meetings_on(ines, MONDAY + dt.timedelta(days=1)) == []  # a Tuesday
        with pytest.raises(NotFound):
            await attendance.meeting_roster(ines, jazz.id, MONDAY)  # not her class
        with pytest.raises(NotFound):
            await attendance.meeting_roster(ines, ballet.id, MONDAY + dt.timedelta(days=1))  # no meeting that day
        roster = await attendance.meeting_roster(ines, ballet.id, MONDAY)
        days, likely = await attendance.meeting_days(ines, ballet.id)
        assert (days[:3], likely) == ([dt.date(2027, 1, 4), dt.date(2027, 1, 11), MONDAY], MONDAY)
        with pytest.raises(NotFound):
            await attendance.meeting_days(ines, jazz.id)
    with clock.pinned(DURING_CLASS + dt.timedelta(days=2)):
        assert (await attendance.meeting_days(ines, ballet.id))[1] == MONDAY  # the last meeting before today
    lines = {line.child.name: line for line in roster.lines}
    assert list(lines) == ['Ava Bestie', 'Ben Bestie', 'Cara Other', 'Dan Trial']
    assert [lines[n].role for n in lines] == [
        RosterRole.ENROLLED,
        RosterRole.ENROLLED,
        RosterRole.MAKEUP,
        RosterRole.TRIAL,
    ]
    assert (lines['Ava Bestie'].reason, lines['Ava Bestie'].note, lines['Ava Bestie'].mark) == (
        AbsenceReason.SICK,
        'Fever',
        AttendanceMark.ABSENT,
    )  # pre-filled from the family's report
    assert lines['Ben Bestie'].mark is None and lines['Ben Bestie'].child.has_allergies
    assert not lines['Ava Bestie'].child.has_allergies
    assert (roster.version, roster.can_save, roster.decides_credits) == (None, True, False)
    await Closure.create(date=MONDAY, reason='Snow')
    with clock.pinned(DURING_CLASS), pytest.raises(NotFound):
        await attendance.meeting_roster(ines, ballet.id, MONDAY)  # a closed date has no meeting
    assert await attendance.meetings_on(ines, MONDAY) == []


async def test_saving_confirms_absences_issues_credits_uses_a_makeup_and_revokes_when_marked_present(admin, term):
    ines, ballet, _jazz, (ava, ben, cara, dan), cara_credit = await a_meeting(admin, term)
    await settings.update_absence_rules(admin, credit='always')
    with clock.pinned(DURING_CLASS):
        marks = {ava.id: A, ben.id: E, cara.id: P, dan.id: L}
        call = await attendance.save_roll(ines, ballet.id, MONDAY, marks, None)
        assert call.version == 1
        ava_absence = await Absence.get(participant_id=ava.id)
        assert ava_absence.confirmed_at == DURING_CLASS
        ava_credit = await MakeupCredit.get(participant_id=ava.id)
        assert (ava_credit.status, ava_credit.origin) == (CreditStatus.AVAILABLE, CreditOrigin.ABSENCE)
        ben_absence = await Absence.get(participant_id=ben.id)  # excused, nobody reported: staff record it
        assert (ben_absence.contact_id, ben_absence.reported_by, ben_absence.confirmed_at) == (
            None,
            'Ines Instructor',
            DURING_CLASS,
        )
        ben_credit = await MakeupCredit.get(participant_id=ben.id)
        assert (ben_credit.status, ben_credit.origin) == (CreditStatus.AVAILABLE, CreditOrigin.EXCUSED)
        assert (await MakeupCredit.get(id=cara_credit.id)).status == CreditStatus.USED
        stored = dict(await Attendance.filter(roll_call_id=call.id).values_list('participant_id', 'mark'))
        assert stored == {ava.id: A, ben.id: E, cara.id: P, dan.id: L}
        roster = await attendance.meeting_roster(ines, ballet.id, MONDAY)
        assert {line.child.name.split()[0]: line.mark.value for line in roster.lines if line.mark} == {
            'Ava': A,
            'Ben': E,
            'Cara': P,
            'Dan': L,
        }
        assert (roster.version, roster.taken_by) == (1, 'Ines Instructor')
        assert {line.child.name.split()[0]: line.credit for line in roster.lines if line.credit} == {
            'Ava': CreditStatus.AVAILABLE,
            'Ben': CreditStatus.AVAILABLE,
        }
        # Ava turned up after all
        call = await attendance.save_roll(ines, ballet.id, MONDAY, {**marks, ava.id: P}, 1)
        assert call.version == 2
        assert (await MakeupCredit.get(participant_id=ava.id)).status == CreditStatus.REVOKED
        assert (await Absence.get(participant_id=ava.id)).confirmed_at is None
        with pytest.raises(RosterChanged):
            await attendance.save_roll(ines, ballet.id, MONDAY, marks, 1)  # loaded before the last save
    assert (await MakeupCredit.get(participant_id=ava.id)).status == CreditStatus.REVOKED  # nothing of it written
    entries = await StaffAuditEntry.filter(action='roster_taken').order_by('id')
    assert [e.target for e in entries] == ['Ballet 2 - 1/18/2027', 'Ballet 2 - 1/18/2027']
    assert entries[1].old_values == {'marks': {'Ava Bestie': A, 'Ben Bestie': E, 'Cara Other': P, 'Dan Trial': L}}
    assert entries[1].new_values['marks']['Ava Bestie'] == P
    logged = await PortalEvent.filter(kind__startswith='absence_').values_list('message', flat=True)
    assert logged == ['Absence excused: Ben Bestie - Ballet 2 - 1/18/2027 - By: Ines Instructor']
    assert await PortalEvent.filter(kind='makeup_credit_revoked').count() == 1


async def test_two_instructors_saving_the_same_roster_at_once_one_wins(admin, term):
    ines, ballet, _jazz, (ava, ben, cara, dan), _credit = await a_meeting(admin, term)
    await settings.update_absence_rules(admin, credit='always')
    other = await instructor('ivo@example.com', 'Ivo Instructor')
    await CourseInstructor.create(course_id=ballet.id, staff_id=other.staff_id, position=2)
    marks = {ava.id: A, ben.id: P, cara.id: P, dan.id: P}
    with clock.pinned(DURING_CLASS):
        for seen in (None, 1):
            outcomes = await asyncio.gather(
                attendance.save_roll(ines, ballet.id, MONDAY, marks, seen),
                attendance.save_roll(other, ballet.id, MONDAY, {**marks, ben.id: E}, seen),
                return_exceptions=True,
            )
            won = [o for o in outcomes if not isinstance(o, BaseException)]
            assert len(won) == 1, outcomes
            assert all(isinstance(o, RosterChanged) for o in outcomes if isinstance(o, BaseException))
    call = await RollCall.get(course_id=ballet.id, date=MONDAY)
    assert call.version == 2
    assert await Attendance.filter(roll_call_id=call.id).count() == 4
    assert await StaffAuditEntry.filter(action='roster_taken').count() == 2
    assert await MakeupCredit.filter(participant_id=ava.id).count() == 1


async def test_a_roster_is_refused_too_early_or_with_a_child_unmarked(admin, term):
    ines, ballet, _jazz, (ava, ben, cara, dan), _credit = await a_meeting(admin, term)
    with clock.pinned(DURING_CLASS - dt.timedelta(minutes=31)):  # 16:59: the class starts at 17:00
        assert not (await attendance.meeting_roster(ines, ballet.id, MONDAY)).can_save
        with pytest.raises(RosterTooEarly):
            await attendance.save_roll(ines, ballet.id, MONDAY, {ava.id: A, ben.id: P, cara.id: P, dan.id: P}, None)
    with clock.pinned(DURING_CLASS):
        with pytest.raises(ValidationFailed) as unmarked:
            await attendance.save_roll(ines, ballet.id, MONDAY, {ava.id: A, ben.id: P}, None)
        assert unmarked.value.errors == {'marks': 'Mark every child on the roster'}
        with pytest.raises(ValidationFailed):
            await attendance.save_roll(
                ines, ballet.id, MONDAY, {ava.id: 'asleep', ben.id: P, cara.id: P, dan.id: P}, None
            )
        with pytest.raises(ValidationFailed):
            await attendance.save_roll(ines, ballet.id, MONDAY, {ava.id: A, ben.id: P, cara.id: P, 10**6: P}, None)
    assert await RollCall.all().count() == 0


async def test_when_the_studio_decides_a_confirmed_absence_waits_for_the_desk(admin, term):
    ines, ballet, _jazz, (ava, ben, cara, dan), _credit = await a_meeting(admin, term)
    await settings.update_absence_rules(admin, credit='staff')
    with clock.pinned(DURING_CLASS):
        await attendance.save_roll(ines, ballet.id, MONDAY, {ava.id: A, ben.id: P, cara.id: P, dan.id: P}, None)
        assert not (await attendance.meeting_roster(ines, ballet.id, MONDAY)).decides_credits
        roster = await attendance.meeting_roster(admin, ballet.id, MONDAY)
        assert roster.decides_credits
        (ava_line,) = [line for line in roster.lines if line.credit]
        assert (ava_line.child.name.split()[0], ava_line.credit) == ('Ava', CreditStatus.PENDING)
        await credits.grant(admin, ava_line.credit_id)
        roster = await attendance.meeting_roster(admin, ballet.id, MONDAY)
    assert [line.credit for line in roster.lines if line.credit] == [CreditStatus.AVAILABLE]
