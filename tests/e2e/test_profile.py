"""In a real browser: sign in, open Profile → Allergies, see a doctor's allergy read-only,
add one through the form, see it listed as the patient's."""
from __future__ import annotations

import re

from tests.e2e.flutter_page import STEP_TIMEOUT_MS, choose, click, navigate, open_app, see, textbox, type_into
from tests.server.auth_flows import PASSWORD, last_code

PASSPHRASE = "quatre petits chats"


def test_add_an_allergy_from_the_profile(browser, world, start_app, opened_pages):
    world.professional_writes("AllergyIntolerance",
                              recorder={"reference": "Practitioner/dr-lefevre", "display": "Dr Claire Lefèvre"})
    app = start_app(world.server_url)
    page = open_app(browser, app.url, 390, 844)
    opened_pages.append(page)

    click(page, "Me connecter")
    type_into(page, "Identifiant (INS)", world.patient_ins)
    type_into(page, "Mot de passe", PASSWORD)
    click(page, "Recevoir un code")
    textbox(page, "Code à usage unique")  # shown once the server has sent the code
    type_into(page, "Code à usage unique", last_code(world.app, "email"))
    click(page, "Valider le code")
    type_into(page, "Phrase secrète", PASSPHRASE)
    type_into(page, "Confirmez", PASSPHRASE)
    click(page, "Enregistrer")
    see(page, "Bonjour Camille Martin")

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
