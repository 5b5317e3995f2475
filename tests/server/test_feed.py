"""The change feed: order, tombstones, cursors, empty pages, bad cursors."""
import base64
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from health.fhir_bundles import FEED_CURSOR_SYSTEM, FEED_TAG_SYSTEM
from tests.server.fhir_samples import make_world, sample


@pytest.fixture
def world(client, app, settings):
    return make_world(client, app, settings)


def _page(world, cursor=None, count=None, headers=None, patient=None):
    params = {k: v for k, v in {"cursor": cursor, "_count": count}.items() if v is not None}
    response = world.client.get(f"/fhir/Patient/{patient or world.patient.fhir_id}/$changes", params=params,
                                headers=headers or world.as_patient)
    assert response.status_code == 200, response.text
    bundle = response.json()
    Bundle.model_validate(bundle)  # valid FHIR R4 (R4B) Bundle
    return bundle


def _cursor(bundle) -> str:
    return bundle["identifier"]["value"]


def _has_more(bundle) -> bool:
    tags = {t["code"] for t in bundle["meta"]["tag"] if t["system"] == FEED_TAG_SYSTEM}
    return tags == {"has-more"}


def _pull_all(world, cursor=None, count="2"):
    entries = []
    while True:
        bundle = _page(world, cursor, count)
        entries += bundle["entry"]
        cursor = _cursor(bundle)
        if not _has_more(bundle):
            return entries, cursor


def test_feed_pages_in_sequence_order_with_tombstones(world):
    pid = world.patient.fhir_id
    condition = world.post(world.as_patient, sample("Condition", pid)).json()
    allergy = world.post(world.as_professional, sample("AllergyIntolerance", pid)).json()
    world.put(world.as_patient, {**condition, "language": "fr"})
    world.client.delete(f"/fhir/AllergyIntolerance/{allergy['id']}", headers=world.as_professional)
    world.post(world.as_other, sample("Condition", world.other.fhir_id))

    entries, cursor = _pull_all(world)
    # The professional's two writes are in her access history too (the patient's are not traced).
    traces = [e for e in entries if e["request"]["url"].startswith("AuditEvent/")]
    assert [e["resource"]["action"] for e in traces] == ["C", "D"]
    entries = [e for e in entries if e not in traces]
    urls = [(e["request"]["method"], e["request"]["url"]) for e in entries]
    assert urls == [("PUT", f"Patient/{pid}"), ("PUT", f"Condition/{condition['id']}"),
                    ("DELETE", f"AllergyIntolerance/{allergy['id']}")]
    assert entries[1]["resource"]["meta"]["versionId"] == "2" and entries[1]["response"]["etag"] == 'W/"2"'
    tombstone = entries[2]
    assert "resource" not in tombstone and tombstone["response"]["etag"] == 'W/"2"'
    assert tombstone["fullUrl"].endswith(f"/fhir/AllergyIntolerance/{allergy['id']}")

    empty = _page(world, cursor)
    assert empty["entry"] == [] and _cursor(empty) == cursor and not _has_more(empty)
    next_link = next(link["url"] for link in empty["link"] if link["relation"] == "next")
    assert f"cursor={cursor}" in next_link

    world.put(world.as_patient, {**condition, "language": "en"})
    later = _page(world, cursor)
    assert [e["request"]["url"] for e in later["entry"]] == [f"Condition/{condition['id']}"]


def test_bundle_shape_for_the_sync_engine(world):
    world.post(world.as_patient, sample("DocumentReference", world.patient.fhir_id))
    bundle = _page(world, count="1")
    assert bundle["type"] == "history" and len(bundle["entry"]) == 1 and _has_more(bundle)
    assert bundle["identifier"]["system"] == FEED_CURSOR_SYSTEM
    rest = _page(world, _cursor(bundle))
    assert rest["entry"][0]["resource"]["resourceType"] == "DocumentReference"


def test_bad_cursors_and_counts_are_400(world):
    url = f"/fhir/Patient/{world.patient.fhir_id}/$changes"
    other_cursor = _cursor(_page(world, headers=world.as_other, patient=world.other.fhir_id))
    ahead = base64.urlsafe_b64encode(json.dumps(
        {"v": 1, "p": world.patient.fhir_id, "s": 999}).encode()).decode().rstrip("=")
    for params in ({"cursor": "not a cursor"}, {"cursor": "e30"}, {"cursor": other_cursor}, {"cursor": ahead},
                   {"cursor": "x" * 600}, {"_count": "-1"}, {"_count": "many"}):
        response = world.client.get(url, params=params, headers=world.as_patient)
        assert response.status_code == 400, params
        assert response.json()["resourceType"] == "OperationOutcome"


def test_count_is_capped(world, settings):
    settings.page_size_max = 2
    for _ in range(3):
        world.post(world.as_patient, sample("Condition", world.patient.fhir_id))
    bundle = _page(world, count="100")
    assert len(bundle["entry"]) == 2 and _has_more(bundle)


def test_who_may_read_a_feed(world):
    assert _page(world, headers=world.as_professional)["entry"]
    hidden = world.client.get(f"/fhir/Patient/{world.patient.fhir_id}/$changes", headers=world.as_other)
    missing = world.client.get("/fhir/Patient/nobody/$changes", headers=world.as_other)
    assert hidden.status_code == missing.status_code == 404
    assert world.client.get(f"/fhir/Patient/{world.patient.fhir_id}/$changes").status_code == 401
