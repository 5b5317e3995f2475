"""Measurement series (weight, height, blood pressure, heart rate) and laboratory results.

Values follow the story: weight drifts up with age and during a pregnancy, blood pressure
rises until hypertension is treated, LDL cholesterol falls once a statin is started.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from health.codes import LOINC, MEASUREMENTS, OBSERVATION_CATEGORY
from server.demo.cast import Clinician
from server.demo.context import RecordContext
from server.demo.fhir_parts import INTERPRETATION, concept, paris_datetime, practitioner_ref, quantity

VITAL_SIGNS = concept(OBSERVATION_CATEGORY, "vital-signs", "Signes vitaux")
LABORATORY = concept(OBSERVATION_CATEGORY, "laboratory", "Laboratoire")


@dataclass(frozen=True)
class LabRow:
    """One line of a lab report, as printed in its PDF."""

    label: str
    value: float
    unit: str
    reference_range: str
    flag: str  # "" | "H" | "L"


@dataclass(frozen=True)
class _LabTest:
    loinc: str
    label: str
    unit: str
    low: float | None
    high: float | None
    decimals: int


_LAB_TESTS = {t.loinc: t for t in [
    _LabTest("718-7", "Hémoglobine", "g/dL", 12.0, 16.0, 1),
    _LabTest("6690-2", "Leucocytes", "10*3/uL", 4.0, 10.0, 1),
    _LabTest("777-3", "Plaquettes", "10*3/uL", 150, 400, 0),
    _LabTest("2339-0", "Glycémie à jeun", "mg/dL", 70, 110, 0),
    _LabTest("2093-3", "Cholestérol total", "g/L", None, 2.0, 2),
    _LabTest("13457-7", "Cholestérol LDL (calculé)", "g/L", None, 1.6, 2),
    _LabTest("2085-9", "Cholestérol HDL", "g/L", 0.4, None, 2),
    _LabTest("2571-8", "Triglycérides", "g/L", None, 1.5, 2),
    _LabTest("14682-9", "Créatinine", "umol/L", 45, 90, 0),
    _LabTest("2823-3", "Potassium", "mmol/L", 3.5, 5.0, 1),
    _LabTest("2951-2", "Sodium", "mmol/L", 135, 145, 0),
    _LabTest("3016-3", "TSH", "m[IU]/L", 0.4, 4.0, 2),
    _LabTest("4548-4", "Hémoglobine glyquée (HbA1c)", "%", 4.0, 6.0, 1),
    _LabTest("1742-6", "ALAT (transaminases)", "U/L", None, 35, 0),
]}


def add_vital_series(ctx: RecordContext) -> None:
    """A GP visit every four to seven months, each with weight, blood pressure and pulse."""
    gp = ctx.team.role("gp")
    day = ctx.start + timedelta(days=ctx.rng.randint(20, 90))
    height_offset = ctx.rng.gauss(0, 5)
    last_height: date | None = None
    while day <= ctx.today - timedelta(days=10):
        ctx.visits.append(day)
        hour = ctx.rng.choice((9, 10, 11, 14, 16, 17))
        add_vital(ctx, "29463-7", day, hour, round(_weight(ctx, day), 1), "kg", gp)
        systolic, diastolic = _blood_pressure(ctx, day)
        add_blood_pressure(ctx, day, hour, systolic, diastolic, gp)
        add_vital(ctx, "8867-4", day, hour, round(ctx.rng.gauss(72, 6)), "/min", gp)
        if last_height is None or (day - last_height).days > 5 * 365:
            add_vital(ctx, "8302-2", day, hour, round(_height(ctx, day, height_offset)), "cm", gp)
            last_height = day
        day += timedelta(days=ctx.rng.randint(120, 210))


def add_home_readings(ctx: RecordContext, count: int) -> None:
    """Readings the patient entered themself (home blood pressure monitor, bathroom scale).

    Bulk seeding uses them to reach any number of resources per patient."""
    day = ctx.today
    for n in range(count):
        if n % 2 == 0:
            systolic, diastolic = _blood_pressure(ctx, day)
            add_blood_pressure(ctx, day, 7, systolic + ctx.rng.randint(-4, 4), diastolic, None)
        else:
            add_vital(ctx, "29463-7", day, 7, round(_weight(ctx, day), 1), "kg", None)
            day -= timedelta(days=ctx.rng.randint(1, 4))
        if day < ctx.start:
            day = ctx.today


def add_vital(ctx: RecordContext, loinc: str, day: date, hour: int, value: float, unit: str,
              author: Clinician | None) -> dict:
    observation = _observation(ctx, VITAL_SIGNS, loinc, MEASUREMENTS[loinc][0], day, hour, author)
    observation["valueQuantity"] = quantity(value, unit)
    return ctx.add(observation, author)


def add_blood_pressure(ctx: RecordContext, day: date, hour: int, systolic: int, diastolic: int,
                       author: Clinician | None) -> dict:
    observation = _observation(ctx, VITAL_SIGNS, "85354-9", MEASUREMENTS["85354-9"][0], day, hour, author)
    observation["component"] = [
        {"code": concept(LOINC, "8480-6", MEASUREMENTS["8480-6"][0]), "valueQuantity": quantity(systolic, "mm[Hg]")},
        {"code": concept(LOINC, "8462-4", MEASUREMENTS["8462-4"][0]), "valueQuantity": quantity(diastolic, "mm[Hg]")},
    ]
    return ctx.add(observation, author)


def add_lab_panel(ctx: RecordContext, day: date, loincs: list[str]) -> list[LabRow]:
    """The lab results of one blood test, as Observations; returns the lines for its report."""
    biologist = ctx.team.role("biologist")
    rows = []
    for loinc in loincs:
        test = _LAB_TESTS[loinc]
        value = round(_lab_value(ctx, loinc, day), test.decimals)
        flag = "H" if test.high is not None and value > test.high else (
            "L" if test.low is not None and value < test.low else "")
        observation = _observation(ctx, LABORATORY, loinc, test.label, day, 8, biologist)
        observation["issued"] = paris_datetime(day + timedelta(days=1), 12)
        observation["valueQuantity"] = quantity(value, test.unit)
        observation["referenceRange"] = [_reference_range(test)]
        if flag:
            observation["interpretation"] = [concept(INTERPRETATION, flag, "Élevé" if flag == "H" else "Bas")]
        ctx.add(observation, biologist)
        rows.append(LabRow(test.label, value, test.unit, observation["referenceRange"][0]["text"], flag))
    return rows


def _observation(ctx: RecordContext, category: dict, loinc: str, label: str, day: date, hour: int,
                 author: Clinician | None) -> dict:
    observation = {
        "resourceType": "Observation", "status": "final", "category": [category],
        "code": concept(LOINC, loinc, label), "subject": ctx.patient_ref,
        "effectiveDateTime": paris_datetime(day, hour, ctx.rng.choice((0, 10, 20, 30, 40, 50))),
    }
    if author:
        observation["performer"] = [practitioner_ref(author)]
    return observation


def _reference_range(test: _LabTest) -> dict:
    bounds: dict = {}
    if test.low is not None:
        bounds["low"] = quantity(test.low, test.unit)
    if test.high is not None:
        bounds["high"] = quantity(test.high, test.unit)
    if test.low is not None and test.high is not None:
        text = f"{test.low} – {test.high}"
    else:
        text = f"< {test.high}" if test.high is not None else f"> {test.low}"
    return {**bounds, "text": text.replace(".", ",")}


def _weight(ctx: RecordContext, day: date) -> float:
    female = ctx.person.gender == "female"
    age = max(18, ctx.age_on(day))
    weight = (58.0 if female else 74.0) + 0.25 * (age - 25) + ctx.rng.gauss(0, 0.7)
    delivery = ctx.events.get("delivery")
    if delivery:
        days_before = (delivery - day).days
        if 0 <= days_before < 270:
            weight += 11 * (270 - days_before) / 270
        elif -180 < days_before < 0:
            weight += 4 * (180 + days_before) / 180
    return weight


def _height(ctx: RecordContext, day: date, offset: float) -> float:
    adult = (165 if ctx.person.gender == "female" else 177) + offset
    return adult - max(0, ctx.age_on(day) - 60) * 0.1


def _blood_pressure(ctx: RecordContext, day: date) -> tuple[int, int]:
    onset = ctx.events.get("hypertension")
    if onset and day >= onset:
        treated = (day - onset).days > 90
        systolic, diastolic = (131, 82) if treated else (148, 94)
    else:
        systolic, diastolic = 117, 74
    return round(ctx.rng.gauss(systolic, 6)), round(ctx.rng.gauss(diastolic, 4))


def _lab_value(ctx: RecordContext, loinc: str, day: date) -> float:
    gauss = ctx.rng.gauss
    statin = ctx.events.get("cholesterol")
    high_ldl = statin is not None and day >= statin - timedelta(days=400)
    treated_ldl = statin is not None and day > statin + timedelta(days=60)
    ldl = 1.25 if treated_ldl else (1.85 if high_ldl else 1.35)
    typical = {
        "718-7": (13.4, 0.6), "6690-2": (6.5, 1.2), "777-3": (260, 40), "2339-0": (92, 7),
        "13457-7": (ldl, 0.1), "2085-9": (0.62, 0.06), "2571-8": (1.0, 0.25),
        "14682-9": (68, 7), "2823-3": (4.2, 0.3), "2951-2": (140, 2), "3016-3": (1.8, 0.6),
        "4548-4": (5.4, 0.25), "1742-6": (22, 6),
    }
    if loinc == "2093-3":  # total = LDL + HDL + TG/5 (Friedewald), kept coherent on paper
        return ldl + 0.62 + 0.2 + gauss(0, 0.1)
    mean, spread = typical[loinc]
    return max(0.01, gauss(mean, spread))
