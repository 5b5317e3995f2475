"""The International Patient Summary: a valid FHIR document Bundle, built from the record (pure)."""
from __future__ import annotations

import copy
import json
import random
from datetime import date, datetime, timezone

import pytest
from fhir.resources.R4B import get_fhir_model_class

from health.ips import PATIENT_SUMMARY_LOINC, SECTIONS, build_patient_summary

NOW = datetime(2026, 11, 23, 5, 0, tzinfo=timezone.utc)
LOINC = "http://loinc.org"
PATIENT = {"resourceType": "Patient", "id": "p", "name": [{"given": ["Camille"], "family": "Martin"}],
           "birthDate": "1970-05-17", "generalPractitioner": [{"reference": "Practitioner/unknown"}],
           "meta": {"versionId": "3", "security": [{"system": "urn:carnet:x", "code": "y"}]}}
ACTIVE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                      "code": "active"}]}
RECORD = [
    PATIENT,
    {"resourceType": "AllergyIntolerance", "id": "a1", "patient": {"reference": "Patient/p"},
     "clinicalStatus": ACTIVE, "code": {"text": "Pénicilline <script>alert('x')</script>"},
     "criticality": "high", "recorder": {"reference": "Practitioner/dr"},
     "reaction": [{"manifestation": [{"text": "Œdème & urticaire"}]}], "recordedDate": "2010-01-01"},
    {"resourceType": "AllergyIntolerance", "id": "a2", "patient": {"reference": "Patient/p"},
     "code": {"text": "Pollen"}, "clinicalStatus": {"coding": [{"code": "resolved"}]}},
    {"resourceType": "MedicationStatement", "id": "m1", "status": "active", "subject": {"reference": "Patient/p"},
     "medicationCodeableConcept": {"text": "Metformine 1000 mg"}, "dosage": [{"text": "1 matin et soir"}],
     "informationSource": {"reference": "Practitioner/elsewhere", "display": "Dr Ailleurs"}},
    {"resourceType": "MedicationStatement", "id": "m2", "status": "stopped", "subject": {"reference": "Patient/p"},
     "medicationCodeableConcept": {"text": "Amoxicilline"}},
    {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"},
     "code": {"text": "Diabète de type 2"}, "clinicalStatus": {"coding": [{"code": "active"}]},
     "onsetDateTime": "2015"},
    {"resourceType": "Condition", "id": "c2", "subject": {"reference": "Patient/p"}, "code": {"text": "Angine"},
     "clinicalStatus": {"coding": [{"code": "resolved"}]}},
    {"resourceType": "Immunization", "id": "i1", "status": "completed", "patient": {"reference": "Patient/p"},
     "vaccineCode": {"text": "Revaxis"}, "occurrenceDateTime": "2024-07-22"},
    {"resourceType": "Immunization", "id": "i2", "status": "entered-in-error", "patient": {"reference": "Patient/p"},
     "vaccineCode": {"text": "Erreur"}, "occurrenceDateTime": "2024-07-23"},
    {"resourceType": "Observation", "id": "bg-old", "status": "final", "effectiveDateTime": "1990-01-01",
     "code": {"coding": [{"system": LOINC, "code": "882-1"}]}, "valueString": "O"},
    {"resourceType": "Observation", "id": "bg", "status": "final", "effectiveDateTime": "2001-01-01",
     "code": {"coding": [{"system": LOINC, "code": "882-1"}]}, "subject": {"reference": "Patient/p"},
     "valueCodeableConcept": {"coding": [{"display": "A Rh+"}]}},
    {"resourceType": "Observation", "id": "weight", "status": "final", "effectiveDateTime": "2025-01-01",
     "code": {"coding": [{"system": LOINC, "code": "29463-7"}]}, "valueQuantity": {"value": 70}},
    {"resourceType": "DocumentReference", "id": "ad", "status": "current", "date": "2022-02-02T10:00:00+01:00",
     "type": {"coding": [{"system": LOINC, "code": "42348-3"}]}, "subject": {"reference": "Patient/p"},
     "description": "Refus de l'acharnement thérapeutique",
     "content": [{"attachment": {"url": "Binary/b1", "contentType": "application/pdf"}}]},
    {"resourceType": "DocumentReference", "id": "rx", "status": "current",
     "type": {"coding": [{"system": LOINC, "code": "57833-6"}]},
     "content": [{"attachment": {"url": "Binary/b2"}}]},
    {"resourceType": "RelatedPerson", "id": "r1", "patient": {"reference": "Patient/p"},
     "name": [{"given": ["Alex"], "family": "Martin"}], "relationship": [{"text": "Conjoint"}],
     "telecom": [{"system": "phone", "value": "+33612345678"}]},
    {"resourceType": "RelatedPerson", "id": "r2", "active": False, "patient": {"reference": "Patient/p"},
     "name": [{"text": "Ex"}]},
    {"resourceType": "Practitioner", "id": "dr", "name": [{"family": "Durand", "prefix": ["Dr"]}]},
    {"resourceType": "Practitioner", "id": "unrelated", "name": [{"family": "Inconnu"}]},
]


