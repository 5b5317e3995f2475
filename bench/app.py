"""Benchmark of the patient app's start-up with a large record in the cache and no server.

    python -m bench.app                      # 50,000 resources
    python -m bench.app --resources 5000     # CI size
    python -m bench.app --no-browser         # the Python side only

A device is prepared once (a synthetic record applied to an encrypted cache, the
emergency card shown without unlocking, the real KDF). Then, each in a fresh process,
several times (medians): process start → the emergency card's data ready on a locked
device; → the card ready after unlocking; → the documents list ready (unlock, then the
documents screen's first page and its filters' choices, through the app's services). The baseline, measured in the same run, is
a bare `python -c pass`. In the browser (Debian's Chromium driven by Playwright, the app
served by `carnet app --web`): navigation → the first meaningful text (the unlock
screen's title), then unlock → the documents list. The server's address is a closed port:
nothing is reachable, as in an ambulance. Progress on stderr; the last line on stdout
is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOALS = {"emergency_ready_ms": 1000.0, "documents_ready_ms": 1500.0}
SERVER_URL = "http://127.0.0.1:9"  # the discard port: nothing answers
PASSPHRASE = "une phrase secrète de banc d'essai"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
_A_DOCUMENT_TITLE = "Compte rendu"  # every synthetic record has documents of this kind
# What the child process does, as code run by `python -c`: a fresh interpreter each time.
_CHILD = r"""
import time
started = time.time()
import asyncio, json, sys
from pathlib import Path
mark = {"started": started}
from app.services import Services, default_secret_store
mark["imported"] = time.time()
services = Services(sys.argv[1], data_dir=Path(sys.argv[2]), secret_store=default_secret_store())
task = sys.argv[3]

async def main():
    if task == "emergency-locked":
        card = await services.emergency.card_without_unlock()
        assert card is not None and card.allergies is not None
    elif task == "emergency-unlocked":
        await services.unlock(sys.argv[4])
        summary = await services.emergency.summary()
        assert summary.name
    else:
        from app.documents_service import DocumentFilters
        await services.unlock(sys.argv[4])
        # What the documents screen asks for first: a page of the list and its filters' choices.
        first_page = await services.documents.page(DocumentFilters())
        choices = await services.documents.filter_choices()
        assert len(first_page.documents) >= 40 and choices.authors
    mark["ready"] = time.time()
    await services.close()

asyncio.run(main())
print(json.dumps(mark))
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare_device(directory: Path, resources: int) -> None:
    """An encrypted cache holding `resources`, as a first sync would leave it."""
    from app.services import default_secret_store
    from bench.synthetic_record import history_pages, make_resources
    from health.emergency import EmergencyField
    from storage import DeviceCache

    device = DeviceCache(directory, secret_store=default_secret_store())
    cache = device.create(PASSPHRASE, "bench-account")
    try:
        for page, cursor in history_pages(make_resources(resources), 500):
            cache.sync.apply_page(page, cursor)
        cache.emergency.choose(list(EmergencyField))
    finally:
        cache.close()


def time_child(task: str, directory: Path) -> dict:
    spawned = time.time()
    output = subprocess.run([sys.executable, "-c", _CHILD, SERVER_URL, str(directory), task, PASSPHRASE],
                            check=True, capture_output=True, text=True).stdout
    mark = json.loads(output.strip().splitlines()[-1])
    return {"total_ms": (mark["ready"] - spawned) * 1000, "import_ms": (mark["imported"] - mark["started"]) * 1000}


def time_python_start(runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def python_side(directory: Path, runs: int) -> dict:
    measured = {}
    for task in ("emergency-locked", "emergency-unlocked", "documents"):
        samples = [time_child(task, directory) for _ in range(runs)]
        measured[task] = statistics.median(s["total_ms"] for s in samples)
        measured.setdefault("import_ms", statistics.median(s["import_ms"] for s in samples))
        log(f"  {task}: {measured[task]:.0f} ms (median of {runs})")
    return measured


def browser_side(base: Path) -> dict:
    """Navigation → the unlock screen's title; unlock → a document of the list, in Chromium."""
    if not CHROMIUM.exists():
        log("  no Chromium at /usr/bin/chromium: browser figures skipped")
        return {}
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "FLET_APP_STORAGE_DATA": str(base), "FLET_FORCE_WEB_SERVER": "true"}
    app = subprocess.Popen([sys.executable, "-m", "carnet.cli", "app", "--server", SERVER_URL, "--port", str(port),
                            "--web"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_http(f"http://127.0.0.1:{port}/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
            page.locator("flt-semantics-placeholder").evaluate("e => e.click()")
            page.get_by_text("Déverrouiller Carnet").first.wait_for(timeout=60_000)
            first_text_ms = (time.perf_counter() - started) * 1000
            page.get_by_role("textbox", name="Code de l'appareil").click(timeout=60_000)
            page.keyboard.type(PASSPHRASE)
            unlocking = time.perf_counter()
            page.get_by_role("button", name="Déverrouiller", exact=True).click(timeout=60_000)
            page.get_by_role("button", name="Documents").or_(page.get_by_role("tab", name="Documents")) \
                .first.click(timeout=60_000)
            page.get_by_text(_A_DOCUMENT_TITLE, exact=False).or_(page.get_by_text("document(s)")) \
                .first.wait_for(timeout=60_000)
            documents_ms = (time.perf_counter() - unlocking) * 1000
            browser.close()
    finally:
        app.terminate()
        app.wait(10)
    log(f"  browser: first text {first_text_ms:.0f} ms, unlock to documents {documents_ms:.0f} ms")
    return {"browser_first_text_ms": round(first_text_ms), "browser_unlock_to_documents_ms": round(documents_ms)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_http(url: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the app did not start")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=int(os.environ.get("CARNET_BENCH_RESOURCES", 50_000)))
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measurement (median)")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)

    base = Path(tempfile.mkdtemp(prefix="carnet-bench-app-"))
    # Where `carnet app --server SERVER_URL` looks for its device (app.services.device_directory).
    directory = base / "device" / "127.0.0.1_9"
    try:
        log(f"preparing a device with {args.resources} resources…")
        prepare_device(directory, args.resources)
        log("timing start-up in fresh processes…")
        python_ms = time_python_start(args.runs)
        measured = python_side(directory, args.runs)
        browser = {} if args.no_browser else browser_side(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    result = {
        "resources": args.resources,
        "emergency_ready_ms": round(measured["emergency-locked"]),
        "emergency_unlocked_ready_ms": round(measured["emergency-unlocked"]),
        "documents_ready_ms": round(measured["documents"]),
        "import_ms": round(measured["import_ms"]),
        "python_start_ms": round(python_ms),
        "emergency_over_python_start": round(measured["emergency-locked"] / python_ms, 2),
        "documents_over_python_start": round(measured["documents"] / python_ms, 2),
        "browser_first_text_ms": browser.get("browser_first_text_ms"),
        "browser_unlock_to_documents_ms": browser.get("browser_unlock_to_documents_ms"),
    }
    result["goals_met"] = {name: result[name] <= goal for name, goal in GOALS.items()}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
