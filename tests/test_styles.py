"""Every utility class the pages use is written out in components/setup/styles.py (Tailwind's compiler is off)."""

import ast
from pathlib import Path

import pytest

from components.setup import icons, styles

ROOT = Path(__file__).resolve().parents[1]


def classes_used() -> dict[str, set[str]]:
    """Each class named in a `.classes(...)` call, with the files that use it."""
    used: dict[str, set[str]] = {}
    for path in [*ROOT.glob('pages/**/*.py'), *ROOT.glob('components/**/*.py'), ROOT / 'main.py']:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != 'classes':
                continue
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                for part in ast.walk(argument):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        for name in part.value.split():
                            used.setdefault(name, set()).add(path.name)
    return used


def test_the_pages_use_classes_and_the_scan_finds_them():
    used = classes_used()
    assert {'w-full', 'kr-tile', 'items-center', 'text-gray-700'} <= set(used)


def test_every_class_the_pages_use_has_a_rule():
    known = set(styles.UTILITIES) | styles.OWN_CLASSES | styles.QUASAR_CLASSES
    missing = {name: sorted(files) for name, files in classes_used().items() if name not in known}
    assert not missing, f'classes with no rule in components/setup/styles.py: {missing}'


def test_the_stylesheet_puts_utilities_above_niceguis_own_layer():
    assert '@layer utilities' in styles.HEAD_HTML
    assert '.items-center { align-items: center; }' in styles.HEAD_HTML


def icons_used() -> dict[str, set[str]]:
    """Each icon name given as `icon='…'` or as `ui.icon('…')`'s first argument, with the files that use it."""
    used: dict[str, set[str]] = {}
    for path in [*ROOT.glob('pages/**/*.py'), *ROOT.glob('components/**/*.py')]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            named = [k.value for k in node.keywords if k.arg == 'icon']
            if isinstance(node.func, ast.Attribute) and node.func.attr == 'icon' and node.args:
                named.append(node.args[0])
            for value in named:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    used.setdefault(value.value, set()).add(path.name)
    return used


def test_every_icon_the_pages_use_is_drawn_from_a_path_not_the_font():
    used = icons_used()
    assert {'translate', 'logout', 'child_care', 'payments'} <= set(used)  # the scan sees the header and tiles
    missing = {name: sorted(files) for name, files in used.items() if name not in icons.PATHS}
    assert not missing, f'icons with no SVG path in components/setup/icons.py: {missing}'
    assert set(icons.PATHS) >= icons.QUASAR_NAMES


def test_the_icon_map_is_handed_to_quasar_once():
    from nicegui import app

    before = app.config.vue_config_script
    try:
        icons.install()
        icons.install()
        assert app.config.vue_config_script.count('vue_config.iconMapFn') == 1
        assert app.config.vue_config_script.index('iconMapFn') < app.config.vue_config_script.index('app.use(Quasar')
    finally:
        app.config.vue_config_script = before


def test_a_server_drawn_icon_names_a_symbol_of_the_sprite_which_keeps_each_paths_style_and_transform():
    drawn = icons.svg('gavel')  # several rotated rectangles
    assert drawn == f'<svg viewBox="0 0 24 24" focusable="false"><use href="{icons.SPRITE_URL}#gavel"/></svg>'
    symbol = icons.SPRITE.split('<symbol id="gavel" viewBox="0 0 24 24">')[1].split('</symbol>')[0]
    assert symbol.count('<path ') == icons.PATHS['gavel'].count('&&') + 1
    assert 'transform="matrix(' in symbol and '@@' not in symbol
    assert 'style="fill:none;"' in symbol  # the invisible bounding box stays invisible
    assert icons.SPRITE.count('<symbol ') == len(icons.PATHS)
    with pytest.raises(KeyError):
        icons.svg('no_such_icon')
