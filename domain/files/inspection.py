"""What a file is, found from its first bytes (the `filetype` library), never from its name.

A PDF renamed `.jpg` is a PDF; an executable renamed `.pdf` is an executable and is refused, whatever it is
called. An upload is checked before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import filetype

from domain.errors import ValidationFailed
from domain.i18n import N_

MB = 1024 * 1024
TOO_BIG = {
    10 * MB: N_('This file is larger than 10 MB. Choose a smaller one.'),
    50 * MB: N_('This file is larger than 50 MB. Choose a smaller one.'),
}
EMPTY = N_('This file is empty.')
NOT_ALLOWED = N_('This kind of file cannot be shared here. Use a PDF, an image, an audio or a video file.')
NOT_A_PHOTO = N_('This is not a photo Kinroll can use. Use a JPEG, PNG, WebP or HEIC image.')


class FileKind(StrEnum):
    PDF = 'pdf'
    IMAGE = 'image'
    AUDIO = 'audio'
    VIDEO = 'video'


# What may be shared, by the content type `filetype` finds, with the extension a download is given.
_KNOWN: dict[str, tuple[FileKind, str]] = {
    'application/pdf': (FileKind.PDF, 'pdf'),
    'image/jpeg': (FileKind.IMAGE, 'jpg'),
    'image/png': (FileKind.IMAGE, 'png'),
    'image/webp': (FileKind.IMAGE, 'webp'),
    'image/gif': (FileKind.IMAGE, 'gif'),
    'image/heic': (FileKind.IMAGE, 'heic'),
    'audio/mpeg': (FileKind.AUDIO, 'mp3'),
    'audio/mp4': (FileKind.AUDIO, 'm4a'),
    'audio/ogg': (FileKind.AUDIO, 'ogg'),
    'audio/x-wav': (FileKind.AUDIO, 'wav'),
    'audio/aac': (FileKind.AUDIO, 'aac'),
    'video/mp4': (FileKind.VIDEO, 'mp4'),
    'video/x-m4v': (FileKind.VIDEO, 'm4v'),
    'video/quicktime': (FileKind.VIDEO, 'mov'),
    'video/webm': (FileKind.VIDEO, 'webm'),
}
PHOTO_TYPES = frozenset({'image/jpeg', 'image/png', 'image/webp', 'image/heic'})


@dataclass(frozen=True)
class Detected:
    content_type: str
    kind: FileKind
    extension: str


def detect(data: bytes) -> Detected | None:
    """The file's type from its content, if it is one Kinroll shares; None for anything else."""
    guess = filetype.guess(data[:8192])
    if guess is None or guess.mime not in _KNOWN:
        return None
    kind, extension = _KNOWN[guess.mime]
    return Detected(guess.mime, kind, extension)


def check_upload(
    field: str, data: bytes, *, max_bytes: int = 50 * MB, kinds: frozenset[FileKind] = frozenset(FileKind)
) -> Detected:
    """The upload's type, or ValidationFailed beside `field`: empty, too big, or not of an allowed kind."""
    if max_bytes not in TOO_BIG:  # a programming error, found by the first test rather than the first big file
        raise ValueError(f'no message for a limit of {max_bytes} bytes: add one to TOO_BIG')
    if not data:
        raise ValidationFailed({field: EMPTY})
    if len(data) > max_bytes:
        raise ValidationFailed({field: TOO_BIG[max_bytes]})
    found = detect(data)
    if found is None or found.kind not in kinds:
        raise ValidationFailed({field: NOT_ALLOWED})
    return found


def check_photo(field: str, data: bytes) -> Detected:
    """A photo upload: JPEG, PNG, WebP or HEIC by content, at most 10 MB."""
    if not data:
        raise ValidationFailed({field: EMPTY})
    if len(data) > 10 * MB:
        raise ValidationFailed({field: TOO_BIG[10 * MB]})
    found = detect(data)
    if found is None or found.content_type not in PHOTO_TYPES:
        raise ValidationFailed({field: NOT_A_PHOTO})
    return found


class Incoming(Protocol):
    """An upload as the web server received it (spooled to disk when large): its size known before it is read."""

    def size(self) -> int: ...

    async def read(self) -> bytes: ...


async def read_within(field: str, upload: Incoming, max_bytes: int) -> bytes:
    """The upload's bytes, or ValidationFailed beside `field` without reading them when it is larger than the
    limit: a browser's own limit is only a courtesy, anyone can post gigabytes to an upload address."""
    if upload.size() > max_bytes:
        raise ValidationFailed({field: TOO_BIG[max_bytes]})
    return await upload.read()
