"""Measurements over time, ready for a chart: points per series (blood pressure has two),
thinned to a bounded number of points, y bounds and time labels.

A record may hold thousands of readings (a connected scale, a home blood pressure
monitor); a phone draws a few hundred points at most without stutter, so series are
downsampled with Largest-Triangle-Three-Buckets, which keeps peaks and dips visible.
Pure, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from health.codes import MEASUREMENTS
from health.fhir_index import code_of, parse_fhir_date
from health.profile_forms import BLOOD_PRESSURE, DIASTOLIC, SYSTOLIC, display_unit

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
DEFAULT_POINT_LIMIT = 120
PERIODS = {"1y": 365, "5y": 5 * 365, "all": None}


@dataclass(frozen=True)
class ChartPoint:
    x: float  # days since 1970-01-01 (UTC)
    y: float


@dataclass(frozen=True)
class Series:
    code: str  # the LOINC code of what is drawn (systolic and diastolic for blood pressure)
    points: tuple[ChartPoint, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class MeasurementChart:
    code: str
    unit: str  # as people write it (mmHg, bpm)
    series: tuple[Series, ...]
    readings: int  # how many readings the period holds (before thinning)
    min_x: float
    max_x: float
    min_y: float
    max_y: float
    ticks: tuple[Tick, ...]

    @property
    def empty(self) -> bool:
        return self.readings == 0


def series_codes(code: str) -> tuple[str, ...]:
    """The series a chart of `code` draws, and the codes of the observations it reads."""
    return (SYSTOLIC, DIASTOLIC) if code == BLOOD_PRESSURE else (code,)


def day_number(moment: datetime) -> float:
    return (moment - EPOCH).total_seconds() / 86400


def since_for(period: str, now: datetime) -> datetime | None:
    days = PERIODS.get(period, PERIODS["5y"])
    return now - timedelta(days=days) if days else None


def build_chart(code: str, observations: list[dict], *, now: datetime, since: datetime | None = None,
                limit: int = DEFAULT_POINT_LIMIT) -> MeasurementChart:
    """The chart of `observations` (of `code`, or its components), oldest first or not."""
    raw: dict[str, list[ChartPoint]] = {series: [] for series in series_codes(code)}
    units: list[str] = []
    for observation in observations:
        moment = parse_fhir_date(observation.get("effectiveDateTime") or observation.get("issued"))
        if moment is None or (since is not None and moment < since):
            continue
        for series, value, unit in _values(observation):
            if series in raw:
                raw[series].append(ChartPoint(day_number(moment), value))
                units.append(unit)
    readings = max((len(points) for points in raw.values()), default=0)
    series = tuple(Series(s, tuple(downsample(sorted(points, key=lambda p: p.x), limit))) for s, points in raw.items())
    every = [p for s in series for p in s.points]
    first = day_number(since) if since else min((p.x for p in every), default=day_number(now) - 365)
    last = max(day_number(now), max((p.x for p in every), default=first))
    low, high = _y_bounds([p.y for p in every])
    unit = units[0] if units else (MEASUREMENTS.get(code, ("", "", ""))[2])
    return MeasurementChart(code, display_unit(unit), series, readings, first, last, low, high,
                            time_ticks(first, last))


def _values(observation: dict):
    """(series code, value, unit) of each number an observation holds."""
    own = code_of(observation)
    quantity = observation.get("valueQuantity") or {}
    if isinstance(quantity.get("value"), (int, float)):
        yield own, float(quantity["value"]), quantity.get("unit") or quantity.get("code") or ""
    for component in observation.get("component") or []:
        quantity = (component or {}).get("valueQuantity") or {}
        if isinstance(quantity.get("value"), (int, float)):
            part = code_of({"resourceType": "Observation", "code": component.get("code")})
            yield part, float(quantity["value"]), quantity.get("unit") or quantity.get("code") or ""


def downsample(points: list[ChartPoint], limit: int) -> list[ChartPoint]:
    """At most `limit` points keeping the series' shape (Largest-Triangle-Three-Buckets)."""
    count = len(points)
    if count <= limit or limit < 3:
        return list(points)
    kept = [points[0]]
    bucket = (count - 2) / (limit - 2)
    chosen = 0
    for index in range(limit - 2):
        start, end = int(index * bucket) + 1, int((index + 1) * bucket) + 1
        after = points[end:min(int((index + 2) * bucket) + 1, count)] or [points[-1]]
        mean_x = sum(p.x for p in after) / len(after)
        mean_y = sum(p.y for p in after) / len(after)
        anchor = points[chosen]
        chosen = max(range(start, end), key=lambda i: abs(
            (anchor.x - mean_x) * (points[i].y - anchor.y) - (anchor.x - points[i].x) * (mean_y - anchor.y)))
        kept.append(points[chosen])
    kept.append(points[-1])
    return kept


def _y_bounds(values: list[float]) -> tuple[float, float]:
    """Round bounds a little beyond the values, so that lines do not touch the frame."""
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    margin = max((high - low) * 0.1, abs(high) * 0.02, 1.0)
    step = _nice_step((high - low + 2 * margin) / 5)
    return (low - margin) // step * step, -((-(high + margin)) // step) * step


def _nice_step(raw: float) -> float:
    magnitude = 10 ** len(str(int(max(raw, 1)))) / 10
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def time_ticks(first: float, last: float, most: int = 6) -> tuple[Tick, ...]:
    """Labels along the time axis: years over long spans, months over shorter ones."""
    start = EPOCH + timedelta(days=first)
    end = EPOCH + timedelta(days=last)
    span_days = last - first
    if span_days > 3 * 365:
        years = list(range(start.year + (start.month > 1 or start.day > 1), end.year + 1))
        step = max(1, -(-len(years) // most))
        moments = [(datetime(y, 1, 1, tzinfo=timezone.utc), str(y)) for y in years[::step]]
    else:
        months = []
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        months = [m for m in months if datetime(m[0], m[1], 1, tzinfo=timezone.utc) >= start]
        step = max(1, -(-len(months) // most))
        moments = [(datetime(y, m, 1, tzinfo=timezone.utc), f"{m:02d}/{y % 100:02d}") for y, m in months[::step]]
    return tuple(Tick(day_number(moment), label) for moment, label in moments if first <= day_number(moment) <= last)
