"""Both storage adapters keep the same promises: what is put is got back whole, a missing key says so, a key
Kinroll did not make is refused, and a save that rolls back leaves no bytes behind. The S3 adapter is tested
against a real S3-compatible server (moto's, over HTTP), not a mock of boto3."""

import asyncio
import os

import boto3
import pytest

from domain.adapters import storage
from domain.adapters.storage import LocalStorage, S3Storage, StoredFileMissing
from domain.config import S3Settings
from domain.files import stored
from domain.models import StoredFile
from domain.unit_of_work import UnitOfWork

PNG = b'\x89PNG\r\n\x1a\n' + b'\x00' * 64


@pytest.fixture(params=['local', 's3'])
async def adapter(request, tmp_path, s3_settings):
    if request.param == 'local':
        return LocalStorage(tmp_path / 'kept')
    bucket = S3Storage(s3_settings)
    await bucket.ensure_bucket()
    return bucket


async def test_what_is_put_is_got_back(adapter):
    await adapter.put('resources/ab12.pdf', b'%PDF-1.4 first', 'application/pdf')
    assert await adapter.get('resources/ab12.pdf') == b'%PDF-1.4 first'


async def test_putting_again_replaces_the_bytes(adapter):
    await adapter.put('photos/cd34.png', b'old', 'image/png')
    await adapter.put('photos/cd34.png', b'new and longer', 'image/png')
    assert await adapter.get('photos/cd34.png') == b'new and longer'


async def test_a_deleted_file_is_missing_and_deleting_it_again_is_no_error(adapter):
    await adapter.put('news/ef56.jpg', b'jpeg', 'image/jpeg')
    await adapter.delete('news/ef56.jpg')
    with pytest.raises(StoredFileMissing):
        await adapter.get('news/ef56.jpg')
    await adapter.delete('news/ef56.jpg')


async def test_a_key_never_put_is_missing(adapter):
    with pytest.raises(StoredFileMissing):
        await adapter.get('photos/never.png')


@pytest.mark.parametrize(
    'key', ['../outside.png', 'photos/../../etc/passwd', 'Photos/ab.png', 'photos/AB.png', '/absolute.png', '']
)
async def test_a_key_kinroll_did_not_make_is_refused(adapter, key):
    with pytest.raises(ValueError, match='not a storage key'):
        await adapter.put(key, b'x', 'image/png')
    with pytest.raises(ValueError, match='not a storage key'):
        await adapter.get(key)
    with pytest.raises(ValueError, match='not a storage key'):
        await adapter.delete(key)


async def test_many_files_at_once_each_keep_their_own_bytes(adapter):
    keys = [f'resources/{number:04x}.pdf' for number in range(12)]
    await asyncio.gather(*(adapter.put(key, key.encode() * 100, 'application/pdf') for key in keys))
    got = await asyncio.gather(*(adapter.get(key) for key in keys))
    assert got == [key.encode() * 100 for key in keys]


async def test_a_save_that_rolls_back_leaves_no_bytes_and_no_record(database, adapter):
    previous = storage.storage()
    storage.configure(adapter)
    try:
        with pytest.raises(RuntimeError):
            async with UnitOfWork() as uow:
                file = await stored.keep(uow, PNG, folder='photos', content_type='image/png', extension='png')
                assert await adapter.get(file.key) == PNG  # the bytes are written before the record
                raise RuntimeError('the save fails after the file was kept')
        await gone(adapter, file.key)
        assert await StoredFile.all().count() == 0
    finally:
        storage.configure(previous)


async def test_a_kept_file_stays_until_it_is_discarded_and_that_commits(database, adapter):
    previous = storage.storage()
    storage.configure(adapter)
    try:
        async with UnitOfWork() as uow:
            file = await stored.keep(
                uow, PNG, folder='logo', content_type='image/png', extension='png', original_name='Logo.png'
            )
        assert await stored.read(await StoredFile.get(id=file.id)) == PNG
        assert file.key.startswith('logo/') and file.key.endswith('.png') and file.size == len(PNG)
        with pytest.raises(RuntimeError):
            async with UnitOfWork() as uow:
                await stored.discard(uow, file)
                raise RuntimeError('the change that dropped it fails')
        await asyncio.sleep(0.2)
        assert await adapter.get(file.key) == PNG  # a rolled-back discard keeps the bytes
        async with UnitOfWork() as uow:
            await stored.discard(uow, await StoredFile.get(id=file.id))
        await gone(adapter, file.key)
        assert not await StoredFile.exists(id=file.id)
    finally:
        storage.configure(previous)


