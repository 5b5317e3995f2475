"""The documents service against the real server (loopback) and a real encrypted cache:
the list with filters, search and pages; adding, hiding and deleting; files fetched on open."""
from __future__ import annotations

import asyncio
import io
import time
from dataclasses import replace

import httpx
import pytest
from PIL import Image

from app.document_intake import DocumentRefused, ImageTooLarge
from app.documents_service import DocumentActionRefused, DocumentFilters, file_name_for
from app.plain_words import plain_words
from health.codes import CARNET_DOCUMENT_CATEGORY
from storage.indexing import HIDDEN_CODE, HIDDEN_SYSTEM
from storage.records import FileState, OutboxStatus
from tests.app.conftest import run
from tests.app.test_document_intake import GPS_IFD, camera_jpeg, pdf, png_bomb
from tests.app.test_services import sign_in, wait_for_sync

def professional_document(world, title: str, *, category: str = "lab-result", day: str = "2023-09-01",
                          author: str = "Dr Anne Lefèvre", description: str | None = None,
                          binary_id: str | None = None) -> dict:
    attachment = {"contentType": "application/pdf", "title": title}
    if binary_id:
        attachment["url"] = f"Binary/{binary_id}"
    extra = {"date": f"{day}T10:00:00Z", "author": [{"display": author}],
             "category": [{"coding": [{"system": CARNET_DOCUMENT_CATEGORY, "code": category}]}],
             "content": [{"attachment": attachment}]}
    if description:
        extra["description"] = description
    return world.professional_writes("DocumentReference", **extra)


async def synced(services, world):
    await sign_in(services, world)
    await wait_for_sync(services)


async def sync_again(services):
    """Push what waits in the outbox, pull what changed, and wait for the end of that sync."""
    before = services.sync_line.last_sync
    services.sync_now()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        line = services.sync_line
        if line.state == "idle" and line.last_sync and line.last_sync != before and not line.pending_changes:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no sync ended: {services.sync_line}")


async def settled(services):
    """Until no sync runs (the server's access log may start one: its prefetch would race ours)."""
    deadline = time.monotonic() + 15
    while services.sync_line.syncing and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def server_documents(world) -> list[dict]:
    return world.server_search("DocumentReference", world.professional_headers)


def test_the_list_filters_searches_and_pages(services, world):
    professional_document(world, "Bilan sanguin", day="2023-09-01", description="Cholestérol et glycémie")
    professional_document(world, "Ordonnance kiné", category="prescription", day="2024-02-10",
                          author="Dr Paul Girard")
    professional_document(world, "IRM lombaire", category="imaging", day="2024-05-20")
    professional_document(world, "Bilan thyroïdien", day="2022-03-15", author="Dr Paul Girard")

    async def scenario():
        await synced(services, world)
        documents = services.documents
        everything = await documents.page(DocumentFilters())
        lab = await documents.page(DocumentFilters(category="lab-result"))
        girard = await documents.page(DocumentFilters(author="Dr Paul Girard"))
        in_2024 = await documents.page(DocumentFilters(since="2024-01-01", until="2024-05-20"))
        searched = await documents.page(DocumentFilters(text="bilan"))
        combined = await documents.page(DocumentFilters(text="bilan", author="Dr Paul Girard"))
        described = await documents.page(DocumentFilters(text="glycem"))
        first = await documents.page(DocumentFilters(), 0, limit=3)
        second = await documents.page(DocumentFilters(), first.next_offset, limit=3)
        choices = await documents.filter_choices()
        return everything, lab, girard, in_2024, searched, combined, described, first, second, choices

    everything, lab, girard, in_2024, searched, combined, described, first, second, choices = run(scenario())
    titles = lambda page: [d.title for d in page.documents]  # noqa: E731
    assert titles(everything) == ["IRM lombaire", "Ordonnance kiné", "Bilan sanguin", "Bilan thyroïdien"]
    assert everything.next_offset is None
    assert titles(lab) == ["Bilan sanguin", "Bilan thyroïdien"]
    assert titles(girard) == ["Ordonnance kiné", "Bilan thyroïdien"]
    assert titles(in_2024) == ["IRM lombaire", "Ordonnance kiné"]  # both ends included
    assert titles(searched) == ["Bilan sanguin", "Bilan thyroïdien"]  # newest first, like the list
    assert titles(combined) == ["Bilan thyroïdien"]
    assert titles(described) == ["Bilan sanguin"]
    assert titles(first) == ["IRM lombaire", "Ordonnance kiné", "Bilan sanguin"] and first.next_offset == 3
    assert titles(second) == ["Bilan thyroïdien"] and second.next_offset is None
    assert choices.counts == {"lab-result": 2, "prescription": 1, "imaging": 1}
    assert choices.authors == ("Dr Anne Lefèvre", "Dr Paul Girard")


