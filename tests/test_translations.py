"""Every message in the code has a Spanish and a Chinese translation, and the catalogs compile."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ('domain', 'pages', 'components')


def messages_in_code() -> set[str]:
    found = set()
    for folder in SOURCES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[('**.py', 'python')], keywords={'_': None, 'N_': None}
        ):
            found.add(message)
    return found


@pytest.mark.parametrize('language', ['es', 'zh_Hans'])
def test_every_message_is_translated(language):
    with open(ROOT / 'locales' / language / 'LC_MESSAGES' / 'messages.po', 'rb') as catalog_file:
        catalog = read_po(catalog_file, locale=language)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(messages_in_code() - translated)
    assert not missing, f'{language} lacks translations (run `make extract`, then translate): {missing}'


@pytest.mark.parametrize('language', ['es', 'zh_Hans'])
def test_translations_keep_their_placeholders(language):
    with open(ROOT / 'locales' / language / 'LC_MESSAGES' / 'messages.po', 'rb') as catalog_file:
        catalog = read_po(catalog_file, locale=language)
    for message in catalog:
        if message.id and '{' in message.id:
            assert set(_placeholders(message.id)) == set(_placeholders(message.string)), message.id


def _placeholders(text: str) -> list[str]:
    import string

    return [field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field]


def test_compiled_catalogs_are_used():
    from domain import i18n

    assert i18n.gettext('es', 'Balance due') == 'Saldo pendiente'
    assert i18n.gettext('zh_Hans', 'Balance due') == '应付余额'
    assert i18n.gettext('en', 'Balance due') == 'Balance due'
