"""Children's ages as the studio speaks of them: in whole months lived, limits typed in years (and months), and
"ages 5–7" meaning from the fifth birthday until the eighth. Classes and events read ages through here."""

from __future__ import annotations

import datetime as dt

from domain import i18n
from domain.i18n import N_

AGES_BETWEEN = N_('{youngest}–{oldest}')
AGES_FROM = N_('{youngest} and up')
AGES_UP_TO = N_('up to {oldest}')
ALL_AGES = N_('all ages')
YEARS_AND_MONTHS = N_('{years} years {months} months')
# An age in whole years inside a sentence: "Ava is 11" in English, "Ava tiene 11 años" in Spanish.
YEARS_SAID = N_('{years}')


def age_in_months(birthdate: dt.date, on: dt.date) -> int:
    """Whole months lived by `on`: a child born on 31 January is a month old on the last day of February."""
    months = (on.year - birthdate.year) * 12 + on.month - birthdate.month
    if on.day < birthdate.day and not _last_day_of_month(on):
        months -= 1
    return months


def _last_day_of_month(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def within_ages(months: int, youngest: int | None, oldest: int | None) -> bool:
    """Whether an age fits limits kept in months (None: no limit). An oldest limit of whole years takes a child
    until their next birthday ("up to 7" welcomes a 7½-year-old); one typed with months ends with that month."""
    if youngest is not None and months < youngest:
        return False
    return oldest is None or months <= oldest + (11 if oldest % 12 == 0 else 0)


def whole_years(*limits: int | None) -> bool:
    """Whether every limit given is whole years: then ages are written, and compared, in years alone."""
    return all(limit is None or limit % 12 == 0 for limit in limits)


def age_said(months: int, language: str, *, whole: bool = True) -> str:
    """An age as a sentence says it, with the unit the reader's language needs: '11', '11 años', '11岁'."""
    years, extra = divmod(months, 12)
    if whole or not extra:
        return i18n.gettext(language, YEARS_SAID).format(years=years)
    return i18n.gettext(language, YEARS_AND_MONTHS).format(years=years, months=extra)


def age_text(months: int, language: str, *, whole: bool = True) -> str:
    """An age in the reader's language: '7' when `whole` (or when it is whole years), else '7 years 6 months'."""
    years, extra = divmod(months, 12)
    if whole or not extra:
        return str(years)
    return i18n.gettext(language, YEARS_AND_MONTHS).format(years=years, months=extra)


def ages_text(youngest: int | None, oldest: int | None, language: str = 'en') -> str:
    """The ages limits allow, in the reader's language: '5–7', '3 years 6 months–5', '5 and up',
    'up to 7', 'all ages'."""
    whole = whole_years(youngest, oldest)
    if youngest is not None and oldest is not None:
        message = AGES_BETWEEN
    elif youngest is not None:
        message = AGES_FROM
    elif oldest is not None:
        message = AGES_UP_TO
    else:
        return i18n.gettext(language, ALL_AGES)
    written = {
        name: age_text(limit, language, whole=whole)
        for name, limit in (('youngest', youngest), ('oldest', oldest))
        if limit is not None
    }
    return i18n.gettext(language, message).format(**written)
