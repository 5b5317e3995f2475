"""One SQLCipher connection, opened with a raw key, shared by the repositories of a cache.

Thread safety: a `Database` owns exactly one connection and serialises every use of it
with a re-entrant lock, so the app may call the repositories from any worker thread (Flet
runs the UI on an asyncio loop and calls storage off the loop). Two `Database` objects on
the same file are two connections; SQLite's own locking then applies.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3

from storage.errors import CacheCorrupt

# Written down so that a library upgrade cannot silently change them. HMAC-SHA256 rather
# than SQLCipher 4's default SHA-512: x86 (SHA-NI) and ARMv8 phones accelerate SHA-256 in
# hardware, which cuts the per-page cost of writing by about a third; a 256-bit tag per
# page is ample. (The KDF settings only derive the HMAC key from our raw key, 2 rounds.)
_CIPHER_PRAGMAS = (
    "PRAGMA cipher_page_size = 4096",
    "PRAGMA kdf_iter = 256000",
    "PRAGMA cipher_hmac_algorithm = HMAC_SHA256",
    "PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA256",
)
_CONNECTION_PRAGMAS = (
    # Sorts and temporary indexes stay in memory: no plaintext temp files.
    "PRAGMA temp_store = MEMORY",
    # WAL pages are encrypted like the database's; WAL keeps readers off the writer.
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    # After a run of bulk writes (below) has grown the WAL, its file is cut back to 4 MiB
    # when it is next reused instead of keeping its largest size on disk.
    f"PRAGMA journal_size_limit = {4 << 20}",
    # Decrypted pages stay in memory (up to 64 MiB, allocated as used): without this every
    # read of a 50,000-resource record decrypts pages again and reads cost 3x plain SQLite.
    "PRAGMA cache_size = -65536",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
)

# SQLite's default: checkpoint (copy the WAL into the database file) at 1000 pages, 4 MiB.
_AUTOCHECKPOINT_PAGES = 1000
# During bulk writes: 32 MiB. See `Database.bulk_writes`.
_BULK_AUTOCHECKPOINT_PAGES = 8192


class Database:
    """An open cache database. `key=None` opens plain SQLite; only benchmarks do that."""

    def __init__(self, path: Path, key: bytes | None) -> None:
        self.path = Path(path)
        self.encrypted = key is not None
        self._lock = threading.RLock()
        self._bulk = False
        self._connection = sqlcipher3.connect(str(self.path), isolation_level=None,
                                              check_same_thread=False)
        try:
            self._configure(key)
        except sqlcipher3.DatabaseError as error:
            self._connection.close()
            raise CacheCorrupt("wrong key or not a Carnet cache") from error
        # SQLite gives its -wal and -shm files the database file's permissions.
        os.chmod(self.path, 0o600)

    def _configure(self, key: bytes | None) -> None:
        execute = self._connection.execute
        if key is not None:
            # Silences SQLCipher's stderr line on a wrong key; the error is raised below.
            execute("PRAGMA cipher_log_level = NONE")
            execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            for pragma in _CIPHER_PRAGMAS:
                execute(pragma)
        # The first read proves the key: SQLCipher only fails when it decrypts page 1.
        execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in _CONNECTION_PRAGMAS:
            execute(pragma)

    @contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """An immediate write transaction: all of its statements commit, or none do."""
        with self._lock:
            if self._connection.in_transaction:
                # Nested call (same thread, the lock is re-entrant): part of the outer one.
                yield self._connection
                return
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlcipher3.Connection]:
        """The connection, held for a group of reads that must see one state."""
        with self._lock:
            if self._connection.in_transaction:
                yield self._connection
                return
            self._connection.execute("BEGIN")
            try:
                yield self._connection
            finally:
                self._connection.execute("COMMIT")

    def bulk_writes(self, on: bool) -> None:
        """Checkpoint less often while a sync applies page after page of a large pull.

        Each page of a large record dirties ~800 index pages, committed to the WAL; with
        the 4 MiB default nearly every commit is followed by a checkpoint that copies them
        all into the database file again and syncs both files. At 32 MiB a checkpoint
        copies each page once for ~10 commits. Crash safety is unchanged: a commit is
        atomic either way, and SQLite ignores WAL frames after the last complete commit,
        so the file cannot be torn. With synchronous=NORMAL the WAL is synced only at a
        checkpoint, so a power cut may lose more of the last commits (up to 32 MiB); the
        cursor commits with its page, so those pages are just fetched again.
        Turning it off checkpoints passively (without waiting for readers) right away.
        """
        with self._lock:
            if on == self._bulk:
                return
            self._bulk = on
            pages = _BULK_AUTOCHECKPOINT_PAGES if on else _AUTOCHECKPOINT_PAGES
            self._connection.execute(f"PRAGMA wal_autocheckpoint = {pages}")
            if not on and not self._connection.in_transaction:
                self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def query(self, sql: str, parameters: tuple | dict = ()) -> list[tuple]:
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def close(self) -> None:
        with self._lock:
            try:
                self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlcipher3.Error:
                pass  # Closing must not fail; the WAL is replayed at next open.
            self._connection.close()

    @property
    def connection(self) -> sqlcipher3.Connection:
        """The raw connection, for the schema module and for tests that inspect it."""
        return self._connection
