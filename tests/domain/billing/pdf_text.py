"""The text of a PDF as fpdf2 writes it, line by line, for tests to read what a reader would see.

fpdf2 writes text in embedded, subset TrueType fonts: each string is two-byte glyph ids, which each font's
ToUnicode map turns back into characters. Each BT … ET block (a cell) with text becomes one line.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb'(\d+) 0 obj(.*?)endobj', re.S)
_STREAM = re.compile(rb'stream\r?\n(.*?)\r?\nendstream', re.S)
_TOKEN = re.compile(rb'/(F\d+)\s+[\d.]+\s+Tf|\((?:\\.|[^\\)])*\)\s*Tj|\bBT\b|\bET\b', re.S)
_ESCAPES = {b'n': b'\n', b'r': b'\r', b't': b'\t', b'b': b'\b', b'f': b'\f'}


def pdf_lines(pdf: bytes) -> list[str]:
    objects = {int(number): body for number, body in _OBJECT.findall(pdf)}
    maps = {
        name.decode(): _unicode_map(
            _stream(objects[int(re.search(rb'/ToUnicode (\d+) 0 R', objects[int(ref)]).group(1))])
        )
        for name, ref in re.findall(rb'/(F\d+) (\d+) 0 R', pdf)
        if b'/ToUnicode' in objects[int(ref)]
    }
    lines: list[str] = []
    for body in objects.values():
        content = _stream(body)
        if b'BT' not in content or b'Tj' not in content:
            continue
        font, line = '', []
        for token in _TOKEN.finditer(content):
            text = token.group(0)
            if token.group(1):
                font = token.group(1).decode()
            elif text == b'BT':
                line = []
            elif text == b'ET':
                if line:
                    lines.append(''.join(line))
            else:
                raw = _literal(text[1 : text.rindex(b')')])
                line.extend(maps[font].get(int.from_bytes(raw[i : i + 2]), '?') for i in range(0, len(raw), 2))
    return lines


def _stream(body: bytes) -> bytes:
    found = _STREAM.search(body)
    if not found:
        return b''
    try:
        return zlib.decompress(found.group(1))
    except zlib.error:
        return found.group(1)


def _unicode_map(cmap: bytes) -> dict[int, str]:
    mapping = {}
    for section in re.findall(rb'beginbfchar(.*?)endbfchar', cmap, re.S):
        for source, target in re.findall(rb'<([0-9A-Fa-f]+)>[ \t]*<([0-9A-Fa-f]+)>', section):
            mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode('utf-16-be')
    for section in re.findall(rb'beginbfrange(.*?)endbfrange', cmap, re.S):
        for first, last, target in re.findall(
            rb'<([0-9A-Fa-f]+)>[ \t]*<([0-9A-Fa-f]+)>[ \t]*<([0-9A-Fa-f]+)>', section
        ):
            for offset in range(int(last, 16) - int(first, 16) + 1):
                mapping[int(first, 16) + offset] = chr(int(target, 16) + offset)
    return mapping


def _literal(escaped: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(escaped):
        byte = escaped[i : i + 1]
        if byte != b'\\':
            out += byte
            i += 1
            continue
        following = escaped[i + 1 : i + 2]
        octal = re.match(rb'[0-7]{1,3}', escaped[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(following, following)
            i += 2
    return bytes(out)
