"""The facts the prevention rules read, taken from a patient's FHIR resources.

Pure functions, no I/O. Only what a rule can trust counts: a completed Immunization whose
vaccineCode has an ATC code of `health.codes.VACCINES`; a completed Procedure, a final
Observation or a current DocumentReference whose code (type) is in `health.codes.EXAM_CODES`.
Anything else (text-only vaccines, unknown codes, not-done or entered-in-error records) is
left out, so its reminder stays until the patient marks it done.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from health.codes import ATC, CARNET_PREVENTION_REMINDER, EXAM_CODES, VACCINES

_FINAL_OBSERVATION = {"final", "amended", "corrected"}
_ADMINISTRATIVE_GENDERS = {"male", "female", "other", "unknown"}


@dataclass(frozen=True)
class VaccineDose:
    given_on: date
    valences: frozenset[str]


@dataclass(frozen=True)
class ExamDone:
    exam: str  # a health.codes.PreventiveExam value
    done_on: date


@dataclass(frozen=True)
class MarkedDone:
    """A record written by `prevention_record.record_done`: it closes this reminder id for good."""

    reminder_id: str
    done_on: date


@dataclass(frozen=True)
class PatientFacts:
    """What the rules need to know about one person; build it with `extract_facts` or by hand."""

    birth_date: date | None
    sex: str | None  # FHIR administrative gender: male, female, other, unknown
    doses: tuple[VaccineDose, ...] = ()
    exams: tuple[ExamDone, ...] = ()
    marked_done: tuple[MarkedDone, ...] = ()


def extract_facts(resources: Iterable[dict]) -> PatientFacts:
    """The prevention facts held by one patient's resources (Patient first found gives identity)."""
    birth_date, sex, seen_patient = None, None, False
    doses: list[VaccineDose] = []
    exams: list[ExamDone] = []
    marked: list[MarkedDone] = []
    for resource in resources:
        if not isinstance(resource, dict):
            continue
        kind = resource.get("resourceType")
        if kind == "Patient" and not seen_patient:
            seen_patient = True
            birth_date = local_date(resource.get("birthDate"), partial=False)
            sex = resource.get("gender") if resource.get("gender") in _ADMINISTRATIVE_GENDERS else None
        elif kind == "Immunization":
            dose = _dose(resource)
            if dose:
                doses.append(dose)
                marked += _marks(resource, dose.given_on)
        elif kind in ("Procedure", "Observation", "DocumentReference"):
            found = _exams(resource)
            exams += found
            if found:
                marked += _marks(resource, found[0].done_on)
    return PatientFacts(
        birth_date, sex,
        doses=tuple(sorted(doses, key=lambda dose: (dose.given_on, sorted(dose.valences)))),
        exams=tuple(sorted(exams, key=lambda exam: (exam.done_on, exam.exam))),
        marked_done=tuple(sorted(marked, key=lambda mark: (mark.done_on, mark.reminder_id))))


def local_date(value, *, partial: bool = True) -> date | None:
    """The calendar day a FHIR date/dateTime names, as written (no time-zone shift).

    A partial date ('2010', '2010-05') means its first day when `partial` is true, else None:
    a birth date must be complete to compute an age.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) >= 10:
            return date.fromisoformat(text[:10])
        if partial and len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        if partial and len(text) == 4:
            return date(int(text), 1, 1)
    except ValueError:
        return None
    return None


def _dose(immunization: dict) -> VaccineDose | None:
    if immunization.get("status") != "completed":
        return None
    given_on = local_date(immunization.get("occurrenceDateTime"))
    valences: set[str] = set()
    for coding in _codings(immunization.get("vaccineCode")):
        vaccine = VACCINES.get(coding.get("code")) if coding.get("system") == ATC else None
        if vaccine:
            valences |= vaccine.valences
    return VaccineDose(given_on, frozenset(valences)) if given_on and valences else None


def _exams(resource: dict) -> list[ExamDone]:
    kind = resource.get("resourceType")
    if kind == "Procedure":
        if resource.get("status") != "completed":
            return []
        done_on = local_date(resource.get("performedDateTime")) or \
            local_date((resource.get("performedPeriod") or {}).get("start"))
        concept = resource.get("code")
    elif kind == "Observation":
        if resource.get("status") not in _FINAL_OBSERVATION:
            return []
        done_on = local_date(resource.get("effectiveDateTime")) or \
            local_date((resource.get("effectivePeriod") or {}).get("start")) or local_date(resource.get("issued"))
        concept = resource.get("code")
    else:
        if resource.get("status") != "current":
            return []
        # The examination's own date when the document says it, else the document's date.
        period = ((resource.get("context") or {}).get("period") or {})
        done_on = local_date(period.get("start")) or local_date(resource.get("date"))
        concept = resource.get("type")
    if not done_on:
        return []
    found = {EXAM_CODES[(c.get("system"), c.get("code"))].exam for c in _codings(concept)
             if (c.get("system"), c.get("code")) in EXAM_CODES}
    return [ExamDone(exam, done_on) for exam in sorted(found)]


def _marks(resource: dict, done_on: date) -> list[MarkedDone]:
    return [MarkedDone(identifier["value"], done_on) for identifier in resource.get("identifier") or []
            if isinstance(identifier, dict) and identifier.get("system") == CARNET_PREVENTION_REMINDER
            and isinstance(identifier.get("value"), str)]


def _codings(concept) -> list[dict]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, dict)]
