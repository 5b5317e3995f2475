"""Create, read, update, delete over FHIR, as a patient and as a professional."""
import uuid

import pytest

from tests.server.fhir_samples import CLINICAL_TYPES, FHIR, make_world, sample


@pytest.fixture
def world(client, app, settings):
    return make_world(client, app, settings)


def test_patient_crud_on_every_clinical_type(world):
    pid = world.patient.fhir_id
    for resource_type in CLINICAL_TYPES:
        created = world.post(world.as_patient, sample(resource_type, pid))
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["meta"]["versionId"] == "1" and created.headers["etag"] == 'W/"1"'
        assert created.headers["location"].endswith(f"/fhir/{resource_type}/{body['id']}/_history/1")
        assert created.headers["content-type"].startswith(FHIR)
        url = f"/fhir/{resource_type}/{body['id']}"
        assert world.client.get(url, headers=world.as_patient).json() == body

        changed = {**body, "language": "fr"}
        updated = world.put(world.as_patient, changed, **{"If-Match": 'W/"1"'})
        assert updated.status_code == 200, updated.text
        assert updated.json()["meta"]["versionId"] == "2" and updated.headers["etag"] == 'W/"2"'
        assert world.client.get(url + "/_history/1", headers=world.as_patient).json()["meta"]["versionId"] == "1"

        assert world.client.delete(url, headers=world.as_patient).status_code == 204
        gone = world.client.get(url, headers=world.as_patient)
        assert gone.status_code == 410 and gone.json()["resourceType"] == "OperationOutcome"
        assert world.client.delete(url, headers=world.as_patient).status_code == 204  # idempotent


def test_professional_crud_on_every_clinical_type(world):
    for resource_type in CLINICAL_TYPES:
        created = world.post(world.as_professional, sample(resource_type, world.patient.fhir_id))
        assert created.status_code == 201, created.text
        body = created.json()
        url = f"/fhir/{resource_type}/{body['id']}"
        assert world.client.get(url, headers=world.as_professional).json() == body
        assert world.client.get(url, headers=world.as_patient).status_code == 200
        updated = world.put(world.as_professional, {**body, "language": "fr"}, **{"If-Match": 'W/"1"'})
        assert updated.status_code == 200 and updated.json()["meta"]["versionId"] == "2"
        assert world.client.delete(url, headers=world.as_professional).status_code == 204


def test_professional_adds_and_reads_but_patient_cannot_change_it(world):
    pid = world.patient.fhir_id
    created = world.post(world.as_professional, sample("Condition", pid))
    assert created.status_code == 201, created.text
    body = created.json()
    url = f"/fhir/Condition/{body['id']}"
    assert world.client.get(url, headers=world.as_patient).status_code == 200

    refused = world.put(world.as_patient, {**body, "language": "fr"})
    assert refused.status_code == 403
    assert "read-only for you" in refused.json()["issue"][0]["diagnostics"]
    assert world.client.delete(url, headers=world.as_patient).status_code == 403
    after = world.client.get(url, headers=world.as_patient).json()
    assert after["meta"]["versionId"] == "1" and "language" not in after

    # The professional who wrote it may change it.
    assert world.put(world.as_professional, {**body, "language": "fr"}).status_code == 200


def test_professional_cannot_change_what_the_patient_wrote(world):
    body = world.post(world.as_patient, sample("AllergyIntolerance", world.patient.fhir_id)).json()
    assert world.put(world.as_professional, {**body, "language": "fr"}).status_code == 403
    assert world.client.delete(f"/fhir/AllergyIntolerance/{body['id']}",
                               headers=world.as_professional).status_code == 403


def test_another_patients_resources_are_not_found(world):
    body = world.post(world.as_patient, sample("Condition", world.patient.fhir_id)).json()
    url = f"/fhir/Condition/{body['id']}"
    missing = world.client.get("/fhir/Condition/no-such-id", headers=world.as_other)
    hidden = world.client.get(url, headers=world.as_other)
    assert hidden.status_code == missing.status_code == 404
    assert world.client.delete(url, headers=world.as_other).status_code == 404
    assert world.client.get(f"/fhir/Patient/{world.patient.fhir_id}", headers=world.as_other).status_code == 404
    before = world.feed_seq()
    refused = world.post(world.as_other, sample("Condition", world.patient.fhir_id))
    assert refused.status_code == 403
    assert world.feed_seq() == before


def test_put_with_client_id_creates_once_and_repeats_are_no_ops(world):
    resource = sample("Observation", world.patient.fhir_id, id=str(uuid.uuid4()))
    first = world.put(world.as_patient, resource)
    assert first.status_code == 201 and first.json()["meta"]["versionId"] == "1"
    seq = world.feed_seq()
    again = world.put(world.as_patient, resource)
    assert again.status_code == 200 and again.json()["meta"]["versionId"] == "1"
    # A retried push carrying the If-Match it was based on is not a conflict with itself.
    assert world.put(world.as_patient, first.json(), **{"If-Match": 'W/"1"'}).status_code == 200
    assert world.feed_seq() == seq
    found = world.client.get("/fhir/Observation", params={"_id": resource["id"]}, headers=world.as_patient)
    assert found.json()["total"] == 1


