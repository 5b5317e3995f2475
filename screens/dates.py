"""Moments of the record as the patient reads them: in the device's time zone, day first.

The cache keeps instants in UTC (`2027-01-12T09:30:00Z`); a person reads "mar. 12/01/2027
à 10:30" in Paris. "Today", "yesterday" and "tomorrow" replace the date when they apply.
"""
from __future__ import annotations

from datetime import date, datetime

from health.fhir_index import parse_fhir_date

from screens.context import ScreenContext


def local(moment: str | None) -> datetime | None:
    """An ISO instant in the device's time zone (None if it cannot be read)."""
    parsed = parse_fhir_date(moment)
    return parsed.astimezone() if parsed is not None else None


def day_text(ctx: ScreenContext, day: date, *, relative: bool = True) -> str:
    """`mar. 12/01/2027`, or Today / Yesterday / Tomorrow."""
    if relative:
        offset = (day - date.today()).days
        named = {0: "date.today", -1: "date.yesterday", 1: "date.tomorrow"}.get(offset)
        if named:
            return ctx.t(named)
    return f"{ctx.t(f'date.weekday.{day.weekday()}')} {day:%d/%m/%Y}"


def day_and_time(ctx: ScreenContext, moment: str | None) -> str:
    """`mar. 12/01/2027 à 10:30` (empty when unknown)."""
    when = local(moment)
    if when is None:
        return ""
    return ctx.t("date.day_time", day=day_text(ctx, when.date()), time=f"{when:%H:%M}")


def short_moment(ctx: ScreenContext, moment: str | None) -> str:
    """For lists: the time today, the day otherwise."""
    when = local(moment)
    if when is None:
        return ""
    if when.date() == date.today():
        return f"{when:%H:%M}"
    return day_text(ctx, when.date())


def plain_day(iso_day: str | None) -> str:
    """`2025-05-17` as `17/05/2025`."""
    if not iso_day:
        return ""
    try:
        return f"{date.fromisoformat(iso_day[:10]):%d/%m/%Y}"
    except ValueError:
        return iso_day
