"""Document files, encrypted one per file next to the database.

Large scans and PDFs stay out of the database (SQLCipher re-encrypts every 4 KiB page
through AES-CBC + HMAC; one AES-GCM pass per file is cheaper and keeps the database
small). Each file is AES-256-GCM under a key derived from the data key, with the Binary
id as associated data (a file cannot be swapped for another), and named by an HMAC of
that id (the directory listing does not reveal ids).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import FileCorrupt
from storage.keys import open_private

_MAGIC = b"CRNF1"
_NONCE_BYTES = 12
_CHUNK_BYTES = 1024 * 1024


class FileVault:
    """Encrypted blobs in one directory; `key=None` stores plain bytes (benchmarks only)."""

    def __init__(self, directory: Path, key: bytes | None) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._aead = self._file_key = self._name_key = None
        if key is not None:
            self._file_key = _derive(key, b"carnet file encryption v1")
            self._aead = AESGCM(self._file_key)
            self._name_key = _derive(key, b"carnet file naming v1")

    def name_for(self, binary_id: str) -> str:
        if self._name_key is None:
            return hashlib.sha256(binary_id.encode()).hexdigest()[:40]
        return hmac.new(self._name_key, binary_id.encode(), hashlib.sha256).hexdigest()[:40]

    def write(self, binary_id: str, data: bytes) -> str:
        """Store `data` durably (temporary file, fsync, rename); return the file's name."""
        name = self.name_for(binary_id)
        # A temporary name of its own: the viewer may fetch a file while the sync's prefetch
        # writes the same one; each write then completes, and the last rename wins.
        temporary = self.directory / f"{name}.{secrets.token_hex(8)}.tmp"
        with open_private(temporary) as handle:
            if self._file_key is None:
                handle.write(data)
            else:
                self._encrypt_into(handle, binary_id, data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.directory / name)
        return name

    def _encrypt_into(self, handle, binary_id: str, data: bytes) -> None:
        # Streamed in chunks: one-shot encryption of a 3 MB scan allocates a fresh 3 MB
        # buffer per file, and faulting its pages in costs as much as the AES itself.
        nonce = secrets.token_bytes(_NONCE_BYTES)
        encryptor = Cipher(algorithms.AES(self._file_key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(binary_id.encode())
        handle.write(_MAGIC + nonce)
        view = memoryview(data)
        for start in range(0, len(view), _CHUNK_BYTES):
            handle.write(encryptor.update(view[start:start + _CHUNK_BYTES]))
        handle.write(encryptor.finalize() + encryptor.tag)

    def read(self, name: str, binary_id: str) -> bytes:
        try:
            data = (self.directory / name).read_bytes()
        except FileNotFoundError as error:
            raise FileCorrupt(binary_id) from error
        if self._aead is None:
            return data
        if not data.startswith(_MAGIC):
            raise FileCorrupt(binary_id)
        nonce = data[len(_MAGIC):len(_MAGIC) + _NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, memoryview(data)[len(_MAGIC) + _NONCE_BYTES:],
                                      binary_id.encode())
        except InvalidTag as error:
            raise FileCorrupt(binary_id) from error

    def remove(self, name: str) -> None:
        (self.directory / name).unlink(missing_ok=True)

    def remove_except(self, keep: set[str]) -> int:
        """Delete files no row refers to (left by a crash between file and row)."""
        removed = 0
        for path in self.directory.iterdir():
            if path.name not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)
