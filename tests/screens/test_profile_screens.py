"""The profile screens in Flet's real session on a phone-sized page, against the real
server: a professional's allergy read-only with its author; an allergy added through the
form (a bad date refused next to its field first), listed, then deleted."""
from __future__ import annotations

from app.main import make_main
from storage import NoSecretStore
from tests.app.conftest import run
from tests.screens.flet_client import FletClient
from tests.server.auth_flows import PASSWORD, last_code
from tests.storage.samples import FAST_KDF

PASSPHRASE = "quatre petits chats"
DR_LEFEVRE = {"reference": "Practitioner/dr-lefevre", "display": "Dr Claire Lefèvre"}


async def signed_in(client: FletClient, world, tmp_path) -> None:
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


async def open_profile(client: FletClient, navigation: str) -> None:
    """Tap "Profil" in the navigation bar (phones) or rail (wider screens)."""
    control = await client.wait_for(navigation)
    client.session.apply_patch(control._i, {"selected_index": 1})
    await client.session.dispatch_event(control._i, "change", 1)


async def choose_segment(client: FletClient, key: str, value: str) -> None:
    control = await client.wait_for(key)
    client.session.apply_patch(control._i, {"selected": [value]})
    await client.session.dispatch_event(control._i, "change", [value])


def keys_starting(client: FletClient, prefix: str) -> list[str]:
    found = []
    for control in client.controls():
        key = getattr(control, "key", None)
        key = str(getattr(key, "value", key)) if key is not None else ""
        if key.startswith(prefix):
            found.append(key)
    return found


def test_a_professionals_allergy_is_read_only_and_the_patient_adds_then_deletes_one(world, tmp_path):
    written = world.professional_writes("AllergyIntolerance", recorder=DR_LEFEVRE)

    async def scenario():
        async with FletClient(width=390, height=844) as client:
            await signed_in(client, world, tmp_path)
            await open_profile(client, "navigation-bar")
            await client.wait_for_text("Allergy to penicillin")  # the home card's preview
            await client.click("profile-allergies")

            await client.wait_for_text("Ajouté par Dr Claire Lefèvre")
            assert client.find(f"profile-edit-{written['id']}") is None
            assert client.find(f"profile-delete-{written['id']}") is None

            await client.click("profile-add")
            await client.type("profile-form-substance", "Arachide")
            await client.choose("profile-form-kind", "food")
            await client.choose("profile-form-criticality", "high")
            await client.type("profile-form-since", "2099")
            await client.click("profile-form-save")
            since = client.find("profile-form-since")
            await client.wait_until(lambda: since.error == "Cette date est dans le futur.", "the error under the date")
            assert client.find("profile-form") is not None  # still open: nothing saved
            assert not client.has_text("Ajouté par vous")

            await client.type("profile-form-since", "2015")
            await client.click("profile-form-save")
            await client.wait_for_text("Ajouté par vous")
            await client.wait_for_text("Arachide")
            assert client.has_text("Réaction grave possible") and client.has_text("Aliment · Depuis 2015")

            [delete] = keys_starting(client, "profile-delete-")
            await client.click(delete)
            await client.wait_for_text("« Arachide » sera supprimé de votre profil")
            await client.click("profile-delete-confirm")
            await client.wait_until(lambda: not client.has_text("Arachide"), "the allergy to be gone")
            await client.wait_for_text("Ajouté par Dr Claire Lefèvre")
            assert not client.has_text("Arachide")

    run(scenario())


def test_measurements_show_a_chart_and_a_list(world, tmp_path):
    world.professional_writes("Observation")  # a weight, 72.5 kg
    world.professional_writes("Observation", effectiveDateTime="2024-04-05T08:30:00+02:00",
                              valueQuantity={"value": 70.1, "unit": "kg", "system": "http://unitsofmeasure.org",
                                             "code": "kg"})

    async def scenario():
        async with FletClient(width=1440, height=900) as client:
            await signed_in(client, world, tmp_path)
            await open_profile(client, "navigation-rail")
            await client.click("profile-measurements")
            await choose_segment(client, "measurements-period", "all")
            await client.wait_for("measurements-chart")
            await client.wait_for_text("2 mesure(s) sur la période ; dernière : 70,1 kg le 05/04/2024.")
            chart = client.find("measurements-chart")
            assert [p.y for p in chart.data_series[0].points] == [72.5, 70.1]

            await choose_segment(client, "measurements-view", "list")
            await client.wait_for_text("70,1 kg")
            assert client.find("measurements-chart") is None
            assert client.has_text("05/04/2024")

    run(scenario())

