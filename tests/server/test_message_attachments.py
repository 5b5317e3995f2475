"""Files attached to messages: Binaries of the same record, checked like documents, and
filed by the patient into their documents in one step."""
import pytest

from server.models import BinaryBlob
from tests.server.fhir_samples import make_world, sample
from tests.server.message_samples import diagnostics, message

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def world(client, app, settings):
    return make_world(client, app, settings)


def _upload(world, headers: dict, data: bytes = PDF, content_type: str = "application/pdf", patient=None):
    patient = patient or world.patient
    return world.client.post("/fhir/Binary", content=data, headers={
        **headers, "Content-Type": content_type, "X-Security-Context": f"Patient/{patient.fhir_id}"})


def _with_file(patient_id: str, binary_id: str, content_type: str = "application/pdf", **extra) -> dict:
    body = message(patient_id, "Voici le compte rendu.")
    body["payload"].append({"contentAttachment": {"url": f"Binary/{binary_id}", "contentType": content_type,
                                                  "title": "Compte rendu.pdf"}})
    return {**body, **extra}


def _counts(world) -> tuple[int, int]:
    with world.client.app.state.session_factory() as session:
        return session.query(BinaryBlob).count(), world.feed_seq()


def test_a_file_sent_in_a_message_is_filed_into_the_documents(world):
    binary_id = _upload(world, world.as_professional).json()["id"]
    sent = world.post(world.as_professional, _with_file(world.patient.fhir_id, binary_id))
    assert sent.status_code == 201, sent.text
    raw = world.client.get(f"/fhir/Binary/{binary_id}", headers={**world.as_patient, "Accept": "*/*"})
    assert raw.status_code == 200 and raw.content == PDF

    # "File into my documents": a DocumentReference of the patient's, on the same Binary.
    document = sample("DocumentReference", world.patient.fhir_id)
    document["content"][0]["attachment"].update(url=f"Binary/{binary_id}", title="Compte rendu.pdf")
    filed = world.post(world.as_patient, document)
    assert filed.status_code == 201, filed.text
    assert filed.json()["category"][0]["coding"][0]["code"] == "lab-result"
    found = world.client.get("/fhir/DocumentReference", params={"category": "lab-result"},
                             headers=world.as_patient).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [filed.json()["id"]]
    # Both point at the one file, which stays readable to both sides.
    assert world.client.get(f"/fhir/Communication/{sent.json()['id']}",
                            headers=world.as_patient).json()["payload"][1]["contentAttachment"]["url"] == \
        filed.json()["content"][0]["attachment"]["url"]
    assert world.client.get(f"/fhir/Binary/{binary_id}", headers=world.as_professional).status_code == 200
    # Filing it again is the device retrying: one document.
    again = world.put(world.as_patient, {**document, "id": "filed-once"})
    assert again.status_code == 201 and world.put(world.as_patient, {**document, "id": "filed-once"}).status_code == 200


def test_the_patient_replies_with_a_file_of_their_own(world):
    first = world.post(world.as_professional, message(world.patient.fhir_id)).json()
    photo = _upload(world, world.as_patient, b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image/png").json()["id"]
    reply = _with_file(world.patient.fhir_id, photo, "image/png", partOf=[{"reference": f"Communication/{first['id']}"}])
    assert world.put(world.as_patient, reply).status_code == 201
    raw = world.client.get(f"/fhir/Binary/{photo}", headers={**world.as_professional, "Accept": "*/*"})
    assert raw.status_code == 200 and raw.headers["content-type"] == "image/png"


def test_attachments_that_are_not_files_of_this_record_are_refused(world):
    pid = world.patient.fhir_id
    theirs = _upload(world, world.as_professional, patient=world.other).json()["id"]
    mine = _upload(world, world.as_professional).json()["id"]
    before = _counts(world)
    cases = {
        "another record's file": (_with_file(pid, theirs), "was not uploaded to this patient's record"),
        "a file that does not exist": (_with_file(pid, "no-such-file"), "was not uploaded to this patient's record"),
        "a mistaken type": (_with_file(pid, mine, "image/png"), "contentType says 'image/png'"),
        "an outside address": (_with_file(pid, mine) | {"payload": [{"contentAttachment": {
            "url": "https://example.org/tracker.pdf", "contentType": "application/pdf"}}]}, "upload the file as a Binary"),
        "inline data": (_with_file(pid, mine) | {"payload": [{"contentAttachment": {
            "contentType": "application/pdf", "data": "JVBERi0xLjcK"}}]}, "no inline data"),
    }
    for name, (body, expected) in cases.items():
        refused = world.post(world.as_professional, body)
        assert refused.status_code == 400, name
        assert expected in diagnostics(refused), (name, diagnostics(refused))
    # Another record's file is answered exactly like a missing one.
    other_answer = diagnostics(world.post(world.as_professional, cases["another record's file"][0]))
    missing_answer = diagnostics(world.post(world.as_professional, cases["a file that does not exist"][0]))
    assert other_answer.replace(theirs, "X") == missing_answer.replace("no-such-file", "X")
    assert _counts(world) == before


def test_files_for_messages_are_checked_like_documents(world, settings):
    before = _counts(world)
    oversized = _upload(world, world.as_professional, PDF + b"\x00" * settings.max_binary_bytes)
    assert oversized.status_code == 413
    wrong_type = _upload(world, world.as_professional, b"PK\x03\x04 zip", "application/zip")
    assert wrong_type.status_code == 415
    disguised = _upload(world, world.as_professional, b"MZ\x90\x00 not a pdf", "application/pdf")
    assert disguised.status_code == 400 and "first bytes" in diagnostics(disguised)
    assert _counts(world) == before
