"""Ages and anniversaries as the prevention rules count them (29 February, 31st of the month)."""
from datetime import date, timedelta

import pytest

from health.ages import Age, add_months, age_in_months, age_in_years, months, years


@pytest.mark.parametrize("start, n, expected", [
    ("2024-01-15", 1, "2024-02-15"),
    ("2024-01-31", 1, "2024-03-01"),  # no 31 February: the first day of the next month
    ("2023-01-31", 1, "2023-03-01"),
    ("2024-02-29", 12, "2025-03-01"),  # a 29 February birthday falls on 1 March in non-leap years
    ("2024-02-29", 48, "2028-02-29"),
    ("2024-12-15", 1, "2025-01-15"),
    ("2024-11-30", 3, "2025-03-01"),  # no 30 February either
])
def test_add_months(start, n, expected):
    assert add_months(date.fromisoformat(start), n) == date.fromisoformat(expected)


@pytest.mark.parametrize("birth, on, age", [
    ("2004-02-29", "2029-02-28", 24),  # not yet 25 on 28 February of a non-leap year
    ("2004-02-29", "2029-03-01", 25),
    ("2004-02-29", "2028-02-28", 23),
    ("2004-02-29", "2028-02-29", 24),
    ("1980-06-15", "2025-06-14", 44),
    ("1980-06-15", "2025-06-15", 45),
    ("1980-06-15", "1980-06-15", 0),
    ("1980-06-15", "1980-06-14", -1),
])
def test_age_in_years(birth, on, age):
    assert age_in_years(date.fromisoformat(birth), date.fromisoformat(on)) == age


def test_age_and_anniversary_agree_on_every_birth_date_of_a_leap_year():
    for offset in range(366):
        birth = date(2024, 1, 1) + timedelta(days=offset)
        for n in (1, 2, 11, 12, 16, 25 * 12, 65 * 12):
            reached = add_months(birth, n)
            assert age_in_months(birth, reached) == n, (birth, n)
            assert age_in_months(birth, reached - timedelta(days=1)) == n - 1, (birth, n)


def test_age_durations():
    birth = date(2025, 1, 10)
    assert Age(months=2, days=3).after(birth) == date(2025, 3, 13)
    assert years(65).after(date(1960, 2, 29)) == date(2025, 3, 1)
    assert months(24).after(birth) == date(2027, 1, 10)
    assert str(Age(years=1, months=2)) == "1y2m" and str(Age()) == "0d"