def test_a_pdf_and_a_photo_are_added_cleaned_and_pushed_once(services, world):
    photo = camera_jpeg(size=(3000, 2000))
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_IFD)

    async def scenario():
        await synced(services, world)
        documents = services.documents
        prepared_pdf = await documents.prepare(pdf(pages=2), "compte_rendu_kine.pdf")
        prepared_photo = await documents.prepare(photo, "IMG_2041.JPG")
        pdf_id = await documents.add(prepared_pdf, title=prepared_pdf.title, category="prescription",
                                     day="2024-03-01")
        photo_id = await documents.add(prepared_photo, title="Ordonnance du Dr Martin", category="prescription",
                                       day="2024-03-02", description="Photo de l'ordonnance papier")
        waiting = len(services.record.cache.outbox.entries())
        await sync_again(services)
        return pdf_id, photo_id, waiting, await documents.details(photo_id)

    pdf_id, photo_id, waiting, photo_details = run(scenario())
    assert waiting == 4  # two files, two DocumentReferences
    assert photo_details.own and photo_details.document.category == "prescription"
    assert photo_details.document.author == "Camille Martin"
    on_server = {d["id"]: d for d in server_documents(world)}
    assert set(on_server) == {pdf_id, photo_id}
    assert on_server[pdf_id]["content"][0]["attachment"]["title"] == "Compte rendu kine"
    assert all(d["meta"]["versionId"] == "1" for d in on_server.values())  # pushed once
    assert services.record.cache.outbox.entries() == []
    url = on_server[photo_id]["content"][0]["attachment"]["url"]
    stored = httpx.get(f"{world.server_url}/fhir/{url}", headers={**world.professional_headers, "Accept": "*/*"})
    assert stored.headers["content-type"].startswith("image/jpeg")
    image = Image.open(io.BytesIO(stored.content))
    assert max(image.size) == 2400 and not image.getexif() and "exif" not in image.info


def test_refusals_are_said_in_both_languages(services, world):
    run(synced(services, world))
    with pytest.raises(ImageTooLarge) as bomb:
        run(services.documents.prepare(png_bomb(20_000, 20_000, rows=1), "bombe.png"))
    with pytest.raises(DocumentRefused) as unsupported:
        run(services.documents.prepare(b"GIF89a" + bytes(100), "animation.gif"))
    assert plain_words(bomb.value, services.translator).startswith("Cette image est trop grande")
    assert "n'est pas pris en charge" in plain_words(unsupported.value, services.translator)
    services.translator.language = "en"
    assert plain_words(unsupported.value, services.translator).startswith("This type of file is not supported")
    with pytest.raises(DocumentActionRefused) as untitled:
        services.documents.new_reference(title="  ", category="patient", day="2024-01-01")
    assert plain_words(untitled.value, services.translator) == "Give the document a title."


def test_hiding_is_pushed_with_the_security_label(services, world):
    async def scenario():
        await synced(services, world)
        prepared = await services.documents.prepare(pdf(pages=1), "note.pdf")
        document_id = await services.documents.add(prepared, title="Note", category="patient", day="2024-01-05")
        await sync_again(services)
        await services.documents.hide(document_id)
        hidden_locally = (await services.documents.details(document_id)).document.hidden
        await sync_again(services)
        return document_id, hidden_locally

    document_id, hidden_locally = run(scenario())
    assert hidden_locally
    on_server = services.status.api.read("DocumentReference", document_id)
    assert {"system": HIDDEN_SYSTEM, "code": HIDDEN_CODE} in on_server["meta"]["security"]
    run(services.documents.unhide(document_id))
    run(sync_again(services))
    on_server = services.status.api.read("DocumentReference", document_id)
    assert not on_server["meta"].get("security")


def test_the_patient_deletes_what_they_added(services, world):
    async def scenario():
        await synced(services, world)
        prepared = await services.documents.prepare(pdf(pages=1), "vieux papier.pdf")
        document_id = await services.documents.add(prepared, title="Vieux papier", category="patient",
                                                   day="2020-06-01")
        await sync_again(services)
        binary_id = (await services.documents.details(document_id)).document.binary_id
        await services.documents.delete(document_id)
        await sync_again(services)
        return document_id, binary_id

    document_id, binary_id = run(scenario())
    cache = services.record.cache
    assert cache.documents.get(document_id) is None
    assert cache.documents.file_state(binary_id) is FileState.NOT_FETCHED  # the file left the device too
    assert services.status.api.read("DocumentReference", document_id) is None
    assert server_documents(world) == []


def test_a_document_deleted_before_it_was_pushed_leaves_nothing_to_push_but_its_file(services, world):
    async def scenario():
        await synced(services, world)
        services.status.stop()  # no push meanwhile
        prepared = await services.documents.prepare(pdf(pages=1), "erreur.pdf")
        document_id = await services.documents.add(prepared, title="Erreur", category="patient", day="2024-01-01")
        await services.documents.delete(document_id)
        return document_id

    run(scenario())
    entries = services.record.cache.outbox.entries()
    # The file's entry stays (the engine reads its bytes to push it); the document's is gone.
    assert [entry.resource_type for entry in entries] == ["Binary"]
    assert services.record.cache.documents.read_file(entries[0].resource_id).data.startswith(b"%PDF")


