"""Two Kinroll processes on one PostgreSQL and one Redis: what happens on one is seen live on the other."""

import asyncio
import os
import time

import pytest
from playwright.async_api import Page, expect

from domain.operations import demo
from tests.conftest import _postgres
from tests.e2e.conftest import _serve, next_staff_code
from tests.e2e.test_phone_journeys import sign_in_with_password, staff_console
from tests.postgres_check import URL as POSTGRES
from tests.postgres_check import reachable

REDIS = os.environ.get('KINROLL_TEST_REDIS_URL', 'redis://127.0.0.1:6379/0')


def _redis_reason() -> str | None:
    import redis

    try:
        redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f'{type(exc).__name__}: {exc}'
    return None


@pytest.fixture(scope='module')
def two_processes(tmp_path_factory):
    reasons = [r for r in (asyncio.run(reachable()), _redis_reason()) if r]
    if reasons:
        pytest.skip('scale-out test skipped: ' + '; '.join(reasons))
    name = f'kinroll_scale_{os.getpid()}'
    _postgres(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)', f'CREATE DATABASE {name}')
    shared = {
        'PORTAL_DATABASE_URL': f'{POSTGRES}/{name}',
        'PORTAL_REDIS_URL': REDIS,
        'NICEGUI_REDIS_KEY_PREFIX': f'kinroll-test-{os.getpid()}:',
        'PORTAL_SECRET': 'scale-out-secret',
    }
    first = _serve(tmp_path_factory.mktemp('first'), shared)  # loads the demo once, before the second starts
    second = _serve(tmp_path_factory.mktemp('second'), shared)
    yield first[2], second[2]
    for process, log, _url in (first, second):
        process.terminate()
        process.wait(timeout=20)
        log.close()
    _postgres(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')


async def test_a_sign_in_on_one_process_reaches_a_staff_console_on_the_other(phone: Page, two_processes):
    first, second = two_processes
    desk = await staff_console(phone, second)

    await sign_in_with_password(phone, first, 'hollyager41@example.com', 'Hello, Holly')
    signed_in_at = time.monotonic()
    line = desk.get_by_text('Login successful for UserID: hollyager41@example.com').first
    await expect(line).to_be_visible(timeout=1000)  # within one second, as the issue asks
    print(f'cross-process event seen after {time.monotonic() - signed_in_at:.3f} s')
    await desk.close()


async def test_the_browser_session_lives_in_redis_so_either_process_serves_it(phone: Page, two_processes):
    first, second = two_processes
    await sign_in_with_password(phone, first, 'gbarrett@example.com', 'Before you continue')
    await phone.goto(second + '/portal/policies')  # the same browser, now sent to the other process
    await expect(phone.get_by_text('Before you continue')).to_be_visible()


async def test_only_user_storage_lives_in_redis_not_a_subscription_per_open_page(phone: Page, two_processes):
    import redis

    first, _second = two_processes
    await sign_in_with_password(phone, first, 'hollyager41@example.com', 'Hello, Holly')
    prefix = f'kinroll-test-{os.getpid()}:'
    client = redis.from_url(REDIS)
    try:
        assert client.pubsub_channels(prefix + 'user-*')  # the browser's session, shared by both processes
        assert client.pubsub_channels(prefix + 'tab-*') == []  # NiceGUI would hold one per open page
    finally:
        client.close()


async def staff_desk_with_the_next_code(phone: Page, server: str) -> Page:
    """The demo administrator signed in with an authenticator step no earlier sign-in used: a code opens one
    sign-in only."""
    desk = await phone.context.browser.new_page(viewport={'width': 1280, 'height': 900})
    await desk.goto(server + '/staff/sign-in')
    await desk.get_by_label('Email').fill(demo.DEMO_STAFF_EMAIL)
    await desk.get_by_label('Password').fill(demo.DEMO_STAFF_PASSWORD)
    await desk.get_by_label('Authenticator code').fill(await next_staff_code())
    await desk.get_by_role('button', name='Sign in').click()
    await expect(desk.get_by_text('Parent Portal Log').first).to_be_visible()
    return desk


async def choose_sign_in_methods(desk: Page, server: str, option: str) -> float:
    """Save the parents' sign-in methods on the staff settings page; returns when the save was confirmed."""
    await desk.goto(server + '/staff/settings')
    await desk.get_by_role('radio', name=option).click()
    await desk.get_by_role('button', name='Save', exact=True).click()
    await expect(desk.get_by_text('Saved')).to_be_visible()
    return time.monotonic()


async def start_page_offers_a_password(page: Page, server: str) -> bool:
    await page.goto(server + '/')
    await expect(page.get_by_role('button', name='Send me a code')).to_be_visible()
    return await page.get_by_text('Sign in with a password instead').count() > 0


async def first_load_in_force(page: Page, server: str, offers_password: bool, saved_at: float) -> float:
    """How long after the save a page request to the other process was first served with the new setting."""
    while True:
        requested_at = time.monotonic()
        if await start_page_offers_a_password(page, server) == offers_password:
            return requested_at - saved_at
        assert requested_at - saved_at < 1, 'the other process still serves the old setting after a second'


async def test_a_setting_changed_on_one_process_is_in_force_on_the_other_within_a_second(phone: Page, two_processes):
    first, second = two_processes
    desk = await staff_desk_with_the_next_code(phone, first)
    assert await start_page_offers_a_password(phone, second)
    try:
        saved_at = await choose_sign_in_methods(desk, first, 'One-time code only')
        after = await first_load_in_force(phone, second, False, saved_at)
        assert after < 1
        print(f'sign-in methods in force on the other process {after:.3f} s after the save')
    finally:  # the other tests here sign in with a password
        saved_at = await choose_sign_in_methods(desk, first, 'One-time code or password')
    assert await first_load_in_force(phone, second, True, saved_at) < 1
    await desk.close()
