"""Regenerate the app's screenshots on the demo record, at phone, tablet and desktop sizes.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only home,documents]

Starts the demo server (its own SQLite file in a temporary folder) and the app's browser
view, signs the demo patient in with the code from the delivery box, chooses a
passphrase, then visits each main screen in headless Chromium and saves
`<screen>-<size>.png`. Needs Debian's Chromium (/usr/bin/chromium).
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPOSITORY = Path(__file__).resolve().parents[1]
SIZES = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1440, 900)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PASSWORD = "Carnet-Demo-2026"
PASSPHRASE = "une phrase secrète pour la démo"
WAIT_MS = 30_000

# (screen name, how to get there from anywhere once signed in: a destination, then a click).
SCREENS = (
    ("home", "Accueil", None),
    ("emergency", "Accueil", "Carte d'urgence"),
    ("profile", "Profil", None),
    ("documents", "Documents", None),
    ("messages", "Messages", None),
    ("agenda", "Agenda", None),
    ("privacy", "Confidentialité", None),
    ("catalogue", "Applications", None),
    ("catalogue-app", "Applications", "GlucoSuivi"),
    ("settings", "Réglages", None),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_demo(folder: Path):
    """The demo server in this process (a thread); returns its settings and URL."""
    import uvicorn

    from carnet.cli import _settings
    from server.app import create_app
    from server.demo.load import load_demo

    port = free_port()
    settings = _settings(f"sqlite:///{folder / 'demo.db'}", demo=True, public_base_url=f"http://127.0.0.1:{port}")
    app = create_app(settings)
    load_demo(app.state.session_factory, settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return settings, f"http://127.0.0.1:{port}"


def start_app(server_url: str, folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "FLET_APP_STORAGE_DATA": str(folder / "app-data"), "FLET_FORCE_WEB_SERVER": "true"}
    process = subprocess.Popen([sys.executable, "-m", "carnet.cli", "app", "--server", server_url, "--port",
                                str(port), "--web"], cwd=REPOSITORY, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the app did not start")


def last_code(settings) -> str:
    from server.admin import list_codes

    return list_codes(settings, limit=1)[0].code


def sign_in(page, settings) -> None:
    from server.demo.cast import DEMO_PATIENT

    page.get_by_role("button", name="Me connecter", exact=True).click(timeout=WAIT_MS)
    type_into(page, "Identifiant (INS)", DEMO_PATIENT.ins)
    type_into(page, "Mot de passe", PASSWORD)
    page.get_by_role("button", name="Recevoir un code", exact=True).click()
    page.get_by_role("textbox", name="Code à usage unique", exact=True).wait_for(timeout=WAIT_MS)
    type_into(page, "Code à usage unique", last_code(settings))
    page.get_by_role("button", name="Valider le code", exact=True).click()
    type_into(page, "Phrase secrète", PASSPHRASE)
    type_into(page, "Confirmez", PASSPHRASE)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Bonjour").first.wait_for(timeout=WAIT_MS)
    page.get_by_text("Synchronisé").first.wait_for(timeout=120_000)  # the demo record is on the device


def type_into(page, name: str, text: str) -> None:
    page.get_by_role("textbox", name=name, exact=True).click(timeout=WAIT_MS)
    page.wait_for_timeout(200)
    page.keyboard.press("Control+a")
    page.keyboard.type(text)


def go(page, destination: str, then: str | None) -> bool:
    """Open a destination of the rail or bar (under "Plus" on a phone); False if it is not there."""
    found = page.get_by_role("button", name=destination).or_(page.get_by_role("tab", name=destination))
    if not found.count():
        more = page.get_by_role("tab", name="Plus")
        if not more.count():
            return False
        more.first.click()
        found = page.get_by_text(destination, exact=True).or_(page.get_by_role("button", name=destination))
        try:
            found.first.wait_for(timeout=5000)
        except Exception:  # Playwright's TimeoutError: not among the other destinations either
            page.keyboard.press("Escape")
            return False
    found.first.click(timeout=WAIT_MS)
    if then:
        page.get_by_text(then).first.click(timeout=WAIT_MS)
    page.wait_for_timeout(2500)  # the screen loads from the cache, then Flutter draws it
    return True


def shoot(page, name: str, out: Path, destination: str | None = None, then: str | None = None) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(1200)  # the app swaps rail and bar when the width crosses 600
        if destination and not go(page, destination, then):
            print(f"  {name}: no such screen yet, skipped", flush=True)
            return
        page.screenshot(path=str(out / f"{name}-{size}.png"))
    print(f"  {name}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPOSITORY / "docs" / "screenshots")
    parser.add_argument("--only", default="", help="comma-separated screen names")
    args = parser.parse_args()
    wanted = {name for name in args.only.split(",") if name}
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="carnet-shots-") as temp:
        folder = Path(temp)
        print("loading the demo…", flush=True)
        settings, server_url = start_demo(folder)
        app, url = start_app(server_url, folder)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(url)
                page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
                page.locator("flt-semantics-placeholder").evaluate("e => e.click()")
                page.get_by_role("button", name="Me connecter", exact=True).wait_for(timeout=60_000)
                if not wanted or "welcome" in wanted:
                    shoot(page, "welcome", args.out)
                sign_in(page, settings)
                for name, destination, then in SCREENS:
                    if not wanted or name in wanted:
                        shoot(page, name, args.out, destination, then)
                browser.close()
        finally:
            app.terminate()
            app.wait(10)


if __name__ == "__main__":
    main()
