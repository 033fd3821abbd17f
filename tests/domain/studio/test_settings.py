"""The studio's settings: a change is announced once committed, and every process reloads them from the database."""

import asyncio
import os
import time
from decimal import Decimal

import pytest

from domain import events
from domain.access.actors import StaffActor
from domain.errors import ValidationFailed
from domain.models import SignInMethods, StaffRole, StudioSettings
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from tests.factories import make_staff

REDIS = os.environ.get('KINROLL_TEST_REDIS_URL', 'redis://127.0.0.1:6379/0')
pytestmark = pytest.mark.usefixtures('database')


async def admin() -> StaffActor:
    made = await make_staff('owner@example.com', 'Owner', 'admin')
    return StaffActor(made.id, made.name, made.email, StaffRole.ADMIN)


async def test_a_change_is_announced_once_it_has_committed_and_a_refused_one_never():
    announced = []
    stop = events.bus.subscribe(settings.CHANGED, announced.append)
    try:
        owner = await admin()
        await settings.update_settings(owner, sign_in_methods='codes', message_retention_days=30)
        assert len(announced) == 1
        with pytest.raises(ValidationFailed):
            await settings.update_settings(owner, sign_in_methods='codes', message_retention_days=0)
        with pytest.raises(RuntimeError):
            async with UnitOfWork() as uow:
                await settings.change(uow=uow, card_fee_percent=Decimal('4'))
                raise RuntimeError('the rest of the action failed')
        assert len(announced) == 1
        assert (await StudioSettings.get()).card_fee_percent == Decimal('0')
    finally:
        stop()


async def linked_buses(prefix: str):
    """Two processes' buses joined through Redis, as two `main.py` processes are."""
    import redis

    from domain.adapters.redis_relay import RedisRelay

    try:
        redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:
        pytest.skip(f'Redis not reachable at {REDIS}: {exc}')
    here, there = events.LocalEventBus(), events.LocalEventBus()
    relays = [RedisRelay(REDIS, here, prefix=prefix), RedisRelay(REDIS, there, prefix=prefix)]
    for relay in relays:
        await relay.start()
    return here, there, relays


async def in_force_within(seconds: float, check) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, f'not in force after {seconds} s'
        await asyncio.sleep(0.01)
    return time.monotonic() - started


async def change_from_another_process() -> None:
    """What the other process's change leaves behind: the row only (this process's copy is not touched)."""
    await StudioSettings.all().update(sign_in_methods=SignInMethods.CODES, card_fee_percent=Decimal('2.90'))


def codes_only_with_a_fee() -> bool:
    return not settings.current().offers_password and settings.current().card_fee_percent == Decimal('2.90')


async def test_a_change_announced_by_another_process_is_in_force_here_within_a_second():
    here, there, relays = await linked_buses(f'kinroll-test-{os.getpid()}-settings:')
    reloader = settings.Reloader(there)  # only the receiving process follows: nothing else reloads
    reloader.start()
    try:
        await change_from_another_process()
        assert settings.current().offers_password  # not read again yet
        here.publish(settings.CHANGED, None)
        await in_force_within(1, codes_only_with_a_fee)
    finally:
        await reloader.stop()
        for relay in relays:
            await relay.stop()


async def test_a_change_announced_while_the_relay_was_cut_off_is_read_once_it_is_back():
    import redis

    _here, there, relays = await linked_buses(f'kinroll-test-{os.getpid()}-reconnect:')
    reloader = settings.Reloader(there)
    reloader.start()
    client = redis.from_url(REDIS)
    try:
        await change_from_another_process()  # and its announcement never reaches `there`
        listening = [
            c
            for c in client.client_list()
            if c['name'] == f'kinroll-relay-{relays[1].origin}' and int(c.get('psub', 0)) > 0
        ]
        assert len(listening) == 1
        client.client_kill_filter(_id=listening[0]['id'])
        await in_force_within(5, codes_only_with_a_fee)  # redis-py reconnects at once, the relay within a second
    finally:
        client.close()
        await reloader.stop()
        for relay in relays:
            await relay.stop()
