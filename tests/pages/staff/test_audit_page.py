import datetime as dt

from nicegui import ui
from nicegui.testing import User

from domain import audit, clock
from domain.access.actors import StaffActor
from domain.models import StaffRole
from domain.unit_of_work import UnitOfWork
from tests.pages.helpers import press, staff_signs_in, table_rows, wait_for

TYPED_TITLE = 'Waiver "2026" <script>alert(1)</script>'


async def test_front_desk_cannot_open_the_staff_audit(user: User):
    await staff_signs_in(user)
    assert not [link for link in user.find(kind=ui.link).elements if link.text == 'Staff audit']
    await user.open('/staff/audit')
    await user.should_see('Only an administrator can do this')
    await user.should_not_see(kind=ui.table)


async def test_an_administrator_sees_the_change_they_made_as_the_text_they_typed(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/policies')
    user.find('Title').type(TYPED_TITLE)
    user.find('Text (Markdown: **bold**, *italic*, lists)').type("Don't <b>run</b>.")
    press(user, 'Add policy')
    await user.should_see('Retire', retries=30)  # the policy is saved: its editor has a Retire button

    user.find('Staff audit').click()
    await user.should_see(kind=ui.table, retries=30)
    [row] = table_rows(user)
    assert row['who'] == 'Front Desk (owner@example.com)'
    assert row['what'] == f'Policy added\nPolicy: {TYPED_TITLE}'
    assert row['change'] == f"body: Don't <b>run</b>.\ntitle: {TYPED_TITLE}\nversion: 1"
    table = user.find(kind=ui.table).elements.pop()
    assert not table.slots.keys() - {'default'}, 'a cell slot could render a value as markup'
    assert not any(column.get('html') for column in table.columns)
    await user.should_not_see(kind=ui.html)


async def _entries(count: int, since: dt.datetime) -> None:
    staff = StaffActor(1, 'Olga Owner', 'olga@example.com', StaffRole.ADMIN)
    for number in range(count):
        with clock.pinned(since + dt.timedelta(minutes=number)):
            async with UnitOfWork() as uow:
                await audit.record(uow, staff, 'question_added', f'Question {number}', None, {'n': number})


def _shown(user: User) -> list[str]:
    return [row['what'].split('\n')[1] for row in table_rows(user)]


async def test_the_audit_searches_and_pages_older_and_newer(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await _entries(audit.PAGE_SIZE + 2, dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    await user.open('/staff/audit')
    await wait_for(lambda: len(_shown(user)) == audit.PAGE_SIZE)
    assert _shown(user)[0] == 'Question 51'  # newest first
    press(user, 'Older')
    await wait_for(lambda: _shown(user) == ['Question 1', 'Question 0'])
    press(user, 'Newer')
    await wait_for(lambda: _shown(user)[:1] == ['Question 51'])

    user.find(kind=ui.input, content='Search').type('question 7')
    press(user, 'Search')
    await wait_for(lambda: _shown(user) == ['Question 7'])
    user.find(kind=ui.input, content='Search').clear()
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).date().isoformat()
    user.find('From').type(tomorrow)
    press(user, 'Search')
    await user.should_see('No changes found')
    assert table_rows(user) == []


async def test_an_end_date_before_the_start_date_is_explained_beside_it(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await _entries(1, dt.datetime(2026, 1, 15, 18, tzinfo=dt.UTC))
    await user.open('/staff/audit')
    await wait_for(lambda: _shown(user) == ['Question 0'])
    user.find('From').type('2026-02-01')
    user.find('To').type('2026-01-01')
    press(user, 'Search')
    end = user.find('To').elements.pop()
    await wait_for(lambda: end.error == 'The end date must be on or after the start date')
    assert _shown(user) == ['Question 0']  # not an empty table that says nothing matched
    await user.should_not_see('No changes found')
