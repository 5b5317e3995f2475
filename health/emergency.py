"""The emergency summary: what a responder needs, built from the record's FHIR resources.

Pure functions, no I/O. The device stores the result where it can be read without the PIN
(only the fields the patient chose); an International Patient Summary exporter will sit
beside this module and reuse the same selection rules.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import Enum

from health.codes import BLOOD_GROUP_LOINC
from health.fhir_index import clinical_date, code_of
from health.fhir_text import INACTIVE_STATUSES, STOPPED_STATUSES, concept_text, human_name, status_code

ADVANCE_DIRECTIVES_LOINC = "42348-3"


class EmergencyField(str, Enum):
    IDENTITY = "identity"  # name and birth date, so that responders know whose card it is
    ALLERGIES = "allergies"
    TREATMENTS = "treatments"
    CONDITIONS = "conditions"
    BLOOD_GROUP = "blood-group"
    ADVANCE_DIRECTIVES = "advance-directives"
    CONTACTS = "contacts"


# The resource types a summary is built from: a change to any of them refreshes it.
SOURCE_TYPES = frozenset({"Patient", "AllergyIntolerance", "MedicationStatement", "Condition",
                          "Observation", "DocumentReference", "RelatedPerson"})



def is_source(resource_type: str, resource: dict | None) -> bool:
    """Whether a change to this resource (None: deleted) may change a summary."""
    if resource_type not in SOURCE_TYPES:
        return False
    if resource is None or resource_type not in ("Observation", "DocumentReference"):
        return True
    return code_of(resource) in (BLOOD_GROUP_LOINC, ADVANCE_DIRECTIVES_LOINC)


# The card is read by responders anywhere: French first, English beside it.
SEVERE_ALLERGY = "allergie grave / severe"


@dataclass(frozen=True)
class SummaryItem:
    text: str
    detail: str | None = None


@dataclass(frozen=True)
class EmergencyContact:
    name: str
    relationship: str | None
    phone: str | None


@dataclass(frozen=True)
class EmergencySummary:
    fields: tuple[EmergencyField, ...]
    name: str | None = None
    birth_date: str | None = None
    allergies: tuple[SummaryItem, ...] = ()
    treatments: tuple[SummaryItem, ...] = ()
    conditions: tuple[SummaryItem, ...] = ()
    blood_group: str | None = None
    advance_directives: tuple[SummaryItem, ...] = ()
    contacts: tuple[EmergencyContact, ...] = field(default=())

    def to_json(self) -> str:
        data = asdict(self)
        data["fields"] = [f.value for f in self.fields]
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "EmergencySummary":
        data = json.loads(text)
        items = lambda key: tuple(SummaryItem(**item) for item in data.get(key) or ())  # noqa: E731
        return cls(
            fields=tuple(EmergencyField(value) for value in data.get("fields") or ()),
            name=data.get("name"), birth_date=data.get("birth_date"),
            allergies=items("allergies"), treatments=items("treatments"),
            conditions=items("conditions"), blood_group=data.get("blood_group"),
            advance_directives=items("advance_directives"),
            contacts=tuple(EmergencyContact(**c) for c in data.get("contacts") or ()),
        )


def build_summary(resources: Iterable[dict], fields: Iterable[EmergencyField]) -> EmergencySummary:
    """The summary of `resources`, holding only the chosen `fields` (others stay empty)."""
    chosen = tuple(EmergencyField(f) for f in dict.fromkeys(fields))
    by_type: dict[str, list[dict]] = {}
    for resource in resources:
        by_type.setdefault(resource.get("resourceType", ""), []).append(resource)
    patient = (by_type.get("Patient") or [{}])[0]
    wants = set(chosen)
    return EmergencySummary(
        fields=chosen,
        name=human_name(patient.get("name")) if EmergencyField.IDENTITY in wants else None,
        birth_date=patient.get("birthDate") if EmergencyField.IDENTITY in wants else None,
        allergies=_allergies(by_type) if EmergencyField.ALLERGIES in wants else (),
        treatments=_treatments(by_type) if EmergencyField.TREATMENTS in wants else (),
        conditions=_conditions(by_type) if EmergencyField.CONDITIONS in wants else (),
        blood_group=_blood_group(by_type) if EmergencyField.BLOOD_GROUP in wants else None,
        advance_directives=_directives(by_type) if EmergencyField.ADVANCE_DIRECTIVES in wants else (),
        contacts=_contacts(by_type) if EmergencyField.CONTACTS in wants else (),
    )


def _newest_first(resources: list[dict]) -> list[dict]:
    return sorted(resources, key=lambda r: (clinical_date(r) is not None, clinical_date(r) or 0),
                  reverse=True)


def _allergies(by_type: dict) -> tuple[SummaryItem, ...]:
    items = []
    for allergy in _newest_first(by_type.get("AllergyIntolerance", [])):
        if status_code(allergy, "clinicalStatus") in INACTIVE_STATUSES \
                or status_code(allergy, "verificationStatus") in INACTIVE_STATUSES:
            continue
        text = concept_text(allergy.get("code"))
        if not text:
            continue
        reaction = (allergy.get("reaction") or [{}])[0] or {}
        details = [d for d in (allergy.get("criticality") == "high" and SEVERE_ALLERGY,
                               concept_text(reaction.get("manifestation"))) if d]
        items.append(SummaryItem(text, ", ".join(details) or None))
    return tuple(items)


def _treatments(by_type: dict) -> tuple[SummaryItem, ...]:
    items = []
    for statement in _newest_first(by_type.get("MedicationStatement", [])):
        if statement.get("status") in STOPPED_STATUSES:
            continue
        text = concept_text(statement.get("medicationCodeableConcept")) or \
            _reference_display(statement.get("medicationReference"))
        if text:
            dosage = (statement.get("dosage") or [{}])[0] or {}
            items.append(SummaryItem(text, dosage.get("text")))
    return tuple(items)


def _conditions(by_type: dict) -> tuple[SummaryItem, ...]:
    items = []
    for condition in _newest_first(by_type.get("Condition", [])):
        if status_code(condition, "clinicalStatus") in INACTIVE_STATUSES \
                or status_code(condition, "verificationStatus") in INACTIVE_STATUSES:
            continue
        text = concept_text(condition.get("code"))
        if text:
            items.append(SummaryItem(text, condition.get("onsetDateTime")))
    return tuple(items)


def _blood_group(by_type: dict) -> str | None:
    for observation in _newest_first(by_type.get("Observation", [])):
        if code_of(observation) == BLOOD_GROUP_LOINC and observation.get("status") != "entered-in-error":
            return concept_text(observation.get("valueCodeableConcept")) or observation.get("valueString")
    return None


def _directives(by_type: dict) -> tuple[SummaryItem, ...]:
    items = []
    for document in _newest_first(by_type.get("DocumentReference", [])):
        if code_of(document) != ADVANCE_DIRECTIVES_LOINC or document.get("status") == "entered-in-error":
            continue
        attachment = ((document.get("content") or [{}])[0] or {}).get("attachment") or {}
        text = document.get("description") or attachment.get("title") or "Advance directives"
        items.append(SummaryItem(text, document.get("date")))
    return tuple(items)


def _contacts(by_type: dict) -> tuple[EmergencyContact, ...]:
    contacts = []
    for person in by_type.get("RelatedPerson", []):
        if person.get("active") is False:
            continue
        phone = next((t.get("value") for t in person.get("telecom") or []
                      if isinstance(t, dict) and t.get("system") == "phone"), None)
        name = human_name(person.get("name"))
        if name:
            contacts.append(EmergencyContact(name, concept_text(person.get("relationship")), phone))
    return tuple(sorted(contacts, key=lambda contact: contact.name))


def _reference_display(reference) -> str | None:
    return reference.get("display") if isinstance(reference, dict) else None
