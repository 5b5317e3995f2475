"""How entries of the profile read: main text, details, who the record says wrote them."""
from __future__ import annotations

from health.profile_display import Detail, describe, measured_value

DR = {"reference": "Practitioner/pr1", "display": "Dr Claire Lefèvre"}


def kinds(view) -> dict[str, tuple[str, str]]:
    return {detail.kind: (detail.value, detail.second) for detail in view.details}


def test_an_allergy_from_a_doctor():
    view = describe({"resourceType": "AllergyIntolerance", "category": ["medication"], "criticality": "high",
                     "code": {"coding": [{"code": "764146007", "display": "Penicillin"}], "text": "Pénicilline"},
                     "reaction": [{"manifestation": [{"text": "Urticaire"}]}], "onsetDateTime": "1988-05-01",
                     "recorder": DR})
    assert view.title == "Pénicilline"
    assert kinds(view) == {"allergy.medication": ("", ""), "criticality.high": ("", ""),
                           "reaction": ("Urticaire", ""), "since": ("01/05/1988", "")}
    assert view.declared_author == "Dr Claire Lefèvre" and not view.inactive


def test_a_stopped_treatment_is_inactive_with_its_period_and_source():
    view = describe({"resourceType": "MedicationStatement", "status": "completed",
                     "medicationCodeableConcept": {"text": "Kétoprofène 100 mg"}, "dosage": [{"text": "1 le soir"}],
                     "effectivePeriod": {"start": "2020-01-02", "end": "2020-01-07"}, "informationSource": DR})
    assert view.inactive
    assert kinds(view) == {"treatment.stopped": ("", ""), "dosage": ("1 le soir", ""),
                           "period": ("02/01/2020", "07/01/2020")}
    assert view.declared_author == "Dr Claire Lefèvre"


def test_a_hospital_stay_its_place_and_its_surgeon():
    view = describe({"resourceType": "Encounter", "status": "finished", "reasonCode": [{"text": "Appendicite"}],
                     "period": {"start": "2015-05-12", "end": "2015-05-15"},
                     "participant": [{"individual": {"reference": "Practitioner/s", "display": "Dr Thomas Lambert"}}],
                     "serviceProvider": {"display": "Clinique du Parc"}})
    assert view.title == "Appendicite"
    assert kinds(view)["place"] == ("Clinique du Parc", "")
    assert view.declared_author == "Dr Thomas Lambert"


def test_measurements_read_in_the_patients_language():
    pressure = {"resourceType": "Observation", "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
                "effectiveDateTime": "2024-03-05T08:30:00+01:00", "component": [
                    {"code": {"coding": [{"code": "8480-6"}]}, "valueQuantity": {"value": 128, "code": "mm[Hg]"}},
                    {"code": {"coding": [{"code": "8462-4"}]}, "valueQuantity": {"value": 82, "code": "mm[Hg]"}}]}
    weight = {"resourceType": "Observation", "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
              "valueQuantity": {"value": 72.5, "unit": "kg"}, "effectiveDateTime": "2024-03-05"}
    assert measured_value(pressure) == "128/82 mmHg"
    assert measured_value(weight) == "72,5 kg" and measured_value(weight, "en") == "72.5 kg"
    assert describe(pressure, "en").title == "Blood pressure"
    assert kinds(describe(pressure)) == {"value": ("128/82 mmHg", ""), "on": ("05/03/2024", ""), "at": ("08:30", "")}


def test_a_contact_says_its_relationship_and_roles():
    view = describe({"resourceType": "RelatedPerson", "name": [{"given": ["Émilie"], "family": "Rousseau"}],
                     "relationship": [
                         {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "SIS",
                                      "display": "Sœur"}], "text": "Sœur, contact en cas d'urgence"},
                         {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "C"}]}],
                     "telecom": [{"system": "phone", "value": "+33622334455"}]})
    assert view.title == "Émilie Rousseau"
    assert view.details == (Detail("relationship.SIB"), Detail("role.emergency-contact"), Detail("phone", "+33622334455"))
    unknown = describe({"resourceType": "RelatedPerson", "name": [{"text": "Alex"}],
                        "relationship": [{"text": "Tuteur"}]})
    assert unknown.details == (Detail("relationship", "Tuteur"),)


def test_advance_directives_show_their_text_and_whether_a_file_comes_with_them():
    view = describe({"resourceType": "DocumentReference", "type": {"coding": [{"code": "42348-3"}]},
                     "description": "Pas d'acharnement", "date": "2024-02-01T10:00:00Z",
                     "content": [{"attachment": {"title": "Mes directives anticipées", "url": "Binary/b"}}],
                     "author": [{"reference": "Patient/p1"}]})
    assert view.title == "Mes directives anticipées"
    assert [d.kind for d in view.details] == ["note", "on", "file"]
    assert view.declared_author is None  # the patient: not a named author to show