def test_stale_if_match_is_412_and_changes_nothing(world):
    body = world.post(world.as_patient, sample("Condition", world.patient.fhir_id)).json()
    assert world.put(world.as_patient, {**body, "language": "fr"}, **{"If-Match": 'W/"1"'}).status_code == 200
    seq = world.feed_seq()
    stale = world.put(world.as_patient, {**body, "language": "en"}, **{"If-Match": 'W/"1"'})
    assert stale.status_code == 412
    assert stale.json()["issue"][0]["code"] == "conflict"
    assert "version 2" in stale.json()["issue"][0]["diagnostics"]
    current = world.client.get(f"/fhir/Condition/{body['id']}", headers=world.as_patient).json()
    assert current["language"] == "fr" and current["meta"]["versionId"] == "2"
    assert world.feed_seq() == seq
    stale_delete = world.client.delete(f"/fhir/Condition/{body['id']}",
                                       headers={**world.as_patient, "If-Match": 'W/"1"'})
    assert stale_delete.status_code == 412
    assert world.client.get(f"/fhir/Condition/{body['id']}", headers=world.as_patient).status_code == 200


def test_if_match_on_a_resource_that_does_not_exist_is_412(world):
    resource = sample("Condition", world.patient.fhir_id, id="never-created")
    assert world.put(world.as_patient, resource, **{"If-Match": 'W/"1"'}).status_code == 412
    assert world.client.get("/fhir/Condition/never-created", headers=world.as_patient).status_code == 404


def test_patient_updates_contact_details_but_not_identity(world):
    url = f"/fhir/Patient/{world.patient.fhir_id}"
    me = world.client.get(url, headers=world.as_patient).json()
    with_phone = {**me, "telecom": [{"system": "phone", "value": "+33 6 00 00 00 00"}]}
    assert world.put(world.as_patient, with_phone).status_code == 200
    for change in ({"identifier": [{"system": "urn:oid:1.2.250.1.213.1.4.8", "value": "1"}]},
                   {"birthDate": "1999-01-01"}, {"name": [{"family": "Autre"}]}):
        refused = world.put(world.as_patient, {**me, **change})
        assert refused.status_code == 403, change
        assert "INS identity" in refused.json()["issue"][0]["diagnostics"]
    assert world.client.delete(url, headers=world.as_patient).status_code == 403
    assert world.put(world.as_professional, with_phone).status_code == 403
    assert world.client.get(url, headers=world.as_patient).json()["meta"]["versionId"] == "2"


def test_patients_cannot_create_patients_and_professionals_read_them(world):
    refused = world.post(world.as_patient, {"resourceType": "Patient", "name": [{"family": "X"}]})
    assert refused.status_code == 403
    seen = world.client.get(f"/fhir/Patient/{world.patient.fhir_id}", headers=world.as_professional)
    assert seen.status_code == 200 and seen.json()["identifier"][0]["value"] == world.patient.identifier


def test_practitioner_is_readable_and_only_its_professional_updates_it(world):
    url = f"/fhir/Practitioner/{world.professional.fhir_id}"
    practitioner = world.client.get(url, headers=world.as_patient).json()
    assert practitioner["resourceType"] == "Practitioner"
    assert world.put(world.as_patient, {**practitioner, "language": "fr"}).status_code == 403
    assert world.put(world.as_professional, {**practitioner, "language": "fr"}).status_code == 200


def test_a_resource_cannot_move_to_another_patient(world):
    body = world.post(world.as_professional, sample("Condition", world.patient.fhir_id)).json()
    moved = {**body, "subject": {"reference": f"Patient/{world.other.fhir_id}"}}
    refused = world.put(world.as_professional, moved)
    assert refused.status_code == 400 and "another patient" in refused.json()["issue"][0]["diagnostics"]


def test_requests_without_a_token_are_401(world):
    response = world.client.get(f"/fhir/Patient/{world.patient.fhir_id}")
    assert response.status_code == 401 and response.json()["issue"][0]["code"] == "login"


def test_concurrent_pushes_of_one_resource_create_it_once(live_server, app, settings):
    import concurrent.futures

    import httpx

    from tests.factories import bearer, make_patient

    patient = make_patient(app.state.session_factory)
    headers = {**bearer(app.state.session_factory, settings, patient), "Content-Type": FHIR}
    resource = sample("Condition", patient.fhir_id, id=str(uuid.uuid4()))
    url = f"{live_server.url}/fhir/Condition/{resource['id']}"

    def push(_):
        return httpx.put(url, json=resource, headers=headers, timeout=30).status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(push, range(8)))
    assert statuses == [200] * 7 + [201]
    assert httpx.get(url, headers=headers).json()["meta"]["versionId"] == "1"


def test_the_server_stamps_who_wrote_each_version(world):
    """Devices show professionals' items read-only: the author tag is the server's, not the client's."""
    pid = world.patient.fhir_id
    forged = {"tag": [{"system": "urn:carnet:author", "code": "professional"},
                      {"system": "urn:example", "code": "kept"}]}
    mine = world.post(world.as_patient, sample("Condition", pid, meta=forged)).json()
    assert {"system": "urn:carnet:author", "code": "patient"} in mine["meta"]["tag"]
    assert {"system": "urn:example", "code": "kept"} in mine["meta"]["tag"]
    assert [tag["code"] for tag in mine["meta"]["tag"] if tag["system"] == "urn:carnet:author"] == ["patient"]

    theirs = world.post(world.as_professional, sample("Condition", pid)).json()
    assert theirs["meta"]["tag"] == [{"system": "urn:carnet:author", "code": "professional"}]

    # Pushing back what the server sent, tag included, is "the same content": no new version.
    again = world.put(world.as_patient, mine, **{"If-Match": 'W/"1"'})
    assert again.status_code == 200 and again.json()["meta"]["versionId"] == "1"
