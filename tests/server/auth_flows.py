"""Steps shared by the accounts and sign-in tests: spaces made through the real services,
codes read back from the delivery box, sign-in through the real routes."""
from __future__ import annotations

from health.identifiers import make_rpps
from server.db import transaction
from server.services import accounts
from server.services.delivery import build_delivery, latest_codes
from tests.factories import new_ins

# Argon2 at its cheapest, for speed; the defaults (t=3, 64 MiB) are tested apart.
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}
PASSWORD = "correct horse battery"


def cheap(settings):
    return settings.model_copy(update=CHEAP_ARGON2)


def new_space(app, *, email: str | None = "camille@example.org", phone: str | None = None):
    """A provisional space made by the platform: (account, provisional code)."""
    settings, factory = app.state.settings, app.state.session_factory
    with transaction(factory) as session:
        space = accounts.create_patient_space(
            session, settings, build_delivery(settings, factory), ins=new_ins(), given="Camille",
            family="Martin", birth_date="1980-05-17", gender="female", email=email, phone=phone,
            postal_address="3 rue des Lilas, 75011 Paris")
    return space.account, space.provisional_code


def active_patient(app, *, email: str | None = "camille@example.org", phone: str | None = "+33612345678"):
    """An active patient with confirmed contacts and PASSWORD; returns the account."""
    account, _ = new_space(app, email=None)
    with transaction(app.state.session_factory) as session:
        session.add(account)
        accounts.activate_without_confirmation(session, account, password=PASSWORD, email=email, phone=phone,
                                               settings=app.state.settings)
    return account


def professional(app, *, rpps: str | None = None, profession: str = "nurse"):
    with transaction(app.state.session_factory) as session:
        return accounts.create_professional(
            session, app.state.settings, rpps=rpps or make_rpps(f"81{new_ins()[5:13]}"), given="Louis",
            family="Bernard", profession=profession, email="louis.bernard@example.org", password=PASSWORD)


def last_message(app, channel: str | None = None):
    with transaction(app.state.session_factory) as session:
        messages = [m for m in latest_codes(session, 50) if channel in (None, m.channel)]
    assert messages, f"no {channel or ''} message in the delivery box"
    return messages[0]


def last_code(app, channel: str | None = None) -> str:
    return last_message(app, channel).code


def start_login(client, identifier: str, *, password: str = PASSWORD, channel: str = "email",
                device_name: str = "Camille's phone"):
    return client.post("/auth/login", json={"identifier": identifier, "password": password,
                                            "channel": channel, "device_name": device_name})


def sign_in(client, app, identifier: str, *, channel: str = "email", device_name: str = "Camille's phone") -> dict:
    """Identifier + password + the code from the delivery box: the token response."""
    started = start_login(client, identifier, channel=channel, device_name=device_name)
    assert started.status_code == 200, started.text
    verified = client.post("/auth/login/verify", json={"challenge_id": started.json()["challenge_id"],
                                                       "code": last_code(app, channel)})
    assert verified.status_code == 200, verified.text
    return verified.json()


def bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}
