"""Messaging and the agenda through the screens, against the real server: the inbox, a
conversation read and answered, an attachment filed into the documents; reminders with
their reasons marked done; an appointment added, refused when incomplete, then cancelled."""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone

import httpx

from tests.app.conftest import run
from tests.app.test_agenda_service import professional_books
from tests.app.test_messages_service import PDF, professional_sends
from tests.screens.app_driver import sign_in, start_app
from tests.screens.flet_client import FletClient


def _server_copy(world, resource_type: str, resource_id: str) -> dict:
    return httpx.get(f"{world.server_url}/fhir/{resource_type}/{resource_id}",
                     headers=world.professional_headers).json()


async def _eventually(condition, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


def test_read_a_conversation_reply_and_file_its_attachment(world, tmp_path):
    binary_id = world.professional_deposits_file(PDF)
    first = professional_sends(world, "Voici le compte rendu de votre échographie.", "Compte rendu d'échographie",
                               attachment={"url": f"Binary/{binary_id}", "contentType": "application/pdf",
                                           "title": "Échographie.pdf", "size": len(PDF)})
    professional_sends(world, "Votre commande est prête.", "Pharmacie")

    async def scenario():
        async with FletClient(width=390, height=844) as client:
            start_app(client, world, tmp_path / "device")
            await sign_in(client, world)
            await client.navigate("Messages")
            await client.wait_for_text("2 message(s) non lu(s)")
            await client.type("messages-search", "echographie")
            await client.wait_until(lambda: client.find("conversation-" + first["id"]) is not None
                                    and not client.has_text("Pharmacie"), "the search to keep one conversation")

            await client.click(f"conversation-{first['id']}")
            await client.wait_for_text("Voici le compte rendu de votre échographie.")
            assert client.has_text("Nouveau") and client.has_text("Échographie.pdf")
            await _eventually(lambda: _server_copy(world, "Communication", first["id"]).get("received"),
                              "the read receipt on the server")

            await client.click(f"attachment-file-{binary_id}")
            await client.choose("file-category", "imaging")
            await client.click("file-confirm")
            await client.wait_for_text("« Échographie.pdf » est dans vos documents (Imagerie).")

            await client.click("thread-send")
            await client.wait_for_text("Écrivez un message ou joignez un fichier.")
            await client.type("thread-reply", "Merci, bien reçu.")
            await client.click("thread-send")
            await client.wait_for_text("Merci, bien reçu.")
            await client.wait_until(lambda: client.has_text("Envoyé") or client.has_text("Lu"), "the reply sent", 20)

            await client.click("thread-back")
            await client.wait_for_text("1 message(s) non lu(s)")

    run(scenario())
    documents = world.server_search("DocumentReference", world.professional_headers)
    assert [d["content"][0]["attachment"]["url"] for d in documents] == [f"Binary/{binary_id}"]
    assert documents[0]["category"][0]["coding"][0]["code"] == "imaging"
    replies = [m for m in world.server_search("Communication", world.professional_headers) if m.get("partOf")]
    assert [m["payload"][0]["contentString"] for m in replies] == ["Merci, bien reçu."]


def test_a_reminder_with_its_reason_marked_done_and_an_appointment_added_then_cancelled(world, tmp_path):
    soon = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=40)
    professional_books(world, soon, description="Prise de sang")

    async def scenario():
        async with FletClient(width=820, height=1180) as client:
            start_app(client, world, tmp_path / "device")
            await sign_in(client, world)
            # Announced as soon as the sync brings it, in the app.
            await client.wait_for_text(f"Rendez-vous dans moins d'une heure, à {soon.astimezone():%H:%M} : Prise de sang")
            await client.navigate("Agenda")
            await client.wait_for("reminder-dtp-booster-45")
            assert client.has_text("Prise de sang")
            await client.click("reminder-dtp-booster-45")
            await client.wait_for_text("Rappels recommandés à 25, 45 et 65 ans")
            assert client.has_text("Voir la recommandation") and client.find("reminder-source") is not None
            await client.type("reminder-done-date", "31/02/2026")
            await client.click("reminder-done")
            await client.wait_for_text("Écrivez la date sous la forme JJ/MM/AAAA")
            await client.type("reminder-done-date", "20/11/2026")
            await client.click("reminder-done")
            await client.wait_for("agenda-add")
            await client.wait_until(lambda: client.find("reminder-dtp-booster-45") is None, "the reminder gone")
            await _eventually(lambda: world.server_search("Immunization", world.professional_headers),
                              "the Immunization pushed")

            await client.click("agenda-add")
            await client.type("appointment-day", "14/01/2027")
            await client.type("appointment-time", "12:45")
            await client.click("appointment-save")
            await client.wait_for_text("Dites de quel rendez-vous il s'agit.")
            await client.type("appointment-description", "Séance d'ostéopathie")
            await client.type("appointment-with", "Julien Perrin")
            await client.type("appointment-place", "Cabinet des Brotteaux")
            await client.click("appointment-save")
            await client.wait_for("appointment-edit")
            assert client.has_text("Julien Perrin") and client.has_text("Cabinet des Brotteaux")
            assert client.has_text("jeu. 14/01/2027 à 12:45")

            await client.click("appointment-cancel")
            await client.click("appointment-cancel-confirm")
            await client.wait_for_text("Rendez-vous annulé.")
            await client.wait_until(lambda: client.find("appointment-edit") is None, "no edit on a cancelled one")
            await client.click("appointment-back")
            await client.wait_for_text("Séance d'ostéopathie")
            assert client.has_text("Annulé")

    run(scenario())
    [immunization] = world.server_search("Immunization", world.professional_headers)
    assert immunization["occurrenceDateTime"] == "2026-11-20"
