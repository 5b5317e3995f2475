"""The International Patient Summary (IPS): the emergency card as a FHIR R4 document Bundle.

Pure functions, no I/O. The selection follows the emergency summary's rules (health.emergency),
so that the card a responder reads and the document a foreign hospital imports agree: only
active allergies and conditions, current treatments, the newest blood group, advance
directives, and active contacts. Identifiers are uuid5 of the resources' ids, so exporting
the same record twice gives the same fullUrls (the Bundle's own identifier also depends on
`now`, since each export is a document of its own).
"""
from __future__ import annotations

import copy
import hashlib
import html
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from health.codes import BLOOD_GROUP_LOINC, LOINC
from health.emergency import ADVANCE_DIRECTIVES_LOINC
# The summary's own selection rules, reused so that the card and the IPS never disagree.
from health.fhir_text import INACTIVE_STATUSES, STOPPED_STATUSES, concept_text, human_name, status_code
from health.fhir_index import clinical_date, code_of

PATIENT_SUMMARY_LOINC = "60591-5"
_EMPTY_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/list-empty-reason"
_XHTML = "http://www.w3.org/1999/xhtml"
# Fixed, so that the uuid5 of a resource is the same on every device and every export.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:carnet:ips")
_RELATIVE_REFERENCE = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")


@dataclass(frozen=True)
class IpsSection:
    """One section of the IPS Composition: its LOINC code and titles."""

    key: str
    loinc: str
    loinc_display: str
    title: str
    empty_text: str


SECTIONS: tuple[IpsSection, ...] = (
    IpsSection("allergies", "48765-2", "Allergies and adverse reactions Document",
               "Allergies et intolérances / Allergies and intolerances",
               "Aucune allergie enregistrée / No allergy recorded"),
    IpsSection("medications", "10160-0", "History of Medication use Narrative",
               "Traitements en cours / Current medications",
               "Aucun traitement enregistré / No medication recorded"),
    IpsSection("problems", "11450-4", "Problem list - Reported",
               "Problèmes actifs / Active problems",
               "Aucun problème enregistré / No problem recorded"),
    IpsSection("immunizations", "11369-6", "History of Immunization Narrative",
               "Vaccinations / Immunizations",
               "Aucune vaccination enregistrée / No immunization recorded"),
    IpsSection("results", "30954-2", "Relevant diagnostic tests/laboratory data Narrative",
               "Groupe sanguin / Blood group",
               "Groupe sanguin non enregistré / No blood group recorded"),
    IpsSection("advance-directives", ADVANCE_DIRECTIVES_LOINC, "Advance directives",
               "Directives anticipées / Advance directives",
               "Aucune directive enregistrée / No advance directive recorded"),
)


