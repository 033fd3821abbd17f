"""Every try, code and link limit holds when many requests arrive at once: each takes its share in the database.

The bursts are asyncio.gather of service calls: on SQLite they interleave at each await on the one connection,
on PostgreSQL they run on several connections at once.
"""

import asyncio
import contextlib
import datetime as dt
import re

import pyotp
import pytest

from domain import clock
from domain.access import codes, passwords, sessions, sign_in, staff_accounts
from domain.access.codes import CodeRejected, SignedIn, TooMany, TooSoon
from domain.access.passwords import ResetLinkInvalid
from domain.errors import SignInFailed
from domain.messages import outbox
from domain.models import AccessCode, Contact, PasswordReset, PortalEvent, PortalSession, StaffUser
from tests.factories import (
    PASSWORD,
    STAFF_PASSWORD,
    authenticator_secret,
    code_from,
    make_family,
    make_staff,
    totp_now,
)

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
    totp = pyotp.TOTP(authenticator_secret(staff_user))
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
    totp = pyotp.TOTP(authenticator_secret(made))
    now = clock.now()
    with clock.pinned(now):
        # the next window's code (accepted for a phone's clock drift), then this window's: older than the one used
        assert await staff_try(STAFF_PASSWORD, totp.at(now, counter_offset=1))
        assert not await staff_try(STAFF_PASSWORD, totp.at(now))
    with clock.pinned(now + dt.timedelta(seconds=60)):
        assert await staff_try(STAFF_PASSWORD, totp.at(now + dt.timedelta(seconds=60)))


# One-time codes: five tries per code, each entry takes one before it is compared.


async def enter_quietly(sent, typed):
    with contextlib.suppress(CodeRejected):
        return await codes.enter_code(sent.attempt_id, typed)


async def test_eight_code_entries_at_once_judge_five_and_the_code_opens_once(delivered):
    await make_family('Ager', 'holly@example.com')
    sent = await codes.send_code('holly@example.com')
    code = await code_from(delivered)
    entries = [f'{(int(code) + n) % 10**6:06d}' for n in range(1, 8)] + [code]

    outcomes = await asyncio.gather(*(enter_quietly(sent, typed) for typed in entries))
    record = await AccessCode.get(attempt_id=sent.attempt_id)
    admitted = [o for o in outcomes if isinstance(o, SignedIn)]
    assert record.wrong_entries <= codes.MAX_WRONG_ENTRIES
    if admitted:  # the right one came while tries were left
        assert len(admitted) == 1 and record.used_at is not None and record.wrong_entries < codes.MAX_WRONG_ENTRIES
    else:
        assert record.wrong_entries == codes.MAX_WRONG_ENTRIES and record.used_at is None
    assert await PortalEvent.filter(kind='login_success').count() == len(admitted)


async def test_seven_wrong_code_entries_at_once_count_five(delivered):
    await make_family('Ager', 'holly@example.com')
    sent = await codes.send_code('holly@example.com')
    code = await code_from(delivered)
    wrong = [f'{(int(code) + n) % 10**6:06d}' for n in range(1, 8)]
    await asyncio.gather(*(enter_quietly(sent, w) for w in wrong))
    assert (await AccessCode.get(attempt_id=sent.attempt_id)).wrong_entries == codes.MAX_WRONG_ENTRIES
    with pytest.raises(CodeRejected):
        await codes.enter_code(sent.attempt_id, code)


async def test_the_right_code_from_five_tabs_at_once_signs_in_once(delivered):
    await make_family('Ager', 'holly@example.com')
    sent = await codes.send_code('holly@example.com')
    code = await code_from(delivered)
    outcomes = await asyncio.gather(
        *(codes.enter_code(sent.attempt_id, code) for _ in range(5)), return_exceptions=True
    )
    assert sum(isinstance(o, SignedIn) for o in outcomes) == 1
    assert sum(isinstance(o, CodeRejected) for o in outcomes) == 4
    assert await PortalSession.all().count() == 1


# Sending codes: one a minute and five an hour per address, twenty an hour per IP.


async def send(typed: str, client_ip: str = '') -> str:
    try:
        await codes.send_code(typed, client_ip=client_ip)
    except (TooSoon, TooMany) as refused:
        return type(refused).__name__
    return 'sent'


async def test_six_sends_at_once_for_one_address_send_one_code(delivered):
    outcomes = await asyncio.gather(*(send('holly@example.com') for _ in range(6)))
    assert sorted(outcomes) == ['TooSoon'] * 5 + ['sent']
    assert await AccessCode.filter(destination='holly@example.com').count() == 1


async def test_sends_at_once_stop_at_five_an_hour(delivered):
    for _ in range(4):
        await codes.send_code('holly@example.com')
        await backdate(AccessCode, 61)
    outcomes = await asyncio.gather(*(send('holly@example.com') for _ in range(4)))
    assert sorted(outcomes) == ['TooSoon', 'TooSoon', 'TooSoon', 'sent']  # the fifth, then a minute to wait
    await backdate(AccessCode, 61)
    assert await send('holly@example.com') == 'TooMany'
    assert await AccessCode.all().count() == codes.MAX_CODES_PER_HOUR


async def test_twenty_five_sends_at_once_from_one_ip_send_twenty(delivered):
    outcomes = await asyncio.gather(*(send(f'person{n}@example.com', '198.51.100.7') for n in range(25)))
    assert outcomes.count('sent') == codes.MAX_CODES_PER_IP_PER_HOUR
    assert await AccessCode.filter(client_ip='198.51.100.7').count() == codes.MAX_CODES_PER_IP_PER_HOUR


