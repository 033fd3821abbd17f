"""A secret a message carried (a reset link here) is gone from the SQLite file and its write-ahead log once sent."""

import re

import pytest

from domain.access import passwords
from domain.messages import outbox
from tests.conftest import only_on_sqlite
from tests.factories import make_family

pytestmark = [pytest.mark.usefixtures('database'), only_on_sqlite('reads the bytes of the SQLite file')]


def stored_bytes(database_file) -> bytes:
    wal = database_file.with_name(database_file.name + '-wal')
    return database_file.read_bytes() + (wal.read_bytes() if wal.exists() else b'')


async def test_a_sent_reset_link_leaves_no_readable_copy_in_the_file_or_the_log(fresh_database, delivered):
    await make_family('Brown', 'gabby@example.com')
    await passwords.request_reset('gabby@example.com')
    link = re.search(r'(\S+/reset/\S+)', (await queued_text())).group(1)
    assert link.encode() in stored_bytes(fresh_database)  # waiting to be sent, the secret is stored as it must be
    await outbox.deliver_due()
    assert link in delivered[0].sent[-1].text
    assert link.split('/reset/')[1].encode() not in stored_bytes(fresh_database)


async def queued_text() -> str:
    from domain.models import OutboxMessage

    message = await OutboxMessage.filter(secret__not_isnull=True).order_by('-id').first()
    return message.secret
