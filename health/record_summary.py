"""The readable summary of a whole record, for the patient's export (French labels).

Pure functions, no I/O. The record is read one resource at a time (`RecordSummaryCollector.add`)
and only what the summary shows is kept, so a record of any size is summarised in little
memory: the clinical profile's resources, the newest measurement of each kind, one short
line per document. The profile (allergies, treatments, active conditions, blood group,
advance directives, contacts) is selected by health.emergency, so the summary and the
emergency card never disagree; vaccinations follow health.ips.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from health.codes import BLOOD_GROUP_LOINC, DOCUMENT_TYPES, MEASUREMENTS
from health.emergency import (
    ADVANCE_DIRECTIVES_LOINC, EmergencyContact, EmergencyField, SummaryItem, build_summary,
)
from health.fhir_index import clinical_date, code_of
from health.fhir_text import INACTIVE_STATUSES, concept_text, human_name, status_code
from health.ips import select_resources

GENDERS_FR = {"female": "Féminin", "male": "Masculin", "other": "Autre", "unknown": "Inconnu"}
# UCUM codes as a reader writes them.
_UNITS = {"mm[Hg]": "mmHg", "10*3/uL": "10³/µL", "m[IU]/L": "mUI/L", "umol/L": "µmol/L", "/min": "/min"}
# Resource types whose every current version the profile needs (each is a short list).
_PROFILE_TYPES = frozenset({"Patient", "AllergyIntolerance", "MedicationStatement", "Condition",
                            "Procedure", "Immunization", "RelatedPerson"})


@dataclass(frozen=True)
class Identity:
    name: str | None = None
    birth_date: str | None = None  # FHIR date as written
    gender: str | None = None  # French label
    ins: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class DatedLine:
    """One line of a section: what, an optional detail, and its FHIR date(s) as written."""

    text: str
    detail: str | None = None
    date: str | None = None
    end_date: str | None = None


@dataclass(frozen=True)
class Measurement:
    label: str
    value: str
    date: str | None


@dataclass(frozen=True)
class DocumentLine:
    date: str | None
    type_label: str
    author: str
    title: str


@dataclass(frozen=True)
class RecordSummary:
    identity: Identity
    allergies: tuple[SummaryItem, ...] = ()
    treatments: tuple[SummaryItem, ...] = ()
    conditions: tuple[DatedLine, ...] = ()  # active
    history: tuple[DatedLine, ...] = ()  # resolved or inactive conditions
    operations: tuple[DatedLine, ...] = ()
    vaccinations: tuple[DatedLine, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    blood_group: str | None = None
    advance_directives: tuple[SummaryItem, ...] = ()
    contacts: tuple[EmergencyContact, ...] = ()
    documents: tuple[DocumentLine, ...] = ()  # newest first


@dataclass
class _Document:
    resource_date: str | None
    type_label: str
    author_reference: str | None
    author_display: str | None
    title: str
    sort_key: float


@dataclass
class RecordSummaryCollector:
    """Feed it every current resource of a record (Practitioners too, for authors' names),
    in any order, then ask for the summary."""

    _profile: dict[str, dict] = field(default_factory=dict)  # "Type/id" -> resource
    _newest_observations: dict[str, dict] = field(default_factory=dict)  # code -> newest Observation
    _directives: dict[str, dict] = field(default_factory=dict)
    _documents: dict[str, _Document] = field(default_factory=dict)
    _practitioners: dict[str, str] = field(default_factory=dict)  # "Practitioner/id" -> name

    def add(self, resource: dict) -> None:
        kind, key = resource.get("resourceType"), f"{resource.get('resourceType')}/{resource.get('id')}"
        if kind in _PROFILE_TYPES:
            self._profile[key] = resource
        elif kind == "Observation":
            self._add_observation(resource)
        elif kind == "DocumentReference":
            self._add_document(key, resource)
        elif kind == "Practitioner":
            self._practitioners[key] = human_name(resource.get("name")) or ""

    def summary(self) -> RecordSummary:
        kept = [*self._profile.values(), *self._newest_observations.values(), *self._directives.values()]
        card = build_summary(kept, list(EmergencyField))
        patient = next((r for r in self._profile.values() if r.get("resourceType") == "Patient"), {})
        conditions = _by_date_shown([r for r in kept if r.get("resourceType") == "Condition"])
        return RecordSummary(
            identity=_identity(patient),
            allergies=card.allergies, treatments=card.treatments,
            conditions=tuple(line for c, line in conditions if _is_active(c)),
            history=tuple(line for c, line in conditions if not _is_active(c) and not _entered_in_error(c)),
            operations=tuple(_procedure_line(p) for p in _newest_first(
                [r for r in kept if r.get("resourceType") == "Procedure"])
                if p.get("status") not in ("entered-in-error", "not-done")),
            vaccinations=tuple(_immunization_line(i) for i in select_resources(kept)["immunizations"]),
            measurements=self._measurements(),
            blood_group=card.blood_group,
            advance_directives=card.advance_directives,
            contacts=card.contacts,
            documents=self._document_lines(patient),
        )

    def _add_observation(self, observation: dict) -> None:
        code = code_of(observation)
        if code is None or observation.get("status") in ("entered-in-error", "cancelled"):
            return
        current = self._newest_observations.get(code)
        if current is None or _sort_key(observation) >= _sort_key(current):
            self._newest_observations[code] = observation

    def _add_document(self, key: str, document: dict) -> None:
        if document.get("status") == "entered-in-error":
            return
        if code_of(document) == ADVANCE_DIRECTIVES_LOINC:
            self._directives[key] = document
        authors = [a for a in document.get("author") or [] if isinstance(a, dict)]
        attachment = ((document.get("content") or [{}])[0] or {}).get("attachment") or {}
        self._documents[key] = _Document(
            resource_date=document.get("date") or ((document.get("context") or {}).get("period") or {}).get("start"),
            type_label=_document_type(document),
            author_reference=authors[0].get("reference") if authors else None,
            author_display=authors[0].get("display") if authors else None,
            title=attachment.get("title") or document.get("description") or "(sans titre)",
            sort_key=_sort_key(document),
        )

    def _measurements(self) -> tuple[Measurement, ...]:
        rows = []
        for code, observation in self._newest_observations.items():
            if code == BLOOD_GROUP_LOINC:
                continue
            value = observation_value(observation)
            if value is None:
                continue
            label = MEASUREMENTS[code][0] if code in MEASUREMENTS else concept_text(observation.get("code")) or code
            rows.append(Measurement(label, value, _observation_date(observation)))
        return tuple(sorted(rows, key=lambda row: row.label.casefold()))

    def _document_lines(self, patient: dict) -> tuple[DocumentLine, ...]:
        patient_key = f"Patient/{patient.get('id')}"
        patient_name = human_name(patient.get("name"))
        lines = []
        for document in sorted(self._documents.values(), key=lambda d: d.sort_key, reverse=True):
            author = document.author_display or self._practitioners.get(document.author_reference or "")
            if not author and document.author_reference == patient_key:
                author = patient_name
            lines.append(DocumentLine(document.resource_date, document.type_label, author or "—", document.title))
        return tuple(lines)


def observation_value(observation: dict) -> str | None:
    """The value as a French reader writes it: '72,5 kg', '128/82 mmHg', 'A+'."""
    if isinstance(observation.get("valueQuantity"), dict):
        return _quantity(observation["valueQuantity"])
    components = [c.get("valueQuantity") for c in observation.get("component") or []
                  if isinstance(c, dict) and isinstance(c.get("valueQuantity"), dict)]
    if components:
        values = "/".join(_number(q.get("value")) for q in components)
        unit = _unit(components[0])
        return f"{values} {unit}".strip()
    text = concept_text(observation.get("valueCodeableConcept")) or observation.get("valueString")
    return text if isinstance(text, str) and text else None


def _quantity(quantity: dict) -> str | None:
    if quantity.get("value") is None:
        return None
    return f"{_number(quantity['value'])} {_unit(quantity)}".strip()


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def _unit(quantity: dict) -> str:
    unit = quantity.get("unit") or quantity.get("code") or ""
    return _UNITS.get(unit, unit)


def _identity(patient: dict) -> Identity:
    telecom = [t for t in patient.get("telecom") or [] if isinstance(t, dict)]
    first = lambda system: next((t.get("value") for t in telecom if t.get("system") == system), None)  # noqa: E731
    identifiers = [i for i in patient.get("identifier") or [] if isinstance(i, dict)]
    return Identity(
        name=human_name(patient.get("name")), birth_date=patient.get("birthDate"),
        gender=GENDERS_FR.get(patient.get("gender") or ""),
        ins=identifiers[0].get("value") if identifiers else None,
        address=_address(patient.get("address")), phone=first("phone"), email=first("email"),
    )


def _address(addresses) -> str | None:
    if not isinstance(addresses, list) or not addresses or not isinstance(addresses[0], dict):
        return None
    address = addresses[0]
    if isinstance(address.get("text"), str) and address["text"].strip():
        return address["text"].strip()
    town = " ".join(p for p in (address.get("postalCode"), address.get("city")) if isinstance(p, str) and p)
    parts = [*(line for line in address.get("line") or [] if isinstance(line, str)), town]
    return ", ".join(p for p in parts if p) or None


def _document_type(document: dict) -> str:
    code = code_of(document)
    if code in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[code].label_fr
    return concept_text(document.get("type")) or "Document"


def _is_active(resource: dict) -> bool:
    return status_code(resource, "clinicalStatus") not in INACTIVE_STATUSES \
        and status_code(resource, "verificationStatus") not in INACTIVE_STATUSES


def _entered_in_error(resource: dict) -> bool:
    return status_code(resource, "verificationStatus") == "entered-in-error"


def _condition_line(condition: dict) -> DatedLine:
    return DatedLine(concept_text(condition.get("code")) or "(sans libellé)",
                     date=condition.get("onsetDateTime") or condition.get("recordedDate"),
                     end_date=condition.get("abatementDateTime"))


def _by_date_shown(conditions: list[dict]) -> list[tuple[dict, DatedLine]]:
    """Each condition with its line, newest onset first (the date the reader sees)."""
    lines = [(condition, _condition_line(condition)) for condition in conditions]
    return sorted(lines, key=lambda pair: (_sort_key({"resourceType": "Condition", "onsetDateTime": pair[1].date}),
                                           pair[1].text), reverse=True)


def _procedure_line(procedure: dict) -> DatedLine:
    performed = procedure.get("performedDateTime") or (procedure.get("performedPeriod") or {}).get("start")
    performers = [p.get("actor") for p in procedure.get("performer") or [] if isinstance(p, dict)]
    who = next((a.get("display") for a in performers if isinstance(a, dict) and a.get("display")), None)
    return DatedLine(concept_text(procedure.get("code")) or "(sans libellé)", detail=who, date=performed)


def _immunization_line(immunization: dict) -> DatedLine:
    doses = [p.get("doseNumberPositiveInt") for p in immunization.get("protocolApplied") or []
             if isinstance(p, dict) and p.get("doseNumberPositiveInt")]
    return DatedLine(concept_text(immunization.get("vaccineCode")) or "(sans libellé)",
                     detail=f"dose {doses[0]}" if doses else None,
                     date=immunization.get("occurrenceDateTime") or immunization.get("recorded"))


def _observation_date(observation: dict) -> str | None:
    return observation.get("effectiveDateTime") or (observation.get("effectivePeriod") or {}).get("start") \
        or observation.get("issued")


def _sort_key(resource: dict) -> float:
    moment = clinical_date(resource)
    return moment.timestamp() if moment else float("-inf")


def _newest_first(resources: list[dict]) -> list[dict]:
    return sorted(resources, key=lambda r: (_sort_key(r), str(r.get("id", ""))), reverse=True)

