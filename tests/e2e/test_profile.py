"""In a real browser: sign in, open Profile → Allergies, see a doctor's allergy read-only,
add one through the form, see it listed as the patient's."""
from __future__ import annotations

import re

from tests.e2e.flutter_page import STEP_TIMEOUT_MS, choose, click, navigate, open_app, see, sign_in, type_into



def test_add_an_allergy_from_the_profile(browser, world, start_app, opened_pages):
    world.professional_writes("AllergyIntolerance",
                              recorder={"reference": "Practitioner/dr-lefevre", "display": "Dr Claire Lefèvre"})
    app = start_app(world.server_url)
    page = open_app(browser, app.url, 390, 844)
    opened_pages.append(page)

    sign_in(page, world)

    navigate(page, "Profil")
    # A section's card reads as one button: its name, its preview, its count.
    page.get_by_role("button", name=re.compile(r"^Allergies Allergy to penicillin")).click(timeout=STEP_TIMEOUT_MS)
    see(page, "Ajouté par Dr Claire Lefèvre")
    click(page, "Ajouter une allergie")
    type_into(page, "Substance ou produit", "Arachide")
    choose(page, "Aliment")
    choose(page, "Grave")
    click(page, "Enregistrer")
    # The patient's entry reads as one group (its text) holding its Edit and Delete buttons.
    entry = page.get_by_role("group", name=re.compile(r"^Arachide Réaction grave possible Aliment Ajouté par vous"))
    entry.wait_for(timeout=STEP_TIMEOUT_MS)
    assert entry.get_by_role("button", name="Supprimer").count() == 1
    page.close()
