"""The searchable facets of a FHIR resource: category, code and clinical date.

Both the server and the device index resources by these, so the rule lives here once.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

# The element holding the clinically meaningful date of each resource type.
_DATE_ELEMENTS = {
    "AllergyIntolerance": ("recordedDate", "onsetDateTime"),
    "Condition": ("recordedDate", "onsetDateTime"),
    "Procedure": ("performedDateTime", "performedPeriod.start"),
    "Immunization": ("occurrenceDateTime", "recorded"),
    "MedicationStatement": ("effectiveDateTime", "effectivePeriod.start", "dateAsserted"),
    "Observation": ("effectiveDateTime", "effectivePeriod.start", "issued"),
    "DocumentReference": ("date", "context.period.start"),
    "Patient": ("birthDate",),
    "RelatedPerson": ("period.start",),
    "Encounter": ("period.start",),
    "Communication": ("sent", "received"),
    "Appointment": ("start",),
    "AuditEvent": ("recorded",),
}


def _get(resource: dict, dotted: str):
    value = resource
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def parse_fhir_date(value: str | None) -> datetime | None:
    """A FHIR date/dateTime/instant as an aware datetime (partial dates take their first day)."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 4:
            return datetime(int(text), 1, 1, tzinfo=timezone.utc)
        if len(text) == 7:
            return datetime(int(text[:4]), int(text[5:7]), 1, tzinfo=timezone.utc)
        if len(text) == 10:
            parsed = date.fromisoformat(text)
            return datetime(parsed.year, parsed.month, parsed.day, tzinfo=timezone.utc)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    # Normalised to UTC: SQLite compares stored datetimes as text, ignoring offsets.
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def clinical_date(resource: dict) -> datetime | None:
    for element in _DATE_ELEMENTS.get(resource.get("resourceType", ""), ()):
        moment = parse_fhir_date(_get(resource, element))
        if moment:
            return moment
    return None


def _first_coding_code(concept) -> str | None:
    if isinstance(concept, list):
        concept = concept[0] if concept else None
    if not isinstance(concept, dict):
        return None
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and coding.get("code"):
            return str(coding["code"])[:64]
    return None


def category_of(resource: dict) -> str | None:
    """The first category code (document class, observation category, …)."""
    kind = resource.get("resourceType")
    if kind == "AllergyIntolerance":
        categories = resource.get("category") or []
        return str(categories[0])[:64] if categories else None
    return _first_coding_code(resource.get("category"))


def code_of(resource: dict) -> str | None:
    """The first code of the resource's main concept (document type, observation code, …)."""
    kind = resource.get("resourceType")
    if kind == "DocumentReference":
        return _first_coding_code(resource.get("type"))
    if kind == "Immunization":
        return _first_coding_code(resource.get("vaccineCode"))
    if kind == "MedicationStatement":
        return _first_coding_code(resource.get("medicationCodeableConcept"))
    if kind == "RelatedPerson":
        return _first_coding_code(resource.get("relationship"))
    if kind == "Encounter":
        return _first_coding_code(resource.get("type"))
    return _first_coding_code(resource.get("code"))
