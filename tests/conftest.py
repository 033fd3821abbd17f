"""Every test gets a fresh in-memory database, so tests never share or keep data."""

import os
import tempfile

import pytest

os.environ['PORTAL_DATABASE_URL'] = os.environ.get('KINROLL_TEST_DATABASE_URL', 'sqlite://:memory:')
os.environ['PORTAL_SECRET'] = 'test-secret'
os.environ['PORTAL_DATA_DIR'] = tempfile.mkdtemp(prefix='kinroll-test-')
os.environ['PORTAL_TIMEZONE'] = 'America/Chicago'

from domain import db, studio  # noqa: E402
from domain.config import Config  # noqa: E402


@pytest.fixture
async def database():
    """The database alone, for domain tests that need no pages."""
    config = Config.from_env()
    await db.open_database(config.database_url)
    await studio.ensure_settings(config)
    yield
    await db.close_database()
