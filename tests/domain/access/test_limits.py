"""Every try, code and link limit holds when many requests arrive at once: each takes its share in the database.

The bursts are asyncio.gather of service calls: on SQLite they interleave at each await on the one connection,
on PostgreSQL they run on several connections at once.
"""

import asyncio
import datetime as dt

import pyotp
import pytest

from domain import clock
from domain.access import passwords, sign_in, staff_accounts
from domain.errors import SignInFailed
from domain.models import Contact, PortalEvent, PortalSession, StaffUser
from tests.factories import PASSWORD, STAFF_PASSWORD, make_family, make_staff, totp_now

pytestmark = pytest.mark.usefixtures('database')

WRONG = 'not it at all'


async def messages() -> list[str]:
    return [e.message for e in await PortalEvent.all().order_by('id')]


async def try_password(email: str, password: str, client_ip: str = '') -> bool:
    """True if admitted, False if refused (always with the same SignInFailed)."""
    try:
        await sign_in.sign_in_parent(email, password, client_ip)
    except SignInFailed as refused:
        assert str(refused) == SignInFailed.MESSAGE
        return False
    return True


def replay_holds_the_five_strike_rule(lines: list[str], email: str) -> None:
    """Read the log in order: never a sixth wrong password judged, never an admission once five are used."""
    wrong = 0
    for line in lines:
        if line == f'Incorrect Password for UserID: {email}':
            wrong += 1
            assert wrong <= sign_in.MAX_FAILED_PASSWORDS, lines
        elif line == f'Login successful for UserID: {email}':
            assert wrong < sign_in.MAX_FAILED_PASSWORDS, lines
            wrong = 0
        elif line.startswith('Login refused, locked'):
            assert wrong == sign_in.MAX_FAILED_PASSWORDS, lines


# Password attempts: each takes one of the remaining tries before it is judged.


async def test_ten_passwords_at_once_the_right_one_after_five_wrong_is_refused_as_locked(monkeypatch):
    made = await make_family('Brown', 'gabby@example.com')
    real_verify = passwords.verify_password
    wrong_ones: list[asyncio.Task] = []

    async def right_one_judged_last(password_hash, password):
        ok = await real_verify(password_hash, password)
        if ok:  # already past loading the contact, like the others: it is judged after the wrong ones
            await asyncio.wait(wrong_ones)
        return ok

    monkeypatch.setattr(passwords, 'verify_password', right_one_judged_last)
    wrong_ones.extend(asyncio.create_task(try_password('gabby@example.com', WRONG)) for _ in range(9))
    right = asyncio.create_task(try_password('gabby@example.com', PASSWORD))
    outcomes = await asyncio.gather(*wrong_ones, right)
    assert outcomes == [False] * 10
    logged = await messages()
    assert logged.count('Incorrect Password for UserID: gabby@example.com') == 5
    assert sum(line.startswith('Login refused, locked') for line in logged) == 5  # four wrong ones and the right one
    contact = await Contact.get(id=made.parent.id)
    assert contact.locked and contact.failed_attempts == 5 and contact.login_count == 0
    assert not await PortalSession.exists()


async def test_ten_passwords_at_once_in_any_order_never_judge_a_sixth_wrong_one():
    await make_family('Brown', 'gabby@example.com')
    passwords_tried = [WRONG] * 4 + [PASSWORD] + [WRONG] * 5
    outcomes = await asyncio.gather(*(try_password('gabby@example.com', p) for p in passwords_tried))
    logged = await messages()
    replay_holds_the_five_strike_rule(logged, 'gabby@example.com')
    judged = [line for line in logged if line.startswith(('Incorrect Password', 'Login successful'))]
    refused = [line for line in logged if line.startswith('Login refused, locked')]
    assert len(judged) + len(refused) == 10 and outcomes.count(True) == logged.count(
        'Login successful for UserID: gabby@example.com'
    )


async def test_twelve_wrong_at_once_after_one_failure_judge_only_the_four_tries_left():
    made = await make_family('Brown', 'gabby@example.com')
    assert not await try_password('gabby@example.com', WRONG)
    outcomes = await asyncio.gather(*(try_password('gabby@example.com', WRONG) for _ in range(12)))
    assert outcomes == [False] * 12
    logged = await messages()
    assert logged.count('Incorrect Password for UserID: gabby@example.com') == 5
    assert logged.count('Login locked after 5 incorrect passwords for UserID: gabby@example.com') == 1
    assert sum(line.startswith('Login refused, locked') for line in logged) == 8
    contact = await Contact.get(id=made.parent.id)
    assert contact.locked and contact.failed_attempts == 5


