"""Keeping a file: its bytes go to the storage adapter, its record to the database, in the caller's unit of work.

The bytes are written first; if the transaction then rolls back, they are deleted again, so a refused or failed
save leaves nothing behind. A file is removed from storage only after the change that dropped it has committed.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets

from domain import clock
from domain.adapters import storage
from domain.models import StoredFile
from domain.unit_of_work import UnitOfWork

log = logging.getLogger('kinroll.files')
_deleting: set[asyncio.Task] = set()


async def keep(
    uow: UnitOfWork, data: bytes, *, folder: str, content_type: str, extension: str, original_name: str = ''
) -> StoredFile:
    """Store `data` under a new random key in `folder` (`photos`, `resources`, `logo`, `news`)."""
    key = storage.checked_key(f'{folder}/{secrets.token_hex(16)}.{extension}')
    await storage.storage().put(key, data, content_type)
    uow.after_rollback(lambda: _delete_soon(key))
    return await StoredFile.create(
        key=key,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=original_name[:255],
        created_at=clock.now(),
    )


async def read(file: StoredFile) -> bytes:
    """The file's bytes (StoredFileMissing if the storage lost them)."""
    return await storage.storage().get(file.key)


async def discard(uow: UnitOfWork, file: StoredFile) -> None:
    """Delete the record now and the bytes once the change commits."""
    key = file.key
    await file.delete()
    uow.after_commit(lambda: _delete_soon(key))


def _delete_soon(key: str) -> None:
    task = asyncio.get_running_loop().create_task(_delete(key))
    _deleting.add(task)
    task.add_done_callback(_deleting.discard)


async def _delete(key: str) -> None:
    try:
        await storage.storage().delete(key)
    except Exception:  # the record is gone already: the bytes are only orphaned, never shown
        log.warning('could not delete stored file %s', key, exc_info=True)
