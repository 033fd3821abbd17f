"""A kept file's record says what the bytes are; the bytes sit under a random key Kinroll made."""

import hashlib

from domain.adapters import storage
from domain.files import stored
from domain.unit_of_work import UnitOfWork
from tests.domain.files.making import pdf

PDF = pdf()


async def test_a_kept_file_is_recorded_with_its_size_checksum_and_name(database):
    async with UnitOfWork() as uow:
        file = await stored.keep(
            uow, PDF, folder='resources', content_type='application/pdf', extension='pdf', original_name='x' * 300
        )
    assert (file.content_type, file.size, file.sha256) == ('application/pdf', len(PDF), hashlib.sha256(PDF).hexdigest())
    assert file.original_name == 'x' * 255
    assert await stored.read(file) == PDF == await storage.storage().get(file.key)


async def test_two_copies_of_one_file_get_keys_of_their_own(database):
    async with UnitOfWork() as uow:
        first = await stored.keep(uow, PDF, folder='news', content_type='application/pdf', extension='pdf')
        second = await stored.keep(uow, PDF, folder='news', content_type='application/pdf', extension='pdf')
    assert first.key != second.key and first.key.startswith('news/') and second.key.endswith('.pdf')
