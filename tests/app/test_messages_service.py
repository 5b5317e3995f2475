"""Messaging on the device against the real server: a reply and a read receipt made offline
are shown at once (pending, read) and reach the server once when the network is back; an
attachment is filed into the documents; a reply carries a file."""
from __future__ import annotations

import asyncio
import io

import httpx
import pytest
from PIL import Image

from app.messages_service import MessageRefused
from app.plain_words import plain_words
from storage.records import Delivery
from tests.app.conftest import make_services, run
from tests.app.test_services import sign_in, wait_for_sync
from tests.app.test_settings_service import sync_again
from tests.server.fhir_samples import FHIR
from tests.server.message_samples import message

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Network(httpx.BaseTransport):
    """The real server over loopback, with a cable the test can pull; counts what went through."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.online = True
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.online:
            raise httpx.ConnectError("no network (test)", request=request)
        self.requests.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)

    def count(self, fragment: str) -> int:
        return sum(fragment in line for line in self.requests)


def professional_sends(world, text: str, subject: str = "Vos résultats", attachment: dict | None = None) -> dict:
    body = message(world.patient_id, text, subject=subject)
    if attachment:
        body["payload"].append({"contentAttachment": attachment})
    response = httpx.put(f"{world.server_url}/fhir/Communication/{body['id']}", json=body,
                         headers={**world.professional_headers, "Content-Type": FHIR})
    assert response.status_code == 201, response.text
    return response.json()


def on_server(world, message_id: str) -> dict:
    response = httpx.get(f"{world.server_url}/fhir/Communication/{message_id}", headers=world.professional_headers)
    assert response.status_code == 200, response.text
    return response.json()


async def until(condition, what: str, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@pytest.fixture
def network():
    return Network()


@pytest.fixture
def connected(world, tmp_path, network):
    made = make_services(world.server_url, tmp_path / "device", transport=network)
    yield made
    run(made.close())


def test_a_reply_and_a_read_receipt_made_offline_reach_the_server_once(connected, world, network):
    services = connected
    first = professional_sends(world, "Vos résultats sont normaux.", "Résultats de la prise de sang")
    professional_sends(world, "Le vaccin est arrivé.", "Pharmacie")

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        inbox = await services.messages.inbox()
        assert [c.unread for c in inbox] == [1, 1] and await services.messages.unread_count() == 2

        network.online = False
        assert await services.messages.mark_read(first["id"]) == 1
        assert await services.messages.mark_read(first["id"]) == 0  # already read: nothing queued twice
        reply = await services.messages.reply(first["id"], "Merci docteur.")
        thread = await services.messages.thread(first["id"])
        assert [(m.text, m.read, m.delivery) for m in thread.messages] == [
            ("Vos résultats sont normaux.", True, Delivery.DELIVERED), ("Merci docteur.", True, Delivery.PENDING)]
        assert reply.from_patient and services.sync_line.pending_changes == 2
        [unread] = [c for c in await services.messages.inbox() if c.unread]
        assert unread.subject == "Pharmacie"
        await sync_again(services)
        assert services.sync_line.offline and "$mark-read" not in " ".join(network.requests)

        network.online = True
        await sync_again(services)
        await until(lambda: services.sync_line.pending_changes == 0, "the outbox and receipts to empty")
        await sync_again(services)  # nothing left to send: nothing sent again
        return reply, await services.messages.thread(first["id"])

    reply, thread = run(scenario())
    assert network.count(f"POST /fhir/Communication/{first['id']}/$mark-read") == 1
    assert network.count(f"PUT /fhir/Communication/{reply.id}") == 1
    read = on_server(world, first["id"])
    assert read["received"] and read["meta"]["versionId"] == "2"
    stored = on_server(world, reply.id)
    assert stored["partOf"] == [{"reference": f"Communication/{first['id']}"}]
    assert stored["sender"] == {"reference": f"Patient/{world.patient_id}"}
    assert stored["recipient"] == [first["sender"]] and stored["sent"] == reply.sent
    assert [(m.received is not None, m.delivery) for m in thread.messages] == [
        (True, Delivery.DELIVERED), (False, Delivery.DELIVERED)]


def test_an_attachment_is_filed_into_the_documents_and_a_reply_carries_a_photo(services, world):
    binary_id = world.professional_deposits_file(PDF)
    first = professional_sends(world, "Voici le compte rendu.", "Compte rendu", attachment={
        "url": f"Binary/{binary_id}", "contentType": "application/pdf", "title": "Compte rendu.pdf", "size": len(PDF)})
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 20, 20)).save(photo, "JPEG")

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        [sent] = (await services.messages.thread(first["id"])).messages
        [attachment] = sent.attachments
        assert (attachment.title, attachment.fetched) == ("Compte rendu.pdf", True)  # kept offline
        assert (await services.messages.attachment_file(binary_id)).data == PDF
        document_id = await services.messages.file_into_documents(sent.id, binary_id, "consultation")
        assert await services.messages.file_into_documents(sent.id, binary_id, "imaging") == document_id
        prepared = await services.messages.prepare_attachment(photo.getvalue(), "ordonnance_papier.jpg")
        reply = await services.messages.reply(first["id"], "", prepared)
        await sync_again(services)
        await until(lambda: services.sync_line.pending_changes == 0, "the pushes")
        documents = await services.record.read(lambda cache: cache.documents.list())
        return document_id, reply, documents

    document_id, reply, documents = run(scenario())
    [filed] = [d for d in documents if d.id == document_id]
    assert (filed.category, filed.binary_id, filed.title) == ("consultation", binary_id, "Compte rendu.pdf")
    found = httpx.get(f"{world.server_url}/fhir/DocumentReference", params={"patient": world.patient_id},
                      headers=world.professional_headers).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [document_id]
    [attached] = reply.attachments
    assert attached.title == "Ordonnance papier.jpg" and attached.content_type == "image/jpeg"
    file = httpx.get(f"{world.server_url}/fhir/{on_server(world, reply.id)['payload'][0]['contentAttachment']['url']}",
                     headers={**world.professional_headers, "Accept": "*/*"})
    assert file.status_code == 200 and file.content.startswith(b"\xff\xd8")


def test_replies_that_cannot_be_sent_say_why(services, world):
    first = professional_sends(world, "Bonjour.")

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        failures = []
        for attempt in (lambda: services.messages.reply(first["id"], "   "),
                        lambda: services.messages.reply("not-a-thread", "Bonjour"),
                        lambda: services.messages.prepare_attachment(b"PK\x03\x04 a zip", "archive.zip"),
                        lambda: services.messages.file_into_documents(first["id"], "no-such-file", "consultation")):
            with pytest.raises(MessageRefused) as refused:
                await attempt()
            failures.append(plain_words(refused.value, services.translator))
        return failures, await services.record.read(lambda cache: cache.outbox.entries())

    failures, outbox = run(scenario())
    assert failures == ["Écrivez un message ou joignez un fichier.", "Cette conversation n'est pas sur cet appareil.",
                        "Ce type de fichier n'est pas pris en charge. Ajoutez une photo (JPEG, PNG ou WebP) ou un PDF.",
                        "Cette pièce jointe n'est pas sur cet appareil."]
    assert outbox == []  # bad input changes nothing


def test_search_finds_conversations_by_their_words(services, world):
    professional_sends(world, "Votre échographie est normale.", "Imagerie")
    professional_sends(world, "Le vaccin est arrivé.", "Pharmacie")

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        return [[c.subject for c in await services.messages.inbox(search)]
                for search in ("ECHO", "pharm vaccin", "rien du tout", "")]

    echo, pharmacy, nothing, everything = run(scenario())
    assert echo == ["Imagerie"] and pharmacy == ["Pharmacie"] and nothing == []
    assert sorted(everything) == ["Imagerie", "Pharmacie"]


def test_a_new_message_is_news_once_and_reading_it_is_not(services, world):
    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        lines = []
        services.subscribe(lines.append)
        first = professional_sends(world, "Votre rendez-vous est confirmé.", "Rendez-vous")
        await sync_again(services)
        brought = [line.news for line in lines if line.news]
        lines.clear()
        await services.messages.mark_read(first["id"])
        await sync_again(services)  # sends the receipt; the message's new version comes back
        await sync_again(services)
        return brought, [line.news for line in lines if line.news]

    brought, after_reading = run(scenario())
    assert [news.messages for news in brought] == [1]
    assert after_reading == []
