"""From the welcome screen to the home screen, as a patient signing in for the first time."""
from __future__ import annotations

from tests.app.conftest import run

from app.main import make_main
from tests.screens.flet_client import FletClient
from tests.server.auth_flows import PASSWORD, last_code
from tests.storage.samples import FAST_KDF
from storage import NoSecretStore

PASSPHRASE = "quatre petits chats"


def test_sign_in_choose_a_passphrase_and_see_home(world, tmp_path):
    world.professional_writes("DocumentReference")

    async def scenario():
        async with FletClient(width=390, height=844) as client:
            make_main(world.server_url, data_dir=tmp_path / "device", secret_store=NoSecretStore(),
                      kdf=FAST_KDF, device_name="test device")(client.page)
            await client.click("welcome-sign-in")
            await client.type("sign-in-identifier", world.patient_ins)
            await client.type("sign-in-password", PASSWORD)
            await client.click("sign-in-send-code")
            await client.wait_for_text("Un code a été envoyé")
            await client.type("sign-in-code", last_code(world.app, "email"))
            await client.click("sign-in-verify")
            await client.type("pin-first", PASSPHRASE)
            await client.type("pin-second", PASSPHRASE)
            await client.click("pin-save")
            await client.wait_for_text("Bonjour Camille Martin")
            await client.wait_for_text("Bilan sanguin")
            assert client.find("navigation-bar") is not None  # a phone: bottom navigation

    run(scenario())