def build_patient_summary(patient: dict, resources: list[dict], *, now: datetime,
                          author_display: str = "Carnet") -> dict:
    """An IPS document Bundle for `patient` from the record's `resources` (not modified)."""
    moment = (now if now.tzinfo else now.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    timestamp = moment.isoformat(timespec="seconds")
    resources = list({_key_of(r): r for r in resources}.values())  # each resource once, the last copy
    selected = select_resources(resources)
    contacts = [r for r in resources if r.get("resourceType") == "RelatedPerson" and r.get("active") is not False]
    clinical = [r for key in selected for r in selected[key]]
    practitioners = _referenced_practitioners(resources, clinical)
    author = _author_device(author_display)
    patient = patient if patient.get("contact") else _with_contacts(patient, contacts)
    # Keyed by Type/id: a resource given twice is included once (fullUrls must be unique).
    parts = [patient, author, *clinical, *_sorted(contacts), *practitioners]
    included = list({_key_of(resource): resource for resource in parts}.values())
    urls = {_key_of(r): _full_url(r) for r in included}
    document_id = _document_id(included, timestamp)
    composition_id = str(uuid.uuid5(_NAMESPACE, f"Composition/{document_id}"))
    composition = _composition(patient, selected, urls, author, author_display, timestamp, composition_id)
    entries = [_entry(resource, urls) for resource in included]
    return {
        "resourceType": "Bundle", "id": document_id, "language": "fr-FR",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{document_id}"},
        "type": "document", "timestamp": timestamp,
        "entry": [{"fullUrl": f"urn:uuid:{composition_id}", "resource": composition}, *entries],
    }


def select_resources(resources: list[dict]) -> dict[str, list[dict]]:
    """The resources each section lists, newest first (keys are IpsSection.key)."""
    by_type: dict[str, list[dict]] = {}
    for resource in resources:
        by_type.setdefault(resource.get("resourceType", ""), []).append(resource)
    blood_groups = [o for o in _sorted(by_type.get("Observation", []))
                    if code_of(o) == BLOOD_GROUP_LOINC and o.get("status") != "entered-in-error"]
    return {
        "allergies": [a for a in _sorted(by_type.get("AllergyIntolerance", [])) if _is_active(a)],
        "medications": [m for m in _sorted(by_type.get("MedicationStatement", []))
                        if m.get("status") not in STOPPED_STATUSES],
        "problems": [c for c in _sorted(by_type.get("Condition", [])) if _is_active(c)],
        "immunizations": [i for i in _sorted(by_type.get("Immunization", []))
                          if i.get("status") not in ("entered-in-error", "not-done")],
        "results": blood_groups[:1],  # the newest result is the one a transfusion relies on
        "advance-directives": [d for d in _sorted(by_type.get("DocumentReference", []))
                               if code_of(d) == ADVANCE_DIRECTIVES_LOINC
                               and d.get("status") != "entered-in-error"],
    }


def _is_active(resource: dict) -> bool:
    return status_code(resource, "clinicalStatus") not in INACTIVE_STATUSES \
        and status_code(resource, "verificationStatus") not in INACTIVE_STATUSES


def _sorted(resources: list[dict]) -> list[dict]:
    """Newest first, then by id: the order does not depend on the order of the input."""
    def key(resource: dict):
        moment = clinical_date(resource)
        return (moment is None, -(moment.timestamp() if moment else 0), str(resource.get("id", "")))
    return sorted(resources, key=key)


def _key_of(resource: dict) -> str:
    """`Type/id`; a resource without an id is keyed by a digest of its content."""
    ident = resource.get("id")
    if not ident:
        ident = hashlib.sha256(_canonical(resource).encode("utf-8")).hexdigest()[:32]
    return f"{resource.get('resourceType')}/{ident}"


def _full_url(resource: dict) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, _key_of(resource))}"


