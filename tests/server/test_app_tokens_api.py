"""An app's tokens over the FHIR API: exactly what the patient granted and nothing else,
refused at once after the patient revokes or the platform withdraws the app, and every
access in the patient's history under the app's name."""
from __future__ import annotations

import pytest

from health.audit_events import APP_SYSTEM
from server.db import transaction
from server.services import catalogue
from tests.factories import bearer
from tests.server.auth_flows import active_patient, cheap
from tests.server.fhir_samples import FHIR, sample
from tests.server.oauth_flow import GLUCOSE_APP, TELECONSULT_APP, add_app, tokens_for

GLUCOSE_SCOPE = "launch/patient patient/Observation.rs patient/Observation.c"


@pytest.fixture
def settings(settings):
    return cheap(settings)


@pytest.fixture
def patient(app):
    add_app(app)
    return active_patient(app)


@pytest.fixture
def as_patient(app, patient):
    return bearer(app.state.session_factory, app.state.settings, patient)


def _auth(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _post(client, headers: dict, resource: dict):
    return client.post(f"/fhir/{resource['resourceType']}", json=resource, headers={**headers, "Content-Type": FHIR})


def test_an_observation_app_reads_and_adds_observations_only(client, app, patient, as_patient):
    mine = _post(client, as_patient, sample("Observation", patient.fhir_id)).json()
    condition = _post(client, as_patient, sample("Condition", patient.fhir_id)).json()
    headers = _auth(tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE))
    found = client.get("/fhir/Observation", headers=headers).json()
    assert [entry["resource"]["id"] for entry in found["entry"]] == [mine["id"]]
    assert client.get(f"/fhir/Observation/{mine['id']}", headers=headers).status_code == 200
    assert client.get("/fhir/Condition", headers=headers).status_code == 403
    assert client.get(f"/fhir/Condition/{condition['id']}", headers=headers).status_code == 403
    assert client.get("/fhir/AuditEvent", headers=headers).status_code == 403  # never the access history
    created = _post(client, headers, sample("Observation", patient.fhir_id))
    assert created.status_code == 201, created.text
    assert _post(client, headers, sample("Condition", patient.fhir_id)).status_code == 403
    changed = {**created.json(), "status": "amended"}
    update = client.put(f"/fhir/Observation/{changed['id']}", json=changed, headers={**headers, "Content-Type": FHIR})
    assert update.status_code == 403  # granted c, not u
    assert client.delete(f"/fhir/Observation/{mine['id']}", headers=headers).status_code == 403


def test_an_app_granted_only_reading_cannot_write(client, app, patient):
    tokens = tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE, untick=("write-0",))
    assert tokens["scope"] == "patient/Observation.rs launch/patient"
    headers = _auth(tokens)
    assert client.get("/fhir/Observation", headers=headers).status_code == 200
    refused = _post(client, headers, sample("Observation", patient.fhir_id))
    assert refused.status_code == 403 and "not granted" in refused.json()["issue"][0]["diagnostics"]


def test_a_teleconsultation_app_writes_documents_and_reads_what_it_was_given(client, app, patient, as_patient):
    secret = add_app(app, TELECONSULT_APP).client_secret
    _post(client, as_patient, sample("Condition", patient.fhir_id))
    tokens = tokens_for(client, app, patient.identifier, TELECONSULT_APP.id,
                        "patient/Condition.rs patient/DocumentReference.cruds", secret=secret)
    headers = _auth(tokens)
    assert client.get("/fhir/Condition", headers=headers).json()["total"] == 1
    report = _post(client, headers, sample("DocumentReference", patient.fhir_id))
    assert report.status_code == 201, report.text
    assert client.delete(f"/fhir/DocumentReference/{report.json()['id']}", headers=headers).status_code == 204
    assert client.get("/fhir/Observation", headers=headers).status_code == 403


