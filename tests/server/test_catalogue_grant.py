"""Granting an app access (or changing it) from the Carnet app: PUT /catalogue/grants/{app_id}.
The service decides (app_grants.set_grant, tested without HTTP); the route only parses; a
narrower grant holds for the app's existing tokens from their next request."""
from __future__ import annotations

import pytest

from server.db import transaction
from server.errors import InvalidInput, NotFound
from server.principal import Principal
from server.services import app_grants, catalogue
from tests.factories import bearer
from tests.server.auth_flows import active_patient, cheap
from tests.server.oauth_flow import GLUCOSE_APP, TELECONSULT_APP, add_app, tokens_for
from tests.server.test_catalogue_routes import SCOPE, as_patient, patient, settings  # noqa: F401 (fixtures reused)

def _principal(patient) -> Principal:
    return Principal(patient.id, patient.kind, patient.fhir_id, "test")


def _set(app, patient, app_id: str, scopes: str) -> app_grants.GrantView:
    with transaction(app.state.session_factory) as session:
        return app_grants.set_grant(session, _principal(patient), app_id, scopes)


# -- the service --------------------------------------------------------------------------
def test_a_grant_gives_exactly_what_was_chosen_and_a_second_one_replaces_it(app, patient):
    first = _set(app, patient, TELECONSULT_APP.id, "patient/Condition.rs patient/DocumentReference.rs")
    assert first.app.id == TELECONSULT_APP.id and first.active
    assert first.scopes == "patient/Condition.rs patient/DocumentReference.rs"
    assert [(line.resource_type, line.read, line.write) for line in first.access] == [
        ("Condition", "rs", ""), ("DocumentReference", "rs", "")]
    second = _set(app, patient, TELECONSULT_APP.id, "patient/DocumentReference.c")
    assert second.scopes == "patient/DocumentReference.c"
    with transaction(app.state.session_factory) as session:
        assert app_grants.granted_app_ids(session, _principal(patient)) == {TELECONSULT_APP.id}


@pytest.mark.parametrize("app_id, scopes, error, says", [
    ("no-such-app", "patient/Observation.rs", NotFound, "No app with this id"),
    (GLUCOSE_APP.id, "patient/Observation.rx", InvalidInput, "scopes:"),
    (GLUCOSE_APP.id, "", app_grants.Unprocessable, "revoke"),
    (GLUCOSE_APP.id, "launch/patient offline_access", app_grants.Unprocessable, "at least one"),
    (GLUCOSE_APP.id, "patient/Observation.rds", app_grants.Unprocessable, "patient/Observation.rds"),
    (GLUCOSE_APP.id, "patient/Condition.rs", app_grants.Unprocessable, "may not ask for: patient/Condition.rs"),
    (GLUCOSE_APP.id, "user/Observation.rs", app_grants.Unprocessable, "may not ask for"),
    (GLUCOSE_APP.id, "patient/Observation.rs openid", app_grants.Unprocessable, "openid"),
    (GLUCOSE_APP.id, "patient/Observation.rs?status=final", app_grants.Unprocessable, "category and code"),
])
def test_what_cannot_be_granted_is_refused_and_changes_nothing(app, patient, app_id, scopes, error, says):
    with pytest.raises(error, match=says):
        _set(app, patient, app_id, scopes)
    with transaction(app.state.session_factory) as session:
        assert app_grants.grants(session, _principal(patient)) == []


def test_a_withdrawn_app_can_no_longer_be_granted(app, patient):
    with transaction(app.state.session_factory) as session:
        catalogue.withdraw_app(session, GLUCOSE_APP.id)
    with pytest.raises(NotFound):
        _set(app, patient, GLUCOSE_APP.id, "patient/Observation.rs")


def test_a_revoked_grant_comes_back_with_what_is_chosen_now(app, patient):
    _set(app, patient, GLUCOSE_APP.id, "patient/Observation.crs")
    with transaction(app.state.session_factory) as session:
        app_grants.revoke(session, _principal(patient), GLUCOSE_APP.id)
    again = _set(app, patient, GLUCOSE_APP.id, "patient/Observation.rs")
    assert again.scopes == "patient/Observation.rs" and again.last_used_at is None


