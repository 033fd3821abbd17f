"""The family's calendar feed and the .ics files sent with an enrolment, read back as a calendar app reads them:
stable UIDs, the studio's zone, a booked makeup an event of its own, what will not happen (an absent child's
meeting too) marked CANCELLED and saying why, and a private link that only its own family's calendar answers and
that stops for good."""

import base64
import datetime as dt
from zoneinfo import ZoneInfo

import httpx
import pytest
from dateutil.rrule import rruleset, rrulestr
from fastapi import FastAPI
from icalendar import Calendar

from domain import clock
from domain.classes import calendar, calendar_feeds, catalogue
from domain.classes.catalogue import ClosureForm
from domain.classes.meetings import course_meetings
from domain.errors import NotFound
from domain.models import CalendarFeed, Contact, MakeupStatus, PortalEvent
from pages.endpoints import calendar as calendar_endpoint
from tests.domain.classes.studio_setup import NOON_IN_CHICAGO, SATURDAY_MORNING, TODAY, enrol, make_studio, register
from tests.domain.classes.test_schedule import THURSDAY_AT_FOUR, booked_makeup, report_absent
from tests.factories import make_family, signed_in

pytestmark = pytest.mark.usefixtures('database')

CHICAGO = ZoneInfo('America/Chicago')


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(NOON_IN_CHICAGO):
        yield TODAY


@pytest.fixture
async def studio(admin):
    return await make_studio(admin)


@pytest.fixture
async def ager(studio):
    """Ava in Ballet 2 (Monday and Wednesday 17:00), the studio closed on Wednesday 23 December."""
    made = await make_family('Ager', 'holly@example.com', children=('Ava',))
    await enrol(await studio.course('Ballet 2'), made.children[0], starts_on=dt.date(2026, 11, 2))
    await catalogue.add_closure(studio.admin, ClosureForm('2026-12-23', 'Winter break'))
    return made


def events(ics: bytes | str) -> dict[str, dict]:
    parsed = Calendar.from_ical(ics)
    return {str(event['UID']): event for event in parsed.walk('VEVENT')}


def on(events_: dict[str, dict], day: dt.date) -> list[dict]:
    return [event for event in events_.values() if event.decoded('DTSTART').date() == day]


async def test_the_feed_names_the_family_and_keeps_each_meetings_uid_from_one_fetch_to_the_next(ager):
    first = await calendar.family_feed(ager.family.id)
    with clock.pinned(NOON_IN_CHICAGO + dt.timedelta(hours=1)):
        second = await calendar.family_feed(ager.family.id)

    parsed = Calendar.from_ical(first)
    assert str(parsed['X-WR-CALNAME']) == 'Kinroll Studio · Ager'
    assert set(events(first)) == set(events(second))
    [meeting] = on(events(first), dt.date(2026, 12, 7))
    assert str(meeting['UID']) == f'course-{ager_course_id(first)}-20261207-1700-p{ager.children[0].id}@localhost'
    assert str(meeting['SUMMARY']) == 'Ballet 2 · Ava'
    assert str(meeting['LOCATION']) == 'Main Street, Studio A, 12 Main Street, Springfield'
    assert str(meeting['STATUS']) == 'CONFIRMED'
    dates = sorted(event.decoded('DTSTART').date() for event in events(first).values())
    assert dates[0] == dt.date(2026, 11, 2)  # the past month still shows
    assert dates[-1] == dt.date(2027, 2, 24)  # the class's last Wednesday


async def test_an_absent_childs_meeting_is_cancelled_saying_so_and_a_booked_makeup_is_an_event(ager, studio):
    ava = ager.children[0]
    [enrolment] = await ava.enrolments.all()
    await report_absent('holly@example.com', [ava], dt.date(2026, 12, 7), 'sick')
    tap = await studio.course('Tap', THURSDAY_AT_FOUR)
    makeup = await booked_makeup(ava, enrolment, tap, dt.date(2026, 12, 10))
    dropped = await booked_makeup(ava, enrolment, tap, dt.date(2026, 12, 17), MakeupStatus.LATE_CANCELLED)

    feed = events(await calendar.family_feed(ager.family.id))

    [absent] = on(feed, dt.date(2026, 12, 7))
    assert (str(absent['SUMMARY']), str(absent['STATUS']), str(absent['DESCRIPTION'])) == (
        'Ballet 2 · Ava (absent)',
        'CANCELLED',
        'Reported absent: Sick',
    )
    assert str(absent['UID']).startswith(f'course-{enrolment.course_id}-20261207-1700-p{ava.id}@')  # the same event
    [visit] = on(feed, dt.date(2026, 12, 10))
    assert (str(visit['UID']), str(visit['SUMMARY']), str(visit['STATUS'])) == (
        f'makeup-{makeup.id}@localhost',
        'Tap · Makeup: Ava',
        'CONFIRMED',
    )
    assert visit.decoded('DTSTART') == dt.datetime(2026, 12, 10, 16, 0, tzinfo=CHICAGO)
    assert visit.decoded('DTEND') == dt.datetime(2026, 12, 10, 16, 45, tzinfo=CHICAGO)
    [called_off] = on(feed, dt.date(2026, 12, 17))
    assert (str(called_off['UID']), str(called_off['STATUS'])) == (f'makeup-{dropped.id}@localhost', 'CANCELLED')
    assert [str(e['STATUS']) for e in on(feed, dt.date(2026, 12, 9))] == ['CONFIRMED']  # the next meeting as before


