"""Catalogs and locale-aware formatting for the three portal languages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton as babel_format_skeleton
from babel.dates import format_time as babel_format_time
from babel.numbers import format_currency, get_currency_precision
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


# Money, dates and times are written for the reader's language as it is written in the studio's country: a
# Spanish reader in a US studio reads "$149.50" and "1 dic 2026", as es_US writes them, where Spanish alone
# (Spain's) would write "149,50 US$" and a US reader would take "1/12/26" for 12 January. Dates carry the month as
# a word, so no reader can take one for another. `country` is the studio's (the region of its phone numbers,
# PORTAL_PHONE_REGION) unless a caller names one.


@cache
def reader_locale(language: str, country: str) -> Locale:
    """The reader's language in the studio's country (es_US), or the language alone where Babel has no such
    combination (zh_Hans_US)."""
    try:
        return Locale.parse(f'{language}_{country.upper()}')
    except (UnknownLocaleError, ValueError):
        return Locale.parse(language)


def _studio_country() -> str:
    from domain.studio import settings  # here, not at the top: the settings module marks its messages with N_

    return settings.current().phone_region


def _locale(language: str, country: str | None) -> Locale:
    return reader_locale(language, country or _studio_country())


def format_money(amount: Decimal, currency: str, language: str, country: str | None = None) -> str:
    return format_currency(amount, currency, locale=_locale(language, country))


def format_day(day: dt.date, language: str, country: str | None = None) -> str:
    """A date with its month as a word: "Dec 1, 2026", "1 dic 2026", "2026年12月1日"."""
    return babel_format_date(day, 'medium', locale=_locale(language, country))


def format_moment(moment: dt.datetime, timezone: str, language: str, country: str | None = None) -> str:
    """A moment at the studio: its date as `format_day` writes it, and the time to the minute."""
    locale = _locale(language, country)
    zone = ZoneInfo(timezone)
    return str(locale.datetime_formats['medium']).format(
        babel_format_time(moment, 'short', tzinfo=zone, locale=locale),
        babel_format_date(moment.astimezone(zone).date(), 'medium', locale=locale),
    )


def format_opening(moment: dt.datetime, timezone: str, language: str, country: str | None = None) -> str:
    """When something opens, with its weekday: "Mon, Feb 3, 9:00 AM", "lun, 3 feb, 9:00", "2月3日周一 上午9:00"."""
    locale = _locale(language, country)
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    return str(locale.datetime_formats['medium']).format(
        babel_format_time(local, 'short', tzinfo=zone, locale=locale),
        babel_format_skeleton('MMMEd', local, locale=locale),
    )


def minor_units(currency: str) -> int:
    """How many decimals a currency's amounts have (2 for USD, 0 for JPY, 3 for BHD), as ISO 4217 says."""
    return get_currency_precision(currency)
