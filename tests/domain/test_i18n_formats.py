"""Money, dates and times for the reader's language as the studio's country writes them, never ambiguous."""

import datetime as dt
from decimal import Decimal

import pytest

from domain import i18n

NOON_IN_CHICAGO = dt.datetime(2026, 12, 1, 20, 25, tzinfo=dt.UTC)  # 2:25 PM in Chicago, 20:25 in London
NNBSP = '\u202f'  # CLDR's narrow no-break space before AM/PM
NBSP = '\xa0'


@pytest.mark.parametrize(
    'language, country, currency, money',
    [
        ('en', 'US', 'USD', '$1,149.50'),
        ('es', 'US', 'USD', '$1,149.50'),  # es_US; Spanish alone writes "1.149,50 US$"
        ('zh_Hans', 'US', 'USD', 'US$1,149.50'),  # Babel has no zh_Hans_US: Chinese alone
        ('en', 'GB', 'GBP', '£1,149.50'),
        ('zh_Hans', 'GB', 'GBP', '£1,149.50'),
        ('en', 'ES', 'EUR', f'1.149,50{NBSP}€'),  # en_ES: English words, Spain's numbers
        ('es', 'ES', 'EUR', f'1.149,50{NBSP}€'),
    ],
)
def test_money_is_written_as_the_studios_country_writes_it_in_the_readers_language(language, country, currency, money):
    assert i18n.format_money(Decimal('1149.50'), currency, language, country) == money


@pytest.mark.parametrize(
    'language, country, timezone, day, moment',
    [
        ('en', 'US', 'America/Chicago', 'Dec 1, 2026', f'Dec 1, 2026, 2:25{NNBSP}PM'),
        ('es', 'US', 'America/Chicago', '1 dic 2026', f'1 dic 2026, 2:25{NNBSP}p.m.'),
        ('zh_Hans', 'US', 'America/Chicago', '2026年12月1日', '2026年12月1日 14:25'),
        ('en', 'GB', 'Europe/London', '1 Dec 2026', '1 Dec 2026, 20:25'),
        ('es', 'ES', 'Europe/Madrid', '1 dic 2026', '1 dic 2026, 21:25'),
        ('zh_Hans', 'ES', 'Europe/Madrid', '2026年12月1日', '2026年12月1日 21:25'),
    ],
)
def test_dates_and_times_name_the_month_and_follow_the_studios_country(language, country, timezone, day, moment):
    assert i18n.format_day(dt.date(2026, 12, 1), language, country) == day
    assert i18n.format_moment(NOON_IN_CHICAGO, timezone, language, country) == moment


def test_a_language_without_a_variant_for_the_country_falls_back_to_the_language_alone():
    assert str(i18n.reader_locale('es', 'US')) == 'es_US'
    assert str(i18n.reader_locale('zh_Hans', 'US')) == 'zh_Hans'


@pytest.mark.usefixtures('database')
async def test_without_a_country_the_studios_is_used():
    from domain.studio import settings

    await settings.change(phone_region='GB')
    assert i18n.format_day(dt.date(2026, 12, 1), 'en') == '1 Dec 2026'
    await settings.change(phone_region='US')
    assert i18n.format_day(dt.date(2026, 12, 1), 'es') == '1 dic 2026'
    assert i18n.format_money(Decimal('149.5'), 'USD', 'es') == '$149.50'


@pytest.mark.parametrize('currency, decimals', [('USD', 2), ('EUR', 2), ('JPY', 0), ('BHD', 3)])
def test_each_currency_has_its_own_number_of_decimals(currency, decimals):
    assert i18n.minor_units(currency) == decimals
