"""Pictures to upload, made with Pillow as a phone would write them."""

from __future__ import annotations

import functools
from io import BytesIO

from PIL import Image


def jpeg(width: int = 800, height: int = 600, *, gps: bool = False, orientation: int | None = None) -> bytes:
    picture = Image.new('RGB', (width, height), (200, 40, 40))
    picture.paste((20, 20, 200), (0, 0, width // 2, height))  # left half blue, to see the crop and rotation
    exif = Image.Exif()
    exif[0x010F] = 'PhoneMaker'  # Make
    exif[0x9286] = 'secret comment'  # UserComment
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: 'N', 2: (45.0, 30.0, 15.0), 3: 'W', 4: (73.0, 34.0, 10.0)}  # GPSInfo
    out = BytesIO()
    picture.save(out, 'JPEG', exif=exif.tobytes())
    return out.getvalue()


def png(width: int = 300, height: int = 300, mode: str = 'RGBA') -> bytes:
    out = BytesIO()
    Image.new(mode, (width, height)).save(out, 'PNG')
    return out.getvalue()


@functools.cache
def bomb() -> bytes:
    """A few kilobytes that declare 30000 × 30000 pixels (900 megapixels)."""
    out = BytesIO()
    Image.new('1', (30000, 30000)).save(out, 'PNG')
    return out.getvalue()


def heic() -> bytes | None:
    """A HEIC photo, when this machine's pillow_heif can write one."""
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
        out = BytesIO()
        Image.new('RGB', (640, 480), 'green').save(out, 'HEIF')
        return out.getvalue()
    except Exception:
        return None
