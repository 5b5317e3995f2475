"""Browser tests: the Flet web app in a subprocess, driven by Playwright in headless Chromium
through Flutter's accessibility tree."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.sync.conftest import database_url, settings, world  # noqa: F401 (fixtures reused)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
REPOSITORY = Path(__file__).resolve().parents[2]


class AppProcess:
    """`python -m tests.e2e.app_process` on a free port, with its own data folder."""

    def __init__(self, server_url: str, data_dir: Path) -> None:
        self.server_url = server_url
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen | None = None

    def start(self) -> "AppProcess":
        env = {**os.environ, "FLET_APP_STORAGE_DATA": str(self.data_dir), "FLET_FORCE_WEB_SERVER": "true"}
        self.process = subprocess.Popen([sys.executable, "-m", "tests.e2e.app_process", self.server_url,
                                         str(self.port)], cwd=REPOSITORY, env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited with {self.process.returncode}")
            try:
                if httpx.get(self.url, timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the app did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


# Per module: Playwright's sync API keeps its event loop running while it is open, and
# the screen tests after the browser tests call asyncio.run().
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def start_app(tmp_path):
    started: list[AppProcess] = []

    def start(server_url: str) -> AppProcess:
        process = AppProcess(server_url, tmp_path / "app-data").start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


@pytest.fixture
def opened_pages(request, tmp_path):
    """Pages opened by the test; on failure each is photographed (path printed) for the log."""
    pages: list = []
    yield pages
    if getattr(request.node, "failed_call", False):
        for number, page in enumerate(pages):
            if not page.is_closed():
                path = tmp_path / f"failure-{number}.png"
                page.screenshot(path=str(path))
                print(f"screenshot of the failed page: {path}")
