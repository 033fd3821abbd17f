import asyncio
import itertools
import time

import pytest

from domain import events
from domain.access import passwords, sessions, sign_in
from domain.access.actors import may_sign_in
from domain.errors import SignInFailed
from domain.models import Contact, FamilyStatus, PortalEvent, PortalSession
from domain.unit_of_work import UnitOfWork
from tests.factories import PASSWORD, make_family, signed_in

pytestmark = pytest.mark.usefixtures('database')


async def messages() -> list[str]:
    return [e.message for e in await PortalEvent.all().order_by('id')]


async def test_sign_in_counts_logins_and_logs_them_in_the_studio_log_wording():
    made = await make_family('Ager', 'holly@example.com')
    token, actor = await sign_in.sign_in_parent('  Holly@Example.com ', PASSWORD, '203.0.113.9')
    assert actor.family_id == made.family.id and actor.contact_name == 'Holly Ager'
    contact = await Contact.get(id=made.parent.id)
    assert contact.login_count == 1 and contact.last_login is not None
    assert await messages() == ['Login successful for UserID: holly@example.com']
    event = await PortalEvent.first()
    assert (event.family_name, event.contact_email, event.client_ip) == ('Ager', 'holly@example.com', '203.0.113.9')
    assert (await sessions.resolve_parent(token)).contact_id == made.parent.id


async def test_password_is_stored_as_argon2id_never_in_clear():
    made = await make_family('Ager', 'holly@example.com')
    stored = (await Contact.get(id=made.parent.id)).password_hash
    assert stored.startswith('$argon2id$') and PASSWORD not in stored


@pytest.mark.parametrize(
    'email, password',
    [
        ('holly@example.com', 'wrong password'),
        ('nobody@example.com', PASSWORD),
    ],
)
async def test_refusals_all_say_the_same_thing(email, password):
    await make_family('Ager', 'holly@example.com')
    with pytest.raises(SignInFailed) as refused:
        await sign_in.sign_in_parent(email, password)
    assert str(refused.value) == 'Invalid user ID / password combination'


async def test_five_wrong_passwords_lock_the_login_even_for_the_right_password():
    made = await make_family('Brown', 'gabby@example.com')
    for _ in range(5):
        with pytest.raises(SignInFailed):
            await sign_in.sign_in_parent('gabby@example.com', 'not it')
    contact = await Contact.get(id=made.parent.id)
    assert contact.locked and contact.failed_attempts == 5
    with pytest.raises(SignInFailed) as refused:
        await sign_in.sign_in_parent('gabby@example.com', PASSWORD)
    assert str(refused.value) == SignInFailed.MESSAGE
    logged = await messages()
    assert logged.count('Incorrect Password for UserID: gabby@example.com') == 5
    assert logged[-1].startswith('Login refused, locked')
    assert not await PortalSession.exists()


async def test_a_right_password_before_the_fifth_resets_the_count():
    made = await make_family('Brown', 'gabby@example.com')
    for _ in range(4):
        with pytest.raises(SignInFailed):
            await sign_in.sign_in_parent('gabby@example.com', 'not it')
    await signed_in('gabby@example.com')
    assert (await Contact.get(id=made.parent.id)).failed_attempts == 0


async def test_concurrent_wrong_passwords_are_all_counted():
    made = await make_family('Brown', 'gabby@example.com')

    async def attempt():
        with pytest.raises(SignInFailed):
            await sign_in.sign_in_parent('gabby@example.com', 'not it')

    await asyncio.gather(*(attempt() for _ in range(5)))
    assert (await Contact.get(id=made.parent.id)).locked


LONG_EMAIL = 'a' * 900_000 + '@example.com'


@pytest.mark.parametrize(
    'email, quoted',
    [
        (LONG_EMAIL, 'a' * 60 + '…'),
        ('holly\x00@example.com', 'holly\ufffd@example.com'),  # a NUL PostgreSQL would refuse
        ('holly\ud800@example.com', 'holly\ufffd@example.com'),  # half a surrogate pair, which has no UTF-8
    ],
    ids=['900,000 characters', 'NUL', 'surrogate'],
)
async def test_an_address_no_contact_can_have_is_refused_like_an_unknown_one_and_logged_short(email, quoted, caplog):
    await make_family('Ager', 'holly@example.com')
    with pytest.raises(SignInFailed) as refused:
        await sign_in.sign_in_parent(email, PASSWORD, '203.0.113.9')
    assert str(refused.value) == SignInFailed.MESSAGE
    event = await PortalEvent.get()
    assert (event.kind, event.user_id, event.client_ip) == ('login_failed', quoted, '203.0.113.9')
    assert event.message == f'Login failed, unknown UserID: {quoted}'
    assert all(len(record.getMessage()) < 1000 and not record.exc_info for record in caplog.records)


async def test_a_password_no_one_could_have_chosen_is_a_wrong_one():
    made = await make_family('Ager', 'holly@example.com')
    with pytest.raises(SignInFailed):
        await sign_in.sign_in_parent('holly@example.com', PASSWORD + '\ud800')  # half a surrogate pair: no UTF-8
    assert (await Contact.get(id=made.parent.id)).failed_attempts == 1
    assert await messages() == ['Incorrect Password for UserID: holly@example.com']


