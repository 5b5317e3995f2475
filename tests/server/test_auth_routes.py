"""Sign-in through the HTTP routes: one-time codes, throttling, authenticator, tokens, devices."""
from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from health.identifiers import make_rpps
from server import clock
from server.db import transaction
from server.models import DeliveredMessage, LoginChallenge, LoginThrottle
from server.services import passwords
from server.services.sign_in import SIGN_IN_REFUSED
from tests.factories import new_ins
from tests.server.auth_flows import (
    PASSWORD,
    active_patient,
    bearer,
    cheap,
    last_code,
    new_space,
    professional,
    sign_in,
    start_login,
)


@pytest.fixture
def settings(settings):
    return cheap(settings)


@pytest.fixture
def travel(monkeypatch):
    """Move the services' clock forward without sleeping."""

    class Travel:
        offset = timedelta(0)

        def by(self, seconds: float) -> None:
            self.offset += timedelta(seconds=seconds)

        def now(self):
            return real() + self.offset

    real = clock.utcnow
    moved = Travel()
    monkeypatch.setattr(clock, "utcnow", moved.now)
    return moved


def verify(client, challenge_id: str, code: str):
    return client.post("/auth/login/verify", json={"challenge_id": challenge_id, "code": code})


def diagnostics(response) -> str:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"][0]["diagnostics"]


def test_email_sign_in_gives_tokens_for_the_named_device(client, app):
    account = active_patient(app)
    started = start_login(client, account.identifier, device_name="Camille's phone")
    assert started.status_code == 200
    assert started.json()["channel"] == "email" and started.json()["expires_in"] == 300
    assert started.json()["sent_to"] == "c•••@example.org"
    tokens = verify(client, started.json()["challenge_id"], last_code(app, "email")).json()
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"] and tokens["device_id"]
    me = client.get("/auth/me", headers=bearer(tokens)).json()
    assert me["kind"] == "patient" and me["identifier"] == account.identifier
    assert me["reference"] == f"Patient/{account.fhir_id}" and me["device_id"] == tokens["device_id"]
    devices = client.get("/auth/devices", headers=bearer(tokens)).json()
    assert [(d["name"], d["current"]) for d in devices] == [("Camille's phone", True)]


def test_sms_sign_in_and_a_spaced_ins(client, app):
    account = active_patient(app)
    spaced = " ".join([account.identifier[:1], account.identifier[1:5], account.identifier[5:]])
    tokens = sign_in(client, app, spaced, channel="sms")
    assert client.get("/auth/me", headers=bearer(tokens)).status_code == 200


def test_professional_signs_in_with_rpps(client, app):
    practitioner = professional(app, profession="pharmacist")
    tokens = sign_in(client, app, practitioner.identifier)
    me = client.get("/auth/me", headers=bearer(tokens)).json()
    assert me["kind"] == "professional" and me["profession"] == "pharmacist"
    assert me["reference"] == f"Practitioner/{practitioner.fhir_id}"
    assert client.post("/auth/close", json={"password": PASSWORD, "confirm": True},
                       headers=bearer(tokens)).status_code == 403


def test_wrong_codes_burn_the_challenge(client, app, settings):
    account = active_patient(app)
    challenge_id = start_login(client, account.identifier).json()["challenge_id"]
    code = last_code(app, "email")
    wrong = "000000" if code != "000000" else "111111"
    first = verify(client, challenge_id, wrong)
    assert first.status_code == 401 and "2 tries left" in diagnostics(first)
    assert "1 try left" in diagnostics(verify(client, challenge_id, wrong))
    assert "no longer works" in diagnostics(verify(client, challenge_id, wrong))
    burned = verify(client, challenge_id, code)
    assert burned.status_code == 401 and "no longer works" in diagnostics(burned)


def test_expired_code_is_refused(client, app, travel):
    account = active_patient(app)
    challenge_id = start_login(client, account.identifier).json()["challenge_id"]
    travel.by(301)
    expired = verify(client, challenge_id, last_code(app, "email"))
    assert expired.status_code == 401 and "expired" in diagnostics(expired)


def test_code_works_once(client, app):
    account = active_patient(app)
    challenge_id = start_login(client, account.identifier).json()["challenge_id"]
    code = last_code(app, "email")
    assert verify(client, challenge_id, code).status_code == 200
    replay = verify(client, challenge_id, code)
    assert replay.status_code == 401 and "already been used" in diagnostics(replay)
    assert verify(client, "no-such-challenge", code).status_code == 401


