"""Settings through the screens: text size, the device's code, devices, sign-out."""
from __future__ import annotations

from tests.app.conftest import run

from tests.screens.app_driver import PASSPHRASE, sign_in, start_app
from tests.screens.flet_client import FletClient
from tests.sync.conftest import signed_in_api


def test_text_size_code_and_devices(world, tmp_path):
    other = signed_in_api(world, device_name="Tablette du salon")

    async def scenario():
        async with FletClient(width=820, height=1180) as client:
            start_app(client, world, tmp_path / "device")
            await sign_in(client, world)
            await client.navigate("Réglages")  # a tablet: the rail
            await client.wait_for("settings-text-size")

            await client.choose("settings-text-size", "largest")
            await client.wait_until(lambda: client.page.theme.text_theme is not None, "a larger text theme")
            assert client.page.theme.text_theme.body_medium.size == 28

            await client.click("settings-change-pin")
            await client.type("settings-current-pin", "pas le bon code")
            await client.type("settings-new-pin", "une nouvelle phrase")
            await client.type("settings-confirm-pin", "une nouvelle phrase")
            await client.click("settings-save-pin")
            await client.wait_for_text("Code incorrect. Encore 9 essai(s)")
            await client.type("settings-current-pin", PASSPHRASE)
            await client.click("settings-save-pin")
            await client.wait_for_text("Le code de cet appareil a changé.")

            await client.click("settings-show-devices")
            await client.wait_for_text("Tablette du salon")
            revoke = next(c for c in client.controls() if str(getattr(c, "key", "")).startswith("settings-revoke-"))
            await client.click(str(revoke.key))
            await client.click("confirm-ok")
            await client.wait_for_text("Tablette du salon est déconnecté.")

            await client.click("settings-sign-out")
            await client.click("confirm-ok")
            await client.wait_for("welcome-sign-in")

    run(scenario())
    other.http.close()
