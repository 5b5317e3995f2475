"""The patient's privacy choices over HTTP: who may change them, and every refusal."""
import pytest

from tests.server.access_world import make_clinic


@pytest.fixture
def clinic(client, app, settings):
    return make_clinic(client, app, settings)


def _practitioner(clinic, profession: str) -> str:
    return clinic.pros[profession].fhir_id


def test_defaults_then_every_choice_round_trips(clinic):
    choices = clinic.privacy("GET").json()
    assert choices == {"patient": f"Patient/{clinic.patient.fhir_id}", "regular_doctor": None, "blocked": [],
                       "emergency_access_allowed": True,
                       "notifications": {"email_on_first_access": True, "email_on_new_document": True,
                                         "email_on_emergency_access": True}}
    gp = _practitioner(clinic, "general-practitioner")
    doctor = clinic.privacy("PUT", "/regular-doctor", json={"practitioner": f"Practitioner/{gp}"}).json()
    assert doctor["regular_doctor"]["practitioner"] == f"Practitioner/{gp}"
    assert doctor["regular_doctor"]["profession"] == "general-practitioner"
    blocked = clinic.privacy("PUT", f"/blocks/{_practitioner(clinic, 'dentist')}").json()["blocked"]
    assert [b["practitioner"] for b in blocked] == [f"Practitioner/{_practitioner(clinic, 'dentist')}"]
    assert blocked[0]["since"]
    again = clinic.privacy("PUT", f"/blocks/{_practitioner(clinic, 'dentist')}").json()["blocked"]
    assert len(again) == 1  # idempotent
    assert clinic.privacy("PUT", "/emergency-access", json={"allowed": False}).json()["emergency_access_allowed"] \
        is False
    notifications = clinic.privacy("PUT", "/notifications", json={"email_on_new_document": False}).json()
    assert notifications["notifications"]["email_on_new_document"] is False
    assert notifications["notifications"]["email_on_first_access"] is True
    none = clinic.privacy("PUT", "/regular-doctor", json={"practitioner": None}).json()
    assert none["regular_doctor"] is None
    me = clinic.get(clinic.as_patient, f"/fhir/Patient/{clinic.patient.fhir_id}").json()
    assert "generalPractitioner" not in me


def test_regular_doctor_rules(clinic):
    nurse = clinic.privacy("PUT", "/regular-doctor",
                           json={"practitioner": f"Practitioner/{_practitioner(clinic, 'nurse')}"})
    assert nurse.status_code == 400 and "general practitioner" in nurse.json()["issue"][0]["diagnostics"]
    missing = clinic.privacy("PUT", "/regular-doctor", json={"practitioner": "Practitioner/nobody"})
    assert missing.status_code == 404 and missing.json()["resourceType"] == "OperationOutcome"
    gp = _practitioner(clinic, "general-practitioner")
    clinic.privacy("PUT", f"/blocks/{gp}")
    conflict = clinic.privacy("PUT", "/regular-doctor", json={"practitioner": gp})
    assert conflict.status_code == 409 and "unblock" in conflict.json()["issue"][0]["diagnostics"]
    clinic.privacy("DELETE", f"/blocks/{gp}")
    assert clinic.privacy("PUT", "/regular-doctor", json={"practitioner": gp}).status_code == 200
    refused = clinic.privacy("PUT", f"/blocks/{gp}")
    assert refused.status_code == 409 and "regular doctor" in refused.json()["issue"][0]["diagnostics"]
    # The same rules through a plain FHIR update of the Patient resource.
    me = clinic.get(clinic.as_patient, f"/fhir/Patient/{clinic.patient.fhir_id}").json()
    as_nurse = {**me, "generalPractitioner": [{"reference": f"Practitioner/{_practitioner(clinic, 'nurse')}"}]}
    assert clinic.put(clinic.as_patient, as_nurse).status_code == 400
    two = {**me, "generalPractitioner": me["generalPractitioner"] * 2}
    assert clinic.put(clinic.as_patient, two).status_code == 400


def test_bad_input_is_refused_with_an_outcome_and_changes_nothing(clinic):
    for method, path, body in (("PUT", "/emergency-access", {"allowed": "maybe"}),
                               ("PUT", "/emergency-access", {"allowed": True, "extra": 1}),
                               ("PUT", "/notifications", {"email_on_first_access": "no"}),
                               ("PUT", "/regular-doctor", {"practitioner": "Practitioner/"})):
        response = clinic.privacy(method, path, json=body)
        assert response.status_code == 400, (path, response.text)
        assert response.json()["resourceType"] == "OperationOutcome"
    assert clinic.privacy("PUT", "/blocks/nobody").status_code == 404
    assert clinic.privacy("GET").json()["emergency_access_allowed"] is True


def test_only_the_patient_or_the_minors_representative_decides(clinic):
    assert clinic.client.get("/privacy").status_code == 401
    refused = clinic.privacy("GET", headers=clinic.as_pro["general-practitioner"])
    assert refused.status_code == 403 and refused.json()["resourceType"] == "OperationOutcome"
    child = clinic.privacy("PUT", f"/blocks/{_practitioner(clinic, 'nurse')}", params={"patient": clinic.child.fhir_id})
    assert child.status_code == 200 and child.json()["patient"] == f"Patient/{clinic.child.fhir_id}"
    assert clinic.privacy("GET", headers=clinic.as_child).json()["blocked"][0]["practitioner"].endswith(
        _practitioner(clinic, "nurse"))
    assert clinic.privacy("GET").json()["blocked"] == []  # the parent's own record is another matter
    # The parent's change is in the child's access history.
    assert any(e["action"] == "U" and e["agent"][0]["who"]["reference"] == f"Patient/{clinic.patient.fhir_id}"
               for e in clinic.history(clinic.child))
    for stranger_try in (clinic.privacy("GET", headers=clinic.as_stranger, params={"patient": clinic.child.fhir_id}),
                         clinic.privacy("GET", params={"patient": clinic.stranger.fhir_id}),
                         clinic.privacy("GET", params={"patient": "no-such-patient"})):
        assert stranger_try.status_code == 404
