"""The readable summary of a whole record (pure, no storage)."""
from __future__ import annotations

import random

from health.record_summary import RecordSummaryCollector, observation_value

LOINC = "http://loinc.org"


def _observation(ident, code, when, **value):
    return {"resourceType": "Observation", "id": ident, "status": "final", "effectiveDateTime": when,
            "code": {"coding": [{"system": LOINC, "code": code}]}, **value}


RECORD = [
    {"resourceType": "Patient", "id": "p", "name": [{"given": ["Camille"], "family": "Martin"}],
     "birthDate": "1970-05-17", "gender": "female",
     "identifier": [{"system": "urn:oid:1.2.250.1.213.1.4.8", "value": "270057512345678"}],
     "address": [{"line": ["3 rue des Lilas"], "postalCode": "75011", "city": "Paris"}],
     "telecom": [{"system": "email", "value": "c@example.org"}, {"system": "phone", "value": "+33612345678"}]},
    {"resourceType": "Practitioner", "id": "dr", "name": [{"given": ["Louis"], "family": "Bernard"}]},
    {"resourceType": "AllergyIntolerance", "id": "a1", "code": {"text": "Pénicilline"}, "criticality": "high",
     "recordedDate": "2010-01-01"},
    {"resourceType": "AllergyIntolerance", "id": "a2", "code": {"text": "Pollen"},
     "clinicalStatus": {"coding": [{"code": "resolved"}]}},
    {"resourceType": "MedicationStatement", "id": "m1", "status": "active",
     "medicationCodeableConcept": {"text": "Amlodipine 5 mg"}, "dosage": [{"text": "1 le matin"}]},
    {"resourceType": "MedicationStatement", "id": "m2", "status": "completed",
     "medicationCodeableConcept": {"text": "Amoxicilline"}},
    {"resourceType": "Condition", "id": "c1", "code": {"text": "Hypertension"}, "onsetDateTime": "2016-06-02",
     "clinicalStatus": {"coding": [{"code": "active"}]}},
    {"resourceType": "Condition", "id": "c2", "code": {"text": "Appendicite"}, "onsetDateTime": "2009-06-02",
     "abatementDateTime": "2009-06-12", "clinicalStatus": {"coding": [{"code": "resolved"}]}},
    {"resourceType": "Condition", "id": "c3", "code": {"text": "Erreur"},
     "clinicalStatus": {"coding": [{"code": "inactive"}]},
     "verificationStatus": {"coding": [{"code": "entered-in-error"}]}},
    {"resourceType": "Procedure", "id": "op", "status": "completed", "code": {"text": "Appendicectomie"},
     "performedDateTime": "2009-06-03T14:00:00+02:00",
     "performer": [{"actor": {"reference": "Practitioner/dr", "display": "Dr Louis Bernard"}}]},
    {"resourceType": "Immunization", "id": "v1", "status": "completed", "vaccineCode": {"text": "DTP"},
     "occurrenceDateTime": "2021-05-04", "protocolApplied": [{"doseNumberPositiveInt": 2}]},
    {"resourceType": "Immunization", "id": "v2", "status": "entered-in-error", "vaccineCode": {"text": "Grippe"},
     "occurrenceDateTime": "2022-05-04"},
    _observation("w-old", "29463-7", "2020-01-01", valueQuantity={"value": 70.0, "unit": "kg"}),
    _observation("w-new", "29463-7", "2023-04-05T08:30:00+02:00", valueQuantity={"value": 72.5, "unit": "kg"}),
    _observation("w-wrong", "29463-7", "2024-01-01", valueQuantity={"value": 700, "unit": "kg"},
                 status="entered-in-error"),
    _observation("bp", "85354-9", "2023-04-05", component=[
        {"code": {"text": "sys"}, "valueQuantity": {"value": 128, "unit": "mm[Hg]"}},
        {"code": {"text": "dia"}, "valueQuantity": {"value": 82, "unit": "mm[Hg]"}}]),
    _observation("bg", "882-1", "2001-01-01", valueCodeableConcept={"text": "A+"}),
    {"resourceType": "DocumentReference", "id": "d-old", "status": "current", "date": "2019-02-03T10:00:00Z",
     "type": {"coding": [{"system": LOINC, "code": "57833-6"}]},
     "author": [{"reference": "Practitioner/dr"}], "content": [{"attachment": {"title": "Ordonnance"}}]},
    {"resourceType": "DocumentReference", "id": "d-new", "status": "current", "date": "2024-02-03",
     "type": {"coding": [{"system": LOINC, "code": "42348-3"}]}, "description": "Mes directives",
     "author": [{"reference": "Patient/p"}], "content": [{"attachment": {"contentType": "application/pdf"}}]},
    {"resourceType": "RelatedPerson", "id": "r1", "name": [{"given": ["Paul"], "family": "Martin"}],
     "relationship": [{"text": "Conjoint, personne de confiance"}],
     "telecom": [{"system": "phone", "value": "+33687654321"}]},
]


