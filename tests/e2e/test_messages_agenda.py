"""In a real browser: read a care team's message, reply with a file, file the message's
attachment into the documents; see a due prevention reminder and mark it done; add an
appointment. The server then holds each of them."""
from __future__ import annotations

import io
import time

import httpx

from tests.app.test_messages_service import PDF, professional_sends
from tests.e2e.flutter_page import STEP_TIMEOUT_MS, button, choose, click, navigate, open_app, sign_in, type_into




def _one_page_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "Ordonnance")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _see_named(page, text: str) -> None:
    """Text read as part of a control's name: a message's bubble is one group to a screen
    reader (sender, time, text and files read together), a chosen file is its chip."""
    page.get_by_text(text).or_(page.get_by_label(text)).first.wait_for(timeout=STEP_TIMEOUT_MS)


def _replace_text(page, name: str, text: str) -> None:
    """Type into a field that already holds a value (its accessible name then carries it)."""
    page.get_by_role("textbox", name=name).first.click(timeout=STEP_TIMEOUT_MS)
    page.wait_for_timeout(200)
    page.keyboard.press("Control+a")
    page.keyboard.type(text)


def _on_server(world, resource_type: str, timeout: float = 30.0) -> list[dict]:
    """The resources of that type once the app has pushed some (it pushes a few seconds
    after a change)."""
    deadline = time.monotonic() + timeout
    while True:
        found = world.server_search(resource_type, world.professional_headers)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def test_messages_reminders_and_appointments_in_the_browser(browser, world, start_app, opened_pages, tmp_path):
    binary_id = world.professional_deposits_file(PDF)
    first = professional_sends(world, "Voici le compte rendu de votre échographie.", "Compte rendu d'échographie",
                               attachment={"url": f"Binary/{binary_id}", "contentType": "application/pdf",
                                           "title": "Échographie.pdf", "size": len(PDF)})
    photo = tmp_path / "ordonnance.pdf"
    photo.write_bytes(_one_page_pdf())
    app = start_app(world.server_url)
    page = open_app(browser, app.url)
    opened_pages.append(page)
    sign_in(page, world)

    # Messages: read, reply with a file, file the attachment into the documents.
    navigate(page, "Messages")
    _see_named(page, "1 message(s) non lu(s)")
    page.get_by_text("Compte rendu d'échographie").first.click(timeout=STEP_TIMEOUT_MS)
    _see_named(page, "Voici le compte rendu de votre échographie.")
    with page.expect_file_chooser(timeout=STEP_TIMEOUT_MS) as chooser:
        click(page, "Fichier")
    chooser.value.set_files(str(photo))
    _see_named(page, "ordonnance.pdf")
    type_into(page, "Votre réponse", "Merci, voici mon ordonnance.")
    page.wait_for_timeout(500)  # the last keystrokes reach the app before the click
    click(page, "Envoyer")
    _see_named(page, "Merci, voici mon ordonnance.")
    click(page, "Classer dans mes documents")
    choose(page, "Imagerie")
    click(page, "Classer")
    _see_named(page, "est dans vos documents (Imagerie)")

    # Agenda: a reminder due for a woman of 46 with no booster recorded, marked done.
    navigate(page, "Agenda")
    page.get_by_text("Rappel diphtérie, tétanos, polio (dTP) de 45 ans").first.click(timeout=STEP_TIMEOUT_MS)
    _see_named(page, "Rappels recommandés à 25, 45 et 65 ans")
    _replace_text(page, "Fait le", "20/11/2026")
    click(page, "J'ai fait ce rappel")
    _see_named(page, "est enregistré dans votre dossier")
    button(page, "Ajouter un rendez-vous")
    page.get_by_text("Rappel diphtérie, tétanos, polio (dTP) de 45 ans").wait_for(state="detached",
                                                                                  timeout=STEP_TIMEOUT_MS)

    # An appointment of the patient's own.
    click(page, "Ajouter un rendez-vous")
    _replace_text(page, "Quel rendez-vous ?", "Séance d'ostéopathie")
    type_into(page, "Date (JJ/MM/AAAA)", "14/01/2027")
    type_into(page, "Heure (HH:MM)", "12:45")
    type_into(page, "Avec qui (facultatif)", "Julien Perrin")
    click(page, "Enregistrer")
    _see_named(page, "Rendez-vous enregistré.")
    _see_named(page, "Julien Perrin")

    [reply] = [m for m in _on_server(world, "Communication") if m.get("partOf")] or [None]
    assert reply is not None and reply["payload"][0]["contentString"] == "Merci, voici mon ordonnance."
    attached = reply["payload"][1]["contentAttachment"]
    file = httpx.get(f"{world.server_url}/fhir/{attached['url']}", headers={**world.professional_headers, "Accept": "*/*"})
    assert file.content == photo.read_bytes() and attached["title"] == "Ordonnance.pdf"
    [document] = _on_server(world, "DocumentReference")
    assert document["content"][0]["attachment"]["url"] == f"Binary/{binary_id}"
    [immunization] = _on_server(world, "Immunization")
    assert immunization["occurrenceDateTime"] == "2026-11-20"
    [appointment] = _on_server(world, "Appointment")
    assert appointment["description"] == "Séance d'ostéopathie" and appointment["minutesDuration"] == 30
    assert httpx.get(f"{world.server_url}/fhir/Communication/{first['id']}",
                     headers=world.professional_headers).json().get("received")
    page.close()
