"""The device's catalogue calls against the real server on loopback: the apps and what they
ask for, granting and narrowing, the history of what an app did, revoking; refusals as
`sync.errors` values with the server's words."""
from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from sync.catalogue_records import parse_apps, parse_history
from sync.errors import BadServerAnswer, Refused
from tests.server.oauth_flow import GLUCOSE_APP, TELECONSULT_APP, add_app, tokens_for


@pytest.fixture
def apps(world):
    add_app(world.app)
    add_app(world.app, TELECONSULT_APP)


def test_grant_narrow_and_revoke_an_app_from_the_device(world, apps, api):
    listed = api.catalogue()
    assert [(a.id, a.category, a.granted) for a in listed] == [(GLUCOSE_APP.id, "diabetes", False),
                                                                (TELECONSULT_APP.id, "teleconsultation", False)]
    visio = listed[1]
    assert visio.category_label == "Téléconsultation" and visio.homepage == "https://visio.example.org"
    assert [(line.resource_type, line.read, line.write) for line in visio.access] == [
        ("Condition", True, False), ("Observation", True, False), ("DocumentReference", True, True)]
    assert visio.access[2].scope == "patient/DocumentReference.cruds"
    assert api.grants() == []

    granted = api.set_grant(TELECONSULT_APP.id, "patient/Condition.rs patient/DocumentReference.rs")
    assert granted.app_name == "VisioTest" and granted.can_read and not granted.can_write and granted.active
    assert [line.key for line in granted.access] == ["Condition?", "DocumentReference?"]
    assert [g.app_id for g in api.grants()] == [TELECONSULT_APP.id]
    assert [a.granted for a in api.catalogue()] == [False, True]

    narrowed = api.set_grant(TELECONSULT_APP.id, "patient/DocumentReference.c")
    assert narrowed.can_write and not narrowed.can_read
    page = api.app_history(TELECONSULT_APP.id)
    assert page.events == () and page.total == 0 and page.before is None

    api.revoke_grant(TELECONSULT_APP.id)
    assert api.grants() == []


def test_refusals_carry_the_servers_words(world, apps, api):
    with pytest.raises(Refused) as beyond:
        api.set_grant(GLUCOSE_APP.id, "patient/Condition.rs")
    assert beyond.value.status == 422 and "may not ask for" in beyond.value.message
    with pytest.raises(Refused) as nothing:
        api.set_grant(GLUCOSE_APP.id, "")
    assert nothing.value.status == 422
    with pytest.raises(Refused) as unknown:
        api.set_grant("no-such-app", "patient/Observation.rs")
    assert unknown.value.status == 404
    with pytest.raises(Refused) as never:
        api.revoke_grant(GLUCOSE_APP.id)
    assert never.value.status == 404
    with pytest.raises(Refused):
        api.app_history(GLUCOSE_APP.id)


def test_history_pages_follow_the_next_link(world, apps, api):
    with TestClient(world.app) as client:
        tokens = tokens_for(client, world.app, world.patient_ins, GLUCOSE_APP.id, "patient/Observation.rs")
    for _ in range(3):
        assert httpx.get(f"{world.server_url}/fhir/Observation",
                         headers={"Authorization": f"Bearer {tokens['access_token']}"}).status_code == 200
    first = api.app_history(GLUCOSE_APP.id, count=2)
    assert first.total == 3 and len(first.events) == 2 and first.before is not None
    rest = api.app_history(GLUCOSE_APP.id, count=2, before=first.before)
    assert len(rest.events) == 1 and rest.before is None
    assert all(e["resourceType"] == "AuditEvent" for e in first.events + rest.events)


@pytest.mark.parametrize("answer", [None, {}, [{"id": "x"}], [{"id": 1, "name": "n"}]])
def test_a_catalogue_that_is_not_one_is_refused(answer):
    with pytest.raises(BadServerAnswer):
        parse_apps(answer)


@pytest.mark.parametrize("bundle", [None, {"resourceType": "Bundle", "type": "history"},
                                    {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {}}]},
                                    {"resourceType": "Bundle", "type": "searchset",
                                     "link": [{"relation": "next", "url": "http://x/?before=zz"}]}])
def test_a_history_that_is_not_one_is_refused(bundle):
    with pytest.raises(BadServerAnswer):
        parse_history("gluco", bundle)
