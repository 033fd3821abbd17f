import contextlib
import datetime as dt
import logging

import pyotp
import pytest

from domain.access import sessions, staff_accounts
from domain.access.actors import PermissionDenied, StaffActor
from domain.access.staff_accounts import NeedsEnrolment, StaffForm
from domain.errors import SignInFailed, ValidationFailed
from domain.models import SignInMethods, StaffRole, StaffUser
from domain.studio import settings
from tests.factories import STAFF_PASSWORD, authenticator_secret, make_staff, totp_now

pytestmark = pytest.mark.usefixtures('database')


async def test_staff_need_password_and_authenticator_code():
    made = await make_staff()
    with pytest.raises(SignInFailed):
        await staff_accounts.sign_in(
            'desk@example.com', STAFF_PASSWORD, '000000' if totp_now(made) != '000000' else '111111'
        )
    await StaffUser.filter(id=made.id).update(failed_attempts=0)
    token, actor = await staff_accounts.sign_in('DESK@example.com', STAFF_PASSWORD, totp_now(made))
    assert actor.name == 'Front Desk' and (await sessions.resolve_staff(token)).email == 'desk@example.com'
    assert await sessions.resolve_parent(token) is None


async def test_first_sign_in_enrols_the_authenticator():
    made = await make_staff(enrolled=False)
    with pytest.raises(NeedsEnrolment) as enrolment:
        await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, '')
    assert enrolment.value.secret == authenticator_secret(made) and enrolment.value.uri.startswith('otpauth://totp/')
    with pytest.raises(SignInFailed):  # a wrong password never reveals the secret
        await staff_accounts.sign_in('desk@example.com', 'wrong', '')
    await StaffUser.filter(id=made.id).update(failed_attempts=0)
    await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, pyotp.TOTP(enrolment.value.secret).now())
    assert (await StaffUser.get(id=made.id)).totp_confirmed
    with pytest.raises(SignInFailed):  # once enrolled, no code means no entry
        await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, '')


async def test_three_wrong_tries_lock_a_staff_login_for_fifteen_minutes():
    made = await make_staff()
    for _ in range(3):
        with pytest.raises(SignInFailed):
            await staff_accounts.sign_in('desk@example.com', 'wrong', totp_now(made))
    locked = await StaffUser.get(id=made.id)
    assert locked.locked_until > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=14)
    with pytest.raises(SignInFailed):
        await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, totp_now(made))
    await StaffUser.filter(id=made.id).update(locked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, totp_now(made))


async def test_only_admins_change_settings_and_staff_accounts():
    desk = StaffActor(1, 'Desk', 'desk@example.com', StaffRole.FRONT_DESK)
    admin = StaffActor(2, 'Owner', 'owner@example.com', StaffRole.ADMIN)
    with pytest.raises(PermissionDenied):
        await settings.update_settings(desk, sign_in_methods='codes', message_retention_days=30)
    with pytest.raises(PermissionDenied):
        await staff_accounts.add_staff(desk, StaffForm('new@example.com', 'New', 'admin', 'a decent passphrase'))
    await settings.update_settings(admin, sign_in_methods='codes', message_retention_days=30)
    assert settings.current().sign_in_methods == SignInMethods.CODES and settings.current().message_retention_days == 30
    with pytest.raises(ValidationFailed):
        await settings.update_settings(admin, sign_in_methods='codes', message_retention_days=0)
    added = await staff_accounts.add_staff(
        admin, StaffForm('new@example.com', 'New Person', 'front_desk', 'a decent passphrase')
    )
    assert added.role == StaffRole.FRONT_DESK and not added.totp_confirmed
    with pytest.raises(ValidationFailed):
        await staff_accounts.add_staff(
            admin, StaffForm('new@example.com', 'Again', 'front_desk', 'a decent passphrase')
        )


@contextlib.contextmanager
def refused_before_the_database(caplog):
    """Nothing of the attempt reaches the database, and no log line echoes what was typed."""
    with caplog.at_level(logging.DEBUG, logger='tortoise.db_client'), pytest.raises(SignInFailed):
        caplog.clear()
        yield
    assert [record.getMessage()[:80] for record in caplog.records if record.name.startswith('tortoise')] == []
    assert max((len(record.getMessage()) for record in caplog.records), default=0) < 1000


async def test_a_900000_character_email_is_refused_like_any_wrong_sign_in(caplog):
    with refused_before_the_database(caplog):
        await staff_accounts.sign_in('a' * 900_000 + '@example.com', STAFF_PASSWORD, '123456')
    with refused_before_the_database(caplog):
        await staff_accounts.sign_in('d' * 243 + '@example.com', STAFF_PASSWORD, '123456')  # 255 characters


async def test_an_overlong_password_or_code_is_refused_before_the_account_is_looked_up(caplog):
    made = await make_staff()
    with refused_before_the_database(caplog):
        await staff_accounts.sign_in('desk@example.com', 'p' * 1025, totp_now(made))
    with refused_before_the_database(caplog):  # the right code, but more than an authenticator ever shows
        await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, totp_now(made) + ' ' * 7)
    assert (await StaffUser.get(id=made.id)).failed_attempts == 0  # nobody's password or code was tested
    await staff_accounts.sign_in('desk@example.com', STAFF_PASSWORD, f' {totp_now(made)[:3]} {totp_now(made)[3:]} ')
