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

DEFAULT_POINT_LIMIT = 120
PERIODS = {"1y": 365, "5y": 5 * 365, "all": None}


@dataclass(frozen=True)
class ChartPoint:
    x: float  # months since January 1970 (UTC): years and months fall on whole numbers
    y: float
    day: str = ""  # dd/mm/yyyy, for the point's tooltip


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
    tick_step: int  # months between two ticks (every tick is a multiple of it)
    y_step: float  # between two value labels; min_y and max_y are multiples of it

    @property
    def empty(self) -> bool:
        return self.readings == 0


def series_codes(code: str) -> tuple[str, ...]:
    """The series a chart of `code` draws, and the codes of the observations it reads."""
    return (SYSTOLIC, DIASTOLIC) if code == BLOOD_PRESSURE else (code,)


def month_number(moment: datetime) -> float:
    """`moment` on the chart's time axis: months since January 1970, the 1st of each month
    at a whole number, so that labels can sit exactly on years and months."""
    moment = moment.astimezone(timezone.utc)
    start = datetime(moment.year, moment.month, 1, tzinfo=timezone.utc)
    following = datetime(moment.year + (moment.month == 12), moment.month % 12 + 1, 1, tzinfo=timezone.utc)
    fraction = (moment - start).total_seconds() / (following - start).total_seconds()
    return (moment.year - 1970) * 12 + moment.month - 1 + fraction


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
                raw[series].append(ChartPoint(month_number(moment), value, moment.strftime("%d/%m/%Y")))
                units.append(unit)
    readings = max((len(points) for points in raw.values()), default=0)
    series = tuple(Series(s, tuple(downsample(sorted(points, key=lambda p: p.x), limit))) for s, points in raw.items())
    every = [p for s in series for p in s.points]
    first = month_number(since) if since else min((p.x for p in every), default=month_number(now) - 12)
    last = max(month_number(now), max((p.x for p in every), default=first))
    low, high, y_step = _y_bounds([p.y for p in every])
    unit = units[0] if units else (MEASUREMENTS.get(code, ("", "", ""))[2])
    ticks, step = time_ticks(first, last)
    return MeasurementChart(code, display_unit(unit), series, readings, first, last, low, high, ticks, step, y_step)


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


def _y_bounds(values: list[float]) -> tuple[float, float, float]:
    """Round bounds a little beyond the values (lines do not touch the frame), and the step
    of about five value labels between them."""
    if not values:
        return 0.0, 1.0, 1.0
    low, high = min(values), max(values)
    margin = max((high - low) * 0.1, abs(high) * 0.02, 1.0)
    step = _nice_step((high - low + 2 * margin) / 5)
    return (low - margin) // step * step, -((-(high + margin)) // step) * step, step


def _nice_step(raw: float) -> float:
    magnitude = 10 ** len(str(int(max(raw, 1)))) / 10
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def time_ticks(first: float, last: float, most: int = 6) -> tuple[tuple[Tick, ...], int]:
    """Labels along the time axis (at most `most`) and the months between them: years over
    long spans ("2024"), months over shorter ones ("03/24")."""
    span = last - first
    if span > 36:
        step = 12 * max(1, -(-int(span) // (12 * most)))
    else:
        step = next((m for m in (1, 2, 3, 6, 12) if span / m <= most), 12)
    ticks = []
    for x in range(int(first // step + 1) * step if first % step else int(first), int(last) + 1, step):
        year, month = 1970 + x // 12, x % 12 + 1
        ticks.append(Tick(float(x), str(year) if step % 12 == 0 else f"{month:02d}/{year % 100:02d}"))
    return tuple(ticks), step
