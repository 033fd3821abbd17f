"""My schedule: a parent sees their own children's classes and makeups by day, those reported absent said so,
never another family's, is told what to do when there is nothing yet, and makes (and stops) the private calendar
link, shown once."""

import pytest
from nicegui import ui
from nicegui.testing import User

from domain import clock
from domain.access.actors import StaffActor
from domain.models import CalendarFeed, PortalEvent
from tests.domain.classes.studio_setup import NOON_IN_CHICAGO, SATURDAY_MORNING, TODAY, enrol, make_studio
from tests.domain.classes.test_schedule import MON_7, THU_3, THURSDAY_AT_FOUR, booked_makeup, report_absent
from tests.factories import make_family, make_staff
from tests.pages.helpers import press, sign_in

FIVE_PM, SIX_PM = '5:00\u202fPM', '6:00\u202fPM'  # as CLDR writes them, with a narrow no-break space


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(NOON_IN_CHICAGO):
        yield


@pytest.fixture
async def studio():
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    return await make_studio(StaffActor(made.id, made.name, made.email, made.role))


async def test_a_parent_sees_their_childs_class_by_day_and_not_another_familys(user: User, studio):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava',))
    bestie = await make_family('Bestie', 'bonnie@example.com', children=('Bo',))
    await enrol(await studio.course('Ballet 2'), ager.children[0])
    await enrol(await studio.course('Hip Hop Secret'), bestie.children[0])

    await sign_in(user)
    await user.open('/portal/schedule')

    await user.should_see('My schedule')
    await user.should_see(f'Ava: Ballet 2 · Wed, Dec 2, {FIVE_PM}')  # her next meeting
    await user.should_see('Today · Wed, Dec 2')
    await user.should_see('Mon, Dec 7')
    await user.should_see(f'{FIVE_PM}–{SIX_PM}')
    await user.should_see('Main Street · Studio A')
    await user.should_not_see('Hip Hop Secret')
    await user.should_not_see('Bo')
    assert len(user.find(marker='schedule-item').elements) == 8  # Mondays and Wednesdays for four weeks


async def test_nothing_yet_says_where_to_enrol(user: User):
    await make_family('Ager', 'holly@example.com', children=('Ava',))
    await sign_in(user)
    await user.open('/portal/schedule')
    await user.should_see('No classes yet.')
    [link] = [link for link in user.find(kind=ui.link).elements if link.text == 'Browse classes to enrol.']
    assert link.props['href'] == '/portal/classes'


async def test_the_calendar_link_is_shown_once_and_stopping_it_ends_it(user: User):
    await make_family('Ager', 'holly@example.com', children=('Ava',))
    await sign_in(user)
    await user.open('/portal/schedule')

    press(user, 'Make my calendar link')
    await user.should_see(marker='calendar-link')
    shown = sorted(field.value for field in user.find(kind=ui.input).elements)
    [feed] = await CalendarFeed.all()
    https, webcal = shown
    assert webcal.startswith('webcal://localhost:8080/calendar/') and https == 'http' + webcal.removeprefix('webcal')
    assert feed.token_hash not in webcal and feed.revoked_at is None

    await user.open('/portal/schedule')  # the link is not shown again, only that it is on
    await user.should_see('Your calendar link has been on since Dec 2, 2026.')
    await user.should_not_see(kind=ui.input)

    press(user, 'Stop this link')
    press(user, 'Stop the link')
    await user.should_see('Make my calendar link')
    assert (await CalendarFeed.get(id=feed.id)).revoked_at is not None
    kinds = await PortalEvent.filter(kind__startswith='calendar_feed').order_by('id').values_list('kind', flat=True)
    assert kinds == ['calendar_feed_created', 'calendar_feed_stopped']


async def test_the_dashboard_tile_says_the_familys_next_class(user: User, studio):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava',))
    await sign_in(user)
    await user.should_see('Classes and events, and a calendar for your phone')  # nothing enrolled yet
    await enrol(await studio.course('Ballet 2'), ager.children[0])
    await user.open('/portal')
    await user.should_see(f'Next: Ava, Ballet 2 · Wed, Dec 2, {FIVE_PM}')


async def test_coming_up_puts_the_soonest_child_first(user: User, studio):
    ager = await make_family('Ager', 'holly@example.com', children=('Ava', 'Bo'))
    await enrol(await studio.course('Saturday Swim', SATURDAY_MORNING), ager.children[0])  # Sat, Dec 5
    await enrol(await studio.course('Ballet 2'), ager.children[1])  # today, Wed, Dec 2
    await sign_in(user)
    await user.open('/portal/schedule')
    [coming_up] = user.find(marker='coming-up').elements
    lines = [label.text for label in coming_up.default_slot.children]  # in the page's order
    assert lines == [
        f'Bo: Ballet 2 · Wed, Dec 2, {FIVE_PM}',
        'Enrolled in Ballet 2',
        'Drop or transfer',
        'Ava: Saturday Swim · Sat, Dec 5, 9:30\u202fAM',
        'Enrolled in Saturday Swim',
        'Drop or transfer',
    ]


async def test_absences_and_a_makeup_show_on_their_days_and_on_the_dashboard(user: User, studio):
    bestie = await make_family('Bestie', 'holly@example.com', children=('Ava', 'Leo', 'Nora'))
    ava, leo, nora = bestie.children
    ballet = await studio.course('Ballet 2')
    missed = [await enrol(ballet, child) for child in bestie.children]
    await report_absent('holly@example.com', [ava], TODAY, 'sick')
    await report_absent('holly@example.com', [leo, nora], MON_7, 'travel')
    await booked_makeup(nora, missed[2], await studio.course('Tap', THURSDAY_AT_FOUR), THU_3)

    await sign_in(user)
    await user.should_see(f'Next: Leo, Nora, Ballet 2 · Wed, Dec 2, {FIVE_PM}')  # Ava is not going today
    await user.open('/portal/schedule')

    cards = [
        [label.text for label in card.descendants() if isinstance(label, ui.label)]
        for card in sorted(user.find(marker='schedule-item').elements, key=lambda card: card.id)  # the page's order
    ]
    assert cards[:3] == [
        ['Ballet 2', f'{FIVE_PM}–{SIX_PM}', 'Leo, Nora', 'Absent: Ava (Sick)', 'Main Street · Studio A'],
        ['Tap', '4:00\u202fPM–4:45\u202fPM', 'Makeup: Nora', 'Main Street · Studio A'],
        ['Ballet 2', f'{FIVE_PM}–{SIX_PM}', 'Ava', 'Absent: Leo (Travel), Nora (Travel)', 'Main Street · Studio A'],
    ]
    [coming_up] = user.find(marker='coming-up').elements
    lines = [label.text for label in coming_up.default_slot.children]
    assert lines[0::3] == [
        f'Leo: Ballet 2 · Wed, Dec 2, {FIVE_PM}',
        f'Nora: Ballet 2 · Wed, Dec 2, {FIVE_PM}',
        f'Ava: Ballet 2 · Mon, Dec 7, {FIVE_PM}',
    ]
    await report_absent('holly@example.com', [nora], TODAY, 'sick')
    await user.open('/portal/schedule')
    await user.should_see('Nora: Tap (makeup) · Thu, Dec 3, 4:00\u202fPM')
