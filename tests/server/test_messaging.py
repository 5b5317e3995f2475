"""Secure messaging over FHIR (Communication): conversations opened by care teams, replies
from the patient, who may change what, and pushes retried by a device."""
import pytest

from tests.factories import bearer, make_professional
from tests.server.fhir_samples import FHIR, make_world, sample
from tests.server.message_samples import diagnostics, message, thread_ids


@pytest.fixture
def world(client, app, settings):
    return make_world(client, app, settings)


@pytest.fixture
def as_colleague(app, settings):
    """A second professional, signed in."""
    factory = app.state.session_factory
    return bearer(factory, settings, make_professional(factory, given="Anne", family="Roy"))


def _open_conversation(world, patient=None, headers=None, **extra) -> dict:
    patient = patient or world.patient
    created = world.post(headers or world.as_professional, message(patient.fhir_id, **extra))
    assert created.status_code == 201, created.text
    return created.json()


def test_professional_opens_a_conversation_and_the_patient_replies(world):
    first = _open_conversation(world)
    practitioner = f"Practitioner/{world.professional.fhir_id}"
    patient = f"Patient/{world.patient.fhir_id}"
    # The server says who sent it, to whom and when.
    assert first["sender"] == {"reference": practitioner, "display": world.professional.display_name}
    assert first["recipient"] == [{"reference": patient}] and first["sent"].endswith("Z")
    assert "received" not in first
    assert world.client.get(f"/fhir/Communication/{first['id']}", headers=world.as_patient).json() == first

    reply = message(world.patient.fhir_id, "Merci docteur, je passe jeudi.", thread=first["id"])
    answered = world.put(world.as_patient, reply)
    assert answered.status_code == 201, answered.text
    body = answered.json()
    assert body["sender"]["reference"] == patient and body["recipient"] == [first["sender"]]
    assert body["partOf"] == [{"reference": f"Communication/{first['id']}"}]

    # The professional finds the reply in the thread as soon as it is stored.
    assert thread_ids(world, world.as_professional, first["id"], world.patient.fhir_id) == [first["id"], body["id"]]
    assert thread_ids(world, world.as_patient, first["id"]) == [first["id"], body["id"]]
    feed = world.client.get(f"/fhir/Patient/{world.patient.fhir_id}/$changes", headers=world.as_patient).json()
    assert [e["resource"]["id"] for e in feed["entry"] if e["resource"]["resourceType"] == "Communication"] == [
        first["id"], body["id"]]


def test_a_reply_may_name_its_conversation_in_in_response_to_alone(world):
    first = _open_conversation(world)
    reply = message(world.patient.fhir_id, "Bien reçu.", inResponseTo=[{"reference": f"Communication/{first['id']}"}])
    assert world.put(world.as_patient, reply).status_code == 201
    assert thread_ids(world, world.as_patient, first["id"]) == [first["id"], reply["id"]]


def test_the_patient_cannot_open_a_conversation(world):
    before = world.feed_seq()
    for attempt in (world.post(world.as_patient, message(world.patient.fhir_id)),
                    world.put(world.as_patient, message(world.patient.fhir_id))):
        assert attempt.status_code == 403
        assert diagnostics(attempt).startswith("Conversations are started by your care team")
    assert world.feed_seq() == before


def test_a_reply_to_another_patients_conversation_is_answered_like_a_missing_one(world):
    theirs = _open_conversation(world, world.other)
    for headers in (world.as_patient, world.as_professional):
        refused = world.put(headers, message(world.patient.fhir_id, "?", thread=theirs["id"]))
        missing = world.put(headers, message(world.patient.fhir_id, "?", thread="no-such-message"))
        assert refused.status_code == missing.status_code == 400
        assert diagnostics(refused).replace(theirs["id"], "X") == diagnostics(missing).replace("no-such-message", "X")
        assert "is not a conversation of this patient's record" in diagnostics(refused)
    # Nor can a reply answer another patient's message through inResponseTo.
    mine = _open_conversation(world)
    sneaky = message(world.patient.fhir_id, "?", thread=mine["id"],
                     inResponseTo=[{"reference": f"Communication/{theirs['id']}"}])
    assert world.put(world.as_patient, sneaky).status_code == 400
    assert thread_ids(world, world.as_other, theirs["id"]) == [theirs["id"]]


def test_a_reply_names_the_first_message_of_its_conversation(world):
    first = _open_conversation(world)
    reply = message(world.patient.fhir_id, "Une question.", thread=first["id"])
    assert world.put(world.as_patient, reply).status_code == 201
    nested = world.put(world.as_professional, message(world.patient.fhir_id, "Oui ?", thread=reply["id"]))
    assert nested.status_code == 400
    assert "is itself a reply" in diagnostics(nested) and f"Communication/{first['id']}" in diagnostics(nested)
    # Answering the reply is fine when the thread is named in partOf.
    answer = message(world.patient.fhir_id, "Oui ?", thread=first["id"],
                     inResponseTo=[{"reference": f"Communication/{reply['id']}"}])
    assert world.put(world.as_professional, answer).status_code == 201
    # A reply to something that is not a message is not a reply.
    elsewhere = world.post(world.as_professional, sample("Condition", world.patient.fhir_id)).json()
    odd = message(world.patient.fhir_id, "?", partOf=[{"reference": f"Condition/{elsewhere['id']}"}])
    assert world.put(world.as_professional, odd).status_code == 400


