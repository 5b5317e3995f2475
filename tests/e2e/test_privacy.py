"""In a real browser: sign in, open Privacy, tap the nurse's line of the access history, read
why she could see the record, block her; the server refuses her next request."""
from __future__ import annotations

import re

import httpx

from tests.e2e.flutter_page import STEP_TIMEOUT_MS, button, click, navigate, open_app, see, sign_in



def test_block_a_professional_from_the_access_history(browser, world, start_app, opened_pages):
    world.professional_writes("Condition")
    app = start_app(world.server_url)
    page = open_app(browser, app.url, 1440, 900)
    opened_pages.append(page)

    sign_in(page, world)

    navigate(page, "Confidentialité")
    # A line of the history reads as one button: the sentence, the time, what stands out.
    page.get_by_role("button", name=re.compile(r"^Louis Bernard \(infirmier·ère\) a ajouté 1 antécédent le")) \
        .click(timeout=STEP_TIMEOUT_MS)
    see(page, "Pourquoi cet accès a été permis")
    see(page, "Sa profession (infirmier·ère) donne accès à tout votre dossier")
    click(page, "Bloquer Louis Bernard")
    see(page, "ne pourra plus rien lire ni écrire dans votre dossier")
    click(page, "Bloquer")
    button(page, "Débloquer Louis Bernard")  # the access drawn again, with the server's answer

    refused = httpx.get(f"{world.server_url}/fhir/Condition", params={"patient": world.patient_id},
                        headers=world.professional_headers)
    assert refused.status_code == 403
    page.close()
