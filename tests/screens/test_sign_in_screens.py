"""From the welcome screen to the home screen, as a patient signing in for the first time."""
from __future__ import annotations

from tests.app.conftest import run

from tests.screens.app_driver import sign_in, start_app
from tests.screens.flet_client import FletClient


def test_sign_in_choose_a_passphrase_and_see_home(world, tmp_path):
    world.professional_writes("DocumentReference")

    async def scenario():
        async with FletClient(width=390, height=844) as client:
            start_app(client, world, tmp_path / "device")
            await sign_in(client, world)
            await client.wait_for_text("Bonjour Camille Martin")
            await client.wait_for_text("Bilan sanguin")
            assert client.find("navigation-bar") is not None  # a phone: bottom navigation

    run(scenario())
