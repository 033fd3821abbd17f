"""Where files' bytes are kept: a folder under the data directory, or S3-compatible object storage.

Records of the files (type, size, checksum, name) are StoredFile rows in the database; an adapter only puts,
gets and deletes bytes by key. Every call runs off the event loop.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

_SAFE_KEY = re.compile(r'^[a-z0-9][a-z0-9/_.-]{0,199}$')


class StoredFileMissing(Exception):
    """The adapter has no bytes under this key."""


class Storage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


def checked_key(key: str) -> str:
    """Keys are made by Kinroll (`photos/3f2a….jpg`), never from a file's name: anything else is a bug."""
    if not _SAFE_KEY.match(key) or '..' in key:
        raise ValueError(f'not a storage key: {key!r}')
    return key


class LocalStorage:
    """Files in a folder (by default `<data dir>/files`), written whole or not at all."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / checked_key(key)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix='.incoming-')
        try:
            with os.fdopen(handle, 'wb') as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)  # readers see the old file or the whole new one, never half of it
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError as missing:
            raise StoredFileMissing(key) from missing

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


class Kept:
    """The adapter the process uses, set once by the composition root (domain/wiring.py) or a test."""

    def __init__(self) -> None:
        self.storage: Storage = LocalStorage(Path('data') / 'files')


kept = Kept()


def configure(storage: Storage) -> None:
    kept.storage = storage


def storage() -> Storage:
    return kept.storage
