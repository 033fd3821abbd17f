"""Every message in the code has a Spanish and a Chinese translation, and the catalogs compile."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ('domain', 'pages', 'components')


def messages_in_code() -> set[str | tuple[str, str]]:
    """Every msgid: a string, or (singular, plural) for a message whose words follow a count."""
    found = set()
    for folder in SOURCES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[('**.py', 'python')], keywords={'_': None, 'N_': None, 'ngettext': (1, 2)}
        ):
            found.add(message)
    return found


def _complete(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


@pytest.mark.parametrize('language', ['es', 'zh_Hans'])
def test_every_message_is_translated(language):
    with open(ROOT / 'locales' / language / 'LC_MESSAGES' / 'messages.po', 'rb') as catalog_file:
        catalog = read_po(catalog_file, locale=language)
    translated = {m.id for m in catalog if m.id and _complete(m.string) and not m.fuzzy}
    missing = sorted(messages_in_code() - translated)
    assert not missing, f'{language} lacks translations (run `make extract`, then translate): {missing}'


@pytest.mark.parametrize('language', ['es', 'zh_Hans'])
def test_translations_keep_their_placeholders(language):
    with open(ROOT / 'locales' / language / 'LC_MESSAGES' / 'messages.po', 'rb') as catalog_file:
        catalog = read_po(catalog_file, locale=language)
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and '{' in ids[-1]:
            for string in strings:
                assert set(_placeholders(ids[-1])) == set(_placeholders(string)), message.id


def _placeholders(text: str) -> list[str]:
    import string

    return [field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field]


def test_compiled_catalogs_are_used():
    from domain import i18n

    assert i18n.gettext('es', 'Balance due') == 'Saldo pendiente'
    assert i18n.gettext('zh_Hans', 'Balance due') == '应付余额'
    assert i18n.gettext('en', 'Balance due') == 'Balance due'


def test_no_message_is_hidden_inside_an_f_string():
    """Extraction never looks inside an f-string (Python 3.11 reads one as a single string token): a message
    called there would be shown in English to everyone."""
    import io
    import re
    import tokenize

    call = re.compile(r"""\b(?:_|N_|ngettext)\(\s*['"]""")
    hidden = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob('*.py')):
            tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding='utf-8')).readline)
            for token in tokens:
                is_f_string = token.type == tokenize.STRING and token.string.lstrip('rbRB').startswith(('f', 'F'))
                if is_f_string and call.search(token.string):
                    hidden.append(f'{path.relative_to(ROOT)}:{token.start[0]}')
    assert not hidden, f'messages inside f-strings, never extracted: {hidden}'
