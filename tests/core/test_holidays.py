"""France's public holidays: the eleven days, Easter's from dateutil, checked against the official calendar."""

import datetime

from essaim.core.holidays import holidays_between, is_public_holiday, public_holidays


def test_the_eleven_public_holidays_of_2027_are_the_official_ones():
    """2027: Easter on 28 March, so Easter Monday 29 March, Ascension 6 May, Whit Monday 17 May."""
    days = public_holidays(2027)
    assert sorted(days) == [
        datetime.date(2027, 1, 1),
        datetime.date(2027, 3, 29),
        datetime.date(2027, 5, 1),
        datetime.date(2027, 5, 6),
        datetime.date(2027, 5, 8),
        datetime.date(2027, 5, 17),
        datetime.date(2027, 7, 14),
        datetime.date(2027, 8, 15),
        datetime.date(2027, 11, 1),
        datetime.date(2027, 11, 11),
        datetime.date(2027, 12, 25),
    ]
    assert days[datetime.date(2027, 5, 6)] == "Ascension"


def test_easter_days_move_with_the_year():
    """2026: Easter on 5 April; 2025: on 20 April."""
    assert is_public_holiday(datetime.date(2026, 4, 6))
    assert is_public_holiday(datetime.date(2026, 5, 14))
    assert is_public_holiday(datetime.date(2026, 5, 25))
    assert is_public_holiday(datetime.date(2025, 4, 21))
    assert not is_public_holiday(datetime.date(2026, 4, 21))
    assert not is_public_holiday(datetime.date(2026, 4, 3))  # Good Friday: Alsace-Moselle only


def test_holidays_between_spans_years_and_keeps_the_bounds():
    found = holidays_between(datetime.date(2026, 12, 25), datetime.date(2027, 1, 1))
    assert found == {datetime.date(2026, 12, 25), datetime.date(2027, 1, 1)}
    assert holidays_between(datetime.date(2026, 12, 26), datetime.date(2026, 12, 31)) == set()
