"""The Privacy screens in Flet's real session against the real server: a phone reads the
access history, opens an access and its rule, blocks the professional (who is refused at
once), unblocks them from the choices; the choices shown offline with a plain word; the
data part at a desktop's width beside the history."""
from __future__ import annotations

import httpx

from app.i18n import EN, FR
from app.privacy_service import PrivacyRefusal
from tests.app.conftest import run
from tests.screens.flet_client import FletClient
from tests.screens.test_profile_screens import choose_segment, keys_starting, signed_in


async def open_privacy(client: FletClient) -> None:
    await client.open_area("Confidentialité", "more-privacy", "privacy")


def nurse_status(world) -> int:
    return httpx.get(f"{world.server_url}/fhir/Condition", params={"patient": world.patient_id},
                     headers=world.professional_headers).status_code


def test_block_a_professional_from_the_history_then_unblock_them_from_the_choices(world, tmp_path):
    world.server_search("Condition", world.professional_headers)

    async def scenario():
        async with FletClient(width=390, height=844) as client:
            await signed_in(client, world, tmp_path)
            await client.wait_until(lambda: client.page.controls and not client.has_text("Synchronisation"),
                                    "the first sync")
            await open_privacy(client)
            await client.wait_for_text("Louis Bernard (infirmier·ère) a cherché dans vos antécédents")
            line = keys_starting(client, "privacy-access-")[0]
            await client.click(line)
            await client.wait_for("privacy-why")
            assert client.find("privacy-rule-profession") is not None
            assert client.find("privacy-rule-first-access") is not None
            await client.click("privacy-block")
            await client.wait_for_text("ne pourra plus rien lire ni écrire dans votre dossier")
            await client.click("privacy-block-confirm")
            await client.wait_for_text("Louis Bernard est bloqué·e.")
            await client.wait_for("privacy-unblock")
            refused = nurse_status(world)

            await client.click("privacy-back")
            await choose_segment(client, "privacy-parts", "choices")
            await client.wait_for_text("Bloqué depuis le")
            blocked_row = keys_starting(client, "privacy-unblock-")[0]
            await client.click(blocked_row)
            await client.click("privacy-block-confirm")
            await client.wait_for_text("Louis Bernard est débloqué·e.")
            await client.wait_for("privacy-blocked-none")
            return refused, nurse_status(world)

    refused, allowed = run(scenario())
    assert refused == 403 and allowed == 200


def test_offline_the_choices_show_what_was_last_known_and_a_change_says_it_needs_the_network(world, tmp_path,
                                                                                              live_server):
    world.server_search("Condition", world.professional_headers)

    async def scenario():
        async with FletClient(width=820, height=1180) as client:
            await signed_in(client, world, tmp_path)
            await open_privacy(client)
            await choose_segment(client, "privacy-parts", "choices")
            await client.wait_until(lambda: client.find("privacy-emergency").disabled is False, "the choices")
            live_server.stop()
            await choose_segment(client, "privacy-parts", "history")
            await choose_segment(client, "privacy-parts", "choices")
            await client.wait_for_text("Vos choix affichés datent du")
            assert client.find("privacy-emergency").value is True
            await client.choose("privacy-emergency", False)
            await client.wait_for_text("ce changement demande une connexion")
            await client.wait_until(lambda: client.find("privacy-emergency").value is True, "the switch back")
            await choose_segment(client, "privacy-parts", "history")
            await client.wait_for_text("Louis Bernard (infirmier·ère) a cherché dans vos antécédents")  # the history, offline

    run(scenario())


def test_at_a_desktops_width_the_history_sits_beside_the_choices_and_the_data(world, tmp_path):
    world.professional_writes("DocumentReference")

    async def scenario():
        async with FletClient(width=1440, height=900) as client:
            await signed_in(client, world, tmp_path)
            await open_privacy(client)
            await client.wait_for("privacy-history")
            await client.wait_for("privacy-emergency-panel")
            await client.wait_for("privacy-export")
            assert client.find("privacy-parts") is None
            await client.click("privacy-close")
            await client.click("privacy-close-confirm")
            await client.wait_for_text("Saisissez votre mot de passe pour confirmer.")
            await client.type("privacy-close-password", "pas le bon")
            await client.choose("privacy-close-exported", True)
            await client.click("privacy-close-confirm")
            await client.wait_for_text("Mot de passe incorrect.")
            await client.click("privacy-close-cancel")

    run(scenario())


def test_the_history_filtered_by_days_and_by_emergencies(world, tmp_path):
    world.server_search("Condition", world.professional_headers)

    async def scenario():
        async with FletClient(width=820, height=1180) as client:
            await signed_in(client, world, tmp_path)
            await open_privacy(client)
            await client.wait_for_text("Louis Bernard (infirmier·ère) a cherché dans vos antécédents")
            await client.click("privacy-filter-days")
            picker = await client.wait_for("privacy-days-picker")
            client.session.apply_patch(picker._i, {"start_value": "2020-01-01T00:00:00.000",
                                                   "end_value": "2020-12-31T00:00:00.000"})
            await client.session.dispatch_event(picker._i, "change", None)
            await client.wait_for_text("Du 01/01/2020 au 31/12/2020")
            await client.wait_for("privacy-history-empty")
            assert client.has_text("Aucun accès ne correspond à ces filtres.")
            await client.click("privacy-filter-clear")
            await client.wait_for_text("Louis Bernard (infirmier·ère) a cherché dans vos antécédents")
            await client.choose("privacy-filter-emergency", True)
            await client.wait_for("privacy-history-empty")
            assert not client.has_text("Louis Bernard (infirmier·ère) a cherché")

    run(scenario())


def test_every_word_the_privacy_screens_compose_exists():
    dynamic = [f"privacy.kind.{kind}" for kind in ("normal", "emergency", "refused")] + \
        [f"privacy.part.{part}" for part in ("history", "choices", "data")] + \
        [f"privacy.refused.{reason}" for reason in ("offline", "regular-doctor", "not-a-professional",
                                                     "wrong-password", "too-large", "gone")]
    assert [key for key in dynamic if key not in FR or key not in EN] == []
    assert all(f'"{reason}"' in (PrivacyRefusal.__doc__ or "") for reason in
               ("offline", "regular-doctor", "not-a-professional", "wrong-password", "too-large", "gone"))
