"""Measurements as chart series: both blood pressure lines, the period, bounded points."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from health.measurement_series import ChartPoint, build_chart, downsample, month_number, since_for, time_ticks

NOW = datetime(2025, 6, 1, tzinfo=timezone.utc)


def weight(day: datetime, value: float) -> dict:
    return {"resourceType": "Observation", "effectiveDateTime": day.isoformat(),
            "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
            "valueQuantity": {"value": value, "unit": "kg"}}


def pressure(day: datetime, systolic: int, diastolic: int) -> dict:
    return {"resourceType": "Observation", "effectiveDateTime": day.isoformat(),
            "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]}, "component": [
                {"code": {"coding": [{"code": "8480-6"}]}, "valueQuantity": {"value": systolic, "unit": "mm[Hg]"}},
                {"code": {"coding": [{"code": "8462-4"}]}, "valueQuantity": {"value": diastolic, "unit": "mm[Hg]"}}]}


def test_blood_pressure_draws_two_series_within_round_bounds():
    chart = build_chart("85354-9", [pressure(NOW - timedelta(days=d), 120 + d, 80) for d in (10, 100, 300)],
                        now=NOW, since=since_for("1y", NOW))
    assert [s.code for s in chart.series] == ["8480-6", "8462-4"]
    assert [p.y for p in chart.series[0].points] == [420.0, 220.0, 130.0]  # oldest first
    assert [p.y for p in chart.series[1].points] == [80.0, 80.0, 80.0]
    assert chart.unit == "mmHg" and chart.readings == 3
    assert chart.min_y <= 80 and chart.max_y >= 420
    assert chart.min_x == month_number(NOW - timedelta(days=365)) and chart.max_x == month_number(NOW)
    assert chart.series[0].points[-1].day == "22/05/2025"


def test_the_period_leaves_older_readings_out():
    readings = [weight(NOW - timedelta(days=d), 70) for d in (30, 400, 3000)]
    assert build_chart("29463-7", readings, now=NOW, since=since_for("1y", NOW)).readings == 1
    assert build_chart("29463-7", readings, now=NOW, since=since_for("5y", NOW)).readings == 2
    every = build_chart("29463-7", readings, now=NOW, since=since_for("all", NOW))
    assert every.readings == 3 and every.min_x == month_number(NOW - timedelta(days=3000))
    assert build_chart("29463-7", [], now=NOW).empty


def test_thousands_of_readings_are_thinned_keeping_the_extremes():
    rng = random.Random(4)
    points = [ChartPoint(float(i), 70 + rng.gauss(0, 1)) for i in range(5000)]
    points[2500] = ChartPoint(2500.0, 95.0)  # one reading far off: it must stay visible
    thinned = downsample(points, 120)
    assert len(thinned) == 120
    assert thinned[0] == points[0] and thinned[-1] == points[-1]
    assert ChartPoint(2500.0, 95.0) in thinned
    assert [p.x for p in thinned] == sorted(p.x for p in thinned)
    chart = build_chart("29463-7", [weight(NOW - timedelta(hours=h), 70 + h % 3) for h in range(3000)],
                        now=NOW, since=None, limit=100)
    assert chart.readings == 3000 and len(chart.series[0].points) == 100


def test_months_fall_on_whole_numbers_so_that_labels_sit_on_ticks():
    assert month_number(datetime(1970, 1, 1, tzinfo=timezone.utc)) == 0
    assert month_number(datetime(2024, 3, 1, tzinfo=timezone.utc)) == 54 * 12 + 2
    assert month_number(datetime(2024, 3, 16, 12, tzinfo=timezone.utc)) == 54 * 12 + 2.5


def test_time_labels_are_years_over_long_spans_months_over_short_ones():
    long, step = time_ticks(month_number(datetime(2005, 3, 1, tzinfo=timezone.utc)), month_number(NOW))
    assert 3 <= len(long) <= 6 and all(len(t.label) == 4 for t in long)
    assert step % 12 == 0 and all(t.x % step == 0 for t in long)
    short, step = time_ticks(month_number(NOW - timedelta(days=365)), month_number(NOW))
    assert 3 <= len(short) <= 6 and short[0].label.count("/") == 1
    assert all(t.x % step == 0 for t in short)
    assert [t.label for t in time_ticks(month_number(datetime(2020, 6, 10, tzinfo=timezone.utc)),
                                        month_number(datetime(2025, 6, 1, tzinfo=timezone.utc)))[0]] == \
        ["2021", "2022", "2023", "2024", "2025"]
