"""No `.props()` string is built from data: a value goes into the element's props dictionary instead.

A props string is parsed like HTML attributes: a quote in the value ends the attribute, and whatever follows
becomes props of its own; one written `:name="…"` is evaluated by the browser as JavaScript. So a title an
administrator typed, put into `.props(f'aria-label="{title}"')`, can run script on every page that shows it.
Only a constant string may be handed to `.props()`; anything computed goes in as `element.props['name'] = value`.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ('pages', 'components')


def _is_constant_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def built_props_strings(source: str) -> list[tuple[int, str]]:
    """(line, code) of each `.props(…)` call in `source` whose arguments are not all constant strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'props'):
            continue
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        if all(_is_constant_text(argument) for argument in arguments):
            continue  # `.props('flat dense')`, and `.props()` with nothing at all
        shown = [ast.get_source_segment(source, argument) or ast.unparse(argument) for argument in node.args]
        shown += [f'{k.arg}={ast.get_source_segment(source, k.value) or ast.unparse(k.value)}' for k in node.keywords]
        found.append((node.lineno, '.props(' + ', '.join(shown) + ')'))
    return sorted(found)


def offenders() -> list[str]:
    lines = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob('*.py')):
            for line, code in built_props_strings(path.read_text()):
                lines.append(f'{path.relative_to(ROOT)}:{line}: ' + ' '.join(code.split()))
    return lines


def test_the_scan_finds_a_props_string_built_from_data():
    source = """
title = 'x'
ui.label('a').props(f'aria-label="{title}"')
ui.label('b').props('flat ' + title)
ui.label('c').props('flat {}'.format(title))
ui.label('d').props(title)
ui.label('e').props(remove=title)
ui.label('f').props('flat dense')
ui.label('g').props(remove='dense')
ui.label('h').props()
ui.label('i').props['aria-label'] = title
"""
    assert [line for line, _code in built_props_strings(source)] == [3, 4, 5, 6, 7]


def test_the_scan_reads_every_page_and_component():
    scanned = {path.relative_to(ROOT).as_posix() for folder in SCANNED for path in (ROOT / folder).rglob('*.py')}
    assert {'pages/portal/policies.py', 'pages/staff/registration.py', 'components/consent.py'} <= scanned


def test_no_props_string_is_built_from_data():
    found = offenders()
    if found:
        pytest.fail(
            f'{len(found)} .props() string(s) built from a value, where a quote ends the attribute and a :-prop '
            "runs as JavaScript; set such a value with element.props['name'] = value instead:\n  " + '\n  '.join(found),
            pytrace=False,
        )
