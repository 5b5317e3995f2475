"""The cache of one account on this device: create it, unlock it with the PIN, wipe it.

Files in the cache directory (chosen by the app: `FLET_APP_STORAGE_DATA` or a platformdirs
path, one directory per account):

    cache.key            the wrapped data key and the wrong-PIN counter (JSON)
    cache.db (-wal)      the SQLCipher database
    files/               document files, AES-GCM encrypted
    emergency-card.json  the emergency summary, in clear by the patient's choice (optional)
"""
from __future__ import annotations

import os
import secrets
import shutil
import threading
import uuid
from pathlib import Path

from health.emergency import EmergencySummary
from storage.cache import DATABASE_FILE, FILES_DIRECTORY, Cache
from storage.documents import DEFAULT_MAX_FILE_BYTES
from storage.emergency_card import CARD_FILE, read_card
from storage.errors import CacheAlreadyExists, CacheMissing, CacheWiped, StorageError, WrongPin
from storage.keys import (KdfParams, KeyFile, check_pin, new_data_key, read_key_file, unwrap, wrap,
                          write_key_file)
from storage.secrets import NoSecretStore, SecretStore, SecretStoreUnavailable

KEY_FILE = "cache.key"
DEFAULT_MAX_ATTEMPTS = 10


class SecureStorageLocked(StorageError):
    def __init__(self) -> None:
        super().__init__("The device's secure storage is not available right now; unlock the "
                         "device or try again.")


