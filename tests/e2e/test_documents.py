"""A document added from a file in the browser (Flet's FilePicker fed through Chromium's
file chooser), then hidden from professionals: the badge shows on it and in the list."""
from __future__ import annotations

from tests.app.test_document_intake import pdf
from tests.e2e.flutter_page import button, click, navigate, open_app, see, sign_in

FILE_CHOOSER_TIMEOUT_MS = 30_000


def test_add_a_document_from_a_file_then_hide_it(browser, world, start_app, opened_pages):
    app = start_app(world.server_url)
    page = open_app(browser, app.url)
    opened_pages.append(page)
    sign_in(page, world)

    navigate(page, "Documents")
    see(page, "Aucun document pour l'instant")
    click(page, "Ajouter")
    with page.expect_file_chooser(timeout=FILE_CHOOSER_TIMEOUT_MS) as chooser:
        click(page, "Choisir un fichier")
    chooser.value.set_files(files=[{"name": "ordonnance_dr_martin.pdf", "mimeType": "application/pdf",
                                    "buffer": pdf(pages=2)}])
    see(page, "PDF · 2 page(s)")  # checked and ready, its title suggested from the file name
    click(page, "Enregistrer")
    see(page, "Document ajouté")
    see(page, "Page 1 sur 2")  # the PDF shown in the app

    click(page, "Masquer aux professionnels")
    see(page, "Document masqué aux professionnels.")
    button(page, "Ne plus masquer")
    click(page, "Documents")
    see(page, "Ordonnance dr martin")
    see(page, "Masqué aux professionnels")
    page.close()
