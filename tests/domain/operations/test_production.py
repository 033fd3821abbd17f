"""Production footing: health, backups, JSON logs, graceful stops, and the event relay between processes."""

import asyncio
import json
import logging
import os
import sqlite3

import pytest

from domain import events, portal_log
from domain.config import Config, ConfigError
from domain.messages import outbox
from domain.messages.notices import password_changed
from domain.messages.outbox import Recipient
from domain.models import Channel, OutboxMessage
from domain.operations import health
from domain.operations.backup import BackupFailed, backup
from domain.operations.logs import JsonFormatter
from domain.unit_of_work import UnitOfWork, drain
from tests.conftest import only_on_sqlite
from tests.factories import make_family

REDIS = os.environ.get('KINROLL_TEST_REDIS_URL', 'redis://127.0.0.1:6379/0')


async def queue_one() -> None:
    async with UnitOfWork() as uow:
        await outbox.enqueue(
            uow, Channel.EMAIL, Recipient('Holly', 'holly@example.com', 'en'), password_changed('en', 'Holly')
        )


@pytest.mark.usefixtures('database')
async def test_health_reports_the_database_and_the_outbox_backlog():
    state = await health.check()
    assert (state.ok, state.database, state.outbox_backlog) == (True, 'ok', 0)
    await queue_one()
    assert (await health.check()).outbox_backlog == 1


@only_on_sqlite('it copies the SQLite file')
@pytest.mark.usefixtures('database')
async def test_an_online_backup_is_a_checked_copy(tmp_path):
    await make_family('Ager', 'holly@example.com')
    url = os.environ['PORTAL_DATABASE_URL']
    async with UnitOfWork():  # a transaction open while the backup runs
        size = await asyncio.to_thread(backup, url, tmp_path / 'copy.sqlite3')
    assert size > 0
    copy = sqlite3.connect(tmp_path / 'copy.sqlite3')
    assert copy.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'
    assert copy.execute('SELECT email FROM contact').fetchall() == [('holly@example.com',)]
    copy.close()
    with pytest.raises(BackupFailed):
        backup('postgres://localhost/kinroll', tmp_path / 'x')


@only_on_sqlite('it damages a SQLite file on purpose')
def test_a_damaged_database_gives_no_backup(tmp_path):
    damaged = tmp_path / 'damaged.sqlite3'
    database = sqlite3.connect(damaged)
    database.execute('CREATE TABLE t (x TEXT)')
    database.executemany('INSERT INTO t VALUES (?)', [('x' * 500,)] * 2000)
    database.execute('CREATE INDEX i ON t (x)')
    database.commit()
    database.close()
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b'\xff' * 4096  # garbage over an index page
    damaged.write_bytes(bytes(data))
    with pytest.raises((BackupFailed, sqlite3.DatabaseError)):
        backup(f'sqlite://{damaged}', tmp_path / 'copy.sqlite3')
    assert not (tmp_path / 'copy.sqlite3').exists()


def test_json_logs_are_one_object_per_line():
    record = logging.LogRecord('kinroll.outbox', logging.WARNING, __file__, 1, 'message %s not sent', (7,), None)
    line = JsonFormatter().format(record)
    assert '\n' not in line
    entry = json.loads(line)
    assert (entry['level'], entry['logger'], entry['message']) == ('warning', 'kinroll.outbox', 'message 7 not sent')


def test_configuration_for_production():
    config = Config.from_env(
        env={
            'PORTAL_SECRET': 's',
            'PORTAL_REDIS_URL': 'redis://cache:6379/0',
            'PORTAL_LOG_FORMAT': 'json',
            'PORTAL_DATABASE_URL': 'postgres://kinroll@db:5432/kinroll',
        }
    )
    assert (config.redis_url, config.log_format, config.database_url) == (
        'redis://cache:6379/0',
        'json',
        'postgres://kinroll@db:5432/kinroll',
    )
    with pytest.raises(ConfigError):
        Config.from_env(env={'PORTAL_SECRET': 's', 'PORTAL_LOG_FORMAT': 'xml'})


def test_the_web_servers_log_level_comes_from_the_configuration():
    assert Config.from_env(env={'PORTAL_SECRET': 's'}).log_level == 'warning'
    assert Config.from_env(env={'PORTAL_SECRET': 's', 'PORTAL_LOG_LEVEL': 'INFO'}).log_level == 'info'
    with pytest.raises(ConfigError):
        Config.from_env(env={'PORTAL_SECRET': 's', 'PORTAL_LOG_LEVEL': 'loud'})