class DeviceCache:
    """Entry point of `storage`: everything that happens before a `Cache` is open.

    It hands out one open `Cache` at a time: unlocking again, or wiping, closes the
    previous one.
    """

    def __init__(self, directory: Path, *, secret_store: SecretStore | None = None,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS, kdf: KdfParams = KdfParams(),
                 max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> None:
        self.directory = Path(directory)
        self.secret_store = secret_store or NoSecretStore()
        self.max_attempts = max_attempts
        self.kdf = kdf
        self.max_file_bytes = max_file_bytes
        self._lock = threading.Lock()
        self._open: Cache | None = None

    @property
    def key_path(self) -> Path:
        return self.directory / KEY_FILE

    @property
    def exists(self) -> bool:
        return self.key_path.exists()

    @property
    def account_id(self) -> str | None:
        return read_key_file(self.key_path).account_id if self.exists else None

    @property
    def pin_alone_protects_key(self) -> bool:
        """True when no device secret wraps the key: the app must ask for a passphrase."""
        if self.exists:
            return read_key_file(self.key_path).device_secret_name is None
        return not self.secret_store.available

    @property
    def remaining_attempts(self) -> int:
        if not self.exists:
            return 0
        return max(0, self.max_attempts - read_key_file(self.key_path).failed_attempts)

    def create(self, pin: str, account_id: str) -> Cache:
        """A new, empty cache for `account_id`, protected by `pin`; returned unlocked."""
        check_pin(pin)
        with self._lock:
            if self.exists:
                raise CacheAlreadyExists()
            device_id = str(uuid.uuid4())
            secret, secret_name = self._new_device_secret(account_id, device_id)
            check_pin(pin, pin_alone=secret is None)
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            # A half-created cache (crash before the key file) holds nothing: clear it first.
            self._remove_files()
            data_key = new_data_key()
            write_key_file(self.key_path, wrap(
                data_key, pin, account_id=account_id, device_id=device_id, kdf=self.kdf,
                device_secret=secret, device_secret_name=secret_name))
            return self._open_cache(data_key)

    def unlock(self, pin: str) -> Cache:
        """The cache, unlocked; WrongPin, or CacheWiped once the attempts are used up."""
        with self._lock:
            data_key = self._data_key(self._key_file(), pin)
            cache = self._open_cache(data_key)
            # Repairs after a crash: files without a row, a stale emergency card.
            cache.documents.remove_orphan_files()
            cache.emergency.refresh_if_stale()
            return cache

    def change_pin(self, old_pin: str, new_pin: str) -> None:
        """Re-wrap the data key under `new_pin` (and a fresh salt); the database is untouched."""
        check_pin(new_pin)
        with self._lock:
            key_file = self._key_file()
            check_pin(new_pin, pin_alone=key_file.device_secret_name is None)
            data_key = self._data_key(key_file, old_pin)
            write_key_file(self.key_path, wrap(
                data_key, new_pin, account_id=key_file.account_id, device_id=key_file.device_id,
                kdf=self.kdf, device_secret=self._device_secret(key_file),
                device_secret_name=key_file.device_secret_name))

    def _data_key(self, key_file: KeyFile, pin: str) -> bytes:
        """Unwrap the data key with `pin`, counting the attempt on disk."""
        if key_file.failed_attempts >= self.max_attempts:
            self._wipe()
            raise CacheWiped("too many wrong PINs")
        device_secret = self._device_secret(key_file)
        # Counted before the slow check, so killing the app mid-check still costs a try.
        write_key_file(self.key_path, key_file.with_failed_attempts(key_file.failed_attempts + 1))
        data_key = unwrap(key_file, pin, device_secret)
        if data_key is None:
            remaining = self.max_attempts - key_file.failed_attempts - 1
            if remaining <= 0:
                self._wipe()
                raise CacheWiped("too many wrong PINs")
            raise WrongPin(remaining)
        write_key_file(self.key_path, key_file.with_failed_attempts(0))
        return data_key

    def wipe(self) -> None:
        """Sign-out and "forget this device": erase the cache, its key and its files."""
        with self._lock:
            self._wipe()

    @property
    def has_emergency_card(self) -> bool:
        """Whether the patient chose to show a card without unlocking (a cheap file check)."""
        return (self.directory / CARD_FILE).exists()

    def emergency_card(self) -> EmergencySummary | None:
        """What the patient chose to show without unlocking; None when nothing."""
        return read_card(self.directory)

    def _key_file(self) -> KeyFile:
        if not self.exists:
            raise CacheMissing()
        return read_key_file(self.key_path)

    def _open_cache(self, data_key: bytes) -> Cache:
        if self._open is not None:
            self._open.close()
        self._open = Cache(self.directory, data_key, max_file_bytes=self.max_file_bytes)
        return self._open

    def _new_device_secret(self, account_id: str, device_id: str) -> tuple[bytes | None, str | None]:
        if not self.secret_store.available:
            return None, None
        name = f"cache-key-wrap:{account_id}:{device_id}"
        secret = secrets.token_bytes(32)
        try:
            self.secret_store.put(name, secret)
        except SecretStoreUnavailable:
            return None, None  # degrade to the PIN alone, as on a platform without a keystore
        return secret, name

    def _device_secret(self, key_file: KeyFile) -> bytes | None:
        if key_file.device_secret_name is None:
            return None
        try:
            secret = self.secret_store.get(key_file.device_secret_name)
        except SecretStoreUnavailable as error:
            raise SecureStorageLocked() from error
        if secret is None:
            # The keystore lost it (OS reset, app reinstalled): the key can never be unwrapped.
            self._wipe()
            raise CacheWiped("the device's secure storage no longer holds its key")
        return secret

    def _wipe(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None
        if self.exists:
            try:
                name = read_key_file(self.key_path).device_secret_name
            except StorageError:
                name = None
            if name:
                self.secret_store.delete(name)
        self._remove_files()

    def _remove_files(self) -> None:
        # Destroying the wrapped key and the device secret makes every encrypted byte left
        # on flash unreadable; overwriting the small clear or key files is a bonus.
        for name in (KEY_FILE, CARD_FILE):
            _overwrite_and_unlink(self.directory / name)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (self.directory / f"{DATABASE_FILE}{suffix}").unlink(missing_ok=True)
        for leftover in self.directory.glob("*.tmp"):
            _overwrite_and_unlink(leftover)
        shutil.rmtree(self.directory / FILES_DIRECTORY, ignore_errors=True)


def _overwrite_and_unlink(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with open(path, "r+b") as handle:
        handle.write(secrets.token_bytes(size))
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
