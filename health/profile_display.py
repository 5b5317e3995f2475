"""Any resource of a profile section described for display: its main text and its details.

Whoever wrote it (the patient, a doctor's software, an app), the description is built from
what the FHIR resource says. Details are facts with a `kind` the app turns into words
("since" → "Depuis 2010"); values taken from the record (dates as dd/mm/yyyy, a dosage,
a phone number) are kept as they are. Pure, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass

from health.codes import BLOOD_GROUP_LOINC, MEASUREMENTS
from health.emergency import ADVANCE_DIRECTIVES_LOINC
from health.fhir_index import code_of
from health.fhir_text import STOPPED_STATUSES, concept_text, human_name, status_code
from health.profile_contacts import (
    RELATIONSHIP_ALIASES, contact_roles, relationship_code, relationship_text, telecom_value,
)
from health.profile_entries import note_text, stay_place
from health.profile_forms import BLOOD_PRESSURE, DIASTOLIC, RELATIONSHIPS, SYSTOLIC, display_unit, typed_date

_CONDITION_STATUSES = {"active", "recurrence", "relapse", "inactive", "remission", "resolved"}


@dataclass(frozen=True)
class Detail:
    """One fact about an entry: `kind` names how it is said, `value` (and `second`) fill it in."""

    kind: str
    value: str = ""
    second: str = ""


@dataclass(frozen=True)
class EntryView:
    title: str
    details: tuple[Detail, ...] = ()
    inactive: bool = False  # resolved, stopped: shown dimmed, after what is current
    declared_author: str | None = None  # who the JSON says wrote it (recorder, performer…)


def describe(resource: dict, language: str = "fr") -> EntryView:
    kind = resource.get("resourceType")
    describer = _DESCRIBERS.get(kind)
    view = describer(resource, language) if describer else EntryView(_fallback_title(resource))
    return EntryView(view.title, view.details, view.inactive, _declared_author(resource))


def _allergy(resource: dict, _language: str) -> EntryView:
    status = status_code(resource, "clinicalStatus")
    reaction = (resource.get("reaction") or [None])[0] or {}
    details = [
        *(Detail(f"allergy.{c}") for c in (resource.get("category") or [])[:1]),
        *([Detail(f"criticality.{resource['criticality']}")] if resource.get("criticality") else []),
        *([Detail(f"status.{status}")] if status in ("inactive", "resolved") else []),
        _text_detail("reaction", concept_text(reaction.get("manifestation")) or reaction.get("description")),
        _date_detail("since", resource.get("onsetDateTime")),
    ]
    return EntryView(concept_text(resource.get("code")) or "", _present(details),
                     inactive=status in ("inactive", "resolved"))


def _condition(resource: dict, _language: str) -> EntryView:
    status = status_code(resource, "clinicalStatus")
    details = [
        *([Detail(f"status.{status}")] if status in _CONDITION_STATUSES else []),
        _date_detail("since", resource.get("onsetDateTime")),
        _date_detail("until", resource.get("abatementDateTime")),
    ]
    return EntryView(concept_text(resource.get("code")) or "", _present(details),
                     inactive=status in ("inactive", "remission", "resolved"))


def _procedure(resource: dict, _language: str) -> EntryView:
    when = resource.get("performedDateTime") or (resource.get("performedPeriod") or {}).get("start")
    return EntryView(concept_text(resource.get("code")) or "", _present([_date_detail("on", when)]))


def _encounter(resource: dict, _language: str) -> EntryView:
    period = resource.get("period") or {}
    start, end = typed_date(period.get("start")), typed_date(period.get("end"))
    details = [Detail("period", start, end) if start and end else _date_detail("on", period.get("start")),
               _text_detail("place", stay_place(resource))]
    title = concept_text(resource.get("reasonCode")) or concept_text(resource.get("type")) or ""
    return EntryView(title, _present(details))


def _treatment(resource: dict, _language: str) -> EntryView:
    stopped = resource.get("status") in STOPPED_STATUSES
    period = resource.get("effectivePeriod") or {}
    start = typed_date(period.get("start") or resource.get("effectiveDateTime"))
    end = typed_date(period.get("end"))
    details = [
        Detail("treatment.stopped" if stopped else "treatment.active"),
        _text_detail("dosage", ((resource.get("dosage") or [{}])[0] or {}).get("text")),
        Detail("period", start, end) if start and end else _text_detail("since", start),
    ]
    title = concept_text(resource.get("medicationCodeableConcept")) or \
        (resource.get("medicationReference") or {}).get("display") or ""
    return EntryView(title, _present(details), inactive=stopped)


def _immunization(resource: dict, _language: str) -> EntryView:
    doses = [p.get("doseNumberPositiveInt") for p in resource.get("protocolApplied") or [] if isinstance(p, dict)]
    details = [_date_detail("on", resource.get("occurrenceDateTime")),
               _text_detail("dose", str(doses[0]) if doses and doses[0] else None),
               _text_detail("lot", resource.get("lotNumber"))]
    return EntryView(concept_text(resource.get("vaccineCode")) or "", _present(details))


def _observation(resource: dict, language: str) -> EntryView:
    code = code_of(resource)
    if code == BLOOD_GROUP_LOINC:
        group = concept_text(resource.get("valueCodeableConcept")) or resource.get("valueString") or ""
        return EntryView(group, _present([_date_detail("on", resource.get("effectiveDateTime"))]))
    when = resource.get("effectiveDateTime") or resource.get("issued")
    details = [Detail("value", measured_value(resource, language)), _date_detail("on", when),
               _text_detail("at", when[11:16] if isinstance(when, str) and len(when) >= 16 else None)]
    labels = MEASUREMENTS.get(code or "")
    title = (labels[0] if language == "fr" else labels[1]) if labels else concept_text(resource.get("code")) or ""
    return EntryView(title, _present(details))


def measured_value(observation: dict, language: str = "fr") -> str:
    """"72,5 kg", "128/82 mmHg": an observation's value as it reads."""
    if code_of(observation) == BLOOD_PRESSURE:
        parts = {code_of({"resourceType": "Observation", "code": c.get("code")}): c.get("valueQuantity") or {}
                 for c in observation.get("component") or [] if isinstance(c, dict)}
        systolic, diastolic = parts.get(SYSTOLIC, {}), parts.get(DIASTOLIC, {})
        if systolic.get("value") is not None and diastolic.get("value") is not None:
            unit = display_unit(systolic.get("code") or systolic.get("unit") or "")
            return f"{number_text(systolic['value'], language)}/{number_text(diastolic['value'], language)} {unit}"
    value = observation.get("valueQuantity") or {}
    if value.get("value") is not None:
        unit = display_unit(value.get("unit") or value.get("code") or "")
        return f"{number_text(value['value'], language)} {unit}".strip()
    return concept_text(observation.get("valueCodeableConcept")) or observation.get("valueString") or ""