def _canonical(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _document_id(included: list[dict], timestamp: str) -> str:
    digest = hashlib.sha256(_canonical([timestamp, *included]).encode("utf-8")).hexdigest()
    return str(uuid.uuid5(_NAMESPACE, f"Bundle/{digest}"))


def _author_device(author_display: str) -> dict:
    return {"resourceType": "Device", "id": "carnet-app",
            "deviceName": [{"name": author_display, "type": "user-friendly-name"}]}


def _referenced_practitioners(resources: list[dict], clinical: list[dict]) -> list[dict]:
    """Practitioners of the input that the included resources name (recorder, prescriber…)."""
    wanted = {f"{kind}/{ident}" for resource in clinical for kind, ident in _references_in(resource)}
    return _sorted([r for r in resources if r.get("resourceType") == "Practitioner"
                    and _key_of(r) in wanted])


def _references_in(value) -> list[tuple[str, str]]:
    found = []
    if isinstance(value, dict):
        match = _RELATIVE_REFERENCE.search(value["reference"]) if isinstance(value.get("reference"), str) else None
        if match:
            found.append((match.group(1), match.group(2)))
        for item in value.values():
            found += _references_in(item)
    elif isinstance(value, list):
        for item in value:
            found += _references_in(item)
    return found


def _entry(resource: dict, urls: dict[str, str]) -> dict:
    """The resource as a Bundle entry: Carnet's meta dropped, references pointed at entries."""
    copied = copy.deepcopy(resource)
    copied.pop("meta", None)  # versions and Carnet's own labels (hidden…) mean nothing to a reader
    return {"fullUrl": urls[_key_of(resource)], "resource": _resolve_references(copied, urls)}


def _resolve_references(value, urls: dict[str, str]):
    """References to included resources become their urn:uuid; others keep only their display,
    since a document must not point at a server its reader cannot reach."""
    if isinstance(value, list):
        return [_resolve_references(item, urls) for item in value]
    if not isinstance(value, dict):
        return value
    resolved = {key: _resolve_references(item, urls) for key, item in value.items()}
    reference = resolved.get("reference")
    if isinstance(reference, str) and not reference.startswith(("#", "urn:")):
        match = _RELATIVE_REFERENCE.search(reference)
        target = urls.get(f"{match.group(1)}/{match.group(2)}") if match else None
        if target:
            resolved["reference"] = target
        else:
            del resolved["reference"]
            if not resolved.get("display") and not resolved.get("identifier"):
                resolved["display"] = "Non inclus dans ce résumé / not included in this summary"
    return resolved


def _with_contacts(patient: dict, contacts: list[dict]) -> dict:
    """The patient with its contacts also as Patient.contact, where IPS viewers look for them."""
    listed = [_patient_contact(person) for person in _sorted(contacts)]
    return {**patient, "contact": listed} if listed else patient


def _patient_contact(person: dict) -> dict:
    contact = {key: person[key] for key in ("telecom", "gender", "address") if person.get(key)}
    if person.get("relationship"):
        contact["relationship"] = person["relationship"]
    if isinstance(person.get("name"), list) and person["name"]:
        contact["name"] = person["name"][0]
    return contact


def _composition(patient: dict, selected: dict[str, list[dict]], urls: dict[str, str], author: dict,
                 author_display: str, timestamp: str, composition_id: str) -> dict:
    name = human_name(patient.get("name")) or "Patient"
    return {
        "resourceType": "Composition", "id": composition_id, "language": "fr-FR",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{composition_id}"},
        "status": "final",
        "type": {"coding": [{"system": LOINC, "code": PATIENT_SUMMARY_LOINC, "display": "Patient summary Document"}]},
        "subject": {"reference": urls[_key_of(patient)], "display": name},
        "date": timestamp,
        "author": [{"reference": urls[_key_of(author)], "display": author_display}],
        "title": f"Synthèse patient internationale / International Patient Summary - {name}",
        "confidentiality": "N",
        "section": [_section(spec, selected[spec.key], urls) for spec in SECTIONS],
    }


def _section(spec: IpsSection, resources: list[dict], urls: dict[str, str]) -> dict:
    section = {
        "title": spec.title,
        "code": {"coding": [{"system": LOINC, "code": spec.loinc, "display": spec.loinc_display}]},
    }
    if resources:
        section["text"] = _narrative([_describe(r) for r in resources])
        section["entry"] = [{"reference": urls[_key_of(r)]} for r in resources]
    else:
        section["text"] = _narrative([spec.empty_text])
        section["emptyReason"] = {
            "coding": [{"system": _EMPTY_REASON_SYSTEM, "code": "unavailable", "display": "Unavailable"}],
            "text": "Rien n'est enregistré dans Carnet / Nothing recorded in Carnet"}
    return section


def _narrative(lines: list[str]) -> dict:
    # Every line may hold text the patient typed: escaped, so that it stays text.
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return {"status": "generated", "div": f'<div xmlns="{_XHTML}"><ul>{items}</ul></div>'}


def _describe(resource: dict) -> str:
    """One line of narrative for a resource, from the elements a reader needs first."""
    kind = resource.get("resourceType")
    if kind == "AllergyIntolerance":
        reaction = (resource.get("reaction") or [{}])[0] or {}
        parts = [concept_text(resource.get("code")),
                 resource.get("criticality") == "high" and "criticité haute / high criticality",
                 concept_text(reaction.get("manifestation"))]
    elif kind == "MedicationStatement":
        dosage = (resource.get("dosage") or [{}])[0] or {}
        medication = resource.get("medicationReference") or {}
        parts = [concept_text(resource.get("medicationCodeableConcept")) or medication.get("display"),
                 dosage.get("text")]
    elif kind == "Condition":
        parts = [concept_text(resource.get("code")), _since(resource.get("onsetDateTime"))]
    elif kind == "Immunization":
        parts = [concept_text(resource.get("vaccineCode")), resource.get("occurrenceDateTime", "")[:10]]
    elif kind == "Observation":
        parts = [concept_text(resource.get("valueCodeableConcept")) or resource.get("valueString"),
                 (resource.get("effectiveDateTime") or "")[:10]]
    else:
        attachment = ((resource.get("content") or [{}])[0] or {}).get("attachment") or {}
        parts = [resource.get("description") or attachment.get("title") or "Directives anticipées",
                 (resource.get("date") or "")[:10]]
    return " - ".join(str(p) for p in parts if p) or "(sans libellé / unlabelled)"


def _since(onset) -> str | None:
    return f"depuis / since {onset[:10]}" if isinstance(onset, str) and onset else None
