"""Driving a Flet (Flutter web) page with Playwright: through the accessibility tree,
with waits long enough for Flutter to boot and for the app's server round-trips."""
from __future__ import annotations

BOOT_TIMEOUT_MS = 45_000
STEP_TIMEOUT_MS = 20_000


def open_app(browser, url: str, width: int = 1440, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=BOOT_TIMEOUT_MS)
    # The placeholder sits outside the viewport: a normal click fails, a DOM click enables semantics.
    page.locator("flt-semantics-placeholder").evaluate("e => e.click()")
    return page


def button(page, name: str):
    found = page.get_by_role("button", name=name, exact=True)
    found.wait_for(timeout=STEP_TIMEOUT_MS)
    return found


def click(page, name: str) -> None:
    button(page, name).click()


def textbox(page, name: str):
    box = page.get_by_role("textbox", name=name, exact=True)
    box.wait_for(timeout=STEP_TIMEOUT_MS)
    return box


def type_into(page, name: str, text: str) -> None:
    """Replace the field's text: focus it, let Flutter attach its input, select all, type."""
    textbox(page, name).click()
    page.wait_for_timeout(200)
    page.keyboard.press("Control+a")
    page.keyboard.type(text)


def see(page, text: str, timeout: int = STEP_TIMEOUT_MS) -> None:
    page.get_by_text(text).first.wait_for(timeout=timeout)


def navigate(page, destination: str) -> None:
    """A destination of the navigation rail (a button "Réglages Tab 4 of 4") or bar (a tab)."""
    found = page.get_by_role("button", name=destination).or_(page.get_by_role("tab", name=destination))
    found.first.click(timeout=STEP_TIMEOUT_MS)


def choose(page, radio: str) -> None:
    page.get_by_role("radio", name=radio, exact=True).click(timeout=STEP_TIMEOUT_MS)


PASSPHRASE = "quatre petits chats"


def sign_in(page, world, passphrase: str = PASSPHRASE) -> None:
    """From the welcome screen to home as the world's patient: password, the e-mailed
    code, then a device passphrase (no key store here)."""
    from tests.server.auth_flows import PASSWORD, last_code

    click(page, "Me connecter")
    type_into(page, "Identifiant (INS)", world.patient_ins)
    type_into(page, "Mot de passe", PASSWORD)
    click(page, "Recevoir un code")
    textbox(page, "Code à usage unique")  # shown once the server has sent the code
    type_into(page, "Code à usage unique", last_code(world.app, "email"))
    click(page, "Valider le code")
    type_into(page, "Phrase secrète", passphrase)
    type_into(page, "Confirmez", passphrase)
    click(page, "Enregistrer")
    see(page, "Bonjour Camille Martin")
