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
from typing import TYPE_CHECKING, Any, Protocol

import boto3
from botocore.config import Config as BotocoreConfig
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from domain.config import S3Settings

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


class S3Storage:
    """Files as objects in one bucket of S3-compatible storage (AWS S3, MinIO, …), shared by every process.

    boto3 blocks, so each call runs in a worker thread; one client serves them all (boto3 clients are
    thread-safe, sessions are not).
    """

    def __init__(self, settings: S3Settings) -> None:
        self.bucket = settings.bucket
        self.region = settings.region
        self._client: Any = boto3.session.Session().client(
            's3',
            endpoint_url=settings.endpoint_url or None,
            region_name=settings.region,
            aws_access_key_id=settings.access_key_id,
            aws_secret_access_key=settings.secret_access_key,
            config=BotocoreConfig(
                connect_timeout=5,
                read_timeout=60,
                retries={'max_attempts': 3, 'mode': 'standard'},
                # MinIO and most self-hosted servers answer at <endpoint>/<bucket>, not at <bucket>.<endpoint>
                s3={'addressing_style': 'path' if settings.endpoint_url else 'auto'},
            ),
        )

    async def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist yet, so a fresh server works on first start."""
        await asyncio.to_thread(self._ensure_bucket)

    def _ensure_bucket(self) -> None:
        try:
            self._client.head_bucket(Bucket=self.bucket)
            return
        except ClientError as error:
            if _code(error) not in ('404', 'NoSuchBucket', 'NotFound'):
                raise  # 403: the bucket is someone else's, or the keys may not see it; say so at start-up
        options: dict[str, Any] = {'Bucket': self.bucket}
        if self.region != 'us-east-1':  # AWS refuses the default region as an explicit location
            options['CreateBucketConfiguration'] = {'LocationConstraint': self.region}
        try:
            self._client.create_bucket(**options)
        except ClientError as error:
            if _code(error) != 'BucketAlreadyOwnedByYou':  # another process started at the same moment
                raise

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            self._client.put_object, Bucket=self.bucket, Key=checked_key(key), Body=data, ContentType=content_type
        )

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get, checked_key(key))

    def _get(self, key: str) -> bytes:
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _code(error) in ('NoSuchKey', '404', 'NotFound'):
                raise StoredFileMissing(key) from error
            raise
        with answer['Body'] as body:
            return body.read()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._client.delete_object, Bucket=self.bucket, Key=checked_key(key))


def _code(error: ClientError) -> str:
    return str(error.response.get('Error', {}).get('Code', ''))


class Kept:
    """The adapter the process uses, set once by the composition root (domain/wiring.py) or a test."""

    def __init__(self) -> None:
        self.storage: Storage = LocalStorage(Path('data') / 'files')


kept = Kept()


def configure(storage: Storage) -> None:
    kept.storage = storage


def storage() -> Storage:
    return kept.storage
