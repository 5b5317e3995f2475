"""The batched write path of sync pages gives exactly what row-by-row writes give."""
from __future__ import annotations

import os

import pytest

from bench.synthetic_record import make_resources
from health.fhir_bundles import FEED_TAG_SYSTEM
from storage.cache import Cache
from storage.database import Database
from storage.resources import write_resource, write_resources
from storage.schema import migrate
from tests.storage.samples import bundle, document

KEY = bytes(range(32))


def _open(path) -> Database:
    db = Database(path, KEY)
    migrate(db.connection)
    return db


def _state(db: Database) -> dict:
    """Everything the writes touch: rows (with rowids), full-text index, emergency counter."""
    with db.transaction() as connection:
        connection.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms "
                           "USING fts5vocab(main, documents_fts, 'instance')")
    return {
        "rows": db.query("SELECT rowid, * FROM resources ORDER BY rowid"),
        "fts": db.query("SELECT * FROM temp.fts_terms ORDER BY 1, 2, 3, 4"),
        "settings": db.query("SELECT * FROM settings ORDER BY name"),
    }


def _mixed_page() -> list[dict]:
    resources = make_resources(300, seed=3)
    # A document listed twice (the second wins) and an update of a document already stored.
    return resources + [document("twice", description="premier compte rendu"),
                        document("kept", description="bilan sanguin", version="2"),
                        document("twice", description="second compte rendu", version="2")]


def test_write_resources_equals_writing_one_by_one(tmp_path):
    one, many = _open(tmp_path / "one.db"), _open(tmp_path / "many.db")
    try:
        for db in (one, many):
            with db.transaction() as connection:
                write_resource(connection, document("kept", description="ordonnance"))
        page = _mixed_page()
        with one.transaction() as connection:
            for resource in page:
                write_resource(connection, resource)
        with many.transaction() as connection:
            write_resources(connection, page)
        expected, got = _state(one), _state(many)
        assert len(expected["rows"]) == 302 and expected["fts"] and expected["settings"]
        assert got == expected
    finally:
        one.close()
        many.close()


def test_write_resources_of_nothing_writes_nothing(tmp_path):
    db = _open(tmp_path / "empty.db")
    try:
        with db.transaction() as connection:
            write_resources(connection, [])
        assert _state(db)["rows"] == []
    finally:
        db.close()


def test_a_page_keeps_feed_order_between_upserts_and_deletes(cache):
    page = bundle(document("gone"), document("back"), deletions=("DocumentReference/gone",
                                                                 "DocumentReference/back"))
    page["entry"].append(bundle(document("back", version="2"))["entry"][0])
    report = cache.sync.apply_page(page, "c1")
    assert (report.upserted, report.deleted) == (3, 2)
    assert cache.documents.get("gone") is None
    assert cache.documents.get("back").version_id == "2"
    assert [d.id for d in cache.documents.search("ordonnance")] == ["back"]


def test_only_resources_with_local_changes_are_held_back(cache):
    cache.sync.apply_page(bundle(document("mine"), document("other")), "c1")
    entry = cache.documents.hide("mine")
    page = bundle(*[document(f"d{n}") for n in range(50)], document("mine", version="2"),
                  document("other", version="2"), document("unchanged-base", version="1"))
    report = cache.sync.apply_page(page, "c2")
    assert report.conflicts == (entry.id,)
    assert report.upserted == 52
    assert cache.documents.get("mine").hidden is True
    assert cache.documents.get("other").version_id == "2"
    assert cache.resources.count("DocumentReference") == 53


def _autocheckpoint(cache: Cache) -> int:
    return cache.db.query("PRAGMA wal_autocheckpoint")[0][0]


def _more_follow(page: dict) -> dict:
    return {**page, "meta": {"tag": [{"system": FEED_TAG_SYSTEM, "code": "has-more"}]}}


def test_checkpoints_are_fewer_until_the_feed_catches_up(cache):
    database = cache.directory / "cache.db"
    for number in range(3):
        page = bundle(*[document(f"d{number}-{n}", description=os.urandom(8).hex()) for n in range(100)])
        cache.sync.apply_page(_more_follow(page), f"c{number}")
        assert _autocheckpoint(cache) == 8192
    before = database.stat().st_size
    cache.sync.apply_page(bundle(document("last")), "c-last")
    assert _autocheckpoint(cache) == 1000
    # The pages were in the WAL only; catching up checkpointed them into the database file.
    assert database.stat().st_size > before + 50 * 4096
    assert cache.resources.count() == 301
    assert cache.db.query("PRAGMA integrity_check")[0][0] == "ok"


@pytest.mark.parametrize("code, bulk", [("has-more", True), ("caught-up", False)])
def test_only_a_page_announcing_more_turns_bulk_writes_on(cache, code, bulk):
    page = {**bundle(document("d")), "meta": {"tag": [{"system": FEED_TAG_SYSTEM, "code": code}]}}
    cache.sync.apply_page(page, "c1")
    assert _autocheckpoint(cache) == (8192 if bulk else 1000)
    cache.sync.apply_page([], "c2")  # a list of changes never announces more
    assert _autocheckpoint(cache) == 1000
