"""App tests: the real server on loopback (cheap Argon2), a real encrypted cache on disk."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.services import Services
from storage import NoSecretStore
from tests.storage.samples import FAST_KDF
from tests.sync.conftest import database_url, settings, world  # noqa: F401 (fixtures reused)

# No secure storage here (as on a headless Linux): the PIN must be a passphrase.
PASSPHRASE = "quatre petits chats"


def run(coroutine):
    """Run a coroutine to its end on a loop of its own, in a thread: the browser tests'
    session-wide Playwright keeps an event loop running on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(asyncio.run, coroutine).result()


def make_services(server_url: str, directory, **options) -> Services:
    options.setdefault("secret_store", NoSecretStore())
    return Services(server_url, data_dir=directory, kdf=FAST_KDF, watch_seconds=1,
                    device_name="test device", **options)


@pytest.fixture
def services(world, tmp_path):
    made = make_services(world.server_url, tmp_path / "device")
    yield made
    run(made.close())
