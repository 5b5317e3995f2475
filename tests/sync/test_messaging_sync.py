"""Messages and appointments from the real server read by the device's cache as it expects
them (threads, subject, sender, files; agenda start, practitioner, description), and a
reply written offline pushed once."""
import uuid
from datetime import datetime, timedelta

import httpx

from sync.engine import SyncEngine

from tests.server.fhir_samples import FHIR
from tests.server.message_samples import appointment, message

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _professional_sends(world, body: dict) -> dict:
    response = httpx.put(f"{world.server_url}/fhir/{body['resourceType']}/{body['id']}", json=body,
                         headers={**world.professional_headers, "Content-Type": FHIR})
    assert response.status_code == 201, response.text
    return response.json()


def _a_minute_after(instant: str) -> str:
    return (datetime.fromisoformat(instant.replace("Z", "+00:00")) + timedelta(minutes=1)).isoformat()


def test_the_device_shows_conversations_and_agenda_and_pushes_a_reply_once(world, cache, engine, api):
    binary_id = world.professional_deposits_file(PDF)
    first = message(world.patient_id, "Votre compte rendu est joint.", subject="Compte rendu d'IRM")
    first["payload"].append({"contentAttachment": {"url": f"Binary/{binary_id}", "contentType": "application/pdf"}})
    first = _professional_sends(world, first)
    booked = _professional_sends(world, appointment(world.patient_id, "2031-05-06T08:15:00Z",
                                                    description="Contrôle", practitioner="Dr Claire Lefèvre"))
    engine.sync_once()

    [conversation] = cache.messages.conversations()
    assert (conversation.thread, conversation.subject) == (f"Communication/{first['id']}", "Compte rendu d'IRM")
    [shown] = cache.messages.thread(conversation.thread)
    assert shown.text == "Votre compte rendu est joint." and shown.attachment_binary_ids == (binary_id,)
    assert shown.sender == first["sender"]["display"]
    [upcoming] = cache.agenda.upcoming("2030-01-01T00:00:00Z")
    assert (upcoming.id, upcoming.start, upcoming.practitioner, upcoming.description) == (
        booked["id"], "2031-05-06T08:15:00Z", "Dr Claire Lefèvre", "Contrôle")

    # A device sends a complete message (sender, recipient, sent: see server/FEED.md), so the
    # server stores it as pushed and a push whose answer was lost settles by itself.
    reply = message(world.patient_id, "Merci, à mardi.", thread=first["id"], id=str(uuid.uuid4()),
                    sender={"reference": f"Patient/{world.patient_id}"}, recipient=[first["sender"]],
                    sent=_a_minute_after(first["sent"]))
    entry = cache.resources.save_local(reply)
    cache.outbox.mark_sending(entry.id)
    api.put(entry.resource, entry.base_version)  # pushed, then the device lost the answer
    report = engine.sync_once()
    assert not cache.outbox.entries() and report.conflicts == 0
    on_server = world.server_search("Communication", world.professional_headers)
    assert sorted(m["id"] for m in on_server) == sorted([first["id"], reply["id"]])
    assert [m.text for m in cache.messages.thread(conversation.thread)] == [
        "Votre compte rendu est joint.", "Merci, à mardi."]


def test_read_receipts_are_sent_once_and_a_withdrawn_message_drops_its_own(world, cache, engine, api):
    read = _professional_sends(world, message(world.patient_id, "Vos résultats sont arrivés."))
    withdrawn = _professional_sends(world, message(world.patient_id, "Envoyé par erreur."))
    engine.sync_once()
    reply = message(world.patient_id, "Merci.", thread=read["id"], sender={"reference": f"Patient/{world.patient_id}"},
                    recipient=[read["sender"]], sent=_a_minute_after(read["sent"]))
    cache.resources.save_local(reply)

    # Only a care team's unread message gets a receipt, once; it shows read at once.
    assert cache.read_receipts.mark([read["id"], read["id"], withdrawn["id"], reply["id"], "unknown"]) == [
        read["id"], withdrawn["id"]]
    assert cache.read_receipts.mark([read["id"]]) == []
    assert cache.messages.unread_count() == 0 and cache.sync.state().pending_changes == 3
    world.professional_deletes("Communication", withdrawn["id"])

    report = SyncEngine(api, cache, world.patient_id, page_size=7).sync_once()
    assert report.read_receipts == 1 and cache.read_receipts.pending() == []
    assert cache.sync.state().pending_changes == 0
    [first, answer] = cache.messages.thread(f"Communication/{read['id']}")
    assert first.received and first.read and answer.delivery.value == "delivered"
    on_server = httpx.get(f"{world.server_url}/fhir/Communication/{read['id']}", headers=world.professional_headers)
    assert on_server.json()["meta"]["versionId"] == "2" and on_server.json()["received"] == first.received

    # A receipt sent again (its answer lost in a crash) changes nothing on the server.
    cache.read_receipts.mark([read["id"]])  # already received: not queued
    assert api.mark_read(read["id"])["meta"]["versionId"] == "2"