async def test_a_right_password_still_resets_the_count_and_a_refused_right_one_uses_no_try():
    made = await make_family('Lopez', 'rosa@example.com')
    for _ in range(4):
        assert not await try_password('rosa@example.com', WRONG)
    await Contact.filter(id=made.parent.id).update(allow_login=False)
    for _ in range(3):  # the right password of a contact not allowed in: refused, and no guess spent
        assert not await try_password('rosa@example.com', PASSWORD)
    assert (await Contact.get(id=made.parent.id)).failed_attempts == 4
    await Contact.filter(id=made.parent.id).update(allow_login=True)
    assert await try_password('rosa@example.com', PASSWORD)
    assert (await Contact.get(id=made.parent.id)).failed_attempts == 0


# Staff: password and authenticator code, three tries.


def wrong_totp(staff_user) -> str:
    totp = pyotp.TOTP(staff_user.totp_secret)
    valid = {totp.at(clock.now(), counter_offset=offset) for offset in (-1, 0, 1)}
    return next(code for code in ('000000', '111111', '222222', '333333') if code not in valid)


async def staff_try(password: str, code: str, email: str = 'desk@example.com') -> bool:
    try:
        await staff_accounts.sign_in(email, password, code)
    except SignInFailed:
        return False
    return True


async def test_six_wrong_staff_codes_at_once_lock_the_account_and_the_right_code_is_refused():
    made = await make_staff()
    outcomes = await asyncio.gather(*(staff_try(STAFF_PASSWORD, wrong_totp(made)) for _ in range(6)))
    assert outcomes == [False] * 6
    locked = await StaffUser.get(id=made.id)
    assert locked.locked_until is not None and locked.locked_until > clock.now() + dt.timedelta(minutes=14)
    assert not await staff_try(STAFF_PASSWORD, totp_now(made))
    assert not await PortalSession.filter(staff_id=made.id).exists()


async def test_two_wrong_staff_tries_at_once_leave_one_try():
    made = await make_staff()
    await asyncio.gather(*(staff_try('wrong', totp_now(made)) for _ in range(2)))
    assert (await StaffUser.get(id=made.id)).failed_attempts == 2
    assert not await staff_try('wrong', totp_now(made))
    assert (await StaffUser.get(id=made.id)).locked_until is not None


async def test_a_staff_code_opens_one_sign_in_only():
    made = await make_staff()
    code = totp_now(made)
    assert await staff_try(STAFF_PASSWORD, code)
    assert not await staff_try(STAFF_PASSWORD, code)  # the same code from a second browser, in its window


async def test_the_same_staff_code_from_two_browsers_at_once_admits_one():
    made = await make_staff()
    code = totp_now(made)
    outcomes = await asyncio.gather(*(staff_try(STAFF_PASSWORD, code) for _ in range(2)))
    assert sorted(outcomes) == [False, True]
    assert await PortalSession.filter(staff_id=made.id).count() == 1


async def test_a_staff_code_older_than_the_last_one_used_is_refused():
    made = await make_staff()
    totp = pyotp.TOTP(made.totp_secret)
    now = clock.now()
    with clock.pinned(now):
        # the next window's code (accepted for a phone's clock drift), then this window's: older than the one used
        assert await staff_try(STAFF_PASSWORD, totp.at(now, counter_offset=1))
        assert not await staff_try(STAFF_PASSWORD, totp.at(now))
    with clock.pinned(now + dt.timedelta(seconds=60)):
        assert await staff_try(STAFF_PASSWORD, totp.at(now + dt.timedelta(seconds=60)))


# Password attempts per IP.


async def test_one_ip_guessing_across_many_accounts_is_stopped_and_its_right_password_refused():
    for n in range(25):
        await make_family(f'F{n}', f'p{n}@example.com')
    outcomes = await asyncio.gather(*(try_password(f'p{n}@example.com', WRONG, '198.51.100.7') for n in range(25)))
    assert outcomes == [False] * 25
    logged = await messages()
    assert sum(line.startswith('Incorrect Password') for line in logged) == sign_in.MAX_FAILED_PASSWORDS_PER_IP
    too_many = await PortalEvent.filter(kind='login_refused_ip').order_by('id')
    assert len(too_many) == 25 - sign_in.MAX_FAILED_PASSWORDS_PER_IP
    assert too_many[0].client_ip == '198.51.100.7' and 'from 198.51.100.7' in too_many[0].message
    assert not await try_password('p0@example.com', PASSWORD, '198.51.100.7')
    assert not await PortalSession.exists()
    assert await try_password('p0@example.com', PASSWORD, '198.51.100.8')  # the owner, from their own network


async def test_failures_from_an_ip_older_than_an_hour_no_longer_count():
    await make_family('Ager', 'holly@example.com')
    earlier = clock.now() - dt.timedelta(minutes=61)
    with clock.pinned(earlier):
        for n in range(sign_in.MAX_FAILED_PASSWORDS_PER_IP):
            assert not await try_password(f'nobody{n}@example.com', WRONG, '198.51.100.7')
    assert await try_password('holly@example.com', PASSWORD, '198.51.100.7')
