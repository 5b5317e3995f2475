"""Ages and anniversaries, counted the way the prevention rules count them.

A person is N months old from the day of the month they were born on. When that day does
not exist in the month (born on 31 January; born on 29 February, in a non-leap year), the
anniversary is the first day of the next month: someone born on 29 February is still 24
on 28 February 2029 and turns 25 on 1 March 2029. `add_months` and `age_in_months` agree
on this, so "is she 25?" and "when does she turn 25?" never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The date `months` months after `day` (a missing day of month rolls to the 1st of the next)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    try:
        return date(year, month + 1, day.day)
    except ValueError:
        year, month = divmod(index + 1, 12)
        return date(year, month + 1, 1)


def age_in_months(birth: date, on: date) -> int:
    """Whole months completed between `birth` and `on` (negative before birth)."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - 1 if on.day < birth.day else months


def age_in_years(birth: date, on: date) -> int:
    return age_in_months(birth, on) // 12


@dataclass(frozen=True)
class Age:
    """A duration in years, months and days: an age ('11 months') or an interval ('2 years')."""

    years: int = 0
    months: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        """The day this duration is completed, counted from `start` (a birth date, a dose)."""
        return add_months(start, self.years * 12 + self.months) + timedelta(days=self.days)

    def __str__(self) -> str:
        parts = [(self.years, "y"), (self.months, "m"), (self.days, "d")]
        return "".join(f"{n}{unit}" for n, unit in parts if n) or "0d"


def years(n: int) -> Age:
    return Age(years=n)


def months(n: int) -> Age:
    return Age(months=n)


def days(n: int) -> Age:
    return Age(days=n)
