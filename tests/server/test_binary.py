"""Document files: raw and FHIR JSON round trips, and every refusal."""
import base64

import pytest

from server.models import BinaryBlob
from tests.server.fhir_samples import FHIR, make_world, sample

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def world(client, app, settings):
    return make_world(client, app, settings)


def _blob_count(world) -> int:
    with world.client.app.state.session_factory() as session:
        return session.query(BinaryBlob).count()


def _upload(world, data: bytes, content_type: str, headers=None):
    return world.client.post("/fhir/Binary", content=data,
                             headers={**(headers or world.as_patient), "Content-Type": content_type})


def test_raw_round_trip_and_document_reference(world):
    created = _upload(world, PDF, "application/pdf")
    assert created.status_code == 201, created.text
    binary_id = created.json()["id"]
    assert created.json()["contentType"] == "application/pdf" and "data" not in created.json()

    raw = world.client.get(f"/fhir/Binary/{binary_id}", headers={**world.as_patient, "Accept": "*/*"})
    assert raw.status_code == 200 and raw.content == PDF
    assert raw.headers["content-type"] == "application/pdf"
    as_json = world.client.get(f"/fhir/Binary/{binary_id}", headers={**world.as_patient, "Accept": FHIR})
    assert as_json.headers["content-type"].startswith(FHIR)
    assert base64.b64decode(as_json.json()["data"]) == PDF

    document = sample("DocumentReference", world.patient.fhir_id)
    document["content"][0]["attachment"]["url"] = f"Binary/{binary_id}"
    assert world.post(world.as_patient, document).status_code == 201
    # Another patient's file cannot be attached, nor read.
    assert world.client.get(f"/fhir/Binary/{binary_id}", headers=world.as_other).status_code == 404
    other_document = sample("DocumentReference", world.other.fhir_id)
    other_document["content"][0]["attachment"]["url"] = f"Binary/{binary_id}"
    refused = world.post(world.as_other, other_document)
    assert refused.status_code == 400 and "not uploaded" in refused.json()["issue"][0]["diagnostics"]


def test_fhir_json_upload_by_a_professional(world):
    body = {"resourceType": "Binary", "contentType": "image/png", "data": base64.b64encode(PNG).decode(),
            "securityContext": {"reference": f"Patient/{world.patient.fhir_id}"}}
    created = world.client.post("/fhir/Binary", json=body, headers={**world.as_professional, "Content-Type": FHIR})
    assert created.status_code == 201, created.text
    raw = world.client.get(f"/fhir/Binary/{created.json()['id']}", headers=world.as_patient)
    assert raw.content == PNG and raw.headers["content-type"] == "image/png"
    without_patient = _upload(world, PDF, "application/pdf", world.as_professional)
    assert without_patient.status_code == 400 and "X-Security-Context" in without_patient.json()["issue"][0]["diagnostics"]


def test_put_with_client_id_is_idempotent_and_immutable(world):
    headers = {**world.as_patient, "Content-Type": "text/plain"}
    first = world.client.put("/fhir/Binary/note-1", content="Bonjour".encode(), headers=headers)
    again = world.client.put("/fhir/Binary/note-1", content="Bonjour".encode(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    changed = world.client.put("/fhir/Binary/note-1", content=b"Au revoir", headers=headers)
    assert changed.status_code == 409
    assert _blob_count(world) == 1


def test_refusals_change_nothing(world, settings):
    settings.max_binary_bytes = 1024
    cases = [
        (PDF + b"x" * 2000, "application/pdf", 413, "larger than"),
        (b"MZ\x90\x00 not a pdf", "application/pdf", 400, "first bytes"),
        (PNG, "image/jpeg", 400, "first bytes"),
        (b"\xff\xfe\x00bad", "text/plain", 400, "UTF-8"),
        (b"#!/bin/sh\nrm -rf /", "application/x-sh", 415, "not accepted"),
        (b"", "application/pdf", 400, "empty"),
        (b'{"resourceType": "Binary", "contentType": "application/pdf", "data": "***"}', FHIR, 400, "base64"),
        (b'{"resourceType": "Patient"}', FHIR, 400, "Binary"),
        (b'{"resourceType": "Binary", "contentType": "application/pdf", "data": "JVBERi0=", "x": 1}',
         FHIR, 400, "unknown"),
    ]
    for data, content_type, status, words in cases:
        response = _upload(world, data, content_type)
        assert response.status_code == status, (content_type, response.text)
        assert words.lower() in response.json()["issue"][0]["diagnostics"].lower()
    big = world.client.post("/fhir/Binary", content=b"%PDF-", headers={
        **world.as_patient, "Content-Type": "application/pdf", "Content-Length": "999999"})
    assert big.status_code == 413
    assert _blob_count(world) == 0
    assert world.client.get("/fhir/Binary/nothing-here", headers=world.as_patient).status_code == 404
