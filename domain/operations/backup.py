"""An online backup of the SQLite database, taken while the portal runs, and checked before it is trusted."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class BackupFailed(Exception):
    pass


def sqlite_path(database_url: str) -> Path:
    if not database_url.startswith('sqlite://') or ':memory:' in database_url:
        raise BackupFailed(
            '`main.py backup` copies the SQLite database; for PostgreSQL use pg_dump (see docs/deploy.md)'
        )
    return Path(database_url.removeprefix('sqlite://').split('?', 1)[0])


def backup(database_url: str, target: Path) -> int:
    """Copy page by page with SQLite's backup API (consistent even while others write), then integrity-check
    the copy. Returns the copy's size in bytes."""
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise BackupFailed(f'no database at {source_path}')
    target = target.resolve()
    if target == source_path.resolve():
        raise BackupFailed('the backup must go to another file')
    partial = target.with_name(target.name + '.partial')
    source = sqlite3.connect(f'file:{source_path}?mode=ro', uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy, pages=1024)
        copy.execute('PRAGMA journal_mode=DELETE')  # a single self-contained file
        result = copy.execute('PRAGMA integrity_check').fetchone()[0]
    finally:
        copy.close()
        source.close()
    if result != 'ok':
        partial.unlink(missing_ok=True)
        raise BackupFailed(f'the copy failed its integrity check: {result}')
    partial.replace(target)  # only a checked copy ever carries the name asked for
    return target.stat().st_size
