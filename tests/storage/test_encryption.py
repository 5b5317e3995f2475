"""Encryption proven on the files themselves, not on what the API says."""
from __future__ import annotations

import sqlite3

import pytest
import sqlcipher3

from storage.cache import Cache
from storage.database import Database
from storage.errors import CacheCorrupt
from tests.storage.samples import PIN, bundle, document

SECRET_WORDS = ("Sérologie-VIH-positive", "Zyrtec-Xanax-Valium", "confidentiel-dossier-42")
SCAN = b"%PDF-1.7 Compte rendu: " + SECRET_WORDS[2].encode() * 200


def _fill(cache) -> None:
    condition = {"resourceType": "Condition", "id": "c1", "meta": {"versionId": "1"},
                 "code": {"text": SECRET_WORDS[0]}, "recordedDate": "2020-01-01"}
    documents = [document(f"d{n}", description=f"{SECRET_WORDS[1]} {n}", binary=f"b{n}")
                 for n in range(200)]
    cache.sync.apply_page(bundle(condition, *documents), "cursor-1")
    cache.documents.put_file("b1", "application/pdf", SCAN)
    cache.resources.save_local({"resourceType": "Observation", "status": "final",
                                "code": {"text": SECRET_WORDS[0]}})
    cache.settings.set("note", SECRET_WORDS[2])


def _every_file_bytes(directory) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in directory.rglob("*") if path.is_file()}


@pytest.mark.parametrize("checkpointed", [False, True])
def test_known_strings_never_appear_in_any_file(device, checkpointed):
    cache = device.create(PIN, "account-1")
    _fill(cache)
    if checkpointed:
        cache.close()  # the WAL is folded into the database file
    files = _every_file_bytes(device.directory)
    assert any(name.endswith("cache.db") for name in files)
    for name, data in files.items():
        for word in SECRET_WORDS:
            assert word.encode() not in data, f"{word} in {name}"
            assert word.encode("utf-16-le") not in data, f"{word} in {name}"
        assert b"%PDF" not in data, name
        assert b"SQLite format 3" not in data, name
    if not checkpointed:
        cache.close()


def test_stdlib_sqlite_cannot_open_the_database(device):
    with device.create(PIN, "account-1") as cache:
        _fill(cache)
    connection = sqlite3.connect(device.directory / "cache.db")
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute("SELECT * FROM sqlite_master").fetchall()
    connection.close()


def test_a_wrong_raw_key_is_refused_without_noise(device, capfd):
    with device.create(PIN, "account-1") as cache:
        _fill(cache)
    with pytest.raises(CacheCorrupt):
        Database(device.directory / "cache.db", bytes(32))
    assert capfd.readouterr().err == ""


def test_sqlcipher_with_a_passphrase_instead_of_the_raw_key_fails(device):
    with device.create(PIN, "account-1") as cache:
        _fill(cache)
    connection = sqlcipher3.connect(str(device.directory / "cache.db"))
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = '{PIN}'")
    with pytest.raises(sqlcipher3.DatabaseError):
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    connection.close()


def test_only_the_key_file_database_files_and_encrypted_blobs_exist(device):
    with device.create(PIN, "account-1") as cache:
        _fill(cache)
    names = {path.relative_to(device.directory).parts[0] for path in device.directory.rglob("*")}
    assert names <= {"cache.key", "cache.db", "cache.db-wal", "cache.db-shm", "files"}
    # The key file holds no key in clear: only a wrapped one.
    assert b"wrapped_key" in (device.directory / "cache.key").read_bytes()


def test_plain_mode_is_really_plain(tmp_path):
    """The benchmark's control group: same schema, no encryption."""
    with Cache(tmp_path, None) as cache:
        _fill(cache)
    connection = sqlite3.connect(tmp_path / "cache.db")
    assert connection.execute("SELECT count(*) FROM resources").fetchone()[0] == 202
    connection.close()


def test_fts5_and_json_work_inside_sqlcipher(cache):
    cache.sync.apply_page(bundle(document("d1", description="Échographie abdominale")), "c")
    assert [d.id for d in cache.documents.search("echograph")] == ["d1"]
    assert cache.db.query("SELECT sqlite_compileoption_used('ENABLE_FTS5')")[0][0] in (0, 1)


def test_files_are_private_to_the_user(device):
    import os
    import stat

    with device.create(PIN, "account-1") as cache:
        _fill(cache)
        cache.emergency.choose(["allergies"])
    for path in [device.key_path, device.directory / "emergency-card.json", device.directory / "cache.db",
                 *(device.directory / "files").iterdir()]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