def _summary(resources):
    collector = RecordSummaryCollector()
    for resource in resources:
        collector.add(resource)
    return collector.summary()


def test_every_section_from_a_record():
    summary = _summary(RECORD)
    who = summary.identity
    assert (who.name, who.birth_date, who.gender, who.ins) == ("Camille Martin", "1970-05-17", "Féminin",
                                                               "270057512345678")
    assert (who.address, who.phone, who.email) == ("3 rue des Lilas, 75011 Paris", "+33612345678", "c@example.org")
    assert [a.text for a in summary.allergies] == ["Pénicilline"]
    assert [(t.text, t.detail) for t in summary.treatments] == [("Amlodipine 5 mg", "1 le matin")]
    assert [(c.text, c.date) for c in summary.conditions] == [("Hypertension", "2016-06-02")]
    assert [(c.text, c.date, c.end_date) for c in summary.history] == [("Appendicite", "2009-06-02", "2009-06-12")]
    assert [(o.text, o.detail) for o in summary.operations] == [("Appendicectomie", "Dr Louis Bernard")]
    assert [(v.text, v.detail, v.date) for v in summary.vaccinations] == [("DTP", "dose 2", "2021-05-04")]
    assert summary.blood_group == "A+"
    assert [(m.label, m.value) for m in summary.measurements] == [("Poids", "72,5 kg"),
                                                                  ("Tension artérielle", "128/82 mmHg")]
    assert [d.text for d in summary.advance_directives] == ["Mes directives"]
    assert [(c.name, c.phone) for c in summary.contacts] == [("Paul Martin", "+33687654321")]
    assert [(d.date, d.type_label, d.author, d.title) for d in summary.documents] == [
        ("2024-02-03", "Directives anticipées", "Camille Martin", "Mes directives"),
        ("2019-02-03T10:00:00Z", "Ordonnance", "Louis Bernard", "Ordonnance"),
    ]


def test_the_order_resources_arrive_in_changes_nothing():
    shuffled = list(RECORD)
    random.Random(4).shuffle(shuffled)
    assert _summary(shuffled) == _summary(RECORD)


def test_an_empty_record_gives_empty_sections():
    summary = _summary([])
    assert summary.identity.name is None and summary.allergies == () and summary.documents == ()
    assert summary.blood_group is None


def test_observation_values_as_a_french_reader_writes_them():
    assert observation_value({"valueQuantity": {"value": 1.25, "unit": "g/L"}}) == "1,25 g/L"
    assert observation_value({"valueQuantity": {"value": 64.0, "code": "kg"}}) == "64 kg"
    assert observation_value({"valueQuantity": {"value": 260, "unit": "10*3/uL"}}) == "260 10³/µL"
    assert observation_value({"valueString": "négatif"}) == "négatif"
    assert observation_value({"valueQuantity": {"unit": "kg"}}) is None
    assert observation_value({}) is None