def summary(resources=RECORD, patient=PATIENT, now=NOW) -> dict:
    return build_patient_summary(patient, resources, now=now)


def composition(bundle: dict) -> dict:
    return bundle["entry"][0]["resource"]


def section(bundle: dict, code: str) -> dict:
    return next(s for s in composition(bundle)["section"] if s["code"]["coding"][0]["code"] == code)


def included(bundle: dict) -> set[str]:
    return {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"][1:]}


def section_ids(bundle: dict, code: str) -> list[str]:
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    return [by_url[entry["reference"]]["id"] for entry in section(bundle, code).get("entry", [])]


def test_validates_as_a_fhir_r4b_bundle():
    get_fhir_model_class("Bundle").model_validate(summary())


def test_is_a_document_with_a_patient_summary_composition_first():
    bundle = summary()
    assert bundle["type"] == "document"
    assert bundle["timestamp"] == "2026-11-23T05:00:00+00:00"
    assert bundle["identifier"]["system"] == "urn:ietf:rfc:3986"
    assert bundle["identifier"]["value"].startswith("urn:uuid:")
    first = composition(bundle)
    assert first["resourceType"] == "Composition"
    assert first["type"]["coding"][0] == {"system": LOINC, "code": PATIENT_SUMMARY_LOINC,
                                          "display": "Patient summary Document"}
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert all(url.startswith("urn:uuid:") for url in urls) and len(set(urls)) == len(urls)
    assert first["subject"]["reference"] == next(e["fullUrl"] for e in bundle["entry"]
                                                 if e["resource"]["resourceType"] == "Patient")


def test_has_every_ips_section_with_its_loinc_code():
    codes = [s["code"]["coding"][0]["code"] for s in composition(summary())["section"]]
    assert codes == ["48765-2", "10160-0", "11450-4", "11369-6", "30954-2", "42348-3"]
    assert [spec.loinc for spec in SECTIONS] == codes


def test_includes_only_what_matters_in_an_emergency():
    bundle = summary()
    assert section_ids(bundle, "48765-2") == ["a1"]
    assert section_ids(bundle, "10160-0") == ["m1"]
    assert section_ids(bundle, "11450-4") == ["c1"]
    assert section_ids(bundle, "11369-6") == ["i1"]
    assert section_ids(bundle, "30954-2") == ["bg"]  # the newest blood group only
    assert section_ids(bundle, "42348-3") == ["ad"]
    assert included(bundle) == {"Patient/p", "Device/carnet-app", "AllergyIntolerance/a1",
                                "MedicationStatement/m1", "Condition/c1", "Immunization/i1", "Observation/bg",
                                "DocumentReference/ad", "RelatedPerson/r1", "Practitioner/dr"}


def test_every_reference_resolves_inside_the_document():
    bundle = summary()
    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    text = json.dumps(bundle)
    references = [value for value in _all_values(bundle, "reference")]
    assert references and all(reference in urls for reference in references)
    assert "Practitioner/unknown" not in text and "Practitioner/elsewhere" not in text
    medication = next(e["resource"] for e in bundle["entry"] if e["resource"].get("id") == "m1")
    assert medication["informationSource"] == {"display": "Dr Ailleurs"}  # the display survives
    assert "meta" not in next(e["resource"] for e in bundle["entry"] if e["resource"].get("id") == "p")


def test_contacts_are_related_persons_and_patient_contacts():
    bundle = summary()
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["contact"] == [{"relationship": [{"text": "Conjoint"}], "name": {"given": ["Alex"],
                                   "family": "Martin"}, "telecom": [{"system": "phone", "value": "+33612345678"}]}]


def test_narratives_escape_what_the_patient_typed():
    bundle = summary()
    div = section(bundle, "48765-2")["text"]["div"]
    assert div.startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
    assert "<script>" not in div and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in div
    assert "Œdème &amp; urticaire" in div
    assert "Metformine 1000 mg - 1 matin et soir" in section(bundle, "10160-0")["text"]["div"]
    assert "A Rh+ - 2001-01-01" in section(bundle, "30954-2")["text"]["div"]
    get_fhir_model_class("Bundle").model_validate(bundle)


def test_empty_sections_say_why():
    bundle = summary(resources=[PATIENT])
    for item in composition(bundle)["section"]:
        assert "entry" not in item
        assert item["emptyReason"]["coding"][0]["code"] == "unavailable"
        assert item["text"]["div"].startswith("<div")
    assert included(bundle) == {"Patient/p", "Device/carnet-app"}
    get_fhir_model_class("Bundle").model_validate(bundle)


def test_is_deterministic_and_independent_of_input_order():
    first, again = summary(), summary()
    assert first == again
    shuffled = RECORD[:]
    random.Random(4).shuffle(shuffled)
    assert summary(resources=shuffled) == first
    later = summary(now=datetime(2026, 11, 24, tzinfo=timezone.utc))
    assert later["identifier"] != first["identifier"]  # each export is a document of its own
    assert [e["fullUrl"] for e in later["entry"][1:]] == [e["fullUrl"] for e in first["entry"][1:]]


def test_leaves_its_inputs_untouched():
    record = copy.deepcopy(RECORD)
    summary(resources=record, patient=record[0])
    assert record == RECORD


def test_a_naive_now_is_taken_as_utc():
    assert summary(now=datetime(2026, 11, 23, 5, 0))["timestamp"] == "2026-11-23T05:00:00+00:00"


def test_the_demo_record_gives_a_valid_summary():
    from server.demo.cast import DEMO_CLINICIANS, DEMO_PATIENT
    from server.demo.record import generate_record

    record = generate_record(DEMO_PATIENT, DEMO_CLINICIANS, patient_id="demo", seed=1, today=date(2026, 11, 23),
                             files_to_render=0)
    resources = [dict(g.resource, id=g.resource.get("id") or f"r{n}") for n, g in enumerate(record.resources)]
    bundle = build_patient_summary(resources[0], resources, now=NOW)
    get_fhir_model_class("Bundle").model_validate(bundle)
    assert len(section(bundle, "48765-2")["entry"]) == 3 and len(section(bundle, "30954-2")["entry"]) == 1


@pytest.mark.parametrize("code", ["48765-2", "10160-0", "11450-4"])
def test_the_mandatory_ips_sections_are_always_present(code):
    assert section(summary(resources=[]), code)


def _all_values(value, key: str):
    if isinstance(value, dict):
        for name, item in value.items():
            if name == key and isinstance(item, str):
                yield item
            else:
                yield from _all_values(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _all_values(item, key)
