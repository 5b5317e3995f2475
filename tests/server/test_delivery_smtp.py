"""Codes by e-mail through a real SMTP server (aiosmtpd on loopback), against the live server."""
from __future__ import annotations

import logging
import re
import time
from email import message_from_bytes, policy

import httpx
import pytest
from aiosmtpd.controller import Controller

from tests.conftest import free_port
from tests.server.auth_flows import PASSWORD, active_patient, cheap, last_code, new_space


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"expected {count} e-mails, got {len(self.messages)}"
            time.sleep(0.02)
        return self.messages[count - 1]


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def settings(settings, inbox):
    return cheap(settings).model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": inbox.port})


def code_in(mail) -> str:
    found = re.search(r"^(?:Code|Provisional code): (\S+)\r?$", mail.get_content(), re.MULTILINE)
    assert found, mail.get_content()
    return found.group(1)


def test_activation_and_sign_in_with_codes_read_from_real_mail(live_server, app, inbox):
    account, _ = new_space(app, email="camille@example.org")
    letter = inbox.wait_for(1)
    assert letter["To"] == "camille@example.org" and letter["From"] == app.state.settings.smtp_sender
    provisional_code = code_in(letter)
    with httpx.Client(base_url=live_server.url, timeout=10) as http:
        started = http.post("/auth/activation", json={"ins": account.identifier, "provisional_code": provisional_code,
                                                      "password": PASSWORD, "email": "camille@example.org"})
        assert started.status_code == 200, started.text
        confirm = http.post("/auth/activation/confirm", json={"challenge_id": started.json()["challenges"][0]["challenge_id"],
                                                              "code": code_in(inbox.wait_for(2))})
        assert confirm.status_code == 200, confirm.text

        login = http.post("/auth/login", json={"identifier": account.identifier, "password": PASSWORD,
                                               "channel": "email", "device_name": "laptop"})
        assert login.status_code == 200, login.text
        mail = inbox.wait_for(3)
        code = code_in(mail)
        assert re.fullmatch(r"\d{6}", code)
        tokens = http.post("/auth/login/verify", json={"challenge_id": login.json()["challenge_id"], "code": code})
        assert tokens.status_code == 200, tokens.text
        me = http.get("/auth/me", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"})
        assert me.json()["identifier"] == account.identifier
    for sent in inbox.messages:  # no health data, not even who the patient is
        body = sent.get_content()
        assert account.identifier not in body and "Martin" not in body and "1980" not in body


def test_sign_in_code_goes_only_to_the_account_address(client, app, inbox):
    account = active_patient(app, email="someone@example.org")
    response = client.post("/auth/login", json={"identifier": account.identifier, "password": PASSWORD,
                                                "channel": "email", "device_name": "phone"})
    assert response.status_code == 200
    mail = inbox.wait_for(1)
    assert mail["To"] == "someone@example.org"
    assert code_in(mail) == last_code(app, "email")  # the dev delivery box holds the same copy


def test_unreachable_smtp_server_does_not_fail_sign_in_nor_log_the_code(client, app, settings, caplog):
    app.state.settings = settings.model_copy(update={"smtp_port": free_port()})  # nobody listens there
    account = active_patient(app)
    with caplog.at_level(logging.DEBUG):
        response = client.post("/auth/login", json={"identifier": account.identifier, "password": PASSWORD,
                                                    "channel": "email", "device_name": "phone"})
    assert response.status_code == 200
    code = last_code(app, "email")
    assert "could not send a email message" in caplog.text
    assert code not in caplog.text and account.identifier not in caplog.text
