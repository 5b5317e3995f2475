"""A synthetic patient record shaped like a real one, for benchmarks and crash tests.

Deterministic for a given seed. Proportions follow a long-followed adult patient: mostly
measurements and lab observations, then documents, access events, messages, the rest.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from health.codes import BLOOD_GROUP_LOINC, DOCUMENT_TYPES, MEASUREMENTS

PATIENT_ID = "patient-1"
_WORDS = ("bilan", "sanguin", "cholestérol", "glycémie", "radiographie", "thorax", "genou",
          "échographie", "abdominale", "ordonnance", "kinésithérapie", "séances", "vaccin",
          "grippe", "tétanos", "compte", "rendu", "consultation", "cardiologie", "hypertension",
          "diabète", "suivi", "annuel", "hospitalisation", "urgence", "fracture", "poignet",
          "allergie", "pénicilline", "asthme", "IRM", "lombaire", "scanner", "dentaire",
          "ophtalmologie", "lunettes", "dermatologie", "grain", "beauté", "sommeil", "apnée")
_PRACTITIONERS = tuple(f"Dr {name}" for name in ("Martin", "Bernard", "Dubois", "Thomas", "Robert",
                                                 "Richard", "Petit", "Durand", "Leroy", "Moreau",
                                                 "Simon", "Laurent", "Lefebvre", "Michel"))
# (resource type, share of the record); observations fill the rest.
_MIX = (("DocumentReference", 0.10), ("AuditEvent", 0.10), ("Communication", 0.07),
        ("Appointment", 0.04), ("Immunization", 0.03), ("Procedure", 0.03),
        ("Condition", 0.01), ("MedicationStatement", 0.01), ("AllergyIntolerance", 0.001),
        ("RelatedPerson", 0.0001))


@dataclass(frozen=True)
class SyntheticFile:
    binary_id: str
    content_type: str
    size: int


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1995, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def _coding(system: str, code: str, display: str | None = None) -> dict:
    return {"coding": [{"system": system, "code": code, **({"display": display} if display else {})}]}


def _resource(kind: str, number: int, rng: random.Random) -> dict:
    ident = f"{kind[:3].lower()}-{number}"
    base = {"resourceType": kind, "id": ident, "meta": {"versionId": "1"}}
    subject = {"reference": f"Patient/{PATIENT_ID}"}
    author = {"reference": f"Practitioner/p{rng.randint(1, 14)}", "display": rng.choice(_PRACTITIONERS)}
    if kind == "Observation":
        code = rng.choice(list(MEASUREMENTS) + [BLOOD_GROUP_LOINC] * (number % 500 == 0))
        return {**base, "status": "final", "subject": subject, "code": _coding("http://loinc.org", code),
                "category": [_coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")],
                "effectiveDateTime": _date(rng), "performer": [author],
                "valueQuantity": {"value": round(rng.uniform(40, 180), 1), "unit": MEASUREMENTS.get(code, ("", "", ""))[2]}}
    if kind == "DocumentReference":
        loinc = rng.choice(list(DOCUMENT_TYPES))
        return {**base, "status": "current", "subject": subject,
                "type": _coding("http://loinc.org", loinc, DOCUMENT_TYPES[loinc].label_fr),
                "date": f"{_date(rng)}T{rng.randint(7, 19):02d}:00:00Z", "author": [author],
                "description": _phrase(rng, rng.randint(3, 12)).capitalize(),
                "content": [{"attachment": {"url": f"Binary/bin-{number}", "title": DOCUMENT_TYPES[loinc].label_fr,
                                            "contentType": "application/pdf"}}]}
    if kind == "AuditEvent":
        return {**base, "recorded": f"{_date(rng)}T10:00:00Z", "action": "R",
                "type": {"code": "rest", "display": "Consultation du dossier"},
                "agent": [{"who": author, "requestor": True}],
                "purposeOfEvent": [_coding("http://terminology.hl7.org/CodeSystem/v3-ActReason",
                                           "ETREAT" if number % 50 == 0 else "TREAT")],
                "entity": [{"what": {"reference": f"DocumentReference/doc-{number}"}}]}
    if kind == "Communication":
        thread = f"Communication/com-{number - number % 5}"
        return {**base, "status": "completed", "subject": subject, "sent": f"{_date(rng)}T09:00:00Z",
                "sender": author, **({"partOf": [{"reference": thread}]} if number % 5 else {}),
                "topic": {"text": _phrase(rng, 3)}, "payload": [{"contentString": _phrase(rng, 25)}]}
    if kind == "Appointment":
        return {**base, "status": "booked", "start": f"{_date(rng)}T14:00:00Z",
                "description": _phrase(rng, 3), "participant": [{"actor": author}]}
    if kind == "RelatedPerson":
        return {**base, "patient": subject, "name": [{"given": ["Alex"], "family": f"Proche {number}"}],
                "relationship": [{"text": "conjoint"}], "telecom": [{"system": "phone", "value": "+33600000000"}]}
    concept_key = {"MedicationStatement": "medicationCodeableConcept", "Immunization": "vaccineCode"}.get(kind, "code")
    date_key = {"Condition": "recordedDate", "MedicationStatement": "effectiveDateTime",
                "Immunization": "occurrenceDateTime", "Procedure": "performedDateTime",
                "AllergyIntolerance": "recordedDate"}[kind]
    status = {"Condition": {"clinicalStatus": _coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")},
              "AllergyIntolerance": {"clinicalStatus": _coding("x", "active")},
              "MedicationStatement": {"status": "active"}, "Immunization": {"status": "completed"},
              "Procedure": {"status": "completed"}}[kind]
    return {**base, **status, "subject": subject, date_key: _date(rng),
            concept_key: {"text": _phrase(rng, 2), **_coding("http://snomed.info/sct", str(rng.randint(10**6, 10**7)))},
            "recorder": author}


def make_resources(count: int, *, seed: int = 1) -> list[dict]:
    """`count` resources (a Patient first), shuffled like a server's change feed."""
    rng = random.Random(seed)
    resources = [{"resourceType": "Patient", "id": PATIENT_ID, "meta": {"versionId": "1"},
                  "name": [{"given": ["Camille"], "family": "Martin"}], "birthDate": "1970-05-17"}]
    for kind, share in _MIX:
        resources += [_resource(kind, n, rng) for n in range(max(1, round((count - 1) * share)))]
    resources += [_resource("Observation", n, rng) for n in range(max(0, count - len(resources)))]
    resources = resources[:count]
    head, tail = resources[:1], resources[1:]
    rng.shuffle(tail)
    return head + tail


