"""The Catalogue screens in Flet's real session against the real server: a phone browses the
apps by category, allows one to read (confirmed), sees it among the allowed apps with what it
did, then revokes it; offline, the list shows what was known and a change says it needs the
network; a desktop shows what an app did beside the rest; every word composed exists."""
from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from app.catalogue_service import CatalogueRefusal
from app.i18n import EN, FR
from health.app_catalogue import APP_CATEGORIES
from tests.app.conftest import run
from tests.screens.flet_client import FletClient
from tests.screens.test_profile_screens import signed_in
from tests.server.oauth_flow import GLUCOSE_APP, TELECONSULT_APP, add_app, tokens_for


async def open_catalogue(client: FletClient) -> None:
    await client.open_area("Applications", "more-catalogue", "catalogue")


def test_allow_an_app_to_read_see_it_allowed_then_revoke_it(world, tmp_path):
    add_app(world.app)
    add_app(world.app, TELECONSULT_APP)

    async def scenario():
        async with FletClient(width=390, height=844) as client:
            await signed_in(client, world, tmp_path)
            await open_catalogue(client)
            await client.wait_for("catalogue-granted-none")
            await client.wait_for(f"catalogue-app-{TELECONSULT_APP.id}")
            await client.event("catalogue-chip-diabetes", "select", True)
            await client.wait_until(lambda: client.find(f"catalogue-app-{TELECONSULT_APP.id}") is None,
                                    "the teleconsultation app filtered out")
            await client.click(f"catalogue-app-{GLUCOSE_APP.id}")
            await client.wait_for("catalogue-not-granted")
            assert client.has_text("Par Glycemia Labs")
            assert client.has_text("Lire vos mesures et résultats")
            assert client.find("catalogue-revoke").visible is False
            await client.click("catalogue-save")
            await client.wait_for_text("Choisissez au moins une lecture")  # nothing switched on yet
            await client.click("catalogue-grant-cancel")
            await client.choose("catalogue-read-0", True)
            await client.click("catalogue-save")
            await client.wait_for_text("• Lire vos mesures et résultats")
            await client.click("catalogue-grant-confirm")
            await client.wait_for_text("GlucoTest est autorisée.")
            await client.wait_for("catalogue-since")
            await client.wait_for("catalogue-history-empty")
            assert client.find("catalogue-read-0").value is True and client.find("catalogue-write-0").value is False
            await client.click("catalogue-back")
            await client.wait_for(f"catalogue-granted-{GLUCOSE_APP.id}")
            await client.click(f"catalogue-granted-{GLUCOSE_APP.id}")
            await client.click("catalogue-revoke")
            await client.wait_for_text("ne pourra plus rien lire ni écrire")
            await client.click("catalogue-revoke-confirm")
            await client.wait_for_text("L'accès de GlucoTest est retiré.")
            await client.wait_for("catalogue-granted-none")

    run(scenario())


def test_offline_the_list_shows_what_was_known_and_a_change_needs_the_network(world, tmp_path, live_server):
    add_app(world.app)

    async def scenario():
        async with FletClient(width=820, height=1180) as client:
            await signed_in(client, world, tmp_path)
            await open_catalogue(client)
            await client.wait_for(f"catalogue-app-{GLUCOSE_APP.id}")
            live_server.stop()
            await client.click(f"catalogue-app-{GLUCOSE_APP.id}")
            await client.choose("catalogue-write-0", True)
            await client.click("catalogue-save")
            await client.click("catalogue-grant-confirm")
            await client.wait_for_text("ce changement demande une connexion")
            await client.click("catalogue-grant-cancel")
            await client.click("catalogue-back")
            await client.wait_for_text("Liste affichée du")
            assert client.find(f"catalogue-app-{GLUCOSE_APP.id}") is not None

    run(scenario())


def test_at_a_desktops_width_what_an_app_did_sits_beside_the_rest(world, tmp_path):
    add_app(world.app)
    with TestClient(world.app) as server:
        tokens = tokens_for(server, world.app, world.patient_ins, GLUCOSE_APP.id, "patient/Observation.rs")
    for _ in range(2):
        httpx.get(f"{world.server_url}/fhir/Observation", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    async def scenario():
        async with FletClient(width=1440, height=900) as client:
            await signed_in(client, world, tmp_path)
            await open_catalogue(client)
            await client.click(f"catalogue-granted-{GLUCOSE_APP.id}")
            await client.wait_for_text("2 accès au total")
            assert client.has_text("A cherché")
            assert client.find("catalogue-last-used") is not None and client.find("catalogue-revoke").visible

    run(scenario())


def test_every_word_the_catalogue_screens_compose_exists():
    dynamic = [f"catalogue.category.{code}" for code in APP_CATEGORIES] + \
        [f"catalogue.verb.{letter}" for letter in "cud"] + \
        [f"catalogue.refused.{reason}" for reason in ("offline", "nothing-chosen", "gone")]
    assert [key for key in dynamic if key not in FR or key not in EN] == []
    assert all(f'"{reason}"' in (CatalogueRefusal.__doc__ or "") for reason in ("offline", "nothing-chosen", "gone"))
