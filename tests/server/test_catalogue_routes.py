"""The patient's catalogue API: the apps and what each asks for, their grants, revoking one,
and what an app did (the JSON the device's Catalogue screen reads)."""
from __future__ import annotations

import pytest

from server.db import transaction
from server.services import catalogue
from tests.factories import bearer, make_professional
from tests.server.auth_flows import active_patient, cheap
from tests.server.fhir_samples import FHIR, sample
from tests.server.oauth_flow import GLUCOSE_APP, TELECONSULT_APP, add_app, tokens_for

SCOPE = "launch/patient offline_access patient/Observation.rs patient/Observation.c"


@pytest.fixture
def settings(settings):
    return cheap(settings)


@pytest.fixture
def patient(app):
    add_app(app)
    add_app(app, TELECONSULT_APP)
    return active_patient(app)


@pytest.fixture
def as_patient(app, patient):
    return bearer(app.state.session_factory, app.state.settings, patient)


def test_the_catalogue_lists_apps_with_what_they_ask_in_words(client, app, patient, as_patient):
    apps = client.get("/catalogue", headers=as_patient).json()
    assert [a["id"] for a in apps] == [GLUCOSE_APP.id, TELECONSULT_APP.id]  # by category, then name
    gluco = apps[0]
    assert {key: gluco[key] for key in ("name", "publisher", "category", "category_label", "homepage", "granted")} \
        == {"name": "GlucoTest", "publisher": "Glycemia Labs", "category": "diabetes", "category_label": "Diabète",
            "homepage": "https://gluco.example.org", "granted": False}
    assert gluco["scopes"] == "patient/Observation.rs patient/Observation.c"
    assert gluco["access"] == [{
        "resource_type": "Observation", "restriction": None, "read": True, "write": True, "permissions": "crs",
        "text": "Lire vos mesures et résultats (poids, tension, glycémie, analyses…) ; "
                "Ajouter dans vos mesures et résultats (poids, tension, glycémie, analyses…)",
        "read_text": "Lire vos mesures et résultats (poids, tension, glycémie, analyses…)",
        "write_text": "Ajouter dans vos mesures et résultats (poids, tension, glycémie, analyses…)",
        "scope": "patient/Observation.crs"}]
    assert "secret" not in str(apps) and "redirect" not in str(apps)
    with transaction(app.state.session_factory) as session:
        catalogue.withdraw_app(session, TELECONSULT_APP.id)
    assert [a["id"] for a in client.get("/catalogue", headers=as_patient).json()] == [GLUCOSE_APP.id]


def test_grants_say_what_each_app_holds_and_when_it_was_last_used(client, app, patient, as_patient):
    assert client.get("/catalogue/grants", headers=as_patient).json() == []
    tokens = tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, SCOPE, untick=("write-0",))
    [grant] = client.get("/catalogue/grants", headers=as_patient).json()
    assert grant["app_id"] == GLUCOSE_APP.id and grant["app_name"] == "GlucoTest" and grant["active"] is True
    assert grant["scopes"] == "patient/Observation.rs launch/patient offline_access"
    assert [(a["resource_type"], a["read"], a["write"]) for a in grant["access"]] == [("Observation", True, False)]
    assert grant["granted_at"] and grant["last_used_at"] is None
    client.get("/fhir/Observation", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    [used] = client.get("/catalogue/grants", headers=as_patient).json()
    assert used["last_used_at"] is not None
    assert client.get("/catalogue", headers=as_patient).json()[0]["granted"] is True
    with transaction(app.state.session_factory) as session:
        catalogue.withdraw_app(session, GLUCOSE_APP.id)
    [withdrawn] = client.get("/catalogue/grants", headers=as_patient).json()
    assert withdrawn["active"] is False  # still listed: the patient may want to revoke it anyway


def test_revoking_removes_the_grant_and_keeps_its_history(client, app, patient, as_patient):
    tokens = tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, SCOPE)
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "Content-Type": FHIR}
    client.post("/fhir/Observation", json=sample("Observation", patient.fhir_id), headers=headers)
    assert client.delete(f"/catalogue/grants/{GLUCOSE_APP.id}", headers=as_patient).status_code == 204
    assert client.get("/catalogue/grants", headers=as_patient).json() == []
    history = client.get(f"/catalogue/grants/{GLUCOSE_APP.id}/history", headers=as_patient)
    assert history.status_code == 200 and history.headers["content-type"].startswith("application/fhir+json")
    bundle = history.json()
    assert bundle["type"] == "searchset" and bundle["total"] == 1
    event = bundle["entry"][0]["resource"]
    assert event["resourceType"] == "AuditEvent" and event["action"] == "C"
    assert event["agent"][0]["who"]["identifier"]["value"] == GLUCOSE_APP.id


def test_the_history_pages_newest_first(client, app, patient, as_patient):
    tokens = tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, SCOPE)
    for _ in range(3):
        client.get("/fhir/Observation", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    first = client.get(f"/catalogue/grants/{GLUCOSE_APP.id}/history", params={"_count": 2}, headers=as_patient).json()
    assert first["total"] == 3 and len(first["entry"]) == 2
    next_url = next(link["url"] for link in first["link"] if link["relation"] == "next")
    rest = client.get(next_url.replace("http://testserver", ""), headers=as_patient).json()
    assert len(rest["entry"]) == 1 and not [link for link in rest["link"] if link["relation"] == "next"]
    seen = [e["resource"]["recorded"] for e in first["entry"] + rest["entry"]]
    assert seen == sorted(seen, reverse=True)


def test_nothing_to_say_about_apps_never_granted_or_someone_elses(client, app, patient, as_patient):
    for method, path in (("DELETE", f"/catalogue/grants/{GLUCOSE_APP.id}"),
                         ("GET", f"/catalogue/grants/{GLUCOSE_APP.id}/history"),
                         ("DELETE", "/catalogue/grants/no-such-app"),
                         ("GET", "/catalogue/grants/no-such-app/history")):
        refused = client.request(method, path, headers=as_patient)
        assert refused.status_code == 404 and refused.json()["resourceType"] == "OperationOutcome"
    tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, SCOPE)
    other = active_patient(app)
    as_other = bearer(app.state.session_factory, app.state.settings, other)
    assert client.get("/catalogue/grants", headers=as_other).json() == []
    assert client.delete(f"/catalogue/grants/{GLUCOSE_APP.id}", headers=as_other).status_code == 404
    assert client.get(f"/catalogue/grants/{GLUCOSE_APP.id}/history", headers=as_other).status_code == 404


def test_for_patients_only(client, app, patient):
    pro = make_professional(app.state.session_factory)
    as_pro = bearer(app.state.session_factory, app.state.settings, pro)
    for path in ("/catalogue", "/catalogue/grants"):
        assert client.get(path, headers=as_pro).status_code == 403
        assert client.get(path).status_code == 401