async def backdate(model, seconds: int) -> None:
    for row in await model.all():
        await model.filter(id=row.id).update(
            created_at=row.created_at - dt.timedelta(seconds=seconds),
            expires_at=row.expires_at - dt.timedelta(seconds=seconds),
        )


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


# Forgot your password: one link a minute, five an hour per address, twenty an hour per IP; a newer link ends the older.


async def reset_links(delivered) -> list[str]:
    await outbox.deliver_due()
    return [re.search(r'/reset/(\S+)', m.text).group(1) for m in delivered[0].sent if '/reset/' in m.text]


async def test_ten_reset_requests_in_a_row_send_one_link(delivered):
    await make_family('Brown', 'gabby@example.com')
    for _ in range(10):
        assert await passwords.request_reset('gabby@example.com', client_ip='203.0.113.9') is None
    assert len(await reset_links(delivered)) == 1
    assert await PasswordReset.all().count() == 1


async def test_reset_requests_at_once_send_one_link(delivered):
    await make_family('Brown', 'gabby@example.com')
    await asyncio.gather(*(passwords.request_reset('gabby@example.com') for _ in range(6)))
    assert await PasswordReset.all().count() == 1


async def test_reset_requests_stop_at_five_an_hour_per_address(delivered):
    await make_family('Brown', 'gabby@example.com')
    for _ in range(7):
        await passwords.request_reset('gabby@example.com')
        await backdate(PasswordReset, 61)
    assert await PasswordReset.all().count() == passwords.MAX_RESETS_PER_HOUR
    assert len(await reset_links(delivered)) == passwords.MAX_RESETS_PER_HOUR


async def test_reset_requests_from_one_ip_stop_at_twenty_an_hour(delivered):
    for n in range(25):
        await make_family(f'F{n}', f'p{n}@example.com')
    await asyncio.gather(*(passwords.request_reset(f'p{n}@example.com', client_ip='198.51.100.7') for n in range(25)))
    assert await PasswordReset.all().count() == passwords.MAX_RESETS_PER_IP_PER_HOUR
    await passwords.request_reset('p24@example.com', client_ip='198.51.100.8')
    assert await PasswordReset.filter(contact__email='p24@example.com').exists()


async def test_a_newer_reset_link_ends_the_older_ones_and_using_one_ends_the_rest(delivered):
    await make_family('Brown', 'gabby@example.com')
    await passwords.request_reset('gabby@example.com')
    await backdate(PasswordReset, 61)
    await passwords.request_reset('gabby@example.com')
    first, newest = await reset_links(delivered)
    assert not await passwords.reset_link_is_usable(first) and await passwords.reset_link_is_usable(newest)
    await passwords.reset_with_link(newest, 'tumbling mats are blue')
    for token in (first, newest):
        assert not await passwords.reset_link_is_usable(token)
        with pytest.raises(ResetLinkInvalid):
            await passwords.reset_with_link(token, 'another fine password')


async def test_using_a_link_ends_the_others_even_if_issued_meanwhile(delivered):
    made = await make_family('Brown', 'gabby@example.com')
    await passwords.request_reset('gabby@example.com')
    (token,) = await reset_links(delivered)
    now = clock.now()
    await PasswordReset.create(  # another one, still open, as a link sent in the same moment would be
        token_hash='x' * 64, contact_id=made.parent.id, created_at=now, expires_at=now + dt.timedelta(minutes=60)
    )
    await passwords.reset_with_link(token, 'tumbling mats are blue')
    assert not await PasswordReset.filter(used_at=None, expires_at__gt=clock.now()).exists()


# A one-time code or a reset link proves the address: either lifts a password lockout.


async def locked_by_five_wrong_passwords(email: str) -> None:
    for _ in range(5):
        assert not await try_password(email, WRONG)
    assert (await Contact.get(email=email)).locked


async def test_a_code_signs_a_locked_contact_in_and_lifts_the_lock(delivered):
    await make_family('Brown', 'gabby@example.com')
    await locked_by_five_wrong_passwords('gabby@example.com')
    sent = await codes.send_code('gabby@example.com')
    signed = await codes.enter_code(sent.attempt_id, await code_from(delivered))
    assert isinstance(signed, SignedIn) and await sessions.resolve_parent(signed.token) is not None
    contact = await Contact.get(email='gabby@example.com')
    assert not contact.locked and contact.failed_attempts == 0
    assert await try_password('gabby@example.com', PASSWORD)


async def test_a_reset_link_signs_a_locked_contact_in_and_lifts_the_lock(delivered):
    await make_family('Brown', 'gabby@example.com')
    await locked_by_five_wrong_passwords('gabby@example.com')
    await passwords.request_reset('gabby@example.com')
    (token,) = await reset_links(delivered)
    signed = await passwords.reset_with_link(token, 'tumbling mats are blue')
    assert await sessions.resolve_parent(signed.token) is not None
    contact = await Contact.get(email='gabby@example.com')
    assert not contact.locked and contact.failed_attempts == 0
    assert await try_password('gabby@example.com', 'tumbling mats are blue')


async def test_a_reset_link_does_not_open_the_portal_to_a_contact_no_longer_allowed_in(delivered):
    made = await make_family('Brown', 'gabby@example.com')
    await passwords.request_reset('gabby@example.com')
    (token,) = await reset_links(delivered)
    await Contact.filter(id=made.parent.id).update(allow_login=False)
    with pytest.raises(ResetLinkInvalid):
        await passwords.reset_with_link(token, 'tumbling mats are blue')
    assert not await PortalSession.exists()
    assert await passwords.verify_password((await Contact.get(id=made.parent.id)).password_hash, PASSWORD)
    assert (await messages())[-1] == 'Login not allowed for UserID: gabby@example.com'
