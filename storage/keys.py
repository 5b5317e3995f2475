"""The data key of the cache and how it is kept wrapped on disk.

The database is opened with a random 256-bit *data key* (a raw SQLCipher key, so opening
costs no key derivation). That key is never stored in clear: the key file holds it
encrypted with AES-256-GCM under a *wrapping key* derived from the PIN with Argon2id and,
where the platform has secure storage, mixed with a random device secret kept there.
Changing the PIN re-wraps the same data key; the database is not re-encrypted.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import CacheCorrupt, WeakPin

KEY_BYTES = 32
KEY_FILE_FORMAT = 1
MIN_PIN_LENGTH = 6
# Without a device secret the key file can be attacked offline: ask for a passphrase.
MIN_PASSPHRASE_LENGTH = 12
_WRAP_INFO = b"carnet cache data-key wrap v1"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost; the defaults (RFC 9106's second recommendation, one lane) cost
    about 0.25 s on a laptop core and 64 MiB, which is what makes each guess expensive."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 1


@dataclass(frozen=True)
class KeyFile:
    """The on-disk record of one wrapped data key, plus the wrong-PIN counter."""

    account_id: str
    device_id: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    device_secret_name: str | None
    failed_attempts: int = 0

    def to_json(self) -> str:
        return json.dumps({
            "format": KEY_FILE_FORMAT,
            "account_id": self.account_id,
            "device_id": self.device_id,
            "kdf": {"name": "argon2id", **asdict(self.kdf)},
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
            "device_secret_name": self.device_secret_name,
            "failed_attempts": self.failed_attempts,
        }, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "KeyFile":
        try:
            data = json.loads(text)
            if data.get("format") != KEY_FILE_FORMAT or data["kdf"].get("name") != "argon2id":
                raise ValueError("unknown key file format")
            kdf = data["kdf"]
            return cls(
                account_id=str(data["account_id"]), device_id=str(data["device_id"]),
                kdf=KdfParams(int(kdf["time_cost"]), int(kdf["memory_kib"]), int(kdf["parallelism"])),
                salt=base64.b64decode(data["salt"]), nonce=base64.b64decode(data["nonce"]),
                wrapped_key=base64.b64decode(data["wrapped_key"]),
                device_secret_name=data.get("device_secret_name"),
                failed_attempts=int(data.get("failed_attempts", 0)),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise CacheCorrupt(f"unreadable key file: {error}") from error

    def with_failed_attempts(self, count: int) -> "KeyFile":
        return replace(self, failed_attempts=count)

    def associated_data(self) -> bytes:
        # Binding the parameters to the ciphertext: a tampered key file fails to unwrap.
        return "|".join([str(KEY_FILE_FORMAT), self.account_id, self.device_id,
                         str(self.kdf.time_cost), str(self.kdf.memory_kib),
                         str(self.kdf.parallelism), self.device_secret_name or ""]).encode()


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def check_pin(pin: str, *, pin_alone: bool = False) -> None:
    """Refuse PINs too weak for how the key will be wrapped (see SECURITY.md)."""
    minimum = MIN_PASSPHRASE_LENGTH if pin_alone else MIN_PIN_LENGTH
    if not isinstance(pin, str) or len(pin) < minimum:
        reason = " (this device has no secure storage, so a passphrase is needed)" if pin_alone else ""
        raise WeakPin(f"it needs at least {minimum} characters{reason}")
    if len(set(pin)) == 1:
        raise WeakPin("it repeats one character")


def wrapping_key(pin: str, salt: bytes, kdf: KdfParams, device_secret: bytes | None) -> bytes:
    stretched = hash_secret_raw(pin.encode("utf-8"), salt, time_cost=kdf.time_cost,
                                memory_cost=kdf.memory_kib, parallelism=kdf.parallelism,
                                hash_len=KEY_BYTES, type=Type.ID)
    material = stretched + (device_secret or b"")
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=_WRAP_INFO).derive(material)


def wrap(data_key: bytes, pin: str, *, account_id: str, device_id: str, kdf: KdfParams,
         device_secret: bytes | None, device_secret_name: str | None) -> KeyFile:
    """A fresh key file holding `data_key` wrapped under `pin` (and the device secret)."""
    unsigned = KeyFile(account_id=account_id, device_id=device_id, kdf=kdf,
                       salt=secrets.token_bytes(16), nonce=secrets.token_bytes(12),
                       wrapped_key=b"", device_secret_name=device_secret_name)
    kek = wrapping_key(pin, unsigned.salt, kdf, device_secret)
    wrapped = AESGCM(kek).encrypt(unsigned.nonce, data_key, unsigned.associated_data())
    return replace(unsigned, wrapped_key=wrapped)


def unwrap(key_file: KeyFile, pin: str, device_secret: bytes | None) -> bytes | None:
    """The data key, or None when the PIN (or the device secret) is wrong."""
    kek = wrapping_key(pin, key_file.salt, key_file.kdf, device_secret)
    try:
        return AESGCM(kek).decrypt(key_file.nonce, key_file.wrapped_key, key_file.associated_data())
    except InvalidTag:
        return None


def read_key_file(path: Path) -> KeyFile:
    return KeyFile.from_json(path.read_text(encoding="utf-8"))


def write_key_file(path: Path, key_file: KeyFile) -> None:
    write_atomically(path, key_file.to_json().encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file."""
    temporary = path.with_name(path.name + ".tmp")
    with open_private(temporary) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_directory(path.parent)


def open_private(path: Path):
    """A new file readable by this user only (other desktop users must not read it)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open directories; rename is durable enough there.
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
