"""The reader's language: chosen on the page, remembered for the browser and for the signed-in contact."""

from __future__ import annotations

import datetime as dt
from copy import copy
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time
from nicegui import app, context

from domain import i18n
from domain.studio import settings

LANGUAGE_KEY = 'lang'


def current_language() -> str:
    try:
        chosen = app.storage.user.get(LANGUAGE_KEY)
    except RuntimeError:  # outside any request: background work speaks the studio's language
        chosen = None
    return i18n.normalize_language(chosen, settings.current().default_language)


def _(message: str) -> str:
    """Translate a message into the reader's language."""
    return i18n.gettext(current_language(), message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message whose words follow a count ('1 session ended', '2 sessions ended')."""
    return i18n.ngettext(current_language(), singular, plural, count)


def remember_language(language: str) -> None:
    app.storage.user[LANGUAGE_KEY] = i18n.normalize_language(language)


def adopt_browser_language() -> None:
    """On a first visit, speak the browser's language if the portal has it."""
    if LANGUAGE_KEY not in app.storage.user:
        header = context.client.request.headers.get('accept-language', '')
        remember_language(i18n.best_language(header, settings.current().default_language))
    client = context.client
    client.page = copy(client.page)  # this client's own copy: the lang attribute differs per reader
    client.page.language = i18n.HTML_LANG[current_language()]


def money(amount) -> str:
    studio = settings.current()
    return i18n.format_money(amount, studio.currency, current_language(), studio.phone_region)


def day(value: dt.date | dt.datetime | None) -> str:
    """A calendar date; a moment is first moved into the studio's time zone."""
    if value is None:
        return ''
    if isinstance(value, dt.datetime):
        value = value.astimezone(ZoneInfo(settings.current().timezone)).date()
    return i18n.format_day(value, current_language(), settings.current().phone_region)


def moment(value) -> str:
    studio = settings.current()
    return i18n.format_moment(value, studio.timezone, current_language(), studio.phone_region)


def reader_locale():
    """Babel's locale for the reader: their language, with the studio country's formats."""
    return i18n.reader_locale(current_language(), settings.current().phone_region)


def weekday_day(value: dt.date) -> str:
    """ "Mon, Dec 7", "lun, 7 dic", "12月7日周一": the weekday is what a parent plans the week by."""
    return format_skeleton('MMMEd', value, locale=reader_locale())


def time_of_day(value: dt.time) -> str:
    """ "5:00 PM", "17:00": a time on the studio's clock, as the reader writes it."""
    return format_time(value, 'short', locale=reader_locale())


def month_of(value: dt.date) -> str:
    """ "December 2026", "diciembre de 2026", "2026年12月"."""
    return format_skeleton('yMMMM', value, locale=reader_locale())
