"""The emergency card: the whole card once unlocked, and, by the patient's choice, only the
chosen part on a locked device."""
from __future__ import annotations

from tests.app.conftest import run

from tests.screens.app_driver import sign_in, start_app
from tests.screens.flet_client import FletClient


def _record(world) -> None:
    world.professional_writes("AllergyIntolerance", criticality="high",
                              reaction=[{"manifestation": [{"text": "Œdème de Quincke"}]}])
    world.professional_writes("MedicationStatement")
    world.professional_writes("RelatedPerson")


async def _wait_synced(client: FletClient) -> None:
    await client.wait_until(lambda: client.has_text("Synchronisé"), "a first sync")


def test_the_card_and_what_a_locked_device_shows(world, tmp_path):
    _record(world)

    async def unlocked():
        async with FletClient(width=390, height=844) as client:
            start_app(client, world, tmp_path / "device")
            await sign_in(client, world)
            await _wait_synced(client)
            await client.click("home-emergency-card")
            await client.wait_for_text("Allergy to penicillin")
            assert client.has_text("Allergie grave, Œdème de Quincke")
            assert client.has_text("Amlodipine 5 mg")
            assert client.has_text("Paul Martin")
            assert client.find("emergency-call-+33612345678") is not None
            assert client.find("emergency-share-fields").visible is False  # nothing shown locked yet

            await client.choose("emergency-lock-screen", True)
            await client.wait_for_text("Votre choix est enregistré.")
            assert all(client.find(f"emergency-share-{field}").value for field in (
                "allergies", "treatments", "conditions", "blood-group", "advance-directives", "contacts"))
            await client.choose("emergency-share-treatments", False)
            await client.wait_until(lambda: client.find("emergency-share-treatments").value is False, "unticked")

    async def locked():
        async with FletClient(width=390, height=844) as client:
            start_app(client, world, tmp_path / "device")
            await client.click("open-emergency-card")
            await client.wait_for_text("Allergy to penicillin")
            assert client.has_text("Camille Martin") and client.has_text("Paul Martin")
            assert not client.has_text("Amlodipine")  # treatments were not chosen
            assert not client.has_text("Traitements en cours")
            await client.click("emergency-locked-unlock")
            await client.wait_for("unlock-pin")

    run(unlocked())
    run(locked())


def test_no_card_on_a_locked_device_unless_chosen(world, tmp_path):
    async def scenario():
        async with FletClient() as client:
            start_app(client, world, tmp_path / "device")
            await sign_in(client, world)
        async with FletClient() as client:
            start_app(client, world, tmp_path / "device")
            await client.wait_for("unlock-pin")
            assert client.find("open-emergency-card") is None

    run(scenario())
