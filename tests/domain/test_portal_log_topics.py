"""The Parent Portal Log filtered to absences and makeups: every line whose kind begins `absence_` or `makeup_`,
from the database and live, and nothing else, whatever its message says."""

import datetime as dt

import pytest

from domain import portal_log
from domain.errors import ValidationFailed
from domain.portal_log import ABSENCES, LogFilter, LogSubject
from domain.unit_of_work import UnitOfWork

pytestmark = pytest.mark.usefixtures('database')
CHICAGO = 'America/Chicago'
LINES = [
    ('login', 'Login successful for UserID: mbestie@example.com'),
    ('absence_reported', 'Absence scheduled: Ava Bestie - Ballet 2 - 2/12/2027 - Reason: Sick'),
    ('participant_changed', 'Allergies for Ava Bestie set to: makeup_ and absence_ in her note'),
    ('makeup_credit_issued', 'Makeup credit issued: Ava Bestie - Ballet 2 - 2/12/2027 - Absence'),
    ('makeup_booked', 'Makeup scheduled: Ava Bestie - Ballet 3 - 2/19/2027 - Credit: Ballet 2 2/12/2027'),
    ('absencesX', 'a kind that only looks like one'),
]


async def write_lines() -> list[portal_log.LogLine]:
    start = dt.datetime(2027, 2, 10, 15, tzinfo=dt.UTC)
    written = []
    async with UnitOfWork() as uow:
        for minute, (kind, message) in enumerate(LINES):
            subject = LogSubject(1, 'Bestie', 1, 'Mia Bestie', 'mbestie@example.com', 'mbestie@example.com')
            at = start + dt.timedelta(minutes=minute)
            written.append(await portal_log.record(uow, subject, kind, message, occurred_at=at))
    return written


async def test_the_absence_filter_shows_only_absence_and_makeup_lines_newest_first():
    written = await write_lines()
    page = await portal_log.search(LogFilter(timezone=CHICAGO, topic=ABSENCES))
    assert [line.kind for line in page.lines] == ['makeup_booked', 'makeup_credit_issued', 'absence_reported']
    criteria = LogFilter(timezone=CHICAGO, topic=ABSENCES)
    assert [line.kind for line in written if criteria.matches(line)] == [
        'absence_reported',
        'makeup_credit_issued',
        'makeup_booked',
    ]  # a live line is let in by the same rule
    everything = await portal_log.search(LogFilter(timezone=CHICAGO))
    assert len(everything.lines) == len(LINES)


async def test_the_filter_combines_with_text_and_dates():
    await write_lines()
    scheduled = await portal_log.search(LogFilter(text='scheduled', timezone=CHICAGO, topic=ABSENCES))
    assert [line.kind for line in scheduled.lines] == ['makeup_booked', 'absence_reported']
    later = LogFilter.typed('2027-02-11', '', 'Ava', CHICAGO, ABSENCES)
    assert (await portal_log.search(later)).lines == []


async def test_a_topic_that_does_not_exist_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        LogFilter.typed('', '', '', CHICAGO, 'billing')
    assert refused.value.errors == {'topic': 'Choose one of the options'}