def test_a_professionals_document_cannot_be_deleted(services, world):
    written = professional_document(world, "Compte rendu opératoire", category="hospital")

    async def scenario():
        await synced(services, world)
        details = await services.documents.details(written["id"])
        with pytest.raises(DocumentActionRefused) as refused:
            await services.documents.delete(written["id"])
        return details, refused.value

    details, refused = run(scenario())
    assert not details.own
    assert "déposé par un professionnel" in plain_words(refused, services.translator)
    assert services.record.cache.documents.get(written["id"]) is not None
    assert services.record.cache.outbox.entries(OutboxStatus.PENDING) == []  # nothing was sent


def deposit_pdf(world, title: str) -> tuple[dict, bytes]:
    data = pdf(pages=3)
    binary_id = world.professional_deposits_file(data)
    return professional_document(world, title, binary_id=binary_id), data


def test_a_file_not_on_the_device_is_fetched_on_open(services, world):
    written, data = deposit_pdf(world, "Compte rendu de consultation")

    async def scenario():
        await synced(services, world)
        await settled(services)
        cache = services.record.cache
        binary_id = cache.documents.get(written["id"]).binary_id
        cache.documents.remove_file(binary_id)  # as if the prefetch had not reached it yet
        before = cache.documents.get(written["id"])
        opened = await services.documents.open_file(before, viewer_width=800)
        after = (await services.documents.details(written["id"])).document
        second_page = await services.documents.render_page(opened, 1, viewer_width=800)
        return before, opened, after, second_page

    before, opened, after, second_page = run(scenario())
    assert before.file_state is FileState.NOT_FETCHED
    assert opened.kind == "pdf" and opened.page_count == 3 and opened.data == data
    assert Image.open(io.BytesIO(opened.shown)).width == 1200  # 800 px viewer, 1.5 px per px
    assert second_page.startswith(b"\x89PNG")
    assert after.file_state is FileState.FETCHED


def test_offline_a_missing_file_is_explained_in_plain_words(services, world, live_server):
    written, _data = deposit_pdf(world, "Radio du genou")

    async def scenario():
        await synced(services, world)
        live_server.stop()
        await settled(services)
        cache = services.record.cache
        cache.documents.remove_file(cache.documents.get(written["id"]).binary_id)
        document = (await services.documents.details(written["id"])).document
        with pytest.raises(DocumentActionRefused) as refused:
            await services.documents.open_file(document, viewer_width=800)
        return refused.value

    refused = run(scenario())
    assert plain_words(refused, services.translator) == (
        "Ce document n'est pas encore sur cet appareil et le serveur est injoignable. "
        "Réessayez une fois connecté à internet.")


def test_an_image_is_shown_upright_and_small_from_memory(services, world):
    photo = camera_jpeg(size=(400, 200), orientation=6)  # stored landscape, to be shown portrait

    async def scenario():
        await synced(services, world)
        prepared = await services.documents.prepare(photo, "photo.jpg")
        document_id = await services.documents.add(prepared, title="Photo", category="patient", day="2024-01-01")
        document = (await services.documents.details(document_id)).document
        return await services.documents.open_file(document, viewer_width=390), \
            await services.documents.copy_to_save(document)

    opened, (name, data) = run(scenario())
    assert opened.kind == "image"
    assert Image.open(io.BytesIO(opened.shown)).size == (200, 400)
    assert name == "Photo.jpg" and data == opened.data


def test_filters_count_and_file_names():
    assert DocumentFilters().count == 0 and not DocumentFilters().active
    assert DocumentFilters(category="imaging", since="2024-01-01").count == 2
    assert replace(DocumentFilters(), text="bilan").active
    assert file_name_for("Bilan sanguin / mars: 2024", "application/pdf") == "Bilan sanguin mars 2024.pdf"
    assert file_name_for("...", "image/png") == "document.png"


def test_a_professionals_document_can_be_hidden_from_other_professionals(services, world):
    """Hiding changes only a visibility label: the server takes it from the patient even on
    what a professional wrote (which stays theirs)."""
    deposited = world.professional_writes("DocumentReference")

    async def scenario():
        await synced(services, world)
        await services.documents.hide(deposited["id"])
        await sync_again(services)
        return await services.record.read(lambda cache: cache.outbox.entries())

    left = run(scenario())
    assert left == []  # pushed, not failed
    on_server = services.status.api.read("DocumentReference", deposited["id"])
    assert {"system": HIDDEN_SYSTEM, "code": HIDDEN_CODE} in on_server["meta"]["security"]
    assert {"system": "urn:carnet:author", "code": "professional"} in on_server["meta"]["tag"]
