"""Signing in through the screens, shared by the screen tests."""
from __future__ import annotations

from app.main import make_main
from storage import NoSecretStore
from tests.screens.flet_client import FletClient
from tests.server.auth_flows import PASSWORD, last_code
from tests.storage.samples import FAST_KDF

PASSPHRASE = "quatre petits chats"


def start_app(client: FletClient, world, data_dir) -> None:
    """The app's `main` on the client's page, with a cheap KDF and no OS key store."""
    make_main(world.server_url, data_dir=data_dir, secret_store=NoSecretStore(), kdf=FAST_KDF,
              device_name="test device")(client.page)


async def sign_in(client: FletClient, world) -> None:
    """From the welcome screen to home, with the code the server e-mailed."""
    await client.click("welcome-sign-in")
    await client.type("sign-in-identifier", world.patient_ins)
    await client.type("sign-in-password", PASSWORD)
    await client.click("sign-in-send-code")
    await client.wait_for("sign-in-verify")
    await client.wait_until(lambda: client.find("sign-in-verify").visible, "the code step")
    await client.type("sign-in-code", last_code(world.app, "email"))
    await client.click("sign-in-verify")
    await client.type("pin-first", PASSPHRASE)
    await client.type("pin-second", PASSPHRASE)
    await client.click("pin-save")
    await client.wait_for("home-greeting")
