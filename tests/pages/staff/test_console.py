import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from nicegui import ui
from nicegui.testing import User

from components.log_table import BATCH_SECONDS
from domain import portal_log
from domain.family import contacts, participants
from domain.family.participants import ParticipantForm
from domain.models import Participant
from domain.portal_log import LogSubject
from domain.unit_of_work import UnitOfWork
from tests.factories import make_family, make_staff, signed_in, totp_now
from tests.pages.helpers import messages, press, sign_in, staff_signs_in, table_rows, wait_for


async def test_console_needs_a_staff_sign_in_and_parents_are_not_staff(user: User):
    await make_family('Ager', 'holly@example.com')
    await user.open('/staff')
    await user.should_see('Staff sign in')
    await sign_in(user)  # a parent session opens no staff doors
    await user.open('/staff')
    await user.should_see('Staff sign in')


async def test_wrong_staff_password_is_refused(user: User):
    staff_user = await make_staff()
    await user.open('/staff/sign-in')
    user.find('Email').type('desk@example.com')
    user.find('Password').type('guess')
    user.find('Authenticator code').type(totp_now(staff_user))
    press(user, 'Sign in')
    await user.should_see('Invalid user ID / password combination', retries=30)


async def test_log_shows_the_report_columns_newest_first(user: User):
    await make_family('Ager', 'holly@example.com')
    await signed_in('holly@example.com')
    await staff_signs_in(user)
    table = user.find(kind=ui.table).elements.pop()
    assert [c['label'] for c in table.columns] == [
        'Date/Time',
        'Family',
        'Contact',
        'Portal User ID',
        'Contact Email',
        'Message',
    ]
    assert table_rows(user)[0]['message'] == 'Login successful for UserID: holly@example.com'
    assert table_rows(user)[0]['family'] == 'Ager'


async def test_new_events_appear_in_every_open_console_without_reload(create_user: Callable[[], User]):
    desk, owner = create_user(), create_user()
    await staff_signs_in(desk)
    await staff_signs_in(owner, 'owner@example.com', role='admin')

    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    child = made.children[0]
    form = ParticipantForm('Barbie', 'Ager', dt.date(2010, 11, 17), child.gender.value, version=child.version)
    await participants.update_participant(actor, child.id, form)
    for console in (desk, owner):
        await wait_for(
            lambda console=console: (
                messages(console)[:2]
                == [
                    'Birthdate for Barbie Ager set to 11/17/2010',
                    'Login successful for UserID: holly@example.com',
                ]
            )
        )


async def test_search_filters_and_live_lines_respect_the_filter(user: User):
    await make_family('Ager', 'holly@example.com')
    await make_family('Gunnar', 'deanne@example.com')
    await signed_in('holly@example.com')
    await staff_signs_in(user)
    assert 'Login successful for UserID: holly@example.com' in messages(user)
    user.find(kind=ui.input, content='Search').type('gunnar')
    press(user, 'Search')
    await wait_for(lambda: messages(user) == [])
    await signed_in('holly@example.com')  # does not match: stays out
    await signed_in('deanne@example.com')  # matches: comes in live
    await wait_for(lambda: messages(user) == ['Login successful for UserID: deanne@example.com'])


async def test_date_range_limits_the_report(user: User):
    subject = LogSubject(1, 'Ager', 1, 'Holly Ager', 'holly@example.com', 'holly@example.com')
    async with UnitOfWork() as uow:
        await portal_log.record(
            uow, subject, 'test', 'an old line', occurred_at=dt.datetime(2025, 1, 5, 18, tzinfo=dt.UTC)
        )
        await portal_log.record(
            uow, subject, 'test', 'a recent line', occurred_at=dt.datetime(2026, 11, 1, 18, tzinfo=dt.UTC)
        )
    await staff_signs_in(user)
    assert messages(user) == ['a recent line', 'an old line']
    user.find('From').type('2026-01-01')
    press(user, 'Search')
    await wait_for(lambda: messages(user) == ['a recent line'])


