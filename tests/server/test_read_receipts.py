"""Read receipts: `$mark-read` sets a message's `received` for its recipient, once."""
import pytest

from server.services import read_receipts
from tests.factories import bearer, make_professional
from tests.server.fhir_samples import make_world
from tests.server.message_samples import diagnostics, mark_read, message


@pytest.fixture
def world(client, app, settings):
    return make_world(client, app, settings)


def _conversation(world) -> tuple[dict, dict]:
    first = world.post(world.as_professional, message(world.patient.fhir_id)).json()
    reply = world.put(world.as_patient, message(world.patient.fhir_id, "Merci.", thread=first["id"])).json()
    return first, reply


def test_the_patient_marks_a_message_read_once_and_the_professional_sees_it(world):
    first, _ = _conversation(world)
    seq = world.feed_seq()
    marked = mark_read(world, world.as_patient, first["id"])
    assert marked.status_code == 200, marked.text
    body = marked.json()
    assert body["received"].endswith("Z") and body["meta"]["versionId"] == "2" and marked.headers["etag"] == 'W/"2"'
    assert {k: v for k, v in body.items() if k not in ("received", "meta")} == {
        k: v for k, v in first.items() if k != "meta"}
    assert world.feed_seq() == seq + 1

    again = mark_read(world, world.as_patient, first["id"])
    assert again.status_code == 200 and again.json() == body
    assert world.feed_seq() == seq + 1

    seen = world.client.get(f"/fhir/Communication/{first['id']}", headers=world.as_professional).json()
    assert seen["received"] == body["received"]
    feed = world.client.get(f"/fhir/Patient/{world.patient.fhir_id}/$changes", headers=world.as_professional).json()
    assert feed["entry"][-1]["resource"]["received"] == body["received"]


def test_a_read_message_stays_the_professionals(world):
    first, _ = _conversation(world)
    read = mark_read(world, world.as_patient, first["id"]).json()
    assert world.put(world.as_patient, {**read, "payload": [{"contentString": "x"}]}).status_code == 403
    # The sender's software retrying its original push changes nothing, the receipt included.
    retried = world.put(world.as_professional, first, **{"If-Match": 'W/"1"'})
    assert retried.status_code == 200 and retried.json() == read
    # A correction by the sender keeps the receipt: only the server sets `received`.
    corrected = world.put(world.as_professional, {**read, "payload": [{"contentString": "Correction"}],
                                                  "received": "2000-01-01T00:00:00Z"})
    assert corrected.status_code == 200 and corrected.json()["received"] == read["received"]


def test_only_the_recipient_marks_a_message_read(world, app, settings):
    first, reply = _conversation(world)
    own = mark_read(world, world.as_patient, reply["id"])
    assert own.status_code == 403 and "only its recipient" in diagnostics(own)
    assert mark_read(world, world.as_professional, first["id"]).status_code == 403
    factory = app.state.session_factory
    as_colleague = bearer(factory, settings, make_professional(factory, given="Anne", family="Roy"))
    assert mark_read(world, as_colleague, reply["id"]).status_code == 403
    missing = mark_read(world, world.as_other, first["id"])
    assert missing.status_code == 404
    absent = mark_read(world, world.as_other, "no-such-message")
    assert diagnostics(missing).replace(first["id"], "X") == diagnostics(absent).replace("no-such-message", "X")
    assert mark_read(world, world.as_patient, "bad id!").status_code in (400, 404)
    # The professional who opened the conversation marks the patient's reply read.
    marked = mark_read(world, world.as_professional, reply["id"])
    assert marked.status_code == 200 and marked.json()["received"]


def test_a_withdrawn_message_cannot_be_marked(world):
    first, reply = _conversation(world)
    assert world.client.delete(f"/fhir/Communication/{reply['id']}", headers=world.as_patient).status_code == 204
    assert mark_read(world, world.as_professional, reply["id"]).status_code == 410


def test_mark_read_as_a_service(world, session_factory):
    """The service, without HTTP: the receipt keeps the message's author."""
    from server.models import Resource
    from server.services import tokens

    first, _ = _conversation(world)
    token = world.as_patient["Authorization"].split()[1]
    with session_factory() as session, session.begin():
        principal = tokens.authenticate(session, token)
        stored = read_receipts.mark_read(session, principal, first["id"])
        row = session.get(Resource, session.query(Resource.pk).filter_by(id=first["id"]).scalar())
        assert stored.version == 2 and row.author_account_id == world.professional.id
        assert row.author_kind == "professional"
