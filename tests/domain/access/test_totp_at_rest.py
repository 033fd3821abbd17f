"""Staff authenticator secrets at rest: sealed under the deployment's secret, so the database alone mints no codes."""

import asyncio
import logging

import pyotp
import pytest
from tortoise import connections

from domain.access import sealed_secrets, staff_accounts
from domain.access.actors import StaffActor
from domain.access.staff_accounts import NeedsEnrolment
from domain.errors import SignInFailed
from domain.models import StaffRole, StaffUser
from domain.operations import demo
from tests.conftest import only_on_sqlite
from tests.factories import STAFF_PASSWORD, authenticator_secret, make_staff

OLD_CLEAR_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'  # as a database from before migration 0008 keeps one


@pytest.fixture(autouse=True)
def deployment_key(monkeypatch):
    """Tests here change the sealing key as a restart with another PORTAL_SECRET would: put it back after."""
    monkeypatch.setattr(sealed_secrets, '_fernet', sealed_secrets._fernet)


async def stored_secrets() -> list[str]:
    rows = await connections.get('default').execute_query_dict('SELECT totp_sealed FROM staff_user ORDER BY id')
    return [row['totp_sealed'] for row in rows]


def admin() -> StaffActor:
    return StaffActor(999, 'Owner', 'owner@example.com', StaffRole.ADMIN)


@pytest.mark.usefixtures('database')
async def test_the_database_keeps_no_authenticator_secret_in_clear(fresh_database):
    sealed_secrets.use_key('test-secret')
    await staff_accounts.create_staff(
        'desk@example.com', 'Desk', STAFF_PASSWORD, totp_secret=demo.DEMO_STAFF_TOTP_SECRET
    )
    [stored] = await stored_secrets()
    assert not sealed_secrets.is_clear(stored) and demo.DEMO_STAFF_TOTP_SECRET not in stored
    await StaffUser.filter(email='desk@example.com').update(totp_confirmed=True)
    code = pyotp.TOTP(demo.DEMO_STAFF_TOTP_SECRET).now()
    await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, code)  # the phone's codes still sign in
    sealed_secrets.use_key('another deployment')
    with pytest.raises(sealed_secrets.SealedElsewhere):  # the database, with anything but PORTAL_SECRET, opens none
        sealed_secrets.unseal(stored)


@pytest.mark.usefixtures('database')
@only_on_sqlite('the database file itself is searched')
async def test_the_sqlite_file_holds_no_authenticator_secret(fresh_database):
    await staff_accounts.create_staff(
        'desk@example.com', 'Desk', STAFF_PASSWORD, totp_secret=demo.DEMO_STAFF_TOTP_SECRET
    )
    files = [fresh_database, *fresh_database.parent.glob(f'{fresh_database.name}-*')]  # and its WAL
    secret = demo.DEMO_STAFF_TOTP_SECRET.encode()
    assert [path.name for path in files if secret in path.read_bytes()] == []


@pytest.mark.usefixtures('database')
async def test_the_demo_staff_signs_in_with_the_printed_secret():
    """The administrator and every instructor: one authenticator entry, set up from the printed secret."""
    sealed_secrets.use_key('kinroll-demo-secret-not-for-production')
    assert await demo.seed()
    stored = await stored_secrets()
    assert len(stored) == 1 + len(demo.DEMO_INSTRUCTORS)
    for sealed in stored:
        assert not sealed_secrets.is_clear(sealed) and demo.DEMO_STAFF_TOTP_SECRET not in sealed
        assert sealed_secrets.unseal(sealed) == demo.DEMO_STAFF_TOTP_SECRET
    code = pyotp.TOTP(demo.DEMO_STAFF_TOTP_SECRET).now()
    signing_in = [(demo.DEMO_STAFF_EMAIL, demo.DEMO_STAFF_PASSWORD, StaffRole.ADMIN)] + [
        (email, demo.DEMO_INSTRUCTOR_PASSWORD, StaffRole.INSTRUCTOR) for email, _ in demo.DEMO_INSTRUCTORS.values()
    ]
    for email, password, role in signing_in:
        _token, staff = await staff_accounts.sign_in(email, password, code)
        assert (staff.email, staff.role) == (email, role)


@pytest.mark.usefixtures('database')
async def test_a_secret_kept_in_clear_before_is_sealed_as_the_portal_starts_and_still_signs_in():
    made = await make_staff()
    await StaffUser.filter(id=made.id).update(totp_sealed=OLD_CLEAR_SECRET)

    starts = [staff_accounts.seal_authenticator_secrets('test-secret') for _ in range(2)]
    assert sorted(await asyncio.gather(*starts)) == [0, 1]  # two processes starting together seal it once
    [stored] = await stored_secrets()
    assert not sealed_secrets.is_clear(stored) and OLD_CLEAR_SECRET not in stored
    assert sealed_secrets.unseal(stored) == OLD_CLEAR_SECRET
    assert await staff_accounts.seal_authenticator_secrets('test-secret') == 0  # the next start: nothing to do
    await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, pyotp.TOTP(OLD_CLEAR_SECRET).now())


