"""`/files/<token>` serves the one file a fresh link names, as what it is, to nobody after the link expires."""

import datetime as dt

import pytest
from nicegui import app
from nicegui.testing import User

from domain import clock
from domain.adapters import storage
from domain.files import links, stored
from domain.models import StoredFile
from domain.unit_of_work import UnitOfWork
from pages.endpoints.files import stored_file
from tests.domain.files.making import image, pdf

NOON = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
PDF = pdf()


async def keep(data: bytes, content_type: str, extension: str, name: str) -> StoredFile:
    async with UnitOfWork() as uow:
        return await stored.keep(
            uow, data, folder='resources', content_type=content_type, extension=extension, original_name=name
        )


def token(file: StoredFile, **options) -> str:
    return links.link(file, **options).removeprefix('/files/')


async def test_a_fresh_link_shows_the_file_in_the_page(database):
    file = await keep(PDF, 'application/pdf', 'pdf', 'Recital schedule.pdf')
    response = await stored_file(token(file))
    assert response.status_code == 200
    assert response.body == PDF
    assert response.headers['content-type'] == 'application/pdf'
    assert response.headers['content-disposition'] == (
        'inline; filename="Recital schedule.pdf"; filename*=UTF-8\'\'Recital%20schedule.pdf'
    )
    assert response.headers['x-content-type-options'] == 'nosniff'
    assert response.headers['cache-control'].startswith('private')


async def test_a_download_link_offers_the_file_under_its_own_name_in_utf8(database):
    file = await keep(PDF, 'application/pdf', 'pdf', 'Ensayo – niños.pdf')
    response = await stored_file(token(file, download=True))
    assert response.status_code == 200
    assert response.headers['content-disposition'] == (
        'attachment; filename="Ensayo ninos.pdf"; filename*=UTF-8\'\'Ensayo%20%E2%80%93%20ni%C3%B1os.pdf'
    )


async def test_a_folder_in_the_uploaded_name_is_no_part_of_it(database):
    file = await keep(PDF, 'application/pdf', 'pdf', 'C:\\Users\\ana\\recital.pdf')
    disposition = (await stored_file(token(file, download=True))).headers['content-disposition']
    assert disposition == 'attachment; filename="recital.pdf"; filename*=UTF-8\'\'recital.pdf'


async def test_a_non_latin_name_is_kept_for_browsers_and_has_a_plain_one_for_the_rest(database):
    file = await keep(PDF, 'application/pdf', 'pdf', '舞蹈课 Ballet "Spring".pdf')
    disposition = (await stored_file(token(file, download=True))).headers['content-disposition']
    assert disposition == (
        'attachment; filename="Ballet _Spring_.pdf"; '
        "filename*=UTF-8''%E8%88%9E%E8%B9%88%E8%AF%BE%20Ballet%20%22Spring%22.pdf"
    )


async def test_a_file_is_offered_with_the_extension_of_what_it_is_not_the_one_it_was_given(database):
    file = await keep(PDF, 'application/pdf', 'pdf', 'costume.jpg')  # a PDF renamed .jpg
    response = await stored_file(token(file, download=True))
    assert response.headers['content-type'] == 'application/pdf'
    assert response.headers['content-disposition'].endswith("filename*=UTF-8''costume.pdf")


async def test_a_file_without_a_name_gets_one(database):
    file = await keep(image('PNG'), 'image/png', 'png', '')
    assert (await stored_file(token(file))).headers['content-disposition'] == (
        'inline; filename="file.png"; filename*=UTF-8\'\'file.png'
    )


async def test_an_expired_link_is_gone_and_says_where_to_get_a_new_one(database):
    file = await keep(PDF, 'application/pdf', 'pdf', 'a.pdf')
    with clock.pinned(NOON):
        old = token(file)
    with clock.pinned(NOON + dt.timedelta(minutes=5, seconds=1)):
        response = await stored_file(old)
    assert response.status_code == 410
    assert b'Go back to the portal' in response.body and PDF not in response.body


async def test_a_changed_link_is_gone(database):
    file = await keep(PDF, 'application/pdf', 'pdf', 'a.pdf')
    good = token(file)
    changed = good[:-1] + ('A' if good[-1] != 'A' else 'B')
    assert (await stored_file(changed)).status_code == 410


async def test_a_file_deleted_since_the_link_was_issued_is_not_found(database):
    file = await keep(PDF, 'application/pdf', 'pdf', 'a.pdf')
    fresh = token(file)
    await storage.storage().delete(file.key)
    assert (await stored_file(fresh)).status_code == 404
    await file.delete()
    assert (await stored_file(fresh)).status_code == 404


@pytest.mark.parametrize(
    ('asked', 'status', 'content_range', 'body'),
    [
        ('bytes=0-1', 206, 'bytes 0-1/{size}', lambda data: data[:2]),
        ('bytes=10-', 206, 'bytes 10-{last}/{size}', lambda data: data[10:]),
        ('bytes=-5', 206, 'bytes {tail}-{last}/{size}', lambda data: data[-5:]),
        ('bytes=5-999999', 206, 'bytes 5-{last}/{size}', lambda data: data[5:]),
        ('bytes=999999-', 416, 'bytes */{size}', lambda data: b''),
        ('bytes=0-1,5-9', 200, None, lambda data: data),  # several ranges: the whole file
        ('pages=1', 200, None, lambda data: data),
    ],
)
async def test_a_byte_range_is_served_on_its_own_as_safari_needs(database, asked, status, content_range, body):
    file = await keep(PDF, 'application/pdf', 'pdf', 'a.pdf')
    response = await stored_file(token(file), byte_range=asked)
    size = len(PDF)
    assert response.status_code == status
    assert response.headers['accept-ranges'] == 'bytes'
    assert response.headers.get('content-range') == (
        content_range.format(size=size, last=size - 1, tail=size - 5) if content_range else None
    )
    assert response.body == body(PDF)


async def test_the_portal_serves_a_link_over_http(user: User):
    if not any(getattr(route, 'path', '') == '/files/{token}' for route in app.routes):
        app.get('/files/{token}')(stored_file)  # the test runner keeps an endpoint only for its first test
    file = await keep(image('PNG'), 'image/png', 'png', 'Ava.png')
    link = links.link(file)
    response = await user.http_client.get(link)
    assert response.status_code == 200 and response.content == image('PNG')
    assert response.headers['content-type'] == 'image/png'
    assert response.headers['x-content-type-options'] == 'nosniff'
    ranged = await user.http_client.get(link, headers={'Range': 'bytes=0-7'})
    assert ranged.status_code == 206 and ranged.content == image('PNG')[:8]