@pytest.mark.parametrize('status, allow_login', [(FamilyStatus.LEAD, True), (FamilyStatus.ACTIVE, False)])
async def test_leads_and_blocked_contacts_cannot_sign_in(status, allow_login):
    await make_family('Lopez', 'rosa@example.com', status=status, allow_login=allow_login)
    with pytest.raises(SignInFailed):
        await sign_in.sign_in_parent('rosa@example.com', PASSWORD)
    assert await messages() == ['Login not allowed for UserID: rosa@example.com']


async def test_a_contact_blocked_after_signing_in_loses_the_session():
    made = await make_family('Ager', 'holly@example.com')
    token, _actor = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    await Contact.filter(id=made.parent.id).update(allow_login=False)
    assert await sessions.resolve_parent(token) is None


async def test_the_session_query_agrees_with_may_sign_in_for_every_combination_of_the_flags():
    combinations = list(itertools.product((False, True), (False, True), FamilyStatus))
    tokens = []
    for index, (locked, allow_login, status) in enumerate(combinations):
        made = await make_family(f'F{index}', f'p{index}@example.com', status=status, allow_login=allow_login)
        await Contact.filter(id=made.parent.id).update(locked=locked)
        async with UnitOfWork() as uow:
            tokens.append(await sessions.start_session(uow, contact_id=made.parent.id))
    admitted = set()
    for (locked, allow_login, status), token in zip(combinations, tokens, strict=True):
        allowed = may_sign_in(allow_login=allow_login, family_status=status, locked=locked)
        assert (await sessions.resolve_parent(token) is not None) == allowed, (locked, allow_login, status)
        if allowed:
            admitted.add((locked, allow_login, status))
    assert admitted == {(False, True, FamilyStatus.ACTIVE), (False, True, FamilyStatus.INACTIVE)}


async def test_sign_out_ends_the_session_server_side():
    await make_family('Ager', 'holly@example.com')
    token, actor = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    await sessions.sign_out_parent(token, actor)
    assert await sessions.resolve_parent(token) is None
    assert (await messages())[-1] == 'Logout for UserID: holly@example.com'


async def test_session_tokens_are_random_and_stored_only_as_hashes():
    await make_family('Ager', 'holly@example.com')
    first, _ = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    second, _ = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    assert first != second and len(first) >= 32
    stored = {s.token_hash for s in await PortalSession.all()}
    assert first not in stored and second not in stored
    assert await sessions.resolve_parent('made-up-token') is None


async def test_hashing_does_not_block_the_event_loop():
    """While a sign-in hashes, other coroutines keep running (it happens in a thread)."""
    await make_family('Ager', 'holly@example.com')
    ticks = []

    async def ticker():
        for _ in range(100):
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.002)

    task = asyncio.create_task(ticker())
    await asyncio.gather(*(passwords.hash_password('x' * 12) for _ in range(4)))
    task.cancel()
    assert len(ticks) > 5, 'the event loop stood still while passwords were hashed'


async def test_events_reach_subscribers_only_after_commit():
    seen = []
    unsubscribe = events.bus.subscribe(events.PORTAL_LOG, seen.append)
    try:
        await make_family('Ager', 'holly@example.com')
        await signed_in('holly@example.com')
    finally:
        unsubscribe()
    assert [line.message for line in seen] == ['Login successful for UserID: holly@example.com']


async def test_sessions_end_after_30_idle_minutes_or_12_hours():
    import datetime as dt

    await make_family('Ager', 'holly@example.com')
    idle, _ = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    old, _ = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    busy, _ = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    now = dt.datetime.now(dt.UTC)
    rows = await PortalSession.all().order_by('id')
    await PortalSession.filter(id=rows[0].id).update(last_seen_at=now - sessions.SESSION_IDLE - dt.timedelta(seconds=1))
    await PortalSession.filter(id=rows[1].id).update(created_at=now - dt.timedelta(hours=12, seconds=1))
    assert await sessions.resolve_parent(idle) is None
    assert await sessions.resolve_parent(old) is None
    assert await sessions.resolve_parent(busy) is not None
    ended = [s.ended_at is not None for s in await PortalSession.all().order_by('id')]
    assert ended == [True, True, False]  # an expired session is ended for good, not just refused


async def test_an_active_parent_keeps_the_session_alive_with_at_most_one_write_a_minute():
    import datetime as dt

    await make_family('Ager', 'holly@example.com')
    token, _ = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    session = await PortalSession.get()
    recently = dt.datetime.now(dt.UTC) - sessions.SEEN_WRITE_INTERVAL + dt.timedelta(seconds=5)
    await PortalSession.filter(id=session.id).update(last_seen_at=recently)
    assert await sessions.resolve_parent(token) is not None
    assert (await PortalSession.get()).last_seen_at == recently  # seen within the minute: no write
    a_while_ago = dt.datetime.now(dt.UTC) - sessions.SESSION_IDLE + dt.timedelta(minutes=1)
    await PortalSession.filter(id=session.id).update(last_seen_at=a_while_ago)
    before = dt.datetime.now(dt.UTC)
    assert await sessions.resolve_parent(token) is not None
    assert (await PortalSession.get()).last_seen_at >= before  # the idle clock starts again