def test_unknown_identifier_looks_like_a_wrong_password(client, app, monkeypatch):
    account = active_patient(app)
    provisional, _ = new_space(app)
    verifications = []
    real_verify = passwords._verify_quietly
    monkeypatch.setattr(passwords, "_verify_quietly", lambda *a: verifications.append(1) or real_verify(*a))
    answers = [
        start_login(client, new_ins()),                                       # nobody
        start_login(client, account.identifier, password="wrong password!"),  # wrong password
        start_login(client, provisional.identifier),                          # not activated
        start_login(client, make_rpps("1099999999")),                           # unknown RPPS
    ]
    assert {a.status_code for a in answers} == {401}
    assert {a.text for a in answers} == {answers[0].text}
    assert diagnostics(answers[0]) == SIGN_IN_REFUSED
    assert verifications == [1, 1, 1, 1]  # the same Argon2 work each time


def test_failures_throttle_with_growing_delays_known_or_not(client, app, travel):
    account = active_patient(app)
    unknown = new_ins()
    for identifier in (account.identifier, unknown):
        statuses = [start_login(client, identifier, password="wrong password!").status_code for _ in range(3)]
        assert statuses == [401, 401, 401]
    known_wait = start_login(client, account.identifier)
    unknown_wait = start_login(client, unknown)
    assert known_wait.status_code == unknown_wait.status_code == 429
    assert known_wait.headers["retry-after"] == unknown_wait.headers["retry-after"] == "30"
    assert "Try again in 30 seconds" in diagnostics(known_wait)
    travel.by(31)
    assert start_login(client, account.identifier, password="wrong password!").status_code == 401
    assert start_login(client, account.identifier).headers["retry-after"] == "60"
    travel.by(61)
    tokens = sign_in(client, app, account.identifier)  # success resets the count
    assert tokens["access_token"]
    assert start_login(client, account.identifier, password="wrong password!").status_code == 401
    assert start_login(client, account.identifier).status_code == 200


def test_wrong_codes_count_towards_the_throttle(client, app):
    account = active_patient(app)
    for _ in range(3):
        challenge_id = start_login(client, account.identifier).json()["challenge_id"]
        assert verify(client, challenge_id, "abcdef").status_code == 401
    assert start_login(client, account.identifier).status_code == 429


def test_authenticator_app_enrolment_sign_in_and_no_replay(client, app, travel):
    account = active_patient(app)
    tokens = sign_in(client, app, account.identifier)
    enrolment = client.post("/auth/totp", headers=bearer(tokens)).json()
    assert enrolment["otpauth_uri"].startswith("otpauth://totp/")
    assert enrolment["qr_svg"].startswith("data:image/svg+xml")
    totp = pyotp.TOTP(enrolment["secret"])
    assert client.post("/auth/totp/confirm", json={"code": "123"}, headers=bearer(tokens)).status_code == 400
    confirmed = client.post("/auth/totp/confirm", json={"code": totp.at(travel.now())}, headers=bearer(tokens))
    assert confirmed.status_code == 200 and len(confirmed.json()["recovery_codes"]) == 10
    travel.by(30)
    code = totp.at(travel.now())
    first = start_login(client, account.identifier, channel="totp").json()
    assert first["sent_to"] is None
    assert verify(client, first["challenge_id"], code).status_code == 200
    second = start_login(client, account.identifier, channel="totp").json()
    assert verify(client, second["challenge_id"], code).status_code == 401  # same step: replay
    travel.by(30)
    assert verify(client, second["challenge_id"], totp.at(travel.now())).status_code == 200
    assert client.post("/auth/totp/disable", json={"password": "wrong password!"},
                       headers=bearer(tokens)).status_code == 401
    assert client.post("/auth/totp/disable", json={"password": PASSWORD}, headers=bearer(tokens)).status_code == 200
    assert start_login(client, account.identifier, channel="totp").status_code == 400


def test_recovery_codes_work_once_and_regenerate(client, app):
    account = active_patient(app)
    tokens = sign_in(client, app, account.identifier)
    assert start_login(client, account.identifier, channel="recovery").status_code == 400  # none yet
    codes = client.post("/auth/recovery-codes", json={"password": PASSWORD}, headers=bearer(tokens)).json()
    codes = codes["recovery_codes"]
    challenge_id = start_login(client, account.identifier, channel="recovery").json()["challenge_id"]
    assert verify(client, challenge_id, codes[0].lower()).status_code == 200
    challenge_id = start_login(client, account.identifier, channel="email").json()["challenge_id"]
    assert verify(client, challenge_id, codes[0]).status_code == 401  # used
    assert verify(client, challenge_id, codes[1]).status_code == 200  # accepted instead of the e-mailed code
    assert client.get("/auth/me", headers=bearer(tokens)).json()["recovery_codes_left"] == 8
    fresh = client.post("/auth/recovery-codes", json={"password": PASSWORD}, headers=bearer(tokens)).json()
    challenge_id = start_login(client, account.identifier, channel="recovery").json()["challenge_id"]
    assert verify(client, challenge_id, codes[2]).status_code == 401  # replaced
    assert verify(client, challenge_id, fresh["recovery_codes"][0]).status_code == 200


