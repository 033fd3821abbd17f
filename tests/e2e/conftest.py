"""Real-browser tests: Debian's chromium driven by Playwright against a real server on loopback.

Where chromium is not installed they are skipped with the reason; .ci/run installs it.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get('CHROME_BINARY_LOCATION', '/usr/bin/chromium')
ROOT = Path(__file__).resolve().parents[2]
ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
]
PHONE = {'width': 393, 'height': 851}
SERVER_LOGS: dict[str, Path] = {}  # server address -> its log, where the demo's console senders write
IDLE_SECONDS = 4
COUNTDOWN_SECONDS = 3


def pytest_collection_modifyitems(items):
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(
            reason=f'real-browser tests skipped: no chromium at {CHROMIUM} (apt-get install chromium, as .ci/run does)'
        )
        for item in items:
            if 'tests/e2e' in str(item.fspath):
                item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _serve(data: Path, extra_env: dict[str, str]):
    """`main.py --demo` in a fresh data folder, as `make run` starts it."""
    port = _free_port()
    inherited = {
        k: v
        for k, v in os.environ.items()  # a plain start, on SQLite unless told otherwise
        if not k.startswith(('PYTEST', 'NICEGUI')) and k != 'PORTAL_DATABASE_URL'
    }
    env = {**inherited, 'PORTAL_DATA_DIR': str(data), 'PORTAL_PORT': str(port), 'PORTAL_HOST': '127.0.0.1', **extra_env}
    log = open(data / 'server.log', 'w')  # noqa: SIM115 - open for as long as the server runs
    process = subprocess.Popen([sys.executable, 'main.py', '--demo'], cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError('the server did not start: ' + (data / 'server.log').read_text()) from None
            time.sleep(0.2)
    SERVER_LOGS[f'http://127.0.0.1:{port}'] = data / 'server.log'
    return process, log, f'http://127.0.0.1:{port}'


@pytest.fixture(scope='session')
def server(tmp_path_factory):
    process, log, url = _serve(tmp_path_factory.mktemp('e2e-data'), {})
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture(scope='session')
def impatient_server(tmp_path_factory):
    """The same portal with an idle warning after seconds instead of 30 minutes."""
    process, log, url = _serve(
        tmp_path_factory.mktemp('e2e-idle'),
        {'PORTAL_IDLE_SECONDS': str(IDLE_SECONDS), 'PORTAL_IDLE_WARNING_SECONDS': str(COUNTDOWN_SECONDS)},
    )
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture
async def phone():
    """A fresh phone-sized browser page (its own cookies) for each test."""
    from playwright.async_api import async_playwright, expect

    expect.set_options(timeout=10_000)  # a 2-core CI machine runs two servers and a browser at once

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        page = await context.new_page()
        page.set_default_timeout(15000)
        yield page
        await browser.close()


_last_staff_step = 0


async def next_staff_code() -> str:
    """The demo staff member's authenticator code for a time step no sign-in of this run has used yet.

    A code opens one sign-in only, and the server takes the steps either side of now for clock drift, so a
    second sign-in within 30 seconds uses the next step, and a third waits for the clock to reach it.
    """
    import asyncio
    import time

    import pyotp

    from domain.operations import demo

    global _last_staff_step
    totp = pyotp.TOTP(demo.DEMO_STAFF_TOTP_SECRET)
    while (step := max(totp.timecode(_now := time.time()), _last_staff_step + 1)) > totp.timecode(_now) + 1:
        await asyncio.sleep(30 - _now % 30 + 0.05)
    _last_staff_step = step
    return totp.generate_otp(step)
