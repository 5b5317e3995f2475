"""Bad input gets a 4xx OperationOutcome with a clear message, and changes nothing."""
import json

import pytest

from server.models import Resource
from tests.server.fhir_samples import FHIR, make_world, sample


@pytest.fixture
def world(client, app, settings):
    return make_world(client, app, settings)


def _snapshot(world) -> tuple:
    factory = world.client.app.state.session_factory
    with factory() as session:
        rows = session.query(Resource.resource_type, Resource.id, Resource.version_id, Resource.deleted).all()
    return world.feed_seq(), sorted(rows)


def _refused(response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert words.lower() in body["issue"][0]["diagnostics"].lower(), body


def _send(world, method: str, url: str, content: bytes, content_type: str = FHIR, headers=None):
    return world.client.request(method, url, content=content,
                                headers={**world.as_patient, "Content-Type": content_type, **(headers or {})})


def test_every_bad_body_is_refused_and_changes_nothing(world, settings):
    pid = world.patient.fhir_id
    good = sample("Condition", pid)
    existing = world.post(world.as_patient, good).json()
    good = {**good, "id": existing["id"]}  # POST ignores it, PUT needs it
    before = _snapshot(world)
    cases = [
        (b'{"resourceType": "Condition", ', FHIR, 400, "not valid JSON"),
        (b"", FHIR, 400, "empty"),
        (b"[1, 2]", FHIR, 400, "JSON object"),
        (b'{"resourceType": "Condition", "x": NaN}', FHIR, 400, "NaN"),
        (b"\xff\xfe{}", FHIR, 400, "UTF-8"),
        (b"[" * 100000 + b"]" * 100000, FHIR, 400, ""),
        (json.dumps({**good, "resourceType": "Procedure"}).encode(), FHIR, 400, "expected 'Condition'"),
        (json.dumps({**good, "colour": "blue"}).encode(), FHIR, 400, "colour: unknown element"),
        (json.dumps({**good, "recordedDate": "yesterday"}).encode(), FHIR, 400, "recordedDate"),
        (json.dumps({**good, "subject": {"reference": "Group/1"}}).encode(), FHIR, 400, "Patient/<id>"),
        (json.dumps(good).encode(), "text/plain", 415, "application/fhir+json"),
        (json.dumps(good).encode(), "application/xml", 415, "application/fhir+json"),
        (json.dumps({**good, "note": [{"text": "x" * settings.max_json_body_bytes}]}).encode(), FHIR, 413,
         "larger than"),
    ]
    for content, content_type, status, words in cases:
        _refused(_send(world, "POST", "/fhir/Condition", content, content_type), status, words)
        _refused(_send(world, "PUT", f"/fhir/Condition/{existing['id']}", content, content_type), status, words)
    assert _snapshot(world) == before


def test_bad_ids_and_types_in_the_url(world):
    before = _snapshot(world)
    body = json.dumps(sample("Condition", world.patient.fhir_id, id="abc")).encode()
    _refused(_send(world, "PUT", "/fhir/Condition/other-id", body), 400, "must be the id in the URL")
    for bad_id in ("1' OR '1'='1", "a" * 65, "x;DROP TABLE resources", "%00"):
        _refused(world.client.get(f"/fhir/Condition/{bad_id}", headers=world.as_patient), 400, "id is 1 to 64")
    _refused(world.client.get("/fhir/Spaceship/1", headers=world.as_patient), 404, "does not serve")
    _refused(_send(world, "POST", "/fhir/Spaceship", body), 404, "does not serve")
    _refused(_send(world, "PUT", "/fhir/Condition/abc", body, headers={"If-Match": "yesterday"}), 400, "If-Match")
    assert _snapshot(world) == before


def test_another_patients_id_is_refused(world):
    before = _snapshot(world), _snapshot_of(world, world.other)
    foreign = sample("Condition", world.other.fhir_id)
    _refused(world.post(world.as_patient, foreign), 403, "your own record")
    _refused(world.put(world.as_patient, {**foreign, "id": "mine-1"}), 403, "your own record")
    _refused(world.client.get(f"/fhir/Patient/{world.other.fhir_id}/$changes", headers=world.as_patient),
             404, "does not exist")
    assert (_snapshot(world), _snapshot_of(world, world.other)) == before


def _snapshot_of(world, account):
    return world.feed_seq(account)


def test_injection_like_strings_in_search_are_refused(world):
    world.post(world.as_patient, sample("Condition", world.patient.fhir_id))
    before = _snapshot(world)
    for params in ({"code": "x' OR 1=1 --"}, {"date": "2020'; DROP TABLE resources;--"},
                   {"patient": "1 OR 1=1"}, {"_count": "1;DELETE"}, {"category": "<script>"}):
        response = world.client.get("/fhir/Condition", params=params, headers=world.as_patient)
        assert response.status_code == 400 and response.json()["resourceType"] == "OperationOutcome", params
    assert _snapshot(world) == before


def test_strings_that_look_like_code_are_stored_as_plain_text(world):
    text = "'); DROP TABLE resources; -- <script>alert(1)</script>"
    body = world.post(world.as_patient, sample("Condition", world.patient.fhir_id, note=[{"text": text}])).json()
    read = world.client.get(f"/fhir/Condition/{body['id']}", headers=world.as_patient).json()
    assert read["note"][0]["text"] == text


def test_declared_oversized_body_is_refused_before_reading(world, settings):
    before = _snapshot(world)
    response = world.client.post("/fhir/Condition", content=b"{}", headers={
        **world.as_patient, "Content-Type": FHIR, "Content-Length": str(settings.max_json_body_bytes + 1)})
    _refused(response, 413, "larger than")
    assert _snapshot(world) == before


def test_validation_outcome_has_one_issue_per_problem_with_its_path(world):
    resource = sample("Condition", world.patient.fhir_id, colour="blue", recordedDate="yesterday")
    outcome = world.post(world.as_patient, resource).json()
    assert outcome["issue"][0]["diagnostics"].startswith("This is not a valid Condition:")
    paths = {tuple(issue.get("expression", [])) for issue in outcome["issue"][1:]}
    assert paths == {("colour",), ("recordedDate",)}