def test_nobody_changes_or_withdraws_someone_elses_message(world, as_colleague):
    first = _open_conversation(world)
    reply = message(world.patient.fhir_id, "Merci.", thread=first["id"])
    reply = world.put(world.as_patient, reply).json()
    url = f"/fhir/Communication/{first['id']}"
    changed = {**first, "payload": [{"contentString": "Autre chose"}]}
    assert world.put(world.as_patient, changed).status_code == 403
    assert world.put(as_colleague, changed).status_code == 403
    assert world.client.delete(url, headers=world.as_patient).status_code == 403
    assert world.client.delete(url, headers=as_colleague).status_code == 403
    assert world.put(world.as_professional, {**reply, "payload": [{"contentString": "!"}]}).status_code == 403
    assert world.client.delete(f"/fhir/Communication/{reply['id']}",
                               headers=world.as_professional).status_code == 403
    # Each sender may correct or withdraw their own message, within its conversation.
    corrected = world.put(world.as_patient, {**reply, "payload": [{"contentString": "Merci beaucoup."}]})
    assert corrected.status_code == 200 and corrected.json()["meta"]["versionId"] == "2"
    moved = world.put(world.as_patient, {**corrected.json(), "partOf": []})
    assert moved.status_code == 400 and "stays in its conversation" in diagnostics(moved)
    assert world.put(world.as_professional, changed).status_code == 200
    assert world.client.delete(f"/fhir/Communication/{reply['id']}", headers=world.as_patient).status_code == 204


def test_a_platform_message_is_read_only_for_the_patient(world, session_factory):
    from server.services import record_store

    first = message(world.patient.fhir_id, "Bienvenue dans votre messagerie.")
    with session_factory() as session, session.begin():
        record_store.store(session, first, patient_account_id=world.patient.id, author=record_store.PLATFORM)
    refused = world.put(world.as_patient, {**first, "payload": [{"contentString": "x"}]})
    assert refused.status_code == 403 and "only its sender" in diagnostics(refused)


def test_sender_and_recipients_stay_consistent(world, as_colleague):
    pid = world.patient.fhir_id
    as_doctor = {"reference": f"Practitioner/{world.professional.fhir_id}"}
    first = _open_conversation(world)
    impersonating = world.put(world.as_patient, message(pid, "x", thread=first["id"], sender=as_doctor))
    assert impersonating.status_code == 403 and "as yourself" in diagnostics(impersonating)
    assert world.put(as_colleague, message(pid, sender=as_doctor)).status_code == 403
    to_other = world.put(world.as_professional, message(
        pid, recipient=[{"reference": f"Patient/{pid}"}, {"reference": f"Patient/{world.other.fhir_id}"}]))
    assert to_other.status_code == 400 and "never to another one" in diagnostics(to_other)
    without_patient = world.put(world.as_professional, message(pid, recipient=[as_doctor]))
    assert without_patient.status_code == 400 and "must include the patient" in diagnostics(without_patient)
    unnamed = world.put(world.as_professional, message(pid, sender={"display": "Quelqu'un"}))
    assert unnamed.status_code == 400
    # A care team may write in its establishment's name.
    hospital = {"type": "Organization", "display": "Hôpital de la Croix-Rousse"}
    created = world.put(world.as_professional, message(pid, sender=hospital))
    assert created.status_code == 201 and created.json()["sender"] == hospital


def test_a_retried_push_of_a_reply_makes_one_message(world):
    """The device queues a reply offline and pushes it with its client id; the answer to the
    first push is lost, so it pushes again, with the If-Match it was based on."""
    first = _open_conversation(world)
    reply = message(world.patient.fhir_id, "Envoyé depuis le métro.", thread=first["id"])
    pushed = world.put(world.as_patient, reply)
    assert pushed.status_code == 201
    seq = world.feed_seq()
    for headers in ({}, {"If-Match": 'W/"1"'}):
        again = world.put(world.as_patient, reply, **headers)
        assert again.status_code == 200 and again.json() == pushed.json()
    assert world.feed_seq() == seq
    assert thread_ids(world, world.as_professional, first["id"], world.patient.fhir_id) == [first["id"], reply["id"]]
    # A push that says when the patient wrote it offline keeps that time.
    offline = message(world.patient.fhir_id, "Écrit hors ligne.", thread=first["id"], sent="2026-01-05T07:45:00Z")
    assert world.put(world.as_patient, offline).json()["sent"] == "2026-01-05T07:45:00Z"


def test_thread_search_is_checked_and_confined(world):
    first = _open_conversation(world)
    for bad in ("a b", "Communication/", "x" * 80):
        refused = world.client.get("/fhir/Communication", params={"thread": bad}, headers=world.as_patient)
        assert refused.status_code == 400
    assert world.client.get("/fhir/Condition", params={"thread": first["id"]},
                            headers=world.as_patient).status_code == 400
    assert world.client.get("/fhir/Communication", params={"thread": first["id"]},
                            headers=world.as_professional).status_code == 400  # must name the patient
    assert thread_ids(world, world.as_other, first["id"]) == []
    assert thread_ids(world, world.as_patient, first["id"]) == [first["id"]]
    metadata = world.client.get("/fhir/metadata", headers={"Accept": FHIR}).json()
    communication = next(r for r in metadata["rest"][0]["resource"] if r["type"] == "Communication")
    assert {"name": "thread", "type": "reference"} in communication["searchParam"]
    assert communication["operation"][0]["name"] == "mark-read"


def test_a_blocked_professional_cannot_open_a_conversation(world):
    blocked = world.client.put(f"/privacy/blocks/{world.professional.fhir_id}", headers=world.as_patient)
    assert blocked.status_code == 200, blocked.text
    refused = world.post(world.as_professional, message(world.patient.fhir_id))
    assert refused.status_code == 403 and "not authorised you" in refused.json()["issue"][0]["diagnostics"]