async def test_the_portal_is_wired_from_its_configuration_and_stops_cleanly(monkeypatch):
    from domain import wiring
    from domain.access import codes, sealed_secrets, sessions
    from domain.adapters.gateways import StripeGateway
    from domain.adapters.mail import SmtpMailer
    from domain.adapters.sms import HttpSmsSender
    from domain.billing import payments

    for owner, name in [
        (payments.processor, 'gateway'),
        (outbox.senders, 'mail'),
        (outbox.senders, 'sms'),
        (codes, '_key'),
        (sealed_secrets, '_fernet'),
        (sessions, 'IDLE_WARNING_AFTER'),
        (sessions, 'IDLE_COUNTDOWN'),
        (sessions, 'SESSION_IDLE'),
    ]:
        monkeypatch.setattr(owner, name, getattr(owner, name))  # put back for the tests after this one
    config = Config.from_env(
        env={
            'PORTAL_SECRET': 's',
            'PORTAL_DATABASE_URL': os.environ['PORTAL_DATABASE_URL'],
            'PORTAL_SMTP_HOST': 'mail.example.com',
            'PORTAL_SMS_URL': 'https://sms.example.com/2010-04-01',
            'PORTAL_PAYMENT_GATEWAY': 'stripe',
            'PORTAL_STRIPE_SECRET_KEY': 'sk_test_x',
            'PORTAL_STRIPE_WEBHOOK_SECRET': 'whsec_x',
            'PORTAL_IDLE_SECONDS': '120',
            'PORTAL_IDLE_WARNING_SECONDS': '10',
        }
    )
    portal = wiring.Portal(config, demo=False)
    await portal.start()
    try:
        assert (await health.check()).ok
        assert isinstance(outbox.senders.mail, SmtpMailer) and isinstance(outbox.senders.sms, HttpSmsSender)
        gateway = payments.processor.gateway
        assert isinstance(gateway, StripeGateway) and gateway.secret_key == 'sk_test_x'
        assert (sessions.IDLE_WARNING_AFTER.total_seconds(), sessions.IDLE_COUNTDOWN.total_seconds()) == (120, 10)
    finally:
        await portal.stop()
    assert not (await health.check()).ok  # the database is closed


@pytest.mark.usefixtures('database')
async def test_a_graceful_stop_waits_for_a_save_in_progress():
    finished = []

    async def slow_save() -> None:
        async with UnitOfWork():
            await asyncio.sleep(0.3)
            finished.append(True)

    saving = asyncio.create_task(slow_save())
    await asyncio.sleep(0.05)
    assert await drain(timeout=5)
    assert finished == [True]
    await saving


@pytest.mark.usefixtures('database')
async def test_stopping_the_outbox_worker_sends_what_is_queued(delivered):
    worker = outbox.OutboxWorker(idle_seconds=60)
    worker.start()
    await asyncio.sleep(0.05)
    events.bus.relay = None
    saved_deliver = events.bus.deliver
    events.bus.deliver = lambda topic, payload: None  # the worker is not woken: only the stop can send it
    try:
        await queue_one()
    finally:
        events.bus.deliver = saved_deliver
    await worker.stop()
    assert (await OutboxMessage.get()).status == 'sent'
    assert delivered[0].sent[-1].to_address == 'holly@example.com'


async def test_the_redis_relay_carries_portal_log_lines_to_another_process():
    import redis

    from domain.adapters.redis_relay import RedisRelay

    try:
        redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:
        pytest.skip(f'Redis not reachable at {REDIS}: {exc}')
    here, there = events.LocalEventBus(), events.LocalEventBus()
    prefix = f'kinroll-test-{os.getpid()}:'
    relays = [RedisRelay(REDIS, here, prefix=prefix), RedisRelay(REDIS, there, prefix=prefix)]
    for relay in relays:
        await relay.start()
    seen_here, seen_there = [], []
    here.subscribe(events.PORTAL_LOG, seen_here.append)
    there.subscribe(events.PORTAL_LOG, seen_there.append)
    import datetime as dt

    line = portal_log.LogLine(
        1,
        dt.datetime.now(dt.UTC),
        'Ager',
        'Holly Ager',
        'holly@example.com',
        'holly@example.com',
        'login_success',
        'Login successful for UserID: holly@example.com',
    )
    here.publish(events.PORTAL_LOG, line)
    for _ in range(100):
        if seen_there:
            break
        await asyncio.sleep(0.01)
    assert seen_there == [line] and seen_here == [line]  # once each: a process skips its own echo
    for relay in relays:
        await relay.stop()


@pytest.mark.usefixtures('database')
async def test_health_says_so_when_the_database_is_gone():
    from domain import db

    await db.close_database()
    state = await health.check()
    assert not state.ok and state.database != 'ok'
    await db.open_database(os.environ['PORTAL_DATABASE_URL'])


async def test_a_periodic_job_runs_at_start_survives_a_failure_and_stops():
    from domain.periodic import Periodic

    rounds = []

    async def job() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError('the first round fails')

    periodic = Periodic('test job', job, every_seconds=0.05)
    periodic.start()
    periodic.start()  # twice: still one job, so about three rounds in 0.12 s, not six
    await asyncio.sleep(0.12)
    await periodic.stop()
    count = len(rounds)
    assert 2 <= count <= 4
    await asyncio.sleep(0.05)
    assert len(rounds) == count
