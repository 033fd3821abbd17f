"""Pictures as Kinroll keeps them: decoded with Pillow, turned upright, cropped and re-encoded as a new image,
so nothing of the original file (EXIF, the phone's location, comments, hidden payloads) is kept.

A tiny file can declare an enormous picture (an image bomb): the size is read from the header and refused
before anything is decoded. Decoding runs in a worker thread, a few at a time, never on the event loop.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from typing import TypeVar

import pillow_heif
from PIL import Image, ImageOps

from domain.errors import ValidationFailed
from domain.i18n import N_

pillow_heif.register_heif_opener()

MOST_PIXELS = 40_000_000  # a 48 MP phone's default output is 12 MP; more than this is no photo of a child
PHOTO_SIDE, THUMBNAIL_SIDE = 512, 128
T = TypeVar('T')
LOGO_HEIGHT, LOGO_WIDEST = 256, 1024
JPEG_QUALITY = 85
TOO_MANY_PIXELS = N_('This image is too large to use (more than 40 megapixels). Choose a smaller one.')
UNREADABLE = N_('This image could not be read. Try another one.')
# Each decode may take a few hundred MB, and takes a core while it runs: at most two at a time, and one core left
# for the event loop (on this 2-core machine two decodes at once made the loop up to 70 ms late: bench/sharing.py).
# They wait in a pool of their own, not in asyncio's default one, where stored files are read and written: a burst
# of uploads must not hold up every photo and file the process serves.
_decoder = ThreadPoolExecutor(max(1, min(2, (os.cpu_count() or 1) - 1)), thread_name_prefix='photo-decode')


async def decoded(work: Callable[[str, bytes], T], field: str, data: bytes) -> T:
    """Run one of the blocking decodes below in the decoders' own threads."""
    return await asyncio.get_running_loop().run_in_executor(_decoder, work, field, data)


@dataclass(frozen=True)
class SquarePhoto:
    image: bytes  # JPEG, PHOTO_SIDE square
    thumbnail: bytes  # JPEG, THUMBNAIL_SIDE square


def square_photo(field: str, data: bytes) -> SquarePhoto:
    """The photo upright, centre-cropped square, as a 512 px JPEG and a 128 px thumbnail (blocking: call it in
    a thread)."""
    with _opened(field, data) as picture:
        if picture.format == 'JPEG':  # decode at a fraction of the size when the file is far larger than needed
            picture.draft('RGB', (PHOTO_SIDE * 2, PHOTO_SIDE * 2))
        upright = _plain_rgb(field, picture)
    side = min(upright.size)
    left, top = (upright.width - side) // 2, (upright.height - side) // 2
    square = upright.crop((left, top, left + side, top + side))
    return SquarePhoto(_jpeg(square, PHOTO_SIDE), _jpeg(square, THUMBNAIL_SIDE))


def logo_png(field: str, data: bytes) -> bytes:
    """The logo as a PNG at most 256 px tall (and 1024 px wide), its transparency kept."""
    with _opened(field, data) as picture:
        try:
            upright = ImageOps.exif_transpose(picture).convert('RGBA')
        except (OSError, ValueError, SyntaxError) as broken:
            raise ValidationFailed({field: UNREADABLE}) from broken
    upright.thumbnail((LOGO_WIDEST, LOGO_HEIGHT), Image.Resampling.LANCZOS)
    clean = Image.new('RGBA', upright.size)  # a new image: no text chunks, no EXIF
    clean.paste(upright)
    out = BytesIO()
    clean.save(out, 'PNG', optimize=True)
    return out.getvalue()


class _opened:
    """Image.open with the picture's size checked from its header, before any decoding."""

    def __init__(self, field: str, data: bytes) -> None:
        self.field, self.data = field, data

    def __enter__(self) -> Image.Image:
        try:
            self.picture = Image.open(BytesIO(self.data))
        except Image.DecompressionBombError as bomb:
            raise ValidationFailed({self.field: TOO_MANY_PIXELS}) from bomb
        except (OSError, ValueError, SyntaxError) as broken:  # UnidentifiedImageError is an OSError
            raise ValidationFailed({self.field: UNREADABLE}) from broken
        width, height = self.picture.size
        if width * height > MOST_PIXELS or width < 1 or height < 1:
            self.picture.close()
            raise ValidationFailed({self.field: TOO_MANY_PIXELS})
        return self.picture

    def __exit__(self, *_exc: object) -> None:
        self.picture.close()


def _plain_rgb(field: str, picture: Image.Image) -> Image.Image:
    """Upright by its EXIF orientation, decoded, as RGB on white where it was transparent."""
    try:
        upright = ImageOps.exif_transpose(picture)
        if upright.mode in ('RGBA', 'LA', 'PA') or 'transparency' in upright.info:
            rgba = upright.convert('RGBA')
            white = Image.new('RGB', rgba.size, 'white')
            white.paste(rgba, mask=rgba.getchannel('A'))
            return white
        return upright.convert('RGB')
    except Image.DecompressionBombError as bomb:
        raise ValidationFailed({field: TOO_MANY_PIXELS}) from bomb
    except (OSError, ValueError, SyntaxError) as broken:  # a truncated or corrupt file
        raise ValidationFailed({field: UNREADABLE}) from broken


def _jpeg(square: Image.Image, side: int) -> bytes:
    resized = square.resize((side, side), Image.Resampling.LANCZOS)
    clean = Image.new('RGB', resized.size)  # a new image, carrying none of the original's metadata
    clean.paste(resized)
    out = BytesIO()
    clean.save(out, 'JPEG', quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
