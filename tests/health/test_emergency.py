"""Building the emergency summary from FHIR resources (pure, no storage)."""
from __future__ import annotations

from health.emergency import EmergencyField, EmergencySummary, build_summary, is_source

RECORD = [
    {"resourceType": "Patient", "id": "p", "name": [{"given": ["Camille"], "family": "Martin"}],
     "birthDate": "1970-05-17"},
    {"resourceType": "AllergyIntolerance", "id": "a1", "code": {"text": "Pénicilline"},
     "criticality": "high", "reaction": [{"manifestation": [{"text": "Œdème de Quincke"}]}],
     "recordedDate": "2010-01-01"},
    {"resourceType": "AllergyIntolerance", "id": "a2", "code": {"text": "Pollen"},
     "clinicalStatus": {"coding": [{"code": "resolved"}]}},
    {"resourceType": "AllergyIntolerance", "id": "a3",
     "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91935009", "display": "Arachide"}]},
     "recordedDate": "2020-01-01"},
    {"resourceType": "MedicationStatement", "id": "m1", "status": "active",
     "medicationCodeableConcept": {"text": "Metformine 1000 mg"}, "dosage": [{"text": "1 matin et soir"}]},
    {"resourceType": "MedicationStatement", "id": "m2", "status": "stopped",
     "medicationCodeableConcept": {"text": "Amoxicilline"}},
    {"resourceType": "MedicationStatement", "id": "m3", "status": "active",
     "medicationReference": {"display": "Insuline glargine"}},
    {"resourceType": "Condition", "id": "c1", "code": {"text": "Diabète de type 2"},
     "clinicalStatus": {"coding": [{"code": "active"}]}, "onsetDateTime": "2015"},
    {"resourceType": "Condition", "id": "c2", "code": {"text": "Angine"},
     "clinicalStatus": {"coding": [{"code": "resolved"}]}},
    {"resourceType": "Observation", "id": "bg-old", "status": "final", "effectiveDateTime": "1990-01-01",
     "code": {"coding": [{"system": "http://loinc.org", "code": "882-1"}]}, "valueString": "O"},
    {"resourceType": "Observation", "id": "bg", "status": "final", "effectiveDateTime": "2001-01-01",
     "code": {"coding": [{"system": "http://loinc.org", "code": "882-1"}]},
     "valueCodeableConcept": {"coding": [{"display": "A Rh+"}]}},
    {"resourceType": "DocumentReference", "id": "ad", "status": "current", "date": "2022-02-02",
     "type": {"coding": [{"system": "http://loinc.org", "code": "42348-3"}]},
     "description": "Refus de l'acharnement thérapeutique"},
    {"resourceType": "DocumentReference", "id": "rx", "status": "current",
     "type": {"coding": [{"system": "http://loinc.org", "code": "57833-6"}]}},
    {"resourceType": "RelatedPerson", "id": "r1", "name": [{"given": ["Alex"], "family": "Martin"}],
     "relationship": [{"text": "Conjoint"}], "telecom": [{"system": "phone", "value": "+33612345678"}]},
    {"resourceType": "RelatedPerson", "id": "r2", "active": False, "name": [{"text": "Ex"}]},
]


def test_every_field():
    summary = build_summary(RECORD, list(EmergencyField))
    assert (summary.name, summary.birth_date) == ("Camille Martin", "1970-05-17")
    assert [(a.text, a.detail) for a in summary.allergies] == [
        ("Arachide", None), ("Pénicilline", "allergie grave / severe, Œdème de Quincke")]
    assert [(t.text, t.detail) for t in summary.treatments] == [
        ("Metformine 1000 mg", "1 matin et soir"), ("Insuline glargine", None)]
    assert [c.text for c in summary.conditions] == ["Diabète de type 2"]
    assert summary.blood_group == "A Rh+"
    assert [d.text for d in summary.advance_directives] == ["Refus de l'acharnement thérapeutique"]
    assert [(c.name, c.relationship, c.phone) for c in summary.contacts] == [
        ("Alex Martin", "Conjoint", "+33612345678")]


def test_unchosen_fields_stay_empty():
    summary = build_summary(RECORD, [EmergencyField.BLOOD_GROUP])
    assert summary.blood_group == "A Rh+"
    assert summary.name is None and summary.allergies == () and summary.contacts == ()
    assert summary.fields == (EmergencyField.BLOOD_GROUP,)


def test_json_round_trip():
    summary = build_summary(RECORD, list(EmergencyField))
    assert EmergencySummary.from_json(summary.to_json()) == summary


def test_an_empty_record_gives_an_empty_summary():
    summary = build_summary([], list(EmergencyField))
    assert summary.allergies == () and summary.blood_group is None and summary.name is None


def test_which_changes_can_change_a_summary():
    assert is_source("AllergyIntolerance", {"resourceType": "AllergyIntolerance"})
    assert is_source("Observation", RECORD[10])
    assert not is_source("Observation", {"resourceType": "Observation", "code": {"text": "poids"}})
    assert not is_source("DocumentReference", RECORD[12])
    assert is_source("Condition", None)
    assert not is_source("AuditEvent", None)
