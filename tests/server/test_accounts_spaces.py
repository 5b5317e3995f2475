"""A patient space's life: created by the platform, activated or opposed, closed, purged."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from health.identifiers import INS_SYSTEM
from server import clock
from server.db import transaction
from server.errors import Conflict, InvalidInput
from server.models import Account, AccountStatus, ActivationCode, DeliveredMessage, Resource, ResourceVersion
from server.services import accounts, record_store
from server.services.delivery import build_delivery
from tests.factories import new_ins
from tests.server.auth_flows import (
    PASSWORD,
    active_patient,
    bearer,
    cheap,
    last_code,
    last_message,
    new_space,
    sign_in,
    start_login,
)


@pytest.fixture
def settings(settings):
    return cheap(settings)


def activate(client, ins, code, **contacts):
    return client.post("/auth/activation", json={"ins": ins, "provisional_code": code, "password": PASSWORD,
                                                 **contacts})


def rows(app, model, **where) -> int:
    with transaction(app.state.session_factory) as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return session.scalar(query)


def test_new_space_has_a_patient_resource_and_its_code_goes_by_email_and_post(app):
    account, code = new_space(app, email="camille@example.org", phone="06 12 34 56 78")
    assert account.status == AccountStatus.provisional and account.phone == "+33612345678"
    with transaction(app.state.session_factory) as session:
        patient = record_store.find(session, "Patient", account.fhir_id).content
        stored = session.scalars(select(ActivationCode.code_digest)).all()
    assert patient["identifier"] == [{"system": INS_SYSTEM, "value": account.identifier}]
    assert patient["birthDate"] == "1980-05-17" and patient["gender"] == "female"
    assert {"system": "email", "value": "camille@example.org"} in patient["telecom"]
    assert code not in stored and len(stored) == 1  # only its digest
    assert last_code(app, "email") == code and last_code(app, "post") == code
    letter = last_message(app, "post")
    assert "3 rue des Lilas" in letter.recipient and account.identifier not in letter.body


def test_platform_refuses_duplicates_and_bad_identities(app):
    account, _ = new_space(app)
    settings, factory = app.state.settings, app.state.session_factory
    delivery = build_delivery(settings, factory)
    identity = dict(given="Camille", family="Martin", birth_date="1980-05-17", gender="female")
    for ins, changes, error in [(account.identifier, {}, Conflict), ("123", {}, InvalidInput),
                                (new_ins(), {"gender": "f"}, InvalidInput),
                                (new_ins(), {"birth_date": "2999-01-01"}, InvalidInput),
                                (new_ins(), {"email": "not-an-email"}, InvalidInput)]:
        with pytest.raises(error), transaction(factory) as session:
            accounts.create_patient_space(session, settings, delivery, ins=ins, **{**identity, **changes})
    assert rows(app, Account) == 1


def test_activation_confirms_a_contact_then_sign_in_works(client, app):
    account, code = new_space(app)
    started = activate(client, account.identifier, code.lower().replace("-", " "), email="camille@example.org",
                       phone="+33612345678")
    assert started.status_code == 200, started.text
    challenges = {c["channel"]: c["challenge_id"] for c in started.json()["challenges"]}
    assert set(challenges) == {"email", "sms"}
    assert start_login(client, account.identifier).status_code == 401  # not active yet
    confirmed = client.post("/auth/activation/confirm", json={"challenge_id": challenges["sms"],
                                                              "code": last_code(app, "sms")})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "active"
    tokens = sign_in(client, app, account.identifier, channel="sms")
    me = client.get("/auth/me", headers=bearer(tokens)).json()
    assert me["phone_confirmed"] and not me["email_confirmed"]
    # The provisional code is spent: it can neither activate again nor oppose.
    assert activate(client, account.identifier, code, email="x@example.org").status_code == 401
    assert client.post("/auth/opposition", json={"ins": account.identifier, "provisional_code": code}
                       ).status_code == 401


def test_wrong_provisional_code_is_refused_like_an_unknown_ins(client, app):
    account, code = new_space(app)
    wrong_code = activate(client, account.identifier, "AAAA-BBBB-CCCC", email="camille@example.org")
    unknown_ins = activate(client, new_ins(), code, email="camille@example.org")
    assert wrong_code.status_code == unknown_ins.status_code == 401
    assert wrong_code.json() == unknown_ins.json()
    assert rows(app, Account, status=AccountStatus.provisional) == 1


@pytest.mark.parametrize("changes, expected", [
    ({"password": "short"}, "at least 10 characters"),
    ({"password": "aaaaaaaaaaaa"}, "4 different characters"),
    ({"email": None, "phone": None}, "e-mail address or a mobile phone"),
    ({"phone": "12"}, "phone number is not valid"),
    ({"ins": "123456789012345"}, "INS"),
    ({"ins": 180057512345678}, "string"),
    ({"provisional_code": "x" * 1000}, "provisional_code"),
    ({"surprise": 1}, "surprise"),
])
def test_bad_activation_input_is_a_400_and_changes_nothing(client, app, changes, expected):
    account, code = new_space(app)
    body = {"ins": account.identifier, "provisional_code": code, "password": PASSWORD,
            "email": "camille@example.org", **changes}
    before = rows(app, DeliveredMessage)
    response = client.post("/auth/activation", json=body)
    assert response.status_code == 400
    assert expected in response.json()["issue"][0]["diagnostics"]
    assert rows(app, DeliveredMessage) == before
    with transaction(app.state.session_factory) as session:
        assert session.get(Account, account.id).password_hash is None


def test_opposition_deletes_the_space_and_its_data_for_good(client, app):
    account, code = new_space(app)
    other = active_patient(app)
    opposed = client.post("/auth/opposition", json={"ins": account.identifier, "provisional_code": code})
    assert opposed.status_code == 200 and opposed.json()["status"] == "deleted"
    assert rows(app, Account, id=account.id) == 0
    assert rows(app, Resource, patient_account_id=account.id) == 0
    assert rows(app, ResourceVersion, resource_id=account.fhir_id) == 0
    assert rows(app, ActivationCode, account_id=account.id) == 0
    assert rows(app, Resource, patient_account_id=other.id) == 1  # the neighbour keeps theirs
    assert activate(client, account.identifier, code, email="camille@example.org").status_code == 401
    assert client.post("/auth/opposition", json={"ins": account.identifier, "provisional_code": code}
                       ).status_code == 401


def test_closing_signs_out_everywhere_then_purge_erases_after_retention(client, app, settings):
    account = active_patient(app)
    tokens = sign_in(client, app, account.identifier)
    assert client.post("/auth/close", json={"password": PASSWORD}, headers=bearer(tokens)).status_code == 400
    wrong = client.post("/auth/close", json={"password": "wrong password!", "confirm": True},
                        headers=bearer(tokens))
    assert wrong.status_code == 401
    closed = client.post("/auth/close", json={"password": PASSWORD, "confirm": True}, headers=bearer(tokens))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.get("/auth/me", headers=bearer(tokens)).status_code == 401
    assert start_login(client, account.identifier).status_code == 401
    assert rows(app, Resource, patient_account_id=account.id) == 1  # archived, not yet erased
    with transaction(app.state.session_factory) as session:
        now = clock.utcnow()
        assert accounts.purge_expired_archives(session, now) == 0
        later = now + timedelta(days=settings.archive_retention_days, seconds=1)
        assert accounts.purge_expired_archives(session, later) == 1
    assert rows(app, Account, id=account.id) == 0
    assert rows(app, Resource, patient_account_id=account.id) == 0