def history_pages(resources: list[dict], page_size: int) -> Iterator[tuple[dict, str]]:
    """The resources as change-feed pages (history Bundles) with their cursors."""
    for start in range(0, len(resources), page_size):
        entries = [{"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}}
                   for r in resources[start:start + page_size]]
        yield {"resourceType": "Bundle", "type": "history", "entry": entries}, f"cursor-{start + page_size}"


def document_files(resources: list[dict], count: int, *, seed: int = 2) -> list[SyntheticFile]:
    """Files for the first `count` documents: PDFs of 30-400 KB, scans of 0.3-3 MB, photos."""
    rng = random.Random(seed)
    files = []
    documents = [r for r in resources if r["resourceType"] == "DocumentReference"]
    for document in documents[:count]:
        binary_id = document["content"][0]["attachment"]["url"].split("/", 1)[1]
        roll = rng.random()
        if roll < 0.6:
            files.append(SyntheticFile(binary_id, "application/pdf", int(rng.uniform(30e3, 400e3))))
        elif roll < 0.9:
            files.append(SyntheticFile(binary_id, "image/jpeg", int(rng.uniform(300e3, 3e6))))
        else:
            files.append(SyntheticFile(binary_id, "image/png", int(rng.uniform(50e3, 800e3))))
    return files


def file_bytes(file: SyntheticFile) -> bytes:
    """Incompressible bytes (scans and PDFs are compressed already), with a real header."""
    header = b"%PDF-1.7\n" if file.content_type == "application/pdf" else b"\xff\xd8\xff\xe0"
    return header + random.Random(file.binary_id).randbytes(file.size - len(header))
