"""The staff's queue: what families asked for, waiting ones first, with a count on the menu; approving or declining
with a message tells the family, and instructors see none of it."""

import asyncio
import datetime as dt

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from components.i18n import day, money
from domain import clock
from domain.access.actors import StaffActor
from domain.classes import enrolment, requests, tuition
from domain.models import ClassRequest, Enrolment, OutboxMessage, RequestStatus
from tests.domain.classes.studio_setup import NOON_IN_CHICAGO, make_studio
from tests.factories import STAFF_PASSWORD, make_staff, signed_in, totp_now
from tests.pages.helpers import press, staff_signs_in
from tests.pages.portal.classes.steps import family_with, offer


@pytest.fixture
async def studio():
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    return await make_studio(StaffActor(made.id, made.name, made.email, made.role))


async def a_drop_request(studio):
    """Asked on Wednesday 2 December 2026, for Monday the 21st."""
    course = await offer(studio, 'Ballet 2')
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    place = await enrolment.enrol_by_staff(studio.admin, made.children[0].id, course.id)
    parent = await signed_in('holly@example.com')
    request = await requests.request_drop(parent, place.id, dt.date(2026, 12, 21), 'Moving away', 'New job')
    return request, place


def queue(user: User):
    return user.find(marker='queue').elements.pop()


async def test_the_menu_counts_waiting_requests_and_staff_approve_one_with_a_message(user: User, studio):
    await staff_signs_in(user)
    with clock.pinned(NOON_IN_CHICAGO):  # the sign-in's code was read on the real clock
        request, place = await a_drop_request(studio)
        await user.open('/staff/requests')
        await user.should_see('Requests (1)')
        (row,) = queue(user).rows
        assert (row['status'], row['kind'], row['family'], row['child'], row['course'], row['reason'], row['note']) == (
            'Waiting',
            'Drop',
            'Ager',
            'Ava Ager',
            'Ballet 2',
            'Moving away',
            'New job',
        )
        assert row['date'] == 'Dec 21, 2026'
        shown = queue(user)
        assert 'wrap-cells' in shown.props  # a long note wraps in its cell: no sideways scroll at 1280 px
        assert [c['name'] for c in shown.columns] == [
            'asked',
            'status',
            'kind',
            'child',
            'course',
            'date',
            'reason',
            'note',
        ]
        UserInteraction(user, {queue(user)}, None).trigger('rowClick', [{}, row, 0])
        await user.should_see('Drop: Ava Ager (Ager) · Ballet 2 · Dec 21, 2026')
        user.find(marker='message').elements.pop().set_value('Sorry to see Ava go')
        user.find(marker='approve').click()
        await user.should_see('Approved: the family is told by email')
        assert (await Enrolment.get(id=place.id)).dropped_on == dt.date(2026, 12, 21)
        assert (await ClassRequest.get(id=request.id)).decision_message == 'Sorry to see Ava go'
        assert 'Sorry to see Ava go' in (await OutboxMessage.get(kind='class_request')).body_text
        assert queue(user).rows[0]['status'] == 'Approved'
        await user.should_not_see('Requests (1)')  # the menu's count follows the decision, no reload
        assert [link.text for link in user.find(marker='requests-link').elements] == ['Requests']


async def test_a_request_decided_meanwhile_is_said_so(user: User, studio):
    await staff_signs_in(user)
    with clock.pinned(NOON_IN_CHICAGO):  # the sign-in's code was read on the real clock
        request, place = await a_drop_request(studio)
        await user.open('/staff/requests')
        await user.should_see('Requests (1)')  # the queue is read once the page is open
        (row,) = queue(user).rows
        UserInteraction(user, {queue(user)}, None).trigger('rowClick', [{}, row, 0])
        await requests.decline(studio.admin, request.id, 'Call us')  # another desk, a moment before
        user.find(marker='approve').click()
        await user.should_see(requests.AlreadyDecided.MESSAGE)
        assert (await ClassRequest.get(id=request.id)).status == RequestStatus.DECLINED
        assert (await Enrolment.get(id=place.id)).dropped_on is None


async def test_instructors_see_neither_the_queue_nor_its_count(user: User, studio):
    teacher = await make_staff('teacher@example.com', role='instructor')
    await user.open('/staff/sign-in')
    user.find('Email').type('teacher@example.com')
    user.find('Password').type(STAFF_PASSWORD)
    user.find('Authenticator code').type(totp_now(teacher))
    press(user, 'Sign in')
    await user.should_see('Classes', retries=30)
    with clock.pinned(NOON_IN_CHICAGO):  # the sign-in's code was read on the real clock
        await a_drop_request(studio)
        await user.open('/staff/requests')
        await user.should_see('Only an administrator can do this')
        assert not [link for link in user.find(kind=ui.link).elements if link.text.startswith('Requests')]
        await user.should_not_see(marker='queue')


async def test_the_decision_shows_what_the_family_said_and_what_a_drop_changes(user: User, studio):
    await staff_signs_in(user)
    with clock.pinned(NOON_IN_CHICAGO):  # the sign-in's code was read on the real clock
        await a_drop_request(studio)
        await user.open('/staff/requests')
        (row,) = queue(user).rows
        UserInteraction(user, {queue(user)}, None).trigger('rowClick', [{}, row, 0])
        (line,) = await requests.queue(studio.admin)
        assert line.last_class is not None and line.last_class < dt.date(2026, 12, 21)
        await user.should_see('Moving away')
        await user.should_see('New job')
        await user.should_see('Last class')
        await user.should_see(day(line.last_class))


async def test_declining_wants_a_message_for_the_family(user: User, studio):
    await staff_signs_in(user)
    with clock.pinned(NOON_IN_CHICAGO):  # the sign-in's code was read on the real clock
        request, _ = await a_drop_request(studio)
        await user.open('/staff/requests')
        (row,) = queue(user).rows
        UserInteraction(user, {queue(user)}, None).trigger('rowClick', [{}, row, 0])
        user.find(marker='decline').click()
        field = user.find(marker='message').elements.pop()
        for _ in range(50):  # the click's handler runs on the event loop
            if field.error:
                break
            await asyncio.sleep(0.02)
        assert field.error == 'Write the family a word on why: it is their email'
        assert (await ClassRequest.get(id=request.id)).status == RequestStatus.PENDING
        user.find(marker='message').elements.pop().set_value('The class is full until June')
        user.find(marker='decline').click()
        await user.should_see('Declined: the family is told by email')
        assert (await ClassRequest.get(id=request.id)).decision_message == 'The class is full until June'


async def test_a_waiting_drop_says_the_credit_its_approval_gives_back(user: User, studio):
    await staff_signs_in(user)
    with clock.pinned(NOON_IN_CHICAGO):  # the sign-in's code was read on the real clock
        _, place = await a_drop_request(studio)
        await tuition.post_tuition(studio.admin, dt.date(2026, 12, 1))
        (line,) = await requests.queue(studio.admin)
        preview = await requests.drop_preview(await signed_in('holly@example.com'), place.id, dt.date(2026, 12, 21))
        assert line.credit == preview.credit and line.credit > 0  # what the family was shown before sending
        await user.open('/staff/requests')
        (row,) = queue(user).rows
        UserInteraction(user, {queue(user)}, None).trigger('rowClick', [{}, row, 0])
        await user.should_see('Credit due')
        await user.should_see(money(line.credit))
