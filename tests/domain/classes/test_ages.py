"""Ages as the studio speaks of them: months lived, "ages 5–7" taking a child until the eighth birthday, and the
limits written in the reader's language."""

import datetime as dt

import pytest

from domain.classes.ages import age_in_months, age_text, ages_text, within_ages


@pytest.mark.parametrize(
    ('birthdate', 'on', 'months'),
    [
        (dt.date(2019, 6, 15), dt.date(2026, 6, 15), 84),  # the seventh birthday itself
        (dt.date(2019, 6, 15), dt.date(2026, 6, 14), 83),  # the day before it
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28), 1),  # the last day of a shorter month completes it
        (dt.date(2020, 2, 29), dt.date(2021, 2, 28), 12),  # a leap-day child is a year old in February
        (dt.date(2026, 1, 31), dt.date(2026, 3, 30), 1),
    ],
)
def test_months_lived(birthdate, on, months):
    assert age_in_months(birthdate, on) == months


def test_ages_in_whole_years_take_a_child_until_the_next_birthday_and_months_end_with_their_month():
    assert within_ages(60, 60, 84) and within_ages(95, 60, 84)  # 5 exactly; 7 years 11 months in "5–7"
    assert not within_ages(96, 60, 84) and not within_ages(59, 60, 84)
    assert within_ages(90, None, 90) and not within_ages(91, None, 90)  # "up to 7 years 6 months"
    assert within_ages(0, None, None)


def test_ages_are_written_in_the_readers_language():
    assert ages_text(60, 84) == '5–7'
    assert ages_text(42, 60) == '3 years 6 months–5'
    assert ages_text(60, None) == '5 and up'
    assert ages_text(None, 84) == 'up to 7'
    assert ages_text(None, None) == 'all ages'
    assert age_text(90, 'en', whole=False) == '7 years 6 months'
    assert age_text(90, 'en') == '7'
