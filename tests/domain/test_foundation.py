import datetime as dt
from decimal import Decimal

import pytest
from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector

from domain.billing import ledger
from domain.config import Config, ConfigError
from domain.db import APP_LABEL, tortoise_config
from domain.models import Contact, Family, LedgerKind, PortalEvent, StaffUser
from domain.operations import demo
from domain.studio import settings
from tests.factories import make_family


@pytest.mark.usefixtures('database')
async def test_balance_is_exact_decimal_arithmetic():
    made = await make_family('Gunnar', 'deanne@example.com')
    for kind, amount in [
        (LedgerKind.FEE, '0.10'),
        (LedgerKind.FEE, '0.20'),
        (LedgerKind.FEE, '115.95'),
        (LedgerKind.PAYMENT, '100.00'),
        (LedgerKind.CREDIT, '5.05'),
        (LedgerKind.REFUND, '1.00'),
    ]:
        await ledger.post_entry(made.family.id, kind, Decimal(amount), 'line')
    summary = await ledger.account_summary(made.family.id, recent=2)
    assert summary.balance == Decimal('12.20') and isinstance(summary.balance, Decimal)
    assert len(summary.recent) == 2


@pytest.mark.usefixtures('database')
async def test_ledger_amounts_must_be_positive():
    made = await make_family('Gunnar', 'deanne@example.com')
    with pytest.raises(ValueError):
        await ledger.post_entry(made.family.id, LedgerKind.FEE, Decimal('-5'), 'negative')


@pytest.mark.usefixtures('database')
async def test_demo_loads_once_however_often_it_starts():
    assert await demo.seed() is True
    counts = (await Family.all().count(), await Contact.all().count(), await PortalEvent.all().count())
    assert await demo.seed() is False
    assert (await Family.all().count(), await Contact.all().count(), await PortalEvent.all().count()) == counts
    assert counts[0] >= 3 and await StaffUser.filter(email=demo.DEMO_STAFF_EMAIL).exists()
    assert settings.current().name == demo.DEMO_STUDIO_NAME


def test_production_start_refuses_to_run_without_a_secret():
    with pytest.raises(ConfigError):
        Config.from_env(env={})
    assert Config.from_env(env={}, demo=True).secret
    assert Config.from_env(env={'PORTAL_SECRET': 's', 'PORTAL_PORT': '9000'}).port == 9000


def test_configuration_comes_from_the_environment(tmp_path):
    config = Config.from_env(
        env={
            'PORTAL_SECRET': 's',
            'PORTAL_DATA_DIR': str(tmp_path),
            'PORTAL_CURRENCY': 'EUR',
            'PORTAL_TIMEZONE': 'Europe/Madrid',
            'PORTAL_DEFAULT_LANGUAGE': 'es',
            'PORTAL_HOST': '127.0.0.1',
        }
    )
    assert config.database_url.startswith(f'sqlite://{tmp_path}/') and 'journal_mode=WAL' in config.database_url
    assert (config.currency, config.timezone, config.default_language, config.host) == (
        'EUR',
        'Europe/Madrid',
        'es',
        '127.0.0.1',
    )
    with pytest.raises(ConfigError):
        Config.from_env(env={'PORTAL_SECRET': 's', 'PORTAL_DEFAULT_LANGUAGE': 'fr'})


async def test_committed_migrations_match_the_models():
    """A model change without its migration would leave existing databases behind."""
    config = tortoise_config('sqlite://:memory:')
    ctx = await Tortoise.init(config=config, init_connections=False)
    try:
        writers = await MigrationAutodetector(ctx.apps, {APP_LABEL: config['apps'][APP_LABEL]}).changes()
    finally:
        await Tortoise.close_connections()
    assert writers == [], 'run: .venv/bin/tortoise -c domain.db.TORTOISE_ORM makemigrations'


async def test_a_file_database_keeps_data_across_restarts_in_wal_mode(tmp_path):
    from tortoise import connections

    from domain import db

    config = Config.from_env(env={'PORTAL_SECRET': 's', 'PORTAL_DATA_DIR': str(tmp_path)})
    await db.open_database(config.database_url)
    await Family.create(name='Kept')
    assert (await connections.get('default').execute_query_dict('PRAGMA journal_mode'))[0]['journal_mode'] == 'wal'
    await db.close_database()
    await db.open_database(config.database_url)  # migrations already applied: nothing to do, nothing lost
    assert await Family.filter(name='Kept').exists()
    await db.close_database()
    assert (tmp_path / 'kinroll.sqlite3').exists()


def test_money_and_dates_follow_the_readers_language():
    from domain import i18n

    assert i18n.format_money(Decimal('1234.5'), 'USD', 'en', 'US') == '$1,234.50'
    assert i18n.format_money(Decimal('1234.5'), 'USD', 'es', 'ES') == '1.234,50\xa0US$'
    assert i18n.format_money(Decimal('1234.5'), 'USD', 'zh_Hans', 'US') == 'US$1,234.50'
    assert i18n.format_day(dt.date(2026, 11, 22), 'es', 'US') == '22 nov 2026'
    assert i18n.format_day(dt.date(2026, 11, 22), 'zh_Hans', 'US') == '2026年11月22日'
    assert i18n.best_language('zh-CN,zh;q=0.9,en;q=0.8', 'en') == 'zh_Hans'
    assert i18n.best_language('fr-FR,es;q=0.5', 'en') == 'es'
    assert i18n.best_language('', 'en') == 'en'


async def test_later_migrations_upgrade_a_database_that_already_has_rows(tmp_path):
    """What a studio upgrading Kinroll goes through: rows written under the first schema, then every migration."""
    from tortoise import connections
    from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

    from domain.config import sqlite_url

    config = tortoise_config(sqlite_url(tmp_path / 'old.sqlite3'))
    await Tortoise.init(config=config, _enable_global_fallback=True)
    try:
        connection = connections.get('default')
        await MigrationExecutor(connection, config['apps']).migrate([MigrationTarget(APP_LABEL, '0001_initial')])
        now = "'2026-01-01 00:00:00+00:00'"
        for statement in [
            'INSERT INTO studio_settings (name, timezone, currency, default_language, phone_region) '
            "VALUES ('Old Studio', 'UTC', 'USD', 'en', 'US')",
            f"INSERT INTO family (name, status, created_at) VALUES ('Ager', 'active', {now})",
            'INSERT INTO contact (family_id, first_name, last_name, relationship, email, address1, address2, city,'
            ' state, postal_code, is_primary, is_billing, can_pick_up, is_emergency, preferred_language, allow_login,'
            " allow_manage_absences, failed_attempts, locked, login_count, created_at, updated_at) VALUES (1, 'Holly',"
            f" 'Ager', '', 'holly@example.com', '', '', '', '', '', 1, 1, 1, 0, 'en', 1, 1, 0, 0, 0, {now}, {now})",
            f'INSERT INTO staff_user (email, name, role, password_hash, failed_attempts, created_at) '
            f"VALUES ('desk@example.com', 'Desk', 'admin', 'x', 0, {now})",
        ]:
            await connection.execute_script(statement)
        await MigrationExecutor(connection, config['apps']).migrate()
        contact = await Contact.get(email='holly@example.com')
        assert contact.password_must_change is False and contact.first_name == 'Holly'
        staff = await StaffUser.get(email='desk@example.com')
        assert staff.totp_sealed == '' and staff.totp_confirmed is False
    finally:
        await Tortoise.close_connections()
