"""Real SQLCipher caches in tmp_path, with a cheap KDF so that tests stay fast."""
from __future__ import annotations

import pytest

from storage import DeviceCache, MemorySecretStore
from tests.storage.samples import FAST_KDF, PIN


@pytest.fixture
def secret_store():
    return MemorySecretStore()


@pytest.fixture
def device(tmp_path, secret_store):
    return DeviceCache(tmp_path / "cache", secret_store=secret_store, kdf=FAST_KDF)


@pytest.fixture
def cache(device):
    opened = device.create(PIN, "account-1")
    yield opened
    opened.close()