def test_changing_an_active_grant_keeps_its_date_and_a_new_grant_after_revocation_starts_anew(app, patient,
                                                                                               monkeypatch):
    from datetime import timedelta

    from server import clock
    first = _set(app, patient, GLUCOSE_APP.id, "patient/Observation.crs")
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + timedelta(days=30))
    narrowed = _set(app, patient, GLUCOSE_APP.id, "patient/Observation.rs")
    assert narrowed.granted_at == first.granted_at  # "allowed since" stays the first consent's date
    with transaction(app.state.session_factory) as session:
        app_grants.revoke(session, _principal(patient), GLUCOSE_APP.id)
    again = _set(app, patient, GLUCOSE_APP.id, "patient/Observation.rs")
    assert again.granted_at > first.granted_at + timedelta(days=29)


# -- over HTTP ------------------------------------------------------------------------------
def test_narrowing_from_the_app_holds_for_the_apps_tokens_at_their_next_request(client, app, patient, as_patient):
    tokens = tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, SCOPE)
    as_app = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/fhir/Observation", headers=as_app).status_code == 200
    narrowed = client.put(f"/catalogue/grants/{GLUCOSE_APP.id}", json={"scopes": "patient/Observation.c"},
                          headers=as_patient)
    assert narrowed.status_code == 200, narrowed.text
    body = narrowed.json()
    assert body["app_id"] == GLUCOSE_APP.id and body["access"][0]["read"] is False
    # What the app held without data (offline_access) is kept: narrowing does not sign it out.
    assert body["scopes"] == "patient/Observation.c launch/patient offline_access"
    assert client.get("/fhir/Observation", headers=as_app).status_code == 403
    [grant] = client.get("/catalogue/grants", headers=as_patient).json()
    assert grant["scopes"] == body["scopes"]


def test_granting_from_the_app_lists_the_app_as_granted(client, patient, as_patient):
    apps = client.get("/catalogue", headers=as_patient).json()
    gluco = next(a for a in apps if a["id"] == GLUCOSE_APP.id)
    assert gluco["access"][0]["scope"] == "patient/Observation.crs"
    answer = client.put(f"/catalogue/grants/{GLUCOSE_APP.id}", json={"scopes": "patient/Observation.rs"},
                        headers=as_patient)
    assert answer.status_code == 200 and answer.json()["scopes"] == "patient/Observation.rs"
    assert next(a for a in client.get("/catalogue", headers=as_patient).json()
                if a["id"] == GLUCOSE_APP.id)["granted"] is True


@pytest.mark.parametrize("path, body, status", [
    (f"/catalogue/grants/{GLUCOSE_APP.id}", {"scopes": ""}, 422),
    (f"/catalogue/grants/{GLUCOSE_APP.id}", {"scopes": "patient/Condition.rs"}, 422),
    (f"/catalogue/grants/{GLUCOSE_APP.id}", {"scopes": "patient/Observation.zz"}, 400),
    (f"/catalogue/grants/{GLUCOSE_APP.id}", {"scopes": 12}, 400),
    (f"/catalogue/grants/{GLUCOSE_APP.id}", {"scopes": "patient/Observation.rs", "extra": 1}, 400),
    (f"/catalogue/grants/{GLUCOSE_APP.id}", {}, 400),
    (f"/catalogue/grants/{GLUCOSE_APP.id}", {"scopes": "patient/Observation.rs " * 2000}, 400),
    ("/catalogue/grants/no-such-app", {"scopes": "patient/Observation.rs"}, 404),
    (f"/catalogue/grants/{'x' * 65}", {"scopes": "patient/Observation.rs"}, 400),
])
def test_bad_grants_get_an_operation_outcome(client, as_patient, path, body, status):
    refused = client.put(path, json=body, headers=as_patient)
    assert refused.status_code == status, refused.text
    outcome = refused.json()
    assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["diagnostics"]
    assert client.get("/catalogue/grants", headers=as_patient).json() == []


def test_only_the_patient_grants(client, app, patient):
    assert client.put(f"/catalogue/grants/{GLUCOSE_APP.id}", json={"scopes": "patient/Observation.rs"}
                      ).status_code == 401
    tokens = tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, SCOPE)
    as_app = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.put(f"/catalogue/grants/{GLUCOSE_APP.id}", json={"scopes": "patient/Observation.crs"},
                      headers=as_app).status_code in (401, 403)
