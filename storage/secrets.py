"""Where the device secret lives: the operating system's secure storage, when there is one.

The data key is wrapped by the PIN *and* by this secret, so that a copy of the cache's
files is useless without the device's keystore (see SECURITY.md). Each platform supplies a
`SecretStore`: `KeyringSecretStore` on desktops, Flet's secure storage on phones (plugged
in by the app), `NoSecretStore` where nothing usable exists.
"""
from __future__ import annotations

import base64
import threading
from typing import Protocol

SERVICE = "carnet"


class SecretStore(Protocol):
    """A small key-value store of secrets kept outside the cache directory."""

    @property
    def available(self) -> bool:
        """True when secrets can be stored and read back."""

    def get(self, name: str) -> bytes | None:
        """The secret stored under `name`, or None when there is none."""

    def put(self, name: str, secret: bytes) -> None:
        """Store `secret` under `name`, replacing any previous one."""

    def delete(self, name: str) -> None:
        """Forget `name`; no error when absent."""


class SecretStoreUnavailable(Exception):
    """The platform's secure storage refused a call (locked, absent, or broken)."""


class NoSecretStore:
    """The platform has no secure storage: the data key is wrapped by the PIN alone."""

    available = False

    def get(self, name: str) -> bytes | None:
        return None

    def put(self, name: str, secret: bytes) -> None:
        raise SecretStoreUnavailable("no secure storage on this platform")

    def delete(self, name: str) -> None:
        return None


class MemorySecretStore:
    """Secrets held in this process only: for tests and for hosts that inject their own."""

    available = True

    def __init__(self) -> None:
        self._secrets: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> bytes | None:
        with self._lock:
            return self._secrets.get(name)

    def put(self, name: str, secret: bytes) -> None:
        with self._lock:
            self._secrets[name] = bytes(secret)

    def delete(self, name: str) -> None:
        with self._lock:
            self._secrets.pop(name, None)


class KeyringSecretStore:
    """The desktop keystore through `keyring` (Keychain, Credential Locker, Secret Service).

    On a headless Linux keyring falls back to a backend that fails every call; this class
    then reports `available = False` instead of raising, and the caller degrades to the
    PIN alone.
    """

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    @property
    def available(self) -> bool:
        try:
            import keyring
            from keyring.backends import fail

            backend = keyring.get_keyring()
            if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
                return False
        except Exception:
            return False
        return True

    def get(self, name: str) -> bytes | None:
        import keyring

        try:
            value = keyring.get_password(self.service, name)
        except Exception as error:
            raise SecretStoreUnavailable(str(error)) from error
        return base64.b64decode(value) if value else None

    def put(self, name: str, secret: bytes) -> None:
        import keyring

        try:
            keyring.set_password(self.service, name, base64.b64encode(secret).decode("ascii"))
        except Exception as error:
            raise SecretStoreUnavailable(str(error)) from error

    def delete(self, name: str) -> None:
        import keyring

        try:
            keyring.delete_password(self.service, name)
        except Exception:
            # Absent, or the keystore is gone: either way nothing is left to forget.
            return None