async def gone(adapter, key: str) -> None:
    """The bytes are deleted in the background after the rollback or commit: wait a little for it."""
    for _ in range(100):
        try:
            await adapter.get(key)
        except StoredFileMissing:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f'{key} is still stored')


# The folder


async def test_a_local_file_is_written_whole_with_no_temporary_file_left(tmp_path):
    local = LocalStorage(tmp_path / 'kept')
    await asyncio.gather(*(local.put('photos/same.png', bytes([n]) * 100_000, 'image/png') for n in range(8)))
    data = await local.get('photos/same.png')
    assert len(data) == 100_000 and len(set(data)) == 1  # one writer's bytes, never a mix
    assert os.listdir(tmp_path / 'kept' / 'photos') == ['same.png']


async def test_a_local_write_that_fails_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    local = LocalStorage(tmp_path / 'kept')
    await local.put('photos/ab.png', b'old', 'image/png')

    def full_disk(source, target):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(os, 'replace', full_disk)
    with pytest.raises(OSError, match='No space'):
        await local.put('photos/ab.png', b'new', 'image/png')
    monkeypatch.undo()
    assert await local.get('photos/ab.png') == b'old'
    assert os.listdir(tmp_path / 'kept' / 'photos') == ['ab.png']


# The bucket


def objects_in(settings: S3Settings) -> dict[str, str]:
    """What the server itself holds, key -> content type, asked with a client of the test's own."""
    client = boto3.client(
        's3',
        endpoint_url=settings.endpoint_url,
        region_name=settings.region,
        aws_access_key_id=settings.access_key_id,
        aws_secret_access_key=settings.secret_access_key,
    )
    keys = [item['Key'] for item in client.list_objects_v2(Bucket=settings.bucket).get('Contents', [])]
    return {key: client.head_object(Bucket=settings.bucket, Key=key)['ContentType'] for key in keys}


async def test_the_bucket_is_made_on_first_start_and_found_on_the_next(s3_settings):
    first = S3Storage(s3_settings)
    await first.ensure_bucket()
    await first.put('photos/ab.jpg', b'jpeg', 'image/jpeg')
    again = S3Storage(s3_settings)
    await again.ensure_bucket()  # a second process, or a restart: the bucket and its files are kept
    assert await again.get('photos/ab.jpg') == b'jpeg'
    assert objects_in(s3_settings) == {'photos/ab.jpg': 'image/jpeg'}


async def test_processes_starting_together_all_find_the_bucket(s3_settings):
    await asyncio.gather(*(S3Storage(s3_settings).ensure_bucket() for _ in range(4)))
    assert objects_in(s3_settings) == {}


async def test_a_bucket_outside_the_default_region_is_made_there(s3_settings):
    settings = S3Settings(
        s3_settings.bucket, s3_settings.endpoint_url, 'eu-west-1', s3_settings.access_key_id, 'test-secret'
    )
    bucket = S3Storage(settings)
    await bucket.ensure_bucket()
    await bucket.put('resources/ab.pdf', b'%PDF', 'application/pdf')
    assert objects_in(settings) == {'resources/ab.pdf': 'application/pdf'}


async def test_a_save_that_rolls_back_leaves_the_bucket_empty(database, s3_storage, s3_settings):
    previous = storage.storage()
    storage.configure(s3_storage)
    try:
        with pytest.raises(RuntimeError):
            async with UnitOfWork() as uow:
                file = await stored.keep(uow, PNG, folder='photos', content_type='image/png', extension='png')
                assert objects_in(s3_settings) == {file.key: 'image/png'}
                raise RuntimeError('the save fails after the file was kept')
        await gone(s3_storage, file.key)
        assert objects_in(s3_settings) == {}
    finally:
        storage.configure(previous)
