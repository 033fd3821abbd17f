"""Every test gets its own fresh database, so tests never share or keep data.

Replaying the migrations costs Tortoise a fraction of a second per database and more with every
re-initialisation in one process, so the suite migrates one template database at the start and each test
gets a copy of it. The migrations themselves are tested on their own (tests/domain/test_foundation.py).
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

from domain import db, studio  # noqa: E402
from domain.config import Config  # noqa: E402

TEMPLATE = Path(tempfile.mkdtemp(prefix='kinroll-template-')) / 'template.sqlite3'


def _test_url(path: Path) -> str:
    return f'sqlite://{path}?journal_mode=WAL&synchronous=OFF'  # durability is not what these tests measure


async def _migrate_template() -> None:
    await db.open_database(_test_url(TEMPLATE))
    await db.close_database()


asyncio.run(_migrate_template())


@pytest.fixture(autouse=True)
def fresh_database(tmp_path, monkeypatch):
    """A copy of the migrated template for this test; the app started by the `user` fixture opens it too."""
    copy = tmp_path / 'kinroll.sqlite3'
    shutil.copyfile(TEMPLATE, copy)
    monkeypatch.setenv('PORTAL_DATABASE_URL', _test_url(copy))
    return copy


@pytest.fixture
async def database(fresh_database):
    """The database alone, for domain tests that need no pages."""
    config = Config.from_env()
    await db.open_database(config.database_url)
    await studio.ensure_settings(config)
    yield
    await db.close_database()


@pytest.fixture
async def user(fresh_database, user):
    """NiceGUI's simulated user, started only once this test's database is in place."""
    yield user
