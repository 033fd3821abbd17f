"""How the classes screens name what the catalogue stores: statuses, bases, rules, weekdays, times, ages."""

from __future__ import annotations

import datetime as dt
from html import escape

import markdown2
from babel.dates import get_day_names

from components.i18n import _, money, ngettext, reader_locale, time_of_day
from domain.classes import ages, seats
from domain.classes.events import OccurrenceLine
from domain.classes.rosters import Phone
from domain.classes.tuition import Price
from domain.i18n import N_
from domain.models import AgeTakenAt, CourseStatus, GenderRule, MeetingPattern, TuitionBasis
from domain.validation import display_phone

STATUS_NAMES = {
    CourseStatus.DRAFT: N_('Draft'),
    CourseStatus.FUTURE: N_('Future'),
    CourseStatus.ACTIVE: N_('Active'),
    CourseStatus.CLOSED: N_('Closed'),
    CourseStatus.ARCHIVED: N_('Archived'),
}
BASIS_NAMES = {
    TuitionBasis.PER_MONTH: N_('Per month'),
    TuitionBasis.PER_TERM: N_('Per session'),
    TuitionBasis.PER_MEETING: N_('Per meeting'),
}
GENDER_RULE_NAMES = {
    GenderRule.ANY: N_('Anyone'),
    GenderRule.FEMALE: N_('Girls only'),
    GenderRule.MALE: N_('Boys only'),
}
AGE_TAKEN_AT_NAMES = {
    AgeTakenAt.FIRST_MEETING: N_('At the first meeting'),
    AgeTakenAt.TERM_START: N_('When the session starts'),
    AgeTakenAt.FIXED_DATE: N_('On a date of your choice'),
}


def options(names: dict) -> dict[str, str]:
    """Select options from one of the name tables above, in the reader's language."""
    return {member.value: _(name) for member, name in names.items()}


def weekday_names() -> list[str]:
    """Monday first, abbreviated in the reader's language: Mon … Sun, lun … dom, 周一 … 周日."""
    names = get_day_names('abbreviated', locale=reader_locale())
    return [names[number] for number in range(7)]


def time_text(time: dt.time) -> str:
    return time_of_day(time)


def schedule_text(patterns: list[MeetingPattern]) -> str:
    """Mon, Wed 5:00 PM–6:00 PM; Sat 9:30 AM–10:15 AM"""
    days = weekday_names()
    return '; '.join(
        '{days} {start}–{end}'.format(
            days=', '.join(days[number] for number in sorted(pattern.weekdays)),
            start=time_text(pattern.start_time),
            end=time_text(pattern.end_time),
        )
        for pattern in patterns
    )


def age_text(age: tuple[int, int] | None) -> str:
    """7 years 8 months; 6 years; 11 months."""
    if age is None:
        return '—'
    years, months = age
    parts = []
    if years:
        parts.append(ngettext('{count} year', '{count} years', years).format(count=years))
    if months or not years:
        parts.append(ngettext('{count} month', '{count} months', months).format(count=months))
    return ' '.join(parts)


def phone_rows(phones: list[Phone]) -> list[dict]:
    """A roster row's phones for its table cell: whose, the number to dial, and the number as it is read."""
    return [
        {
            'contact': _('{contact} (primary)').format(contact=phone.contact) if phone.primary else phone.contact,
            'number': phone.mobile,
            'shown': display_phone(phone.mobile),
        }
        for phone in phones
    ]


def ages_label(youngest: int | None, oldest: int | None, language: str) -> str:
    """ "Ages 5–7", "All ages": a class's or an event's limits as a card says them."""
    if youngest is None and oldest is None:
        return _('All ages')
    return _('Ages {ages}').format(ages=ages.ages_text(youngest, oldest, language))


def place_text(line: OccurrenceLine) -> str:
    """An event date's place: "Adams Street · Studio A"."""
    return line.location.name + (f' · {line.room.name}' if line.room else '')


def hours_text(line: OccurrenceLine) -> str:
    """An event date's hours: "10:00 AM–12:00 PM"."""
    return f'{time_text(line.occurrence.start_time)}–{time_text(line.occurrence.end_time)}'


PRICE_PER = {
    TuitionBasis.PER_MONTH: N_('{amount} a month'),
    TuitionBasis.PER_TERM: N_('{amount} for the session'),
    TuitionBasis.PER_MEETING: N_('{amount} a class'),
}


def price_text(price: Price) -> str:
    """ "$65.00 a month", "$120.00 for the session", "$18.00 a class"."""
    return _(PRICE_PER[price.basis]).format(amount=money(price.tuition))


def about_html(summary: str, description: str) -> str:
    """A class's or an event's staff-written Markdown, folded under its summary; HTML typed into it is escaped."""
    if not description.strip():
        return ''
    about = markdown2.markdown(description, safe_mode='escape')
    return f'<details><summary>{escape(summary)}</summary>{about}</details>'


OPENINGS_SAID = {'full': N_('Full'), 'few': N_('Few places left'), 'open': N_('Open')}


def openings_text(openings: int) -> str:
    """A class's or an event date's places left, as the studio chose to show them: "4 places left", or Open, Few
    places left, Full."""
    word = seats.shown_as(openings)
    if word in OPENINGS_SAID:
        return _(OPENINGS_SAID[word])
    return ngettext('{count} place left', '{count} places left', openings).format(count=openings)
