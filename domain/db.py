"""Opening the database and bringing its schema up to date with the committed migrations."""

from __future__ import annotations

import os
from pathlib import Path

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


async def open_database(database_url: str) -> None:
    """Connect, make the SQLite file's folder if needed, and apply every migration not yet applied."""
    if database_url.startswith('sqlite://') and ':memory:' not in database_url:
        Path(database_url.removeprefix('sqlite://').split('?', 1)[0]).parent.mkdir(parents=True, exist_ok=True)
    config = tortoise_config(database_url)
    await Tortoise.init(config=config, _enable_global_fallback=True)
    executor = MigrationExecutor(connections.get('default'), config['apps'])
    await executor.migrate()


async def close_database() -> None:
    await Tortoise.close_connections()
