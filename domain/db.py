"""Opening the database and bringing its schema up to date with the committed migrations."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from pathlib import Path
from typing import Any

import aiosqlite
from tortoise import Tortoise, connections
from tortoise.migrations.executor import MigrationExecutor

APP_LABEL = 'kinroll'


def tortoise_config(database_url: str) -> dict:
    return {
        'connections': {'default': database_url},
        'apps': {
            APP_LABEL: {
                'models': ['domain.models'],
                'migrations': 'migrations',
                'default_connection': 'default',
            },
        },
        'use_tz': True,
        'timezone': 'UTC',
    }


# For Tortoise's own command line: `tortoise -c domain.db.TORTOISE_ORM makemigrations`.
TORTOISE_ORM = tortoise_config(os.environ.get('PORTAL_DATABASE_URL', 'sqlite://:memory:'))


def _zeroing_deletes(database_url: str) -> str:
    """SQLite overwrites what a delete or update frees with zeros (`secure_delete`), so a secret cleared from a
    row is not left readable in the file's free pages."""
    if not database_url.startswith('sqlite://') or 'secure_delete=' in database_url:
        return database_url
    return database_url + ('&' if '?' in database_url else '?') + 'secure_delete=ON'


async def open_database(database_url: str) -> None:
    """Connect, make the SQLite file's folder if needed, and apply every migration not yet applied."""
    if database_url.startswith('sqlite://') and ':memory:' not in database_url:
        Path(database_url.removeprefix('sqlite://').split('?', 1)[0]).parent.mkdir(parents=True, exist_ok=True)
    database_url = _zeroing_deletes(database_url)
    config = tortoise_config(database_url)
    await Tortoise.init(config=config, _enable_global_fallback=True)
    executor = MigrationExecutor(connections.get('default'), config['apps'])
    await executor.migrate()


async def close_database() -> None:
    await Tortoise.close_connections()


def _stop_stray_sqlite_threads() -> None:
    """Let the process exit though a SQLite connection was left open. Each aiosqlite connection is a thread that
    is not a daemon, and the interpreter waits for those before it exits: a connection Tortoise opened for a task
    still finishing after the database closed (a background round, a page's last read) kept the process, and
    once the test run, alive for ever after its last line. Stopping its thread ends it; nothing is lost, since
    whatever it had not committed is rolled back as SQLite always does."""
    for thread in threading.enumerate():
        if isinstance(thread, aiosqlite.Connection) and thread.is_alive():
            thread._stop_running()


# Before the interpreter joins the threads that are not daemons, which atexit would be too late for.
threading._register_atexit(_stop_stray_sqlite_threads)  # type: ignore[attr-defined]


_PLACEHOLDER = re.compile(r'\?')


async def fetch(sql: str, *params: Any) -> list[dict[str, Any]]:
    """The rows of one hand-written query, with `?` placeholders on every database.

    For the few reads made on every page a parent opens (the session, the policy gate, the dashboard):
    building a query through the ORM costs about ten times as much CPU as running it (`bench/run.py`).
    Booleans come back as 0/1 from SQLite and dates as ISO text: read them with `bool()` and `as_date`.
    """
    connection = connections.get('default')
    if dialect() == 'postgres':
        numbers = iter(range(1, len(params) + 1))
        sql = _PLACEHOLDER.sub(lambda _: f'${next(numbers)}', sql)
    return await connection.execute_query_dict(sql, list(params))


async def write_out_the_log() -> None:
    """On SQLite, copy the write-ahead log into the database file and empty it: the log keeps the pages as they
    were before a change, secrets included, until a checkpoint. Nothing to do on PostgreSQL."""
    if dialect() == 'sqlite':
        await connections.get('default').execute_query('PRAGMA wal_checkpoint(TRUNCATE)')


def dialect() -> str:
    """`sqlite` or `postgres`."""
    return connections.get('default').capabilities.dialect


def as_date(value: dt.date | str | None) -> dt.date | None:
    """A DATE column's value: a date from PostgreSQL, ISO text from SQLite."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
