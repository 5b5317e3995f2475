"""Sign in, choose a passphrase, see the record; then, with the server stopped, restart the
app and unlock it offline: the record is still there. Screenshots at phone, tablet and
desktop sizes on the way (copied to docs/screenshots when CARNET_SCREENSHOTS is set)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.e2e.flutter_page import button, choose, click, navigate, open_app, see, textbox, type_into
from tests.server.auth_flows import PASSWORD, last_code, new_space

PASSPHRASE = "quatre petits chats"
SIZES = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1440, 900)}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shoot_every_size(page, name: str, directory: Path) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(800)  # Flutter relays out, the app swaps rail and bar on resize
        path = directory / f"{name}-{size}.png"
        page.screenshot(path=str(path))
        if os.environ.get("CARNET_SCREENSHOTS"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, SCREENSHOTS / path.name)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_sign_in_then_unlock_offline(browser, world, live_server, start_app, opened_pages, tmp_path):
    world.professional_writes("DocumentReference")
    app = start_app(world.server_url)
    page = open_app(browser, app.url)
    opened_pages.append(page)

    button(page, "Me connecter")
    shoot_every_size(page, "welcome", tmp_path)
    click(page, "Me connecter")
    type_into(page, "Identifiant (INS)", world.patient_ins)
    type_into(page, "Mot de passe", PASSWORD)
    shoot_every_size(page, "sign-in", tmp_path)
    click(page, "Recevoir un code")
    textbox(page, "Code à usage unique")  # shown once the server has sent the code
    type_into(page, "Code à usage unique", last_code(world.app, "email"))
    click(page, "Valider le code")
    type_into(page, "Phrase secrète", PASSPHRASE)
    type_into(page, "Confirmez", PASSPHRASE)
    click(page, "Enregistrer")
    see(page, "Bonjour Camille Martin")
    see(page, "Bilan sanguin")
    shoot_every_size(page, "home", tmp_path)
    navigate(page, "Réglages")
    choose(page, "English")
    see(page, "Sign out")
    page.close()

    app.stop()
    live_server.stop()
    app = start_app(world.server_url)
    page = open_app(browser, app.url)
    opened_pages.append(page)
    type_into(page, "Code de l'appareil", "pas la bonne phrase")
    click(page, "Déverrouiller")
    see(page, "Code incorrect. Encore 9 essai(s)")
    type_into(page, "Code de l'appareil", PASSPHRASE)
    click(page, "Déverrouiller")
    see(page, "Bilan sanguin")
    see(page, "Offline")  # the language chosen before the restart, kept in the encrypted cache
    see(page, "Hello Camille Martin")

    navigate(page, "Settings")
    click(page, "Sign out")
    click(page, "Confirm")  # offline: the device cannot be revoked now, its copy is erased anyway
    button(page, "Me connecter")
    assert not list((tmp_path / "app-data").rglob("cache.key"))
    page.close()


def test_activation_and_errors_in_plain_words(browser, world, start_app, opened_pages):
    account, provisional_code = new_space(world.app, email=None)
    app = start_app(world.server_url)
    page = open_app(browser, app.url, 390, 844)
    opened_pages.append(page)
    click(page, "Activer mon espace")
    type_into(page, "Numéro INS (carte Vitale)", account.identifier)
    type_into(page, "Code provisoire", "AAAA-BBBB-CCCC")
    type_into(page, "Nouveau mot de passe", "un mot de passe solide 2026")
    type_into(page, "Adresse e-mail", "camille@example.org")
    click(page, "Activer")
    see(page, "ne correspondent à aucun espace à activer")
    type_into(page, "Code provisoire", provisional_code)
    click(page, "Activer")
    textbox(page, "Code de confirmation reçu par e-mail")
    type_into(page, "Code de confirmation reçu par e-mail", last_code(world.app, "email"))
    click(page, "Confirmer mon adresse")

    type_into(page, "Identifiant (INS)", account.identifier)
    type_into(page, "Mot de passe", "un mot de passe solide 2026")
    click(page, "Recevoir un code")
    type_into(page, "Code à usage unique", "000000")
    click(page, "Valider le code")
    see(page, "Code incorrect : encore")
    page.close()
