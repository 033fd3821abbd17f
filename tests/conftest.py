"""Every test gets its own fresh database, so tests never share or keep data.

Replaying the migrations costs Tortoise a fraction of a second per database and more with every
re-initialisation in one process, so the suite migrates one template database at the start and each test
gets a copy of it. The migrations themselves are tested on their own (tests/domain/test_foundation.py).

With KINROLL_TEST_DATABASE=postgres the same suite runs on PostgreSQL: the template is a database, and
each test gets `CREATE DATABASE … TEMPLATE` of it (`make test` runs both passes).
"""

import asyncio
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ['PORTAL_SECRET'] = 'test-secret'
os.environ['PORTAL_DATA_DIR'] = tempfile.mkdtemp(prefix='kinroll-test-')
os.environ['PORTAL_TIMEZONE'] = 'America/Chicago'
os.environ.pop('PORTAL_BASE_URL', None)

from domain import db
from domain.config import Config
from domain.studio import settings

TEMPLATE = Path(tempfile.mkdtemp(prefix='kinroll-template-')) / 'template.sqlite3'
ON_POSTGRES = os.environ.get('KINROLL_TEST_DATABASE') == 'postgres'
POSTGRES = os.environ.get('KINROLL_TEST_POSTGRES_URL', 'postgres://postgres@127.0.0.1:5432').rstrip('/')
PG_TEMPLATE = f'kinroll_template_{os.getpid()}'


def _test_url(path: Path) -> str:
    return f'sqlite://{path}?journal_mode=WAL&synchronous=OFF'  # durability is not what these tests measure


def _postgres(*statements: str) -> None:
    """Run administrative statements (CREATE/DROP DATABASE) outside any test's event loop."""
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(POSTGRES + '/postgres')
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    result: list[BaseException] = []
    import threading

    def target() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:
            result.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if result:
        raise result[0]


async def _migrate_template() -> None:
    await db.open_database(f'{POSTGRES}/{PG_TEMPLATE}' if ON_POSTGRES else _test_url(TEMPLATE))
    await db.close_database()


if ON_POSTGRES:
    _postgres(f'DROP DATABASE IF EXISTS {PG_TEMPLATE}', f'CREATE DATABASE {PG_TEMPLATE}')
asyncio.run(_migrate_template())


def pytest_sessionfinish(session, exitstatus):
    if ON_POSTGRES:
        _postgres(f'DROP DATABASE IF EXISTS {PG_TEMPLATE} WITH (FORCE)')


@pytest.fixture(autouse=True)
def fresh_database(tmp_path, monkeypatch, request):
    """A copy of the migrated template for this test; the app started by the `user` fixture opens it too."""
    if ON_POSTGRES:
        name = f'kinroll_t_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**9}'
        _postgres(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)', f'CREATE DATABASE {name} TEMPLATE {PG_TEMPLATE}')
        monkeypatch.setenv('PORTAL_DATABASE_URL', f'{POSTGRES}/{name}')
        yield None
        _postgres(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        return
    copy = tmp_path / 'kinroll.sqlite3'
    shutil.copyfile(TEMPLATE, copy)
    monkeypatch.setenv('PORTAL_DATABASE_URL', _test_url(copy))
    yield copy


@pytest.fixture(autouse=True)
def file_storage(tmp_path):
    """Each test keeps its files in its own folder (the `user` fixture's app sets the same kind at start-up)."""
    from domain.adapters import storage

    kept = storage.LocalStorage(tmp_path / 'files')
    storage.configure(kept)
    return kept


def only_on_sqlite(reason: str):
    return pytest.mark.skipif(ON_POSTGRES, reason=f'SQLite only: {reason}')


@pytest.fixture
async def database(fresh_database):
    """The database alone, for domain tests that need no pages."""
    config = Config.from_env()
    await db.open_database(config.database_url)
    await settings.ensure_settings(config)
    yield
    await db.close_database()


@pytest.fixture(autouse=True)
def each_user_keeps_its_own_navigation(monkeypatch):
    """NiceGUI's simulated User points the global `ui.navigate` at itself whenever any of its attributes is read,
    and its outbox reads `javascript_rules` for every JavaScript message its page receives. With two users (a
    parent, and staff whose live console is sent new lines as JavaScript), a line reaching the console would
    hand the parent's next navigation to the staff user. Reading that one attribute no longer does."""
    from nicegui.testing import User

    original = User.__getattribute__

    def getattribute(self, name: str):
        if name == 'javascript_rules':
            return object.__getattribute__(self, name)
        return original(self, name)

    monkeypatch.setattr(User, '__getattribute__', getattribute)


@pytest.fixture(autouse=True)
def history_holds_where_a_page_landed(monkeypatch):
    """A browser's history holds the address a redirect ended at; NiceGUI's simulated User keeps the one it was
    asked for. A sign-in passes through a one-time hand-over address, so reloading the dashboard after it would
    replay that address: record where the page landed instead."""
    from nicegui.testing import User

    original = User.open

    async def open_and_land(self, path: str, *, clear_forward_history: bool = True):
        client = await original(self, path, clear_forward_history=clear_forward_history)
        landed = client.request.url
        self.back_history[-1] = landed.path + (f'?{landed.query}' if landed.query else '')
        return client

    monkeypatch.setattr(User, 'open', open_and_land)


@pytest.fixture(autouse=True)
def simulated_events_carry_their_pages_request(monkeypatch):
    """In a browser, an event reaches its handler with the request of the page its element was built on, and
    `app.storage.user` follows that page's browser id. NiceGUI's simulated User calls the handler with whatever
    request its own task last made; after a sign-in that is the hand-over request, whose browser id the
    hand-over replaced. Give each simulated event its listener's request, as a real one has."""
    from nicegui import events, storage
    from nicegui.testing import user_interaction

    class EventsWithTheirRequest:
        def __getattr__(self, name: str):
            return getattr(events, name)

        @staticmethod
        def handle_event(handler, arguments, **options):
            listeners = getattr(getattr(arguments, 'sender', None), '_event_listeners', {})
            for listener in listeners.values():
                if listener.handler is handler:
                    storage.request_contextvar.set(listener.request)
                    break
            return events.handle_event(handler, arguments, **options)

    monkeypatch.setattr(user_interaction, 'events', EventsWithTheirRequest())


@pytest.fixture
async def user(fresh_database, user):
    """NiceGUI's simulated user, started only once this test's database is in place."""
    yield user


@pytest.fixture
def delivered():
    """Console senders that keep what was sent, as a phone or an inbox would."""
    from domain.adapters.mail import ConsoleMailer
    from domain.adapters.sms import ConsoleSmsSender
    from domain.messages import outbox

    mail, sms = ConsoleMailer('studio@example.com'), ConsoleSmsSender('+15550000000')
    outbox.configure(mail, sms)
    return mail, sms
