"""The documents screens in Flet's real session: the list filtered by category and searched,
a PDF opened page by page, a document hidden, one added from a picked file."""
from __future__ import annotations

import asyncio

from app.main import make_main
from screens.page_file_picker import page_file_picker
from storage import NoSecretStore
from tests.app.test_document_intake import pdf
from tests.app.test_documents_service import professional_document
from tests.screens.flet_client import FletClient
from tests.server.auth_flows import PASSWORD, last_code
from tests.storage.samples import FAST_KDF

PASSPHRASE = "quatre petits chats"


async def signed_in(client: FletClient, world, tmp_path) -> None:
    make_main(world.server_url, data_dir=tmp_path / "device", secret_store=NoSecretStore(), kdf=FAST_KDF,
              device_name="test device", watch_seconds=1)(client.page)
    await client.click("welcome-sign-in")
    await client.type("sign-in-identifier", world.patient_ins)
    await client.type("sign-in-password", PASSWORD)
    await client.click("sign-in-send-code")
    await client.wait_for_text("Un code a été envoyé")
    await client.type("sign-in-code", last_code(world.app, "email"))
    await client.click("sign-in-verify")
    await client.type("pin-first", PASSPHRASE)
    await client.type("pin-second", PASSPHRASE)
    await client.click("pin-save")
    await client.wait_for_text("Bonjour Camille Martin")


async def select(client: FletClient, key: str, value: str) -> None:
    """Pick an entry of a Dropdown (Flet 1.0 reports it as a "select" event)."""
    control = await client.wait_for(key)
    client.session.apply_patch(control._i, {"value": value})
    await client.session.dispatch_event(control._i, "select", value)


def rows(client: FletClient) -> set[str]:
    return {key for control in client.controls()
            if (key := str(getattr(control, "key", None) or "")).startswith("document-")
            and control.__class__.__name__ == "ListTile"}


def test_filter_search_open_a_pdf_and_hide_it(world, tmp_path):
    data = pdf(pages=3)
    report = professional_document(world, "Compte rendu de consultation", category="consultation",
                                   day="2024-02-10", binary_id=world.professional_deposits_file(data))
    lab = professional_document(world, "Bilan sanguin", day="2023-09-01", description="Cholestérol")
    scan = professional_document(world, "IRM lombaire", category="imaging", day="2024-05-20")

    async def scenario():
        async with FletClient(width=390, height=844) as client:
            await signed_in(client, world, tmp_path)
            await client.click(f"home-new-documents-{report['id']}")  # home rows open the document
            await client.wait_for("document-title")
            await client.click("document-back")
            await client.wait_for_text("Septembre 2023")  # month headings
            assert rows(client) == {f"document-{d['id']}" for d in (report, lab, scan)}

            await client.click("documents-filters-toggle")
            await select(client, "documents-category", "imaging")
            await client.wait_until(lambda: rows(client) == {f"document-{scan['id']}"}, "the imaging filter")
            assert client.has_text("Filtres (1)")
            await client.click("documents-clear")
            await client.wait_until(lambda: len(rows(client)) == 3, "all documents again")

            await client.type("documents-search", "cholest")
            await client.wait_until(lambda: rows(client) == {f"document-{lab['id']}"}, "the search")
            await client.type("documents-search", "introuvable")
            await client.wait_for("documents-empty-clear")
            await client.click("documents-empty-clear")
            await client.wait_until(lambda: len(rows(client)) == 3, "search and filters cleared")

            await client.click(f"document-{report['id']}")
            await client.wait_for("document-image")  # the first page, rendered off the loop
            await client.wait_for_text("Page 1 sur 3")
            await client.click("document-next-page")
            await client.wait_for_text("Page 2 sur 3")
            assert client.find("document-delete") is None  # a professional's document
            await client.click("document-hide")
            await client.wait_until(lambda: client.find("document-hidden-badge").visible, "the hidden badge")
            assert client.find("document-unhide").visible and not client.find("document-hide").visible
            await client.click("document-back")
            await client.wait_for_text("Masqué aux professionnels")

    asyncio.run(scenario())


def test_add_a_document_from_a_picked_file_on_a_desktop(world, tmp_path):
    async def scenario():
        async with FletClient(width=1440, height=900) as client:
            await signed_in(client, world, tmp_path)
            rail = client.find("navigation-rail")
            client.session.apply_patch(rail._i, {"selected_index": 2})
            await client.session.dispatch_event(rail._i, "change", "2")
            await client.wait_for("documents-filters")  # the side panel on a wide screen
            await client.wait_for_text("Aucun document pour l'instant")
            await client.click("documents-add")
            await client.wait_for("add-choose-file")
            assert client.find("add-save").disabled
            data = pdf(pages=2)
            picker = page_file_picker(client.page)
            await client.session.dispatch_event(picker._i, "result", {"files": [
                {"id": 0, "name": "ordonnance_dr_martin.pdf", "size": len(data), "bytes": data}]})
            await client.wait_until(lambda: client.find("add-preview").visible, "the preview")
            assert client.find("add-title").value == "Ordonnance dr martin"
            assert client.has_text("PDF · 2 page(s)")
            await select(client, "add-category", "prescription")
            await client.click("add-save")
            await client.wait_for_text("Document ajouté")
            await client.wait_for("document-image")
            assert client.find("document-delete") is not None  # the patient's own

            await client.click("document-back")
            await client.click("documents-add")
            await client.session.dispatch_event(picker._i, "result", {"files": [
                {"id": 0, "name": "notes.txt", "size": 5, "bytes": b"hello"}]})
            await client.wait_for_text("Ce type de fichier n'est pas pris en charge")
            assert client.find("add-save").disabled

    asyncio.run(scenario())