async def test_the_feed_says_an_absence_in_the_primary_contacts_language(ager):
    await Contact.filter(id=ager.parent.id).update(preferred_language='es')
    await report_absent('holly@example.com', [ager.children[0]], dt.date(2026, 12, 7), 'sick')

    [absent] = on(events(await calendar.family_feed(ager.family.id)), dt.date(2026, 12, 7))

    assert str(absent['DESCRIPTION']) == 'Ausencia avisada: Enfermedad'


def ager_course_id(ics: bytes) -> str:
    return next(iter(events(ics))).split('-')[1]


async def test_times_are_in_the_studios_zone_and_a_class_stays_at_five_across_summer_time(studio):
    made = await make_family('Ager', 'holly@example.com', children=('Ava',))
    await enrol(await studio.course('Ballet 2', ends_on='2027-02-27'), made.children[0])
    ics = await calendar.family_feed(made.family.id)

    parsed = Calendar.from_ical(ics)
    assert [str(zone['TZID']) for zone in parsed.walk('VTIMEZONE')] == ['America/Chicago']
    meeting = on(events(ics), dt.date(2026, 12, 7))[0]
    assert meeting['DTSTART'].params['TZID'] == 'America/Chicago'
    start = meeting.decoded('DTSTART')
    assert (start.hour, start.minute) == (17, 0) and start.utcoffset() == dt.timedelta(hours=-6)
    assert b'DTSTART;TZID=America/Chicago:20261207T170000' in ics


async def test_a_meeting_on_a_closed_day_stays_in_the_feed_as_cancelled(ager):
    [closed] = on(events(await calendar.family_feed(ager.family.id)), dt.date(2026, 12, 23))
    assert str(closed['STATUS']) == 'CANCELLED' and str(closed['DESCRIPTION']) == 'Winter break'
    [open_day] = on(events(await calendar.family_feed(ager.family.id)), dt.date(2026, 12, 21))
    assert str(open_day['STATUS']) == 'CONFIRMED'


async def test_meetings_after_a_drop_are_cancelled_and_a_cancelled_registration_too(studio):
    made = await make_family('Ager', 'holly@example.com', children=('Ava',))
    ava = made.children[0]
    await enrol(await studio.course('Ballet 2'), ava, starts_on=dt.date(2026, 11, 2), dropped_on=dt.date(2026, 12, 7))
    workshop = await studio.event('Aerial Workshops', dt.date(2026, 12, 6))
    party = await studio.event('Winter Party', dt.date(2026, 12, 19))
    await register(workshop, made.family.id, ava, cancelled=True)
    kept = await register(party, made.family.id)

    feed = events(await calendar.family_feed(made.family.id))

    assert [str(e['STATUS']) for e in on(feed, dt.date(2026, 12, 2))] == ['CONFIRMED']
    assert [str(e['STATUS']) for e in on(feed, dt.date(2026, 12, 7))] == ['CANCELLED']
    assert [(str(e['SUMMARY']), str(e['STATUS'])) for e in on(feed, dt.date(2026, 12, 6))] == [
        ('Aerial Workshops · Ava', 'CANCELLED')
    ]
    [party_event] = on(feed, dt.date(2026, 12, 19))
    assert (
        str(party_event['SUMMARY']) == 'Winter Party' and str(party_event['UID']) == f'registration-{kept.id}@localhost'
    )


async def test_another_familys_feed_has_nothing_of_this_one(ager):
    bestie = await make_family('Bestie', 'bonnie@example.com', children=('Bo',))
    theirs = Calendar.from_ical(await calendar.family_feed(bestie.family.id))
    assert list(theirs.walk('VEVENT')) == []
    assert 'Ager' not in str(theirs['X-WR-CALNAME'])


