"""Creating, unlocking, re-keying and wiping the cache of one account."""
from __future__ import annotations

import pytest

from storage import DeviceCache, KeyringSecretStore, MemorySecretStore, NoSecretStore
from storage.device import SecureStorageLocked
from storage.errors import CacheAlreadyExists, CacheMissing, CacheWiped, WeakPin, WrongPin
from storage.keys import KdfParams, read_key_file
from storage.secrets import SecretStoreUnavailable
from tests.storage.samples import FAST_KDF, PIN, bundle, document


def test_create_then_unlock_returns_the_same_record(device):
    with device.create(PIN, "account-1") as cache:
        cache.sync.apply_page(bundle(document("d1")), "c1")
    with device.unlock(PIN) as cache:
        assert cache.documents.get("d1").title == "Ordonnance"
        assert cache.sync.cursor() == "c1"


def test_unlock_without_a_cache_says_so(tmp_path):
    with pytest.raises(CacheMissing):
        DeviceCache(tmp_path, kdf=FAST_KDF).unlock(PIN)


def test_create_twice_is_refused(device):
    device.create(PIN, "account-1").close()
    with pytest.raises(CacheAlreadyExists):
        device.create(PIN, "account-1")


@pytest.mark.parametrize("pin", ["12345", "000000", ""])
def test_weak_pins_are_refused(device, pin):
    with pytest.raises(WeakPin):
        device.create(pin, "account-1")
    assert not device.exists


def test_wrong_pins_are_counted_on_disk_and_reset_by_the_right_one(device):
    device.create(PIN, "account-1").close()
    for expected in (9, 8):
        with pytest.raises(WrongPin) as raised:
            device.unlock("999999")
        assert raised.value.remaining_attempts == expected
    # A new DeviceCache (the app restarted) reads the counter from disk.
    restarted = DeviceCache(device.directory, secret_store=device.secret_store, kdf=FAST_KDF)
    assert read_key_file(restarted.key_path).failed_attempts == 2
    assert restarted.remaining_attempts == 8
    restarted.unlock(PIN).close()
    assert restarted.remaining_attempts == 10


def test_the_tenth_wrong_pin_wipes_the_cache(device, secret_store):
    with device.create(PIN, "account-1") as cache:
        cache.sync.apply_page(bundle(document("d1", binary="b1")), "c1")
        cache.documents.put_file("b1", "application/pdf", b"%PDF scan")
    for _ in range(9):
        with pytest.raises(WrongPin):
            device.unlock("999999")
    with pytest.raises(CacheWiped):
        device.unlock("999999")
    assert not device.exists
    assert list(device.directory.iterdir()) == []
    assert secret_store._secrets == {}
    with pytest.raises(CacheMissing):
        device.unlock(PIN)


def test_a_small_attempt_limit_is_honoured(tmp_path):
    device = DeviceCache(tmp_path, secret_store=MemorySecretStore(), kdf=FAST_KDF, max_attempts=2)
    device.create(PIN, "a").close()
    with pytest.raises(WrongPin):
        device.unlock("111111")
    with pytest.raises(CacheWiped):
        device.unlock("111111")


def test_change_pin_rewraps_the_key_without_touching_the_database(device):
    with device.create(PIN, "account-1") as cache:
        cache.sync.apply_page(bundle(document("d1")), "c1")
    database = device.directory / "cache.db"
    before = database.read_bytes()
    device.change_pin(PIN, "770312")
    assert database.read_bytes() == before
    with pytest.raises(WrongPin):
        device.unlock(PIN)
    with device.unlock("770312") as cache:
        assert cache.documents.get("d1") is not None


def test_change_pin_with_the_wrong_old_pin_counts_an_attempt(device):
    device.create(PIN, "account-1").close()
    with pytest.raises(WrongPin):
        device.change_pin("000111", "770312")
    assert device.remaining_attempts == 9
    device.unlock(PIN).close()


def test_wipe_removes_every_file_and_the_device_secret(device, secret_store):
    cache = device.create(PIN, "account-1")
    cache.sync.apply_page(bundle(document("d1", binary="b1")), "c1")
    cache.documents.put_file("b1", "application/pdf", b"%PDF")
    cache.emergency.choose(["allergies"])
    device.wipe()
    assert list(device.directory.iterdir()) == []
    assert secret_store._secrets == {}
    assert device.emergency_card() is None


def test_the_key_needs_the_device_secret_not_only_the_pin(device, secret_store):
    device.create(PIN, "account-1").close()
    name = read_key_file(device.key_path).device_secret_name
    assert name and secret_store.get(name)
    # Someone copies the files to another machine: same PIN, no keystore.
    elsewhere = DeviceCache(device.directory, secret_store=NoSecretStore(), kdf=FAST_KDF)
    with pytest.raises(CacheWiped):
        elsewhere.unlock(PIN)


def test_a_locked_keystore_is_reported_without_counting_against_the_patient(device, secret_store):
    device.create(PIN, "account-1").close()

    class Locked:
        available = True

        def get(self, name):
            raise SecretStoreUnavailable("locked")

    locked = DeviceCache(device.directory, secret_store=Locked(), kdf=FAST_KDF)
    with pytest.raises(SecureStorageLocked):
        locked.unlock(PIN)
    assert device.exists
    assert device.remaining_attempts == 10
    device.unlock(PIN).close()


def test_without_secure_storage_a_passphrase_alone_wraps_the_key(tmp_path):
    device = DeviceCache(tmp_path, secret_store=NoSecretStore(), kdf=FAST_KDF)
    assert device.pin_alone_protects_key
    with pytest.raises(WeakPin, match="passphrase"):
        device.create(PIN, "account-1")
    assert not device.exists
    passphrase = "correct horse battery"
    device.create(passphrase, "account-1").close()
    assert read_key_file(device.key_path).device_secret_name is None
    device.unlock(passphrase).close()
    with pytest.raises(WeakPin):
        device.change_pin(passphrase, "123456")


def test_with_a_device_secret_a_six_digit_pin_is_enough(device):
    assert not device.pin_alone_protects_key
    device.create(PIN, "account-1").close()
    assert not device.pin_alone_protects_key


def test_keyring_without_a_backend_degrades_to_unavailable(tmp_path):
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        store = KeyringSecretStore()
        assert store.available is False
        device = DeviceCache(tmp_path, secret_store=store, kdf=FAST_KDF)
        device.create("a long enough passphrase", "account-1").close()
        device.unlock("a long enough passphrase").close()
        with pytest.raises(SecretStoreUnavailable):
            store.put("x", b"secret")
        store.delete("x")
    finally:
        keyring.set_keyring(previous)


def test_default_kdf_costs_something_but_unlocks_fast_enough(tmp_path):
    import time

    device = DeviceCache(tmp_path, secret_store=MemorySecretStore(), kdf=KdfParams())
    device.create(PIN, "account-1").close()
    started = time.perf_counter()
    device.unlock(PIN).close()
    elapsed = time.perf_counter() - started
    assert 0.05 < elapsed < 2.0
