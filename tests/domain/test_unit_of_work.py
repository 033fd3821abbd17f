"""A unit of work tells nobody about a change it did not commit, and one request's never mixes with another's."""

import asyncio

import pytest

from domain import events, portal_log
from domain.models import PortalEvent
from domain.portal_log import LogSubject
from domain.unit_of_work import NestedUnitOfWork, UnitOfWork

pytestmark = pytest.mark.usefixtures('database')
HOLLY = LogSubject(family_name='Ager', contact_name='Holly Ager', user_id='h@example.com')


class Failed(Exception):
    pass


@pytest.fixture
def heard():
    """The messages of the portal-log lines a watcher of the bus receives."""
    messages: list[str] = []
    stop = events.bus.subscribe(events.PORTAL_LOG, lambda line: messages.append(line.message))
    yield messages
    stop()


async def stored() -> list[str]:
    return sorted(await PortalEvent.all().values_list('message', flat=True))


async def test_a_committed_line_is_stored_and_heard_only_once_committed(heard):
    async with UnitOfWork() as uow:
        await portal_log.record(uow, HOLLY, 'test', 'saved')
        assert heard == []
    assert heard == ['saved']
    assert await stored() == ['saved']


async def test_a_rolled_back_line_is_neither_stored_nor_heard(heard):
    with pytest.raises(Failed):
        async with UnitOfWork() as uow:
            await portal_log.record(uow, HOLLY, 'test', 'never happened')
            raise Failed
    assert heard == []
    assert await stored() == []


async def test_a_unit_of_work_inside_another_is_refused_and_the_outer_rollback_tells_nobody(heard):
    with pytest.raises(NestedUnitOfWork, match='already open'):
        async with UnitOfWork() as outer:
            await portal_log.record(outer, HOLLY, 'test', 'outer')
            async with UnitOfWork() as inner:  # would be a savepoint, committed while the outer may still fail
                await portal_log.record(inner, HOLLY, 'test', 'inner')
    assert heard == []
    assert await stored() == []


async def test_a_task_started_inside_a_unit_of_work_cannot_open_its_own(heard):
    async def background() -> None:
        async with UnitOfWork() as uow:  # it would share the outer transaction
            await portal_log.record(uow, HOLLY, 'test', 'background')

    with pytest.raises(Failed):
        async with UnitOfWork() as uow:
            await portal_log.record(uow, HOLLY, 'test', 'outer')
            with pytest.raises(NestedUnitOfWork):
                await asyncio.create_task(background())
            raise Failed
    assert heard == []
    assert await stored() == []


async def test_a_watcher_may_open_a_unit_of_work_of_its_own(heard):
    answered = []

    async def answer() -> None:
        async with UnitOfWork() as uow:
            await portal_log.record(uow, HOLLY, 'test', 'answer')
        answered.append(True)

    replies: list[asyncio.Task] = []

    def reply(line: portal_log.LogLine) -> None:
        if line.message == 'saved':
            replies.append(asyncio.create_task(answer()))

    stop = events.bus.subscribe(events.PORTAL_LOG, reply)
    try:
        async with UnitOfWork() as uow:
            await portal_log.record(uow, HOLLY, 'test', 'saved')
        await asyncio.gather(*replies)
    finally:
        stop()
    assert answered == [True]
    assert heard == ['saved', 'answer']
    assert await stored() == ['answer', 'saved']


async def test_units_of_work_in_different_tasks_stay_independent(heard):
    first_open = asyncio.Event()

    async def failing() -> None:
        async with UnitOfWork() as uow:
            await portal_log.record(uow, HOLLY, 'test', 'failed')
            first_open.set()
            await asyncio.sleep(0.05)  # the other request starts meanwhile (SQLite lets it write once this ends)
            raise Failed

    async def saving() -> None:
        await first_open.wait()
        async with UnitOfWork() as uow:
            await portal_log.record(uow, HOLLY, 'test', 'saved')

    results = await asyncio.gather(failing(), saving(), return_exceptions=True)
    assert [type(result) for result in results] == [Failed, type(None)]
    assert heard == ['saved']
    assert await stored() == ['saved']


async def test_what_waits_for_the_commit_runs_after_it_and_never_after_a_rollback():
    done: list[str] = []
    async with UnitOfWork() as uow:
        uow.after_commit(lambda: done.append('kept'))
        assert done == []
    assert done == ['kept']
    with pytest.raises(Failed):
        async with UnitOfWork() as uow:
            uow.after_commit(lambda: done.append('rolled back'))
            raise Failed
    assert done == ['kept']


async def test_a_rolled_back_settings_change_leaves_this_processs_settings_as_they_were():
    from domain.studio import settings

    before = settings.current().message_retention_days
    with pytest.raises(Failed):
        async with UnitOfWork() as uow:
            await settings.change(uow=uow, message_retention_days=before + 1)
            raise Failed
    assert settings.current().message_retention_days == before
    await settings.change(message_retention_days=before + 1)
    assert settings.current().message_retention_days == before + 1