def number_text(value, language: str = "fr") -> str:
    text = str(int(value)) if float(value).is_integer() else f"{float(value):g}"
    return text.replace(".", ",") if language == "fr" else text


def _document(resource: dict, _language: str) -> EntryView:
    text = resource.get("description") or note_text(resource)
    attachment = ((resource.get("content") or [{}])[0] or {}).get("attachment") or {}
    title = attachment.get("title") or concept_text(resource.get("type")) or ""
    details = [_text_detail("note", text), _date_detail("on", resource.get("date")),
               *([Detail("file")] if attachment.get("url") else [])]
    if code_of(resource) != ADVANCE_DIRECTIVES_LOINC:
        details = details[1:]
    return EntryView(title, _present(details), inactive=resource.get("status") == "superseded")


def _related_person(resource: dict, _language: str) -> EntryView:
    code = relationship_code(resource)
    known = RELATIONSHIP_ALIASES.get(code, code) if code else None
    roles = contact_roles(resource)
    details = [
        Detail(f"relationship.{known}") if known in RELATIONSHIPS else _text_detail("relationship",
                                                                                      relationship_text(resource)),
        *(Detail(f"role.{role}") for role in ("trusted-person", "emergency-contact") if role in roles),
        _text_detail("phone", telecom_value(resource, "phone")),
        _text_detail("email", telecom_value(resource, "email")),
    ]
    return EntryView(human_name(resource.get("name")) or "", _present(details),
                     inactive=resource.get("active") is False)


def _text_detail(kind: str, value) -> Detail | None:
    return Detail(kind, value.strip()) if isinstance(value, str) and value.strip() else None


def _date_detail(kind: str, value) -> Detail | None:
    return _text_detail(kind, typed_date(value))


def _present(details: list) -> tuple[Detail, ...]:
    return tuple(detail for detail in details if detail is not None)


def _fallback_title(resource: dict) -> str:
    return concept_text(resource.get("code")) or resource.get("resourceType", "")


def _declared_author(resource: dict) -> str | None:
    """The display of the first recorder/asserter/performer/author/source the JSON names."""
    for element in ("recorder", "asserter", "informationSource", "performer", "author", "participant"):
        value = resource.get(element)
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, dict):
                continue
            reference = item.get("actor") or item.get("individual") or item
            if isinstance(reference, dict) and reference.get("display") and \
                    not str(reference.get("reference", "")).startswith("Patient/"):
                return reference["display"]
    return None


_DESCRIBERS = {
    "AllergyIntolerance": _allergy, "Condition": _condition, "Procedure": _procedure,
    "Encounter": _encounter, "MedicationStatement": _treatment, "Immunization": _immunization,
    "Observation": _observation, "DocumentReference": _document, "RelatedPerson": _related_person,
}
