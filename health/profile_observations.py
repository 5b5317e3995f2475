"""Measurements (weight, height, blood pressure, glucose, heart rate) and the blood group,
as FHIR Observations built from their forms and read back (see `health.profile_entries`)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from health.codes import BLOOD_GROUP_LOINC, LOINC, MEASUREMENTS, OBSERVATION_CATEGORY, SNOMED
from health.fhir_index import code_of
from health.fhir_text import concept_text
from health.profile_forms import (
    BLOOD_GROUPS, BLOOD_PRESSURE, DIASTOLIC, DIASTOLIC_RANGE, MEASUREMENT_KINDS, SYSTOLIC, BloodGroupForm,
    FieldReader, MeasurementForm, start_of, typed_date, typed_number, typed_time,
)
from health.profile_parts import Build, concept, quantity

VITAL_SIGNS = concept(OBSERVATION_CATEGORY, "vital-signs", "Signes vitaux")


def build_measurement(read: FieldReader, form: MeasurementForm, b: Build) -> None:
    kind = MEASUREMENT_KINDS.get(form.kind)
    if kind is None:
        read.fail("kind", "required" if not form.kind else "choice")
        return
    value = read.number("value", form.value, kind.low, kind.high, kind.unit)
    second = read.number("second_value", form.second_value, *DIASTOLIC_RANGE, kind.unit) \
        if kind.code == BLOOD_PRESSURE else None
    if value is not None and second is not None and second >= value:
        read.fail("second_value", "diastolic_above")
    moment = _measured_at(read, form, b)
    if read.errors:
        return
    b.keep("status", "final")
    b.keep("category", [VITAL_SIGNS])
    if code_of(b.base) != kind.code:
        b.set(code=concept(LOINC, kind.code, MEASUREMENTS[kind.code][0]))
    b.set(subject=b.patient_ref)
    b.drop("effectivePeriod", "effectiveInstant", "effectiveTiming")
    old = b.base.get("effectiveDateTime")
    same = typed_date(old) == form.date.strip() and typed_time(old) == form.time.strip()
    b.set(effectiveDateTime=old if same else moment)
    if kind.code == BLOOD_PRESSURE:
        b.drop("valueQuantity")
        b.set(component=[
            {"code": concept(LOINC, SYSTOLIC, MEASUREMENTS[SYSTOLIC][0]), "valueQuantity": quantity(value, kind)},
            {"code": concept(LOINC, DIASTOLIC, MEASUREMENTS[DIASTOLIC][0]), "valueQuantity": quantity(second, kind)}])
    else:
        b.drop("component")
        b.set(valueQuantity=quantity(value, kind))


def _measured_at(read: FieldReader, form: MeasurementForm, b: Build) -> str | None:
    day = read.date("date", form.date, required=True)
    if day and len(day) != 10:
        read.fail("date", "date_full")
        return None
    clock = read.clock("time", form.time)
    if not day or read.errors:
        return None
    if clock is None:
        return day
    naive = datetime.combine(date.fromisoformat(day), clock)
    moment = naive.replace(tzinfo=b.zone) if b.zone else naive.astimezone()
    if moment > b.now + timedelta(minutes=5):
        read.fail("time", "date_future")
        return None
    return start_of(moment)


def read_measurement(resource: dict) -> MeasurementForm | None:
    code = code_of(resource)
    if code not in MEASUREMENT_KINDS:
        return None
    when = resource.get("effectiveDateTime")
    if code == BLOOD_PRESSURE:
        values = {code_of({"resourceType": "Observation", "code": c.get("code")}):
                  (c.get("valueQuantity") or {}).get("value") for c in resource.get("component") or []}
        value, second = values.get(SYSTOLIC), values.get(DIASTOLIC)
    else:
        value, second = (resource.get("valueQuantity") or {}).get("value"), None
    return MeasurementForm(kind=code, value=typed_number(value), second_value=typed_number(second),
                           date=typed_date(when), time=typed_time(when))


def build_blood_group(read: FieldReader, form: BloodGroupForm, b: Build) -> None:
    group = read.choice("group", form.group, BLOOD_GROUPS)
    if read.errors:
        return
    b.keep("status", "final")
    b.set(code=concept(LOINC, BLOOD_GROUP_LOINC, "Groupe sanguin ABO et Rhésus"), subject=b.patient_ref)
    b.keep("effectiveDateTime", start_of(b.now))
    b.drop("valueString")
    if _blood_group_label(b.base) != group:
        b.set(valueCodeableConcept=concept(SNOMED, BLOOD_GROUPS[group], group))


def read_blood_group(resource: dict) -> BloodGroupForm | None:
    if code_of(resource) != BLOOD_GROUP_LOINC:
        return None
    return BloodGroupForm(group=_blood_group_label(resource) or "")


def _blood_group_label(resource: dict) -> str | None:
    concept_value = resource.get("valueCodeableConcept") or {}
    for coding in concept_value.get("coding") or []:
        for label, code in BLOOD_GROUPS.items():
            if coding.get("code") == code:
                return label
    text = (concept_text(concept_value) or resource.get("valueString") or "").replace(" ", "").upper()
    return text if text in BLOOD_GROUPS else None
