"""Screenshots of "Changes to review" on the demo record, at phone, tablet and desktop sizes.

    .venv/bin/python scripts/screenshot_review.py [--out docs/screenshots]

A conflict needs two devices: this device (the app's own services, in this process) adds
an allergy and sends it; a second device renames it on the server; this device changes it
too before it hears of that, and its push is refused (412). The app's browser view then
opens the same device folder, unlocks, and the review screen is shot as `review-<size>.png`.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import uuid
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

import screenshots  # noqa: E402  (the demo server, the app's browser view, sizes)


async def make_conflict(server_url: str, settings) -> None:
    from app.services import Services, device_directory
    from server.demo.cast import DEMO_PATIENT
    from sync.api import CarnetApi
    from sync.http import make_http_client

    device = Services(server_url, data_dir=device_directory(server_url))
    await device.start_sign_in(DEMO_PATIENT.ins, screenshots.PASSWORD, "email")
    await device.finish_sign_in(screenshots.last_code(settings))
    await device.create_pin(screenshots.PASSPHRASE)
    await _until(lambda: device.sync_line.last_sync and device.sync_line.state == "idle")
    allergy = {"resourceType": "AllergyIntolerance", "id": str(uuid.uuid4()), "category": ["food"],
               "patient": {"reference": f"Patient/{device.record.patient_id}"}, "code": {"text": "Arachide"}}
    await device.record.write(lambda cache: cache.resources.save_local(allergy))
    await _until(lambda: not device.sync_line.pending_changes)

    tablet = CarnetApi(make_http_client(server_url))
    challenge = tablet.start_sign_in(DEMO_PATIENT.ins, screenshots.PASSWORD, "email", "Tablette de Sophie")
    tablet.finish_sign_in(challenge.challenge_id, screenshots.last_code(settings))
    current = tablet.read("AllergyIntolerance", allergy["id"])
    tablet.put({**current, "code": {"text": "Arachides et noix de cajou"}, "criticality": "high"},
               current["meta"]["versionId"])

    mine = await device.record.read(lambda cache: cache.resources.get("AllergyIntolerance", allergy["id"]).resource)
    await device.record.write(lambda cache: cache.resources.save_local({**mine, "code": {"text": "Cacahuète"}}))
    await _until(lambda: device.sync_line.to_review)
    await device.close()


async def _until(condition, seconds: float = 60) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise RuntimeError("the demo device did not get there in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPOSITORY / "docs" / "screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="carnet-review-") as temp:
        folder = Path(temp)
        os.environ["FLET_APP_STORAGE_DATA"] = str(folder / "app-data")  # the app's browser view reads it too
        settings, server_url = screenshots.start_demo(folder)
        asyncio.run(make_conflict(server_url, settings))
        app, url = screenshots.start_app(server_url, folder)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=screenshots.CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(url)
                page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
                page.locator("flt-semantics-placeholder").evaluate("e => e.click()")
                screenshots.type_into(page, "Code de l'appareil", screenshots.PASSPHRASE)
                page.get_by_role("button", name="Déverrouiller", exact=True).click()
                page.get_by_text("à revoir").first.wait_for(timeout=screenshots.WAIT_MS)
                page.wait_for_timeout(3000)  # the first sync after unlock redraws the screen
                page.get_by_role("button", name="1 modification(s) à revoir").first.click(timeout=screenshots.WAIT_MS)
                page.get_by_role("button", name="Garder ma version").first.wait_for(timeout=screenshots.WAIT_MS)
                for size, (width, height) in screenshots.SIZES.items():
                    page.set_viewport_size({"width": width, "height": height})
                    page.wait_for_timeout(2000)
                    page.screenshot(path=str(args.out / f"review-{size}.png"))
                browser.close()
        finally:
            app.terminate()
            app.wait(10)
    print("review screenshots written", flush=True)


if __name__ == "__main__":
    main()
