"""OAuth 2.0 authorization code + PKCE through HTTP, as an app and a patient's browser do it:
the right OAuth error for every wrong request, codes single-use, short-lived and bound."""
from __future__ import annotations

import base64
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from server import clock
from server.services.oauth_server import error_text
from tests.server.auth_flows import active_patient, cheap
from tests.server.oauth_flow import (
    AUDIENCE, GLUCOSE_APP, REDIRECT_URI, TELECONSULT_APP, add_app, authorization, consent, exchange, pkce,
    redirect_parameters, tokens_for,
)

GLUCOSE_SCOPE = "launch/patient openid fhirUser offline_access patient/Observation.rs patient/Observation.c"


@pytest.fixture
def settings(settings):
    return cheap(settings)


@pytest.fixture
def patient(app):
    add_app(app)
    return active_patient(app)


@pytest.fixture
def travel(monkeypatch):
    """Move the services' clock forward without sleeping."""
    real, offset = clock.utcnow, [timedelta(0)]
    monkeypatch.setattr(clock, "utcnow", lambda: real() + offset[0])
    return lambda seconds: offset.__setitem__(0, offset[0] + timedelta(seconds=seconds))


def _authorize(client, request, **changes):
    return client.get("/oauth/authorize", params=request.query(**changes), follow_redirects=False)


def test_the_whole_flow_gives_smart_tokens(client, app, patient):
    request = authorization(GLUCOSE_APP.id, GLUCOSE_SCOPE)
    answer = consent(client, app, patient.identifier, request)
    assert answer["state"] == request.state and set(answer) == {"code", "state"}
    response = exchange(client, request, answer["code"])
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    tokens = response.json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 900
    assert tokens["patient"] == patient.fhir_id
    # What was granted: the data scopes, launch/patient and offline_access; no identity token.
    assert tokens["scope"] == "patient/Observation.crs launch/patient offline_access"
    assert tokens["refresh_token"] and tokens["access_token"] != tokens["refresh_token"]


def test_discovery_names_the_endpoints_and_pkce_s256(client):
    for path in ("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration"):
        config = client.get(path).json()
        assert config["authorization_endpoint"] == "http://127.0.0.1:8000/oauth/authorize"
        assert config["token_endpoint"].endswith("/oauth/token")
        assert config["revocation_endpoint"].endswith("/oauth/revoke")
        assert config["code_challenge_methods_supported"] == ["S256"]
        assert {"launch-standalone", "client-public", "permission-v2"} <= set(config["capabilities"])
        assert "patient/Observation.cruds" in config["scopes_supported"]


@pytest.mark.parametrize("changes, shown", [
    ({"client_id": "no-such-app"}, "does not exist"),
    ({"redirect_uri": "https://evil.example.org/callback"}, "not supported"),
    ({"redirect_uri": REDIRECT_URI + "/"}, "not supported"),  # exact match: not a prefix
    ({"redirect_uri": None}, "Missing"),
])
def test_no_redirect_to_an_unchecked_address(client, patient, changes, shown):
    page = _authorize(client, authorization(GLUCOSE_APP.id, GLUCOSE_SCOPE), **changes)
    assert page.status_code == 400 and "location" not in page.headers
    assert "text/html" in page.headers["content-type"] and shown in page.text
    assert "Autorisation impossible" in page.text


@pytest.mark.parametrize("changes, error", [
    ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),  # PKCE is required
    ({"code_challenge_method": "plain"}, "invalid_request"),  # S256 only
    ({"code_challenge": "short"}, "invalid_request"),
    ({"aud": "https://another.example.org/fhir"}, "invalid_request"),
    ({"aud": None}, "invalid_request"),
    ({"scope": "patient/Condition.rs"}, "invalid_scope"),  # not in the app's catalogue entry
    ({"scope": "patient/Observation.cruds"}, "invalid_scope"),  # more than it may ask
    ({"scope": "user/Observation.rs"}, "invalid_scope"),
    ({"scope": "launch/patient openid"}, "invalid_scope"),  # no data asked
    ({"scope": None}, "invalid_scope"),
    ({"response_type": "token"}, "unsupported_response_type"),
])
def test_a_wrong_request_goes_back_to_the_app_with_its_error_and_state(client, patient, changes, error):
    request = authorization(GLUCOSE_APP.id, GLUCOSE_SCOPE)
    answer = redirect_parameters(_authorize(client, request, **changes))
    assert answer["error"] == error and answer["state"] == request.state and "code" not in answer