async def test_older_and_newer_page_through_the_log(user: User):
    subject = LogSubject(1, 'Ager', 1, 'Holly Ager', 'holly@example.com', 'holly@example.com')
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    async with UnitOfWork() as uow:
        for i in range(portal_log.PAGE_SIZE + 5):
            await portal_log.record(uow, subject, 'test', f'line {i}', occurred_at=start + dt.timedelta(minutes=i))
    await staff_signs_in(user)
    assert table_rows(user)[0]['message'] == f'line {portal_log.PAGE_SIZE + 4}'
    press(user, 'Older')
    await wait_for(lambda: messages(user) == [f'line {i}' for i in range(4, -1, -1)])
    press(user, 'Newer')
    await wait_for(lambda: messages(user)[0] == f'line {portal_log.PAGE_SIZE + 4}')
    assert len(messages(user)) == portal_log.PAGE_SIZE


async def test_text_typed_by_parents_is_shown_as_text(user: User):
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    await contacts.add_contact(actor, contacts.ContactForm('<img src=x onerror=alert(1)>', 'Porter'))
    await staff_signs_in(user)
    row = table_rows(user)[0]
    assert row['message'] == 'Contact added: <img src=x onerror=alert(1)> Porter'
    table = user.find(kind=ui.table).elements.pop()
    assert not any(slot for slot in table.slots if slot.startswith('body')), 'no custom HTML cell templates'
    assert await Participant.filter(family_id=made.family.id).count() == 1


async def test_a_line_that_arrives_live_after_the_page_loaded_it_is_shown_once(user: User):
    from domain import events

    subject = LogSubject(1, 'Ager', 1, 'Holly Ager', 'holly@example.com', 'holly@example.com')
    await staff_signs_in(user)
    async with UnitOfWork() as uow:
        await portal_log.record(uow, subject, 'test', 'a line committed while the console was loading')
    await wait_for(lambda: messages(user)[:1] == ['a line committed while the console was loading'])
    line = (await portal_log.search(portal_log.LogFilter())).lines[0]
    events.bus.publish(events.PORTAL_LOG, line)  # the same line again, as a console loading at that moment sees it
    await asyncio.sleep(BATCH_SECONDS * 3)
    assert messages(user).count('a line committed while the console was loading') == 1


async def test_each_line_with_a_family_links_to_the_familys_staff_page(user: User):
    made = await make_family('Ager', 'holly@example.com')
    async with UnitOfWork() as uow:
        await portal_log.record(uow, LogSubject(user_id='nobody@example.com'), 'test', 'a line of no family')
    await signed_in('holly@example.com')
    await staff_signs_in(user)
    by_message = {row['message']: row for row in table_rows(user)}
    assert by_message['Login successful for UserID: holly@example.com']['family_page'] == (
        f'/staff/families/{made.family.id}'
    )
    assert by_message['a line of no family']['family_page'] == ''
    await signed_in('holly@example.com')  # a line that arrives live links the same way
    await wait_for(lambda: len(table_rows(user)) == 3)
    assert table_rows(user)[0]['family_page'] == f'/staff/families/{made.family.id}'
    template = (Path(__file__).parents[3] / 'components' / 'live_table.js').read_text()
    assert '<a v-if="props.row.family_page" :href="props.row.family_page"' in template  # a real, focusable link
    assert 'v-html' not in template  # the family's name stays text


async def test_an_end_date_before_the_start_date_is_explained_beside_it(user: User):
    subject = LogSubject(1, 'Ager', 1, 'Holly Ager', 'holly@example.com', 'holly@example.com')
    async with UnitOfWork() as uow:
        await portal_log.record(
            uow, subject, 'test', 'a recent line', occurred_at=dt.datetime(2026, 1, 15, 18, tzinfo=dt.UTC)
        )
    await staff_signs_in(user)
    user.find('From').type('2026-02-01')
    user.find('To').type('2026-01-01')
    press(user, 'Search')
    end = user.find('To').elements.pop()
    await wait_for(lambda: end.error == 'The end date must be on or after the start date')
    assert messages(user) == ['a recent line']  # the page shown before is kept, not emptied
    user.find('From').clear().type('2026-1-1 or so')  # typed where the browser has no date picker
    press(user, 'Search')
    start = user.find('From').elements.pop()
    await wait_for(lambda: start.error == 'Enter the date as year-month-day')
    user.find('From').clear().type('2026-01-01')
    user.find('To').clear().type('2026-01-31')
    press(user, 'Search')
    await wait_for(lambda: (start.error, end.error) == (None, None))
    assert messages(user) == ['a recent line']