def test_refresh_rotates_and_the_old_refresh_token_dies(client, app):
    account = active_patient(app)
    tokens = sign_in(client, app, account.identifier)
    renewed = client.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert renewed.status_code == 200 and renewed.json()["device_id"] == tokens["device_id"]
    assert client.get("/auth/me", headers=bearer(renewed.json())).status_code == 200
    newer = client.post("/auth/token/refresh", json={"refresh_token": renewed.json()["refresh_token"]}).json()
    assert client.get("/auth/me", headers=bearer(newer)).status_code == 200
    assert client.post("/auth/token/refresh", json={"refresh_token": "made-up"}).status_code == 401


def test_a_replayed_refresh_token_signs_the_device_out(client, app):
    account = active_patient(app)
    tokens = sign_in(client, app, account.identifier)
    renewed = client.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]}).json()
    again = client.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401 and diagnostics(again).startswith("This refresh token is not valid")
    # Two parties held that token: the device is revoked, the legitimate renewal included.
    assert client.get("/auth/me", headers=bearer(renewed)).status_code == 401
    assert client.post("/auth/token/refresh", json={"refresh_token": renewed["refresh_token"]}).status_code == 401


def test_revoking_a_device_signs_it_out_at_once(client, app):
    account = active_patient(app)
    phone = sign_in(client, app, account.identifier, device_name="phone")
    laptop = sign_in(client, app, account.identifier, device_name="laptop")
    listed = client.get("/auth/devices", headers=bearer(phone)).json()
    assert sorted(d["name"] for d in listed) == ["laptop", "phone"]
    assert client.delete(f"/auth/devices/{laptop['device_id']}", headers=bearer(phone)).status_code == 204
    assert client.get("/auth/me", headers=bearer(laptop)).status_code == 401
    assert client.post("/auth/token/refresh", json={"refresh_token": laptop["refresh_token"]}).status_code == 401
    assert [d["name"] for d in client.get("/auth/devices", headers=bearer(phone)).json()] == ["phone"]
    assert client.delete("/auth/devices/nope", headers=bearer(phone)).status_code == 404
    other = active_patient(app)
    stranger = sign_in(client, app, other.identifier)
    assert client.delete(f"/auth/devices/{phone['device_id']}", headers=bearer(stranger)).status_code == 404


def test_logout_revokes_the_device(client, app):
    account = active_patient(app)
    tokens = sign_in(client, app, account.identifier)
    assert client.post("/auth/logout", headers=bearer(tokens)).status_code == 204
    assert client.get("/auth/me", headers=bearer(tokens)).status_code == 401
    assert client.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert client.post("/auth/logout").status_code == 401


def test_channel_without_confirmed_contact_is_refused(client, app):
    account = active_patient(app, phone=None)
    refused = start_login(client, account.identifier, channel="sms")
    assert refused.status_code == 400 and "phone" in diagnostics(refused)


@pytest.mark.parametrize("body", [
    {},
    {"identifier": "x", "password": PASSWORD, "channel": "email"},
    {"identifier": 123456789012345, "password": PASSWORD, "channel": "email", "device_name": "a"},
    {"identifier": "1" * 10_000, "password": PASSWORD, "channel": "email", "device_name": "a"},
    {"identifier": "IDENT", "password": "p" * 300, "channel": "email", "device_name": "a"},
    {"identifier": "IDENT", "password": PASSWORD, "channel": "fax", "device_name": "a"},
    {"identifier": "IDENT", "password": PASSWORD, "channel": "email", "device_name": "a", "admin": True},
    {"identifier": "180057512345600", "password": PASSWORD, "channel": "email", "device_name": "a"},
    {"identifier": "not an identifier", "password": PASSWORD, "channel": "email", "device_name": "a"},
])
def test_bad_login_input_is_a_400_outcome_and_changes_nothing(client, app, body):
    account = active_patient(app)
    body = {k: (account.identifier if v == "IDENT" else v) for k, v in body.items()}
    before = _counts(app)
    response = client.post("/auth/login", json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert diagnostics(response)
    assert _counts(app) == before


def test_bad_json_and_bad_verify_input(client, app):
    assert client.post("/auth/login", content=b"{not json", headers={"content-type": "application/json"}
                       ).status_code == 400
    assert client.post("/auth/login/verify", json={"challenge_id": "x" * 65, "code": "123456"}).status_code == 400
    assert client.post("/auth/login/verify", json={"challenge_id": "x", "code": 123456}).status_code == 400
    assert client.post("/auth/token/refresh", json={"refresh_token": ["x"]}).status_code == 400


def _counts(app) -> tuple[int, int, int]:
    with transaction(app.state.session_factory) as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (LoginChallenge, DeliveredMessage, LoginThrottle))
