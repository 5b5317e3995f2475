"""The Catalogue screen's service against the real server and a real encrypted cache: the
catalogue and grants kept for offline, granting kind of data by kind (within what the app
asks), narrowing that stops the app at its next request, what the app did in words, revoking;
offline, a change is refused at once and nothing changes."""
from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from app.catalogue_service import CatalogueRefusal, scope_for
from storage.records import AppAccess
from tests.app.conftest import run
from tests.app.test_services import sign_in
from tests.server.oauth_flow import GLUCOSE_APP, TELECONSULT_APP, add_app, tokens_for


@pytest.fixture
def apps(world):
    add_app(world.app)
    add_app(world.app, TELECONSULT_APP)


def app_reads(world, token: str) -> int:
    return httpx.get(f"{world.server_url}/fhir/Observation", headers={"Authorization": f"Bearer {token}"}).status_code


def test_grant_see_what_it_did_narrow_and_revoke(services, world, apps):
    with TestClient(world.app) as client:
        tokens = tokens_for(client, world.app, world.patient_ins, GLUCOSE_APP.id,
                            "launch/patient patient/Observation.rs patient/Observation.c")
    assert app_reads(world, tokens["access_token"]) == 200

    async def scenario():
        await sign_in(services, world)
        catalogue = services.catalogue
        known = await catalogue.refresh()
        page = await catalogue.app(GLUCOSE_APP.id)
        deeds = await catalogue.history(GLUCOSE_APP.id)
        narrowed = await catalogue.set_grant(GLUCOSE_APP.id, {"Observation?": (False, True)})
        stopped = app_reads(world, tokens["access_token"])
        visio = await catalogue.set_grant(TELECONSULT_APP.id, {"Condition?": (True, False),
                                                               "DocumentReference?": (True, True)})
        revoked = await catalogue.revoke(GLUCOSE_APP.id)
        return known, page, deeds, narrowed, stopped, visio, revoked

    known, page, deeds, narrowed, stopped, visio, revoked = run(scenario())
    assert [a.id for a in known.apps] == [GLUCOSE_APP.id, TELECONSULT_APP.id] and known.fetched_at
    assert [g.app_id for g in known.grants] == [GLUCOSE_APP.id]
    assert page.name == "GlucoTest" and not page.withdrawn and page.grant is not None
    assert [(c.asked.key, c.reads, c.writes) for c in page.choices] == [("Observation?", True, True)]
    assert deeds.total == 1 and deeds.before is None
    [deed] = deeds.deeds
    assert deed.text.startswith("A cherché") and not deed.refused and deed.day and deed.time
    assert narrowed.grant_of(GLUCOSE_APP.id).scopes == ("patient/Observation.c", "launch/patient")
    assert stopped == 403
    assert visio.grant_of(TELECONSULT_APP.id).scopes == ("patient/Condition.rs", "patient/DocumentReference.cruds")
    assert [g.app_id for g in revoked.grants] == [TELECONSULT_APP.id]
    assert [a.granted for a in revoked.apps] == [False, True]
    assert app_reads(world, tokens["access_token"]) == 401


def test_offline_the_catalogue_shows_what_was_known_and_a_change_is_refused_at_once(services, world, apps,
                                                                                      live_server):
    async def scenario():
        await sign_in(services, world)
        await services.catalogue.refresh()
        await services.catalogue.set_grant(GLUCOSE_APP.id, {"Observation?": (True, False)})
        live_server.stop()
        known = await services.catalogue.known()
        with pytest.raises(CatalogueRefusal) as grant:
            await services.catalogue.set_grant(TELECONSULT_APP.id, {"Condition?": (True, False)})
        with pytest.raises(CatalogueRefusal) as revoke:
            await services.catalogue.revoke(GLUCOSE_APP.id)
        with pytest.raises(CatalogueRefusal) as history:
            await services.catalogue.history(GLUCOSE_APP.id)
        return known, grant.value, revoke.value, history.value, await services.catalogue.known()

    known, grant, revoke, history, after = run(scenario())
    assert [g.app_id for g in known.grants] == [GLUCOSE_APP.id] and len(known.apps) == 2
    assert grant.reason == revoke.reason == history.reason == "offline"
    assert after == known


def test_granting_nothing_or_an_unknown_app_is_refused_before_the_server(services, world, apps):
    async def scenario():
        await sign_in(services, world)
        await services.catalogue.refresh()
        with pytest.raises(CatalogueRefusal) as nothing:
            await services.catalogue.set_grant(GLUCOSE_APP.id, {"Observation?": (False, False)})
        with pytest.raises(CatalogueRefusal) as gone:
            await services.catalogue.set_grant("no-such-app", {})
        return nothing.value.reason, gone.value.reason, await services.catalogue.app("no-such-app")

    assert run(scenario()) == ("nothing-chosen", "gone", None)


def test_a_scope_is_only_what_the_line_asks_for():
    line = AppAccess("Observation", "category=laboratory", True, True, "crs", "t", "r", "w",
                     "patient/Observation.crs?category=laboratory")
    assert scope_for(line, True, False) == "patient/Observation.rs?category=laboratory"
    assert scope_for(line, False, True) == "patient/Observation.c?category=laboratory"
    assert scope_for(line, False, False) is None
