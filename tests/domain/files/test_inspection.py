"""An upload is what its content says it is, whatever it is called; anything Kinroll does not share is refused
before a byte is stored, with a sentence beside the field."""

import zipfile
from io import BytesIO

import pytest

from domain.errors import ValidationFailed
from domain.files import inspection
from domain.files.inspection import (
    EMPTY,
    MB,
    NOT_A_PHOTO,
    NOT_ALLOWED,
    TOO_BIG,
    Detected,
    FileKind,
    check_photo,
    check_upload,
    detect,
)
from tests.domain.files.making import HTML, MP3, MP4, SVG, elf, image, pdf, windows_program


def zip_archive() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, 'w') as archive:
        archive.writestr('word/document.xml', '<w:document/>')
    return out.getvalue()


@pytest.mark.parametrize(
    ('data', 'found'),
    [
        (pdf(), Detected('application/pdf', FileKind.PDF, 'pdf')),
        (image('JPEG'), Detected('image/jpeg', FileKind.IMAGE, 'jpg')),
        (image('PNG'), Detected('image/png', FileKind.IMAGE, 'png')),
        (image('WEBP'), Detected('image/webp', FileKind.IMAGE, 'webp')),
        (image('HEIF'), Detected('image/heic', FileKind.IMAGE, 'heic')),
        (MP4, Detected('video/mp4', FileKind.VIDEO, 'mp4')),
        (MP3, Detected('audio/mpeg', FileKind.AUDIO, 'mp3')),
    ],
    ids=['pdf', 'jpeg', 'png', 'webp', 'heic', 'mp4', 'mp3'],
)
def test_a_file_is_known_by_its_content(data, found):
    assert detect(data) == found
    assert check_upload('file', data) == found


@pytest.mark.parametrize(
    'data', [elf(), windows_program(), HTML, SVG, zip_archive(), b'just some text'], ids=lambda d: repr(d[:6])
)
def test_programs_web_pages_and_archives_are_refused_whatever_they_are_called(data):
    assert detect(data) is None  # there is no name to go by: `setup.pdf` is refused like `setup.exe`
    with pytest.raises(ValidationFailed) as refused:
        check_upload('file', data)
    assert refused.value.errors == {'file': NOT_ALLOWED}


def test_a_pdf_named_like_a_photo_is_a_pdf_and_no_photo():
    named_jpg = pdf()  # `portrait.jpg`, but a PDF inside
    assert detect(named_jpg) == Detected('application/pdf', FileKind.PDF, 'pdf')
    with pytest.raises(ValidationFailed) as refused:
        check_photo('photo', named_jpg)
    assert refused.value.errors == {'photo': NOT_A_PHOTO}


def test_only_the_kinds_asked_for_are_taken():
    assert check_upload('image', image('PNG'), kinds=frozenset({FileKind.IMAGE})).kind == FileKind.IMAGE
    with pytest.raises(ValidationFailed) as refused:
        check_upload('image', pdf(), kinds=frozenset({FileKind.IMAGE}))
    assert refused.value.errors == {'image': NOT_ALLOWED}


@pytest.mark.parametrize('check', [check_upload, check_photo])
def test_an_empty_file_is_refused(check):
    with pytest.raises(ValidationFailed) as refused:
        check('file', b'')
    assert refused.value.errors == {'file': EMPTY}


def test_a_file_over_the_limit_is_refused_and_one_at_it_is_taken():
    at_limit = pdf() + b'\x00' * (50 * MB - len(pdf()))
    assert check_upload('file', at_limit).kind == FileKind.PDF
    with pytest.raises(ValidationFailed) as refused:
        check_upload('file', at_limit + b'\x00')
    assert refused.value.errors == {'file': TOO_BIG[50 * MB]}
    with pytest.raises(ValidationFailed) as refused:
        check_upload('file', image('PNG') + b'\x00' * (10 * MB), max_bytes=10 * MB)
    assert refused.value.errors == {'file': TOO_BIG[10 * MB]}


def test_a_limit_without_its_message_is_a_programming_error():
    with pytest.raises(ValueError, match='TOO_BIG'):
        check_upload('file', pdf(), max_bytes=20 * MB)


@pytest.mark.parametrize('kind', ['JPEG', 'PNG', 'WEBP', 'HEIF'])
def test_a_phone_photo_is_taken(kind):
    assert check_photo('photo', image(kind)).kind == FileKind.IMAGE


def test_a_12_mb_photo_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        check_photo('photo', image('JPEG') + b'\x00' * (12 * MB))
    assert refused.value.errors == {'photo': TOO_BIG[10 * MB]}


@pytest.mark.parametrize('data', [image('GIF'), MP4, elf(), HTML], ids=['gif', 'mp4', 'elf', 'html'])
def test_what_is_not_a_phone_photo_is_refused_as_a_photo(data):
    with pytest.raises(ValidationFailed) as refused:
        check_photo('photo', data)
    assert refused.value.errors == {'photo': NOT_A_PHOTO}


class Posted:
    """An upload that says how big it is; reading it is recorded."""

    def __init__(self, size: int) -> None:
        self._size, self.read_called = size, False

    def size(self) -> int:
        return self._size

    async def read(self) -> bytes:
        self.read_called = True
        return b'%PDF-1.4'


async def test_an_upload_over_the_limit_is_refused_before_it_is_read():
    huge = Posted(3 * 1024 * MB)
    with pytest.raises(ValidationFailed) as refused:
        await inspection.read_within('photo', huge, 10 * MB)
    assert refused.value.errors == {'photo': inspection.TOO_BIG[10 * MB]} and not huge.read_called
    small = Posted(8)
    assert await inspection.read_within('photo', small, 10 * MB) == b'%PDF-1.4' and small.read_called