@pytest.mark.usefixtures('database')
async def test_a_secret_sealed_under_another_portal_secret_is_refused_with_a_clear_error(caplog):
    sealed_secrets.use_key('the old PORTAL_SECRET')
    made = await make_staff()
    secret = authenticator_secret(made)
    code = pyotp.TOTP(secret).now()
    sealed_secrets.use_key('a new PORTAL_SECRET')

    with caplog.at_level(logging.ERROR, logger='kinroll.staff'), pytest.raises(SignInFailed):
        await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, code)
    [error] = [record for record in caplog.records if record.name == 'kinroll.staff']
    assert error.levelno == logging.ERROR and f'staff account {made.id}' in error.getMessage()
    assert 'PORTAL_SECRET' in error.getMessage() and 'enrol again' in error.getMessage()
    assert secret not in caplog.text and code not in caplog.text

    await StaffUser.filter(id=made.id).update(failed_attempts=0)
    await staff_accounts.reset_authenticator(admin(), made.id)  # the way back: they enrol again
    with pytest.raises(NeedsEnrolment) as enrolment:
        await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, '')
    await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, pyotp.TOTP(enrolment.value.secret).now())
    assert (await StaffUser.get(id=made.id)).totp_confirmed


@pytest.mark.usefixtures('database')
async def test_only_an_administrator_resets_an_authenticator_and_the_audit_names_it():
    from domain.access.actors import PermissionDenied
    from domain.models import StaffAuditEntry

    made = await make_staff()
    desk = StaffActor(made.id, 'Front Desk', 'desk@example.com', StaffRole.FRONT_DESK)
    with pytest.raises(PermissionDenied):
        await staff_accounts.reset_authenticator(desk, made.id)
    before = authenticator_secret(made)
    await staff_accounts.reset_authenticator(admin(), made.id)
    after = await StaffUser.get(id=made.id)
    assert not after.totp_confirmed and authenticator_secret(after) != before
    entry = await StaffAuditEntry.get(action='staff_authenticator_reset')
    assert entry.target == 'Staff account: desk@example.com' and entry.staff_name == 'Owner'
    assert entry.old_values == {'authenticator_set_up': True} and entry.new_values == {'authenticator_set_up': False}


@only_on_sqlite('a database migrated step by step from before 0008')
async def test_a_database_from_before_keeps_its_staff_signed_in_and_their_phones_working(tmp_path):
    from tortoise import Tortoise
    from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

    from domain.access import passwords
    from domain.config import sqlite_url
    from domain.db import APP_LABEL, tortoise_config
    from domain.models import PortalSession

    config = tortoise_config(sqlite_url(tmp_path / 'old.sqlite3') + '&secure_delete=ON')  # as db.open_database
    await Tortoise.init(config=config, _enable_global_fallback=True)
    try:
        connection = connections.get('default')
        await MigrationExecutor(connection, config['apps']).migrate([MigrationTarget(APP_LABEL, '0007_sign_in_limits')])
        now = "'2026-01-01 00:00:00+00:00'"
        password_hash = await passwords.hash_password(STAFF_PASSWORD)
        await connection.execute_query(
            'INSERT INTO staff_user (email, name, role, password_hash, totp_secret, totp_confirmed, failed_attempts,'
            f" created_at) VALUES ('desk@example.com', 'Desk', 'admin', ?, ?, 1, 0, {now})",
            [password_hash, OLD_CLEAR_SECRET],
        )
        await connection.execute_script(
            'INSERT INTO portal_session (token_hash, staff_id, created_at, last_seen_at, client_ip) '
            f"VALUES ('{'0' * 64}', 1, {now}, {now}, '')"
        )
        await MigrationExecutor(connection, config['apps']).migrate()
        assert await PortalSession.filter(staff_id=1).exists()  # the column was renamed, not the table rebuilt

        assert await staff_accounts.seal_authenticator_secrets('test-secret') == 1  # as the portal starts
        [stored] = await stored_secrets()
        assert not sealed_secrets.is_clear(stored) and OLD_CLEAR_SECRET not in stored
        await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, pyotp.TOTP(OLD_CLEAR_SECRET).now())
        files = sorted(tmp_path.glob('old.sqlite3*'))
        assert [path.name for path in files if OLD_CLEAR_SECRET.encode() in path.read_bytes()] == []
    finally:
        await Tortoise.close_connections()
