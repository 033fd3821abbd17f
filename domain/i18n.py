"""Catalogs and locale-aware formatting for the three portal languages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_currency
from babel.support import NullTranslations, Translations

from domain.config import SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent.parent / 'locales'
DOMAIN = 'messages'
LANGUAGE_NAMES = {'en': 'English', 'es': 'Español', 'zh_Hans': '简体中文'}
HTML_LANG = {'en': 'en-US', 'es': 'es', 'zh_Hans': 'zh-CN'}  # Quasar's language packs, which set <html lang>


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is shown."""
    return message


def normalize_language(language: str | None, default: str = 'en') -> str:
    return language if language in SUPPORTED_LANGUAGES else default


def best_language(accept_language: str, default: str) -> str:
    """The first supported language of a browser's Accept-Language header."""
    for part in accept_language.split(','):
        tag = part.split(';', 1)[0].strip().replace('-', '_')
        if not tag:
            continue
        try:
            locale = Locale.parse(tag)
        except (ValueError, TypeError):
            continue
        if locale.language == 'zh':
            return 'zh_Hans'
        if locale.language in SUPPORTED_LANGUAGES:
            return locale.language
    return default


@cache
def translations(language: str) -> NullTranslations:
    if language == 'en':
        return NullTranslations()
    return Translations.load(str(LOCALES_DIR), [language], DOMAIN)


def gettext(language: str, message: str) -> str:
    return translations(language).gettext(message)


def ngettext(language: str, singular: str, plural: str, count: int) -> str:
    """The form of a message for this count in this language: Spanish has two, Chinese one."""
    return translations(language).ngettext(singular, plural, count)


def format_money(amount: Decimal, currency: str, language: str) -> str:
    return format_currency(amount, currency, locale=language)


def format_day(day: dt.date, language: str) -> str:
    return babel_format_date(day, 'medium', locale=language)


def format_moment(moment: dt.datetime, timezone: str, language: str) -> str:
    return babel_format_datetime(moment, 'short', tzinfo=ZoneInfo(timezone), locale=language)
