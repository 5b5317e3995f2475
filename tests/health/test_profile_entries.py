"""Profile forms → FHIR resources → forms again, for every section; bad input refused with
the field it is about; editing keeps what the patient did not change."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from health.emergency import EmergencyField, build_summary
from health.fhir_resources import validate
from health.profile_display import describe
from health.profile_entries import SECTION_TYPES, blank_form, build_entry, check_form, read_entry
from health.profile_forms import (
    FORM_TYPES, AllergyForm, BloodGroupForm, ConditionForm, ContactForm, DirectivesForm, HospitalStayForm,
    InvalidForm, MeasurementForm, OperationForm, TreatmentForm, VaccinationForm, parse_date,
)

PARIS = timezone(timedelta(hours=2))
NOW = datetime(2025, 6, 1, 10, 0, tzinfo=PARIS)

GOOD_FORMS = {
    "allergies": AllergyForm("Pénicilline", "medication", "high", "Urticaire géante", "2010"),
    "conditions": ConditionForm("Asthme", "03/2001", active=True),
    "operations": OperationForm("Appendicectomie", "12/05/2015"),
    "hospital-stays": HospitalStayForm("Appendicite aiguë", "Hôpital Édouard-Herriot", "12/05/2015", "15/05/2015"),
    "treatments": TreatmentForm("Amlodipine 5 mg", "1 gélule le matin", "01/09/2020", ongoing=True),
    "vaccinations": VaccinationForm("Vaxigrip Tetra", "15/10/2024", "VA12345"),
    "measurements": MeasurementForm("85354-9", "128", "82", "01/06/2025", "08:30"),
    "blood-group": BloodGroupForm("AB-"),
    "advance-directives": DirectivesForm("Je refuse tout acharnement thérapeutique.\nPersonne de confiance : Paul."),
    "contacts": ContactForm("Paul", "Martin", "SPS", "+33 6 12 34 56 78", "paul@example.org", trusted=True,
                            emergency=True),
}


def build(section: str, form, base: dict | None = None) -> dict:
    return build_entry(section, form, patient_id="p1", now=NOW, base=base, zone=PARIS)


def field_errors(section: str, form, base: dict | None = None) -> dict[str, str]:
    with pytest.raises(InvalidForm) as refused:
        build(section, form, base)
    return {error.field: error.code for error in refused.value.errors}


def test_every_section_has_a_form_and_a_resource_type():
    assert set(GOOD_FORMS) == set(FORM_TYPES) == set(SECTION_TYPES)


@pytest.mark.parametrize("section", sorted(GOOD_FORMS))
def test_each_section_builds_a_valid_resource_that_reads_back(section):
    resource = build(section, GOOD_FORMS[section])
    validate({**resource, "id": "new-entry"}, SECTION_TYPES[section])
    assert resource["resourceType"] == SECTION_TYPES[section]
    assert read_entry(section, resource) == GOOD_FORMS[section]
    assert describe(resource).title  # every entry has a main text to show


@pytest.mark.parametrize("section", sorted(GOOD_FORMS))
def test_a_blank_form_is_refused_and_changes_nothing(section):
    form = blank_form(section, NOW)
    if section == "measurements":
        form = replace(form, value="")
    assert check_form(section, form, now=NOW, zone=PARIS)  # at least one field says what is missing


@pytest.mark.parametrize("section, form, expected", [
    ("allergies", AllergyForm("", "medication", "low", "", ""), {"substance": "required"}),
    ("allergies", AllergyForm("Arachide", "plant", "low", "", "2040"), {"kind": "choice", "since": "date_future"}),
    ("allergies", AllergyForm("Arachide", "food", "low", "", "31/02/2010"), {"since": "date_format"}),
    ("allergies", AllergyForm("Arachide", "food", "low", "", "1850"), {"since": "date_too_old"}),
    ("allergies", AllergyForm("x" * 201, "food", "low", "", ""), {"substance": "too_long"}),
    ("conditions", ConditionForm("Asthme", "hier"), {"since": "date_format"}),
    ("operations", OperationForm("Appendicectomie", ""), {"date": "required"}),
    ("hospital-stays", HospitalStayForm("Chute", "", "10/05/2015", "09/05/2015"), {"end": "date_order"}),
    ("treatments", TreatmentForm("Doliprane", "", "2021", ongoing=False, end="2020"), {"end": "date_order"}),
    ("vaccinations", VaccinationForm("Grippe", "01/01/2030"), {"date": "date_future"}),
    ("measurements", MeasurementForm("29463-7", "0,2", "", "01/06/2025", "08:00"), {"value": "out_of_range"}),
    ("measurements", MeasurementForm("29463-7", "soixante", "", "01/06/2025", ""), {"value": "number_format"}),
    ("measurements", MeasurementForm("85354-9", "80", "120", "01/06/2025", ""), {"second_value": "diastolic_above"}),
    ("measurements", MeasurementForm("85354-9", "120", "", "01/06/2025", ""), {"second_value": "required"}),
    ("measurements", MeasurementForm("8867-4", "70", "", "2025", ""), {"date": "date_full"}),
    ("measurements", MeasurementForm("8867-4", "70", "", "01/06/2025", "25:00"), {"time": "time_format"}),
    ("measurements", MeasurementForm("8867-4", "70", "", "01/06/2025", "23:00"), {"time": "date_future"}),
    ("measurements", MeasurementForm("39156-5", "22", "", "01/06/2025", ""), {"kind": "choice"}),
    ("blood-group", BloodGroupForm("C+"), {"group": "choice"}),
    ("advance-directives", DirectivesForm("   "), {"text": "required"}),
    ("contacts", ContactForm("", "", "SPS", "0612345678"), {"given": "name_required"}),
    ("contacts", ContactForm("Paul", "", "SPS", "", ""), {"phone": "contact_needed"}),
    ("contacts", ContactForm("Paul", "", "SPS", "appelle-moi", "paul@"),
     {"phone": "phone_format", "email": "email_format"}),
])
def test_bad_input_is_refused_with_the_right_field_error(section, form, expected):
    assert field_errors(section, form) == expected


def test_a_weight_out_of_range_says_the_plausible_range():
    with pytest.raises(InvalidForm) as refused:
        build("measurements", MeasurementForm("29463-7", "501", "", "01/06/2025", ""))
    assert refused.value.errors[0].values == {"low": "0.5", "high": "500", "unit": "kg"}


def test_dates_as_patients_type_them():
    assert parse_date("15/03/2019") == ("2019-03-15", NOW.date().replace(2019, 3, 15))
    assert parse_date("5.3.2019")[0] == "2019-03-05"
    assert parse_date("03/2019")[0] == "2019-03"
    assert parse_date("2019")[0] == "2019"
    assert parse_date("2019-03-15")[0] == "2019-03-15"
    assert parse_date("30/02/2019") is None and parse_date("mars 2019") is None


def test_a_measurement_keeps_its_local_time_and_decimal_comma():
    resource = build("measurements", MeasurementForm("29463-7", " 72,5 ", "", "01/06/2025", "7h05"))
    assert resource["effectiveDateTime"] == "2025-06-01T07:05:00+02:00"
    assert resource["valueQuantity"] == {"value": 72.5, "unit": "kg", "system": "http://unitsofmeasure.org",
                                         "code": "kg"}


def test_editing_keeps_the_id_codings_and_what_the_form_does_not_show():
    stored = {
        "resourceType": "AllergyIntolerance", "id": "a1", "meta": {"versionId": "3"},
        "clinicalStatus": {"coding": [{"code": "active"}]}, "type": "allergy", "category": ["environment"],
        "criticality": "low", "patient": {"reference": "Patient/p1"}, "recordedDate": "2012-04-01",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "256277009", "display": "Pollen"}],
                 "text": "Pollen de graminées"},
        "onsetDateTime": "2010-04-02T10:00:00+02:00", "note": [{"text": "Pire en mai"}],
    }
    form = read_entry("allergies", stored)
    assert form.since == "02/04/2010"
    edited = build("allergies", replace(form, criticality="high", reaction="Rhinite"), base=stored)
    assert edited["id"] == "a1" and edited["meta"] == {"versionId": "3"}
    assert edited["code"] == stored["code"]  # the SNOMED coding stays: the text did not change
    assert edited["onsetDateTime"] == stored["onsetDateTime"]  # and so does its time of day
    assert edited["note"] == stored["note"] and edited["recordedDate"] == "2012-04-01"
    assert edited["criticality"] == "high"
    assert edited["reaction"] == [{"description": "Rhinite", "manifestation": [{"text": "Rhinite"}]}]
    renamed = build("allergies", replace(form, substance="Pollen de bouleau"), base=stored)
    assert renamed["code"] == {"text": "Pollen de bouleau"}


def test_a_treatment_stopped_then_resumed():
    stored = {**build("treatments", GOOD_FORMS["treatments"]), "id": "t1"}
    stopped = build("treatments", replace(GOOD_FORMS["treatments"], ongoing=False, end="01/01/2025"), base=stored)
    assert stopped["status"] == "completed"
    assert stopped["effectivePeriod"] == {"start": "2020-09-01", "end": "2025-01-01"}
    resumed = build("treatments", replace(read_entry("treatments", stopped), ongoing=True), base=stopped)
    assert resumed["status"] == "active" and "end" not in resumed["effectivePeriod"]


def test_a_resolved_condition_drops_its_end_when_active_again():
    stored = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
              "clinicalStatus": {"coding": [{"code": "resolved"}]}, "code": {"text": "Lombalgie"},
              "abatementDateTime": "2020-01-01"}
    assert read_entry("conditions", stored).active is False
    active = build("conditions", replace(read_entry("conditions", stored), active=True), base=stored)
    assert active["clinicalStatus"]["coding"][0]["code"] == "active" and "abatementDateTime" not in active


def test_a_directive_kept_as_a_file_keeps_its_file():
    stored = {"resourceType": "DocumentReference", "id": "d1", "status": "current",
              "type": {"coding": [{"system": "http://loinc.org", "code": "42348-3"}]},
              "description": "Directives rédigées selon le modèle du ministère",
              "content": [{"attachment": {"url": "Binary/b1", "contentType": "application/pdf"}}]}
    edited = build("advance-directives", DirectivesForm("Pas de réanimation prolongée."), base=stored)
    assert edited["content"] == stored["content"] and edited["description"] == "Pas de réanimation prolongée."


def test_contacts_and_directives_reach_the_emergency_card_as_the_demo_ones_do():
    contact = {**build("contacts", GOOD_FORMS["contacts"]), "id": "r1"}
    friend = {**build("contacts", ContactForm("Karim", "Haddad", "FRND", "04 78 00 00 00", emergency=True)),
              "id": "r2"}
    directives = {**build("advance-directives", GOOD_FORMS["advance-directives"]), "id": "d1"}
    group = {**build("blood-group", GOOD_FORMS["blood-group"]), "id": "bg"}
    summary = build_summary([contact, friend, directives, group], list(EmergencyField))
    assert [(c.name, c.relationship, c.phone) for c in summary.contacts] == [
        ("Karim Haddad", "Ami(e), contact en cas d'urgence", "04 78 00 00 00"),
        ("Paul Martin", "Conjoint(e), personne de confiance, contact en cas d'urgence", "+33 6 12 34 56 78")]
    assert summary.advance_directives[0].text.startswith("Je refuse tout acharnement")
    assert summary.blood_group == "AB-"


def test_the_demo_codes_of_a_partner_are_kept_when_editing():
    stored = {"resourceType": "RelatedPerson", "id": "r1", "active": True, "patient": {"reference": "Patient/p1"},
              "relationship": [
                  {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "HUSB",
                               "display": "Conjoint(e)"}], "text": "Conjoint(e), personne de confiance"},
                  {"coding": [{"system": "urn:carnet:related-person-role", "code": "trusted-person"}]}],
              "name": [{"family": "Moreau", "given": ["Nicolas"]}],
              "telecom": [{"system": "phone", "value": "+33687654321", "use": "mobile"}]}
    form = read_entry("contacts", stored)
    assert (form.relationship, form.trusted, form.emergency) == ("SPS", True, False)
    edited = build("contacts", replace(form, email="nicolas@example.org"), base=stored)
    assert edited["relationship"][0]["coding"][0]["code"] == "HUSB"
    assert edited["name"] == stored["name"]
    assert [t["system"] for t in edited["telecom"]] == ["phone", "email"]


def test_a_resource_of_another_shape_has_no_form():
    assert read_entry("measurements", {"resourceType": "Observation", "code": {"coding": [
        {"system": "http://loinc.org", "code": "39156-5"}]}}) is None  # a body mass index is computed
    assert read_entry("blood-group", {"resourceType": "Condition"}) is None