async def test_the_class_invitation_repeats_as_the_class_meets_and_leaves_the_closed_day_out(ager, studio):
    enrolment = await enrol(await studio.course('Tap', SATURDAY_MORNING), ager.children[0])
    await catalogue.add_closure(studio.admin, ClosureForm('2026-12-26', 'Boxing Day'))
    course = await enrolment.course

    ics = await calendar.class_invitation(enrolment.id)

    parsed = Calendar.from_ical(ics)
    assert str(parsed['METHOD']) == 'PUBLISH'
    [event] = parsed.walk('VEVENT')
    assert str(event['SUMMARY']) == 'Tap · Ava' and event['DTSTART'].params['TZID'] == 'America/Chicago'
    # what a calendar app makes of RRULE and EXDATE: exactly the class's meetings from the child's first day
    dates = rruleset()
    dates.rrule(rrulestr(event['RRULE'].to_ical().decode(), dtstart=event.decoded('DTSTART')))
    for excluded in event['EXDATE'].dts:
        dates.exdate(excluded.dt)
    expected = [m.date for m in await course_meetings(course) if m.date >= TODAY]
    assert [moment.date() for moment in dates] == expected
    assert dt.date(2026, 12, 26) not in expected and all(moment.hour == 9 for moment in dates)


async def test_the_event_invitation_has_the_feeds_uid_and_says_when_it_is_cancelled(ager, studio):
    workshop = await studio.event('Aerial Workshops', dt.date(2026, 12, 6))
    registration = await register(workshop, ager.family.id, ager.children[0])

    [event] = events(await calendar.occurrence_invitation(registration.id)).values()
    assert str(event['UID']) in events(await calendar.family_feed(ager.family.id))
    assert event.decoded('DTSTART') == dt.datetime(2026, 12, 6, 10, 0, tzinfo=CHICAGO)
    registration.cancelled_at = clock.now()
    await registration.save()
    [event] = events(await calendar.occurrence_invitation(registration.id)).values()
    assert str(event['STATUS']) == 'CANCELLED'


async def test_the_link_carries_a_long_random_token_and_only_its_digest_is_stored(ager):
    holly = await signed_in('holly@example.com')
    address = await calendar_feeds.feed_address(holly)

    assert address.startswith('http://localhost:8080/calendar/') and address.endswith('.ics')
    token = address.removeprefix('http://localhost:8080/calendar/').removesuffix('.ics')
    assert len(base64.urlsafe_b64decode(token + '=' * (-len(token) % 4))) * 8 >= 128
    [feed] = await CalendarFeed.all().values()
    assert token not in str(feed) and feed['token_hash'] != token
    assert calendar_feeds.webcal(address) == f'webcal://localhost:8080/calendar/{token}.ics'
    assert await calendar_feeds.feed_for_token(token) == await calendar.family_feed(ager.family.id)
    line = await PortalEvent.filter(kind='calendar_feed_created').get()
    assert (line.message, line.contact_name) == ('Calendar feed created', 'Holly Ager')


async def test_a_new_link_stops_the_one_before_and_stopping_it_ends_it(ager):
    holly = await signed_in('holly@example.com')
    earlier = token_of(await calendar_feeds.feed_address(holly))
    later = token_of(await calendar_feeds.feed_address(holly))

    with pytest.raises(NotFound):
        await calendar_feeds.feed_for_token(earlier)
    await calendar_feeds.feed_for_token(later)
    await calendar_feeds.revoke_feed(holly)
    with pytest.raises(NotFound):
        await calendar_feeds.feed_for_token(later)
    with pytest.raises(NotFound):  # nothing left to stop
        await calendar_feeds.revoke_feed(holly)
    messages = (
        await PortalEvent.filter(kind__startswith='calendar_feed').order_by('id').values_list('message', flat=True)
    )
    assert messages == [
        'Calendar feed created',
        'Calendar feed created, the earlier link stopped',
        'Calendar feed stopped',
    ]


def token_of(address: str) -> str:
    return address.rsplit('/', 1)[1].removesuffix('.ics')


@pytest.fixture
def http():
    """The endpoint alone, asked as a phone's calendar app asks: no cookie, no session."""
    app = FastAPI()
    app.get('/calendar/{token}.ics')(calendar_endpoint.calendar_feed)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test')


async def test_the_endpoint_answers_a_live_link_with_the_calendar_and_a_stopped_one_with_404(ager, http):
    holly = await signed_in('holly@example.com')
    token = token_of(await calendar_feeds.feed_address(holly))

    live = await http.get(f'/calendar/{token}.ics')
    assert live.status_code == 200 and live.headers['content-type'].startswith('text/calendar')
    assert live.headers['cache-control'] == 'private, max-age=300'
    assert 'Ballet 2 · Ava' in live.text

    await calendar_feeds.revoke_feed(holly)
    stopped = await http.get(f'/calendar/{token}.ics')
    assert stopped.status_code == 404 and 'Ballet' not in stopped.text
    guessed = await http.get('/calendar/' + 'A' * 43 + '.ics')
    assert guessed.status_code == 404