def test_a_code_needs_its_verifier_client_and_redirect_uri_and_works_once(client, app, patient):
    request = authorization(GLUCOSE_APP.id, GLUCOSE_SCOPE)
    code = consent(client, app, patient.identifier, request)["code"]
    wrong_verifier, _ = pkce()
    for changes, error in (({"code_verifier": wrong_verifier}, "invalid_grant"),
                           ({"code_verifier": None}, "invalid_request"),
                           ({"redirect_uri": "org.example.gluco:/callback"}, "invalid_grant"),
                           ({"client_id": "another-app"}, "invalid_client"),
                           ({"code": code + "x"}, "invalid_grant")):
        refused = exchange(client, request, changes.pop("code", code), **changes)
        assert refused.status_code in (400, 401) and refused.json()["error"] == error, (changes, refused.text)
    first = exchange(client, request, code)  # the failures above did not spend it
    assert first.status_code == 200, first.text
    token = first.json()["access_token"]
    assert client.get("/fhir/Observation", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    again = exchange(client, request, code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    # A code used twice may have leaked: what it gave is revoked (RFC 6749 §4.1.2).
    assert client.get("/fhir/Observation", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    refreshed = client.post("/oauth/token", data={"grant_type": "refresh_token", "client_id": GLUCOSE_APP.id,
                                                  "refresh_token": first.json()["refresh_token"]})
    assert refreshed.json()["error"] == "invalid_grant"


def test_a_code_lives_sixty_seconds(client, app, patient, travel):
    request = authorization(GLUCOSE_APP.id, GLUCOSE_SCOPE)
    code = consent(client, app, patient.identifier, request)["code"]
    travel(61)
    late = exchange(client, request, code)
    assert late.status_code == 400 and late.json()["error"] == "invalid_grant"


def test_a_confidential_app_authenticates_with_its_secret(client, app, patient):
    secret = add_app(app, TELECONSULT_APP).client_secret
    request = authorization(TELECONSULT_APP.id, "patient/Condition.rs")
    code = consent(client, app, patient.identifier, request)["code"]
    anonymous = exchange(client, request, code)
    assert anonymous.status_code in (400, 401) and anonymous.json()["error"] == "invalid_client"
    wrong = exchange(client, request, code, client_secret="not-the-secret")
    assert wrong.json()["error"] == "invalid_client"
    basic = base64.b64encode(f"{TELECONSULT_APP.id}:{secret}".encode()).decode()
    granted = client.post("/oauth/token", headers={"Authorization": f"Basic {basic}"}, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
        "code_verifier": request.verifier})
    assert granted.status_code == 200 and granted.json()["scope"] == "patient/Condition.rs"


def test_refresh_rotates_and_a_replayed_refresh_token_stops_the_chain(client, app, patient):
    tokens = tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE)

    def refresh(token: str, **extra):
        return client.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": token,
                                                 "client_id": GLUCOSE_APP.id, **extra})

    narrower = refresh(tokens["refresh_token"], scope="patient/Observation.crs launch/patient")
    assert narrower.status_code == 200, narrower.text
    renewed = narrower.json()
    assert renewed["scope"] == "patient/Observation.crs launch/patient" and renewed["patient"] == patient.fhir_id
    assert renewed["refresh_token"] != tokens["refresh_token"]
    wider = refresh(renewed["refresh_token"], scope="patient/Observation.cruds")
    assert wider.json()["error"] == "invalid_scope"
    headers = {"Authorization": f"Bearer {renewed['access_token']}"}
    assert client.get("/fhir/Observation", headers=headers).status_code == 200
    replayed = refresh(tokens["refresh_token"])  # the first one, already rotated
    assert replayed.json()["error"] == "invalid_grant"
    assert client.get("/fhir/Observation", headers=headers).status_code == 401


def test_the_app_gives_back_its_tokens(client, app, patient):
    tokens = tokens_for(client, app, patient.identifier, GLUCOSE_APP.id, GLUCOSE_SCOPE)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    revoked = client.post("/oauth/revoke", data={"token": tokens["refresh_token"], "client_id": GLUCOSE_APP.id,
                                                 "token_type_hint": "refresh_token"})
    assert revoked.status_code == 200
    assert client.get("/fhir/Observation", headers=headers).status_code == 401  # its whole chain
    unknown = client.post("/oauth/revoke", data={"token": "nothing-like-it", "client_id": GLUCOSE_APP.id})
    assert unknown.status_code == 200  # RFC 7009 §2.2: nothing to say about unknown tokens
    assert client.post("/oauth/revoke", data={"client_id": GLUCOSE_APP.id}).json()["error"] == "invalid_request"


def test_token_endpoint_errors_are_oauth_errors(client, patient):
    for data, error in (({}, "unsupported_grant_type"), ({"grant_type": "password"}, "unsupported_grant_type"),
                        ({"grant_type": "authorization_code", "client_id": GLUCOSE_APP.id}, "invalid_request"),
                        ({"grant_type": "refresh_token", "client_id": "nobody", "refresh_token": "x"},
                         "invalid_client")):
        refused = client.post("/oauth/token", data=data)
        assert refused.status_code in (400, 401) and refused.json()["error"] == error, refused.text
    as_json = client.post("/oauth/token", json={"grant_type": "authorization_code"})
    assert as_json.json()["error"] == "unsupported_grant_type"  # only forms are read


def test_the_audience_is_the_fhir_base_url(client, patient):
    request = authorization(GLUCOSE_APP.id, GLUCOSE_SCOPE)
    page = _authorize(client, request, aud=AUDIENCE + "/")
    assert page.status_code == 200  # a trailing slash names the same base


def test_error_descriptions_are_what_oauth_allows():
    assert error_text('scope "x\\y" é') == "scope 'x?y' ?"


def test_a_code_is_in_the_redirect_only(client, app, patient):
    request = authorization(GLUCOSE_APP.id, GLUCOSE_SCOPE)
    page = _authorize(client, request)
    assert "code=" not in page.text and "access_token" not in page.text
    location = urlsplit(REDIRECT_URI + "?" + "&".join(f"{k}={v}" for k, v in
                                                      consent(client, app, patient.identifier, request).items()))
    assert set(parse_qs(location.query)) == {"code", "state"}


@pytest.mark.parametrize("changes", [{"response_type": "\x1f"}, {"redirect_uri": 'http://127.0.0.1:8765/"x'},
                                     {"scope": "patient/Observation.rs\\"}])
def test_characters_oauth_does_not_allow_are_refused_not_echoed(client, patient, changes):
    page = _authorize(client, authorization(GLUCOSE_APP.id, GLUCOSE_SCOPE), **changes)
    assert page.status_code == 400 and "characters OAuth does not allow" in page.text
    token = client.post("/oauth/token", data={"grant_type": "authorization_code\x01", "client_id": GLUCOSE_APP.id})
    assert token.status_code == 400 and token.json()["error"] == "invalid_request"
