"""Migrations: a cache written at any earlier schema version opens with its data intact."""
from __future__ import annotations

import json

import pytest

from storage import schema
from storage.cache import Cache
from storage.database import Database
from storage.errors import SchemaTooNew
from storage.records import OutboxStatus
from tests.storage.samples import document

KEY = bytes(range(32))


def _seed_v1(connection) -> None:
    rows = [
        document("d1", description="Radiographie du genou", binary="b1"),
        {"resourceType": "Communication", "id": "m1", "sent": "2024-01-01T10:00:00Z",
         "payload": [{"contentString": "Bonjour"}], "topic": {"text": "Résultats"}},
        {"resourceType": "Communication", "id": "m2", "sent": "2024-01-02T10:00:00Z",
         "partOf": [{"reference": "Communication/m1"}], "payload": [{"contentString": "Merci"}]},
    ]
    for resource in rows:
        connection.execute(
            "INSERT INTO resources (resource_type, id, version_id, json, category, date) "
            "VALUES (?, ?, '1', ?, 'prescription', ?)",
            (resource["resourceType"], resource["id"], json.dumps(resource),
             resource.get("date") or resource.get("sent")))
    connection.execute("INSERT INTO outbox (id, resource_type, resource_id, operation, json, created_at) "
                       "VALUES ('o1', 'Observation', 'x', 'create', '{}', '2024-01-01')")
    connection.execute("UPDATE sync_state SET cursor = 'cursor-v1' WHERE id = 1")
    connection.execute("INSERT INTO settings (name, value) VALUES ('language', '\"fr\"')")


def _seed_v2(connection) -> None:
    # What the version-2 code wrote beside each document: its columns and its text index.
    rowid = connection.execute("UPDATE resources SET title = 'Ordonnance', binary_id = 'b1' "
                               "WHERE id = 'd1' RETURNING rowid").fetchone()[0]
    connection.execute("INSERT INTO documents_fts (rowid, title, description) "
                       "VALUES (?, 'Ordonnance', 'Radiographie du genou')", (rowid,))
    connection.execute("INSERT INTO files (binary_id, content_type, size, file_name, fetched_at) "
                       "VALUES ('b1', 'application/pdf', 3, 'f', '2024-01-01')")


def _seed_v3(connection) -> None:
    # Version 3 indexed threads, and kept reminders (without their reasons).
    connection.execute("UPDATE resources SET thread = 'Communication/m1' WHERE resource_type = 'Communication'")
    attached = {"resourceType": "Communication", "id": "m3", "sent": "2024-01-03T10:00:00Z",
                "partOf": [{"reference": "Communication/m1"}],
                "payload": [{"contentAttachment": {"url": "Binary/b9", "contentType": "application/pdf"}}]}
    connection.execute("INSERT INTO resources (resource_type, id, version_id, json, date, thread) "
                       "VALUES ('Communication', 'm3', '1', ?, ?, 'Communication/m1')",
                       (json.dumps(attached), attached["sent"]))
    connection.execute("INSERT INTO reminders (id, kind, title, due_date, status) "
                       "VALUES ('flu-2024', 'vaccination', 'Grippe', '2024-10-15', 'dismissed')")


def _seed_v4(connection) -> None:
    # What the version-4 code wrote beside a message carrying a file.
    connection.execute("UPDATE resources SET binary_id = 'b9' WHERE id = 'm3'")
    # Versions 3 and 4 kept the catalogue without categories nor words, and grants without their app.
    connection.execute("INSERT INTO catalogue_apps (id, name, publisher, description, scopes) "
                       "VALUES ('gluco', 'GlucoSuivi', 'Acme', 'Glycémie', '[\"patient/Observation.rs\"]')")
    connection.execute("INSERT INTO grants (app_id, can_read, can_write, scopes, granted_at) "
                       "VALUES ('gluco', 1, 0, '[\"patient/Observation.rs\"]', '2024-01-01')")


_SEEDS = {1: [_seed_v1], 2: [_seed_v1, _seed_v2], 3: [_seed_v1, _seed_v2, _seed_v3],
          4: [_seed_v1, _seed_v2, _seed_v3, _seed_v4]}


def _database_at(directory, version: int) -> None:
    db = Database(directory / "cache.db", KEY)
    schema.migrate(db.connection, target=version)
    assert schema.schema_version(db.connection) == version
    with db.transaction() as connection:
        for seed in _SEEDS.get(version, []):
            seed(connection)
    db.close()


@pytest.mark.parametrize("version", range(0, schema.LATEST_VERSION))
def test_every_earlier_version_upgrades_with_its_data(tmp_path, version):
    _database_at(tmp_path, version)
    with Cache(tmp_path, KEY) as cache:
        assert schema.schema_version(cache.db.connection) == schema.LATEST_VERSION
        if version == 0:
            assert cache.resources.count() == 0
            return
        assert cache.sync.cursor() == "cursor-v1"
        assert cache.settings.get("language") == "fr"
        assert [e.id for e in cache.outbox.entries(OutboxStatus.PENDING)] == ["o1"]
        assert [d.id for d in cache.documents.search("genou")] == ["d1"]
        assert cache.documents.get("d1").binary_id == "b1"
        conversations = cache.messages.conversations()
        messages = 3 if version >= 3 else 2
        assert [(c.thread, c.message_count) for c in conversations] == [("Communication/m1", messages)]
        assert [m.text for m in cache.messages.thread("Communication/m1")][:2] == ["Bonjour", "Merci"]
        if version >= 3:  # version 4 keeps a message's file offline like a document's
            assert cache.documents.not_fetched() == ["b9"]
            assert [(r.id, r.status, r.reason_fr) for r in cache.agenda.reminders(include_closed=True)] == [
                ("flu-2024", "dismissed", None)]
        if version >= 4:  # version 5 keeps the catalogue as its screen shows it
            [app] = cache.catalogue.apps()
            assert (app.id, app.category, app.access, app.granted) == ("gluco", "other", (), False)
            [grant] = cache.catalogue.grants()
            assert (grant.app_id, grant.can_read, grant.active, grant.last_used_at) == ("gluco", True, True, None)
        # New features work on upgraded data.
        cache.agenda.replace_reminders([])
        assert cache.outbox.get("o1").server_resource is None


def test_migrating_twice_applies_nothing(tmp_path):
    with Cache(tmp_path, KEY) as cache:
        assert schema.migrate(cache.db.connection) == []


def test_a_newer_schema_is_refused_clearly(tmp_path):
    db = Database(tmp_path / "cache.db", KEY)
    db.connection.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(SchemaTooNew, match="newer version of Carnet"):
        Cache(tmp_path, KEY)


def test_a_failing_migration_rolls_back_to_the_previous_version(tmp_path, monkeypatch):
    def explode(connection):
        raise RuntimeError("disk full")

    broken = schema.Migration(schema.LATEST_VERSION + 1, "broken", (
        "CREATE TABLE half_done (x)", explode))
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    monkeypatch.setattr(schema, "LATEST_VERSION", broken.version)
    db = Database(tmp_path / "cache.db", KEY)
    with pytest.raises(RuntimeError):
        schema.migrate(db.connection)
    assert schema.schema_version(db.connection) == broken.version - 1
    assert not db.query("SELECT name FROM sqlite_master WHERE name = 'half_done'")
    db.close()
