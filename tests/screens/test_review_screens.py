"""Changes to review in Flet's real session against the real server: the patient adds an
allergy, another device changes it, the patient changes it too; the status line says a
change waits, its screen shows both versions, and the server's is taken after a question."""
from __future__ import annotations

from tests.app.conftest import run
from tests.screens.flet_client import FletClient
from tests.screens.test_profile_screens import keys_starting, open_profile, signed_in


def _tablet_renames(world, allergy_id: str, text: str) -> None:
    from tests.sync.conftest import signed_in_api
    other = signed_in_api(world, device_name="Camille's tablet")
    try:
        current = other.read("AllergyIntolerance", allergy_id)
        other.put({**current, "code": {"text": text}}, current["meta"]["versionId"])
    finally:
        other.http.close()


def test_a_conflict_is_shown_with_both_versions_and_settled_for_the_servers(world, tmp_path):
    async def scenario():
        async with FletClient(width=820, height=1180) as client:
            await signed_in(client, world, tmp_path)
            await open_profile(client, "navigation-rail")
            await client.click("profile-allergies")
            await client.click("profile-add")
            await client.type("profile-form-substance", "Arachide")
            await client.choose("profile-form-kind", "food")
            await client.click("profile-form-save")
            await client.wait_for_text("Arachide")
            pending = client.find("sync-pending")
            await client.wait_until(lambda: not pending.visible, "the allergy sent")
            await client.wait_until(lambda: keys_starting(client, "profile-edit-"), "the allergy's edit button")
            [edit] = keys_starting(client, "profile-edit-")
            allergy_id = edit.removeprefix("profile-edit-")
            _tablet_renames(world, allergy_id, "Arachides et noix de cajou")

            await client.click(edit)
            await client.type("profile-form-substance", "Cacahuète")
            await client.click("profile-form-save")
            review = client.find("sync-review")
            await client.wait_until(lambda: review.visible, "the change to review on the status line")
            assert review.content == "1 modification(s) à revoir"
            await client.click("sync-review")
            await client.wait_for_text("Modifié ailleurs entre-temps")
            [card] = keys_starting(client, "review-version-")[:1]
            change_id = card.removeprefix("review-version-").removesuffix("-yours")
            assert client.has_text("Cacahuète") and client.has_text("Arachides et noix de cajou")
            assert client.has_text("Votre version") and client.has_text("Version du serveur")

            await client.click(f"review-drop-{change_id}")
            await client.wait_for_text("Votre modification de « Cacahuète » sera effacée de cet appareil.")
            await client.click("review-confirm")
            await client.wait_for_text("La version du serveur est gardée.")
            await client.wait_for("review-none")
            await client.wait_until(lambda: not client.find("sync-review").visible, "the status line settled")
            await client.click("review-back")  # back where the patient was: the allergies
            await client.wait_for_text("Arachides et noix de cajou")
            assert client.find("profile-add") is not None

    run(scenario())
