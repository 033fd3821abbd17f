"""Small real files for the file tests, made the way an app or a phone would make them."""

import io
import sys
from pathlib import Path

import setuptools
from fpdf import FPDF
from PIL import Image


def pdf(text: str = 'Recital rehearsal schedule') -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font('helvetica', size=12)
    document.cell(text=text)
    return bytes(document.output())


def image(kind: str, size: tuple[int, int] = (16, 16)) -> bytes:
    if kind == 'HEIF':
        import pillow_heif

        pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new('RGB', size, 'teal').save(out, kind)
    return out.getvalue()


def elf() -> bytes:
    """The Python interpreter running the tests (an ELF program on Linux)."""
    return Path(sys.executable).resolve().read_bytes()[:65536]


def windows_program() -> bytes:
    """A real Windows program (PE): the launcher setuptools ships."""
    return (Path(setuptools.__file__).parent / 'cli-64.exe').read_bytes()


HTML = b'<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'
MP4 = b'\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom' + b'\x00' * 64
MP3 = b'ID3\x04\x00\x00\x00\x00\x00\x00' + b'\x00' * 64