def test_revoked_by_the_patient_refused_at_the_next_request(client, app, patient, as_patient):
    tokens = tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE)
    headers = _auth(tokens)
    assert client.get("/fhir/Observation", headers=headers).status_code == 200
    assert client.delete(f"/catalogue/grants/{GLUCOSE_APP.id}", headers=as_patient).status_code == 204
    refused = client.get("/fhir/Observation", headers=headers)
    assert refused.status_code == 401 and refused.json()["resourceType"] == "OperationOutcome"
    refresh = client.post("/oauth/token", data={"grant_type": "refresh_token", "client_id": GLUCOSE_APP.id,
                                                "refresh_token": tokens["refresh_token"]})
    assert refresh.json()["error"] == "invalid_grant"
    assert client.delete(f"/catalogue/grants/{GLUCOSE_APP.id}", headers=as_patient).status_code == 404
    # Granting again is a new decision: new tokens work, the old ones stay dead.
    again = _auth(tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE))
    assert client.get("/fhir/Observation", headers=again).status_code == 200
    assert client.get("/fhir/Observation", headers=headers).status_code == 401


def test_withdrawn_by_the_platform_refused_at_once(client, app, patient):
    tokens = tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE)
    with transaction(app.state.session_factory) as session:
        catalogue.withdraw_app(session, GLUCOSE_APP.id)
    assert client.get("/fhir/Observation", headers=_auth(tokens)).status_code == 401
    refresh = client.post("/oauth/token", data={"grant_type": "refresh_token", "client_id": GLUCOSE_APP.id,
                                                "refresh_token": tokens["refresh_token"]})
    assert refresh.json()["error"] == "invalid_client"


def test_a_narrower_consent_narrows_the_tokens_already_out(client, app, patient):
    first = _auth(tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE))
    tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE, untick=("write-0",))
    assert _post(client, first, sample("Observation", patient.fhir_id)).status_code == 403
    assert client.get("/fhir/Observation", headers=first).status_code == 200


def test_an_app_token_opens_the_fhir_api_only(client, app, patient):
    headers = _auth(tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE))
    for method, path in (("GET", "/auth/me"), ("GET", "/auth/devices"), ("POST", "/auth/totp"),
                         ("GET", "/privacy"), ("GET", "/catalogue/grants"), ("GET", "/agenda.ics"),
                         ("DELETE", f"/catalogue/grants/{GLUCOSE_APP.id}")):
        refused = client.request(method, path, headers=headers)
        assert refused.status_code == 403, (path, refused.text)
    everything = client.get(f"/fhir/Patient/{patient.fhir_id}/$everything", headers=headers)
    assert everything.status_code == 403  # the whole record is the patient's to export


def test_the_history_names_the_app_for_each_access(client, app, patient, as_patient):
    headers = _auth(tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE))
    client.get("/fhir/Observation", headers=headers)
    client.get("/fhir/Condition", headers=headers)  # refused, and traced as such
    _post(client, headers, sample("Observation", patient.fhir_id))
    events = [e["resource"] for e in client.get("/fhir/AuditEvent", params={"_sort": "date"},
                                                headers=as_patient).json()["entry"]]
    assert len(events) == 3
    for event in events:
        who = event["agent"][0]["who"]
        assert who["display"] == GLUCOSE_APP.name
        assert who["identifier"] == {"system": APP_SYSTEM, "value": GLUCOSE_APP.id}
        assert event["purposeOfEvent"][0]["coding"][0]["code"] == "PATRQT"
    assert [e["outcome"] for e in events] == ["0", "4", "0"]
    history = client.get(f"/catalogue/grants/{GLUCOSE_APP.id}/history", headers=as_patient).json()
    assert history["total"] == 3 and [e["resource"]["id"] for e in history["entry"]] == \
        [e["id"] for e in reversed(events)]


def test_the_patients_devices_get_the_apps_traces_through_the_feed_the_app_does_not(client, app, patient,
                                                                                     as_patient):
    headers = _auth(tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE))
    _post(client, headers, sample("Observation", patient.fhir_id))
    apps_feed = client.get(f"/fhir/Patient/{patient.fhir_id}/$changes", headers=headers).json()
    assert [e["request"]["url"].split("/")[0] for e in apps_feed["entry"]] == ["Observation"]
    feed = client.get(f"/fhir/Patient/{patient.fhir_id}/$changes", headers=as_patient).json()
    traces = [e["resource"] for e in feed["entry"] if e["request"]["url"].startswith("AuditEvent/")]
    assert len(traces) == 2  # the app's write and its feed page
    assert all(t["agent"][0]["who"]["identifier"] == {"system": APP_SYSTEM, "value": GLUCOSE_APP.id}
               for t in traces)
