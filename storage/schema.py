"""The cache's schema, as the ordered list of migrations that build it.

`PRAGMA user_version` holds the number of the last migration applied. Opening a cache
applies the missing ones, each in its own transaction, so an interrupted upgrade resumes
where it stopped. Never edit a released migration: append a new one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlcipher3

from storage.errors import SchemaTooNew
from storage.indexing import index_of

Step = str | Callable[[sqlcipher3.Connection], None]


@dataclass(frozen=True)
class Migration:
    version: int
    summary: str
    steps: tuple[Step, ...]


def _backfill_documents(connection: sqlcipher3.Connection) -> None:
    """Version 2 added the document columns and full-text index: fill them for old rows."""
    import json

    rows = connection.execute(
        "SELECT rowid, json FROM resources WHERE resource_type = 'DocumentReference'").fetchall()
    for rowid, text in rows:
        index = index_of(json.loads(text))
        connection.execute("UPDATE resources SET title = ?, binary_id = ? WHERE rowid = ?",
                           (index.title, index.binary_id, rowid))
        connection.execute("INSERT INTO documents_fts (rowid, title, description) VALUES (?, ?, ?)",
                           (rowid, index.title or "", index.description or ""))


def _backfill_threads(connection: sqlcipher3.Connection) -> None:
    import json

    rows = connection.execute(
        "SELECT rowid, json FROM resources WHERE resource_type = 'Communication'").fetchall()
    for rowid, text in rows:
        connection.execute("UPDATE resources SET thread = ? WHERE rowid = ?",
                           (index_of(json.loads(text)).thread, rowid))


def _backfill_message_files(connection: sqlcipher3.Connection) -> None:
    """Version 4 indexes the file a message carries (so it is kept offline like a document's)."""
    import json

    rows = connection.execute(
        "SELECT rowid, json FROM resources WHERE resource_type = 'Communication'").fetchall()
    for rowid, text in rows:
        connection.execute("UPDATE resources SET binary_id = ? WHERE rowid = ?",
                           (index_of(json.loads(text)).binary_id, rowid))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "record, outbox, sync cursor, settings", (
        """CREATE TABLE resources (
            resource_type TEXT NOT NULL,
            id TEXT NOT NULL,
            version_id TEXT,
            json TEXT NOT NULL,
            category TEXT, code TEXT, date TEXT, author TEXT, status TEXT,
            hidden INTEGER NOT NULL DEFAULT 0,
            UNIQUE (resource_type, id))""",
        "CREATE INDEX resources_by_date ON resources (resource_type, date DESC)",
        "CREATE INDEX resources_by_code ON resources (resource_type, code, date)",
        # Only documents are listed by category and author: partial indexes keep the
        # (many) observations out of them, which keeps each sync page's dirty pages few.
        """CREATE INDEX documents_by_category ON resources (category, date DESC)
            WHERE resource_type = 'DocumentReference'""",
        """CREATE INDEX documents_by_author ON resources (author, date DESC)
            WHERE resource_type = 'DocumentReference'""",
        """CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            operation TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
            json TEXT,
            base_version TEXT,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'failed', 'conflict')),
            failure TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL)""",
        "CREATE INDEX outbox_by_resource ON outbox (resource_type, resource_id)",
        """CREATE TABLE sync_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            cursor TEXT,
            pulled_at TEXT)""",
        "INSERT INTO sync_state (id) VALUES (1)",
        "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    )),
    Migration(2, "document files and full-text search", (
        "ALTER TABLE resources ADD COLUMN title TEXT",
        "ALTER TABLE resources ADD COLUMN binary_id TEXT",
        "CREATE INDEX resources_by_binary ON resources (binary_id) WHERE binary_id IS NOT NULL",
        """CREATE TABLE files (
            binary_id TEXT PRIMARY KEY,
            content_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            file_name TEXT NOT NULL,
            fetched_at TEXT NOT NULL)""",
        # Contentless: the text is already in `resources`; only the index is kept here.
        """CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, description, content='', contentless_delete=1,
            tokenize='unicode61 remove_diacritics 2')""",
        _backfill_documents,
    )),
    Migration(3, "messages, agenda, catalogue, conflicts", (
        "ALTER TABLE resources ADD COLUMN thread TEXT",
        "CREATE INDEX resources_by_thread ON resources (thread, date) WHERE thread IS NOT NULL",
        _backfill_threads,
        "ALTER TABLE outbox ADD COLUMN server_json TEXT",
        "ALTER TABLE outbox ADD COLUMN server_version TEXT",
        """CREATE TABLE reminders (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            due_date TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'done', 'dismissed')))""",
        """CREATE TABLE catalogue_apps (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            publisher TEXT,
            description TEXT,
            scopes TEXT NOT NULL)""",
        """CREATE TABLE grants (
            app_id TEXT PRIMARY KEY,
            can_read INTEGER NOT NULL,
            can_write INTEGER NOT NULL,
            scopes TEXT NOT NULL,
            granted_at TEXT NOT NULL)""",
    )),
    Migration(4, "read receipts, reminders' reasons, files of messages", (
        # Messages the patient read while the server had not heard of it yet: sent by the
        # sync engine (POST Communication/{id}/$mark-read), then removed.
        """CREATE TABLE read_receipts (
            message_id TEXT PRIMARY KEY,
            read_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0)""",
        # Title in English, reason, source and window of a computed reminder (JSON).
        "ALTER TABLE reminders ADD COLUMN details TEXT",
        _backfill_message_files,
    )),
    Migration(5, "the catalogue as the Catalogue screen shows it", (
        # What each app asks for in words, its category, and what each grant holds now.
        "ALTER TABLE catalogue_apps ADD COLUMN category TEXT NOT NULL DEFAULT 'other'",
        "ALTER TABLE catalogue_apps ADD COLUMN category_label TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE catalogue_apps ADD COLUMN homepage TEXT",
        "ALTER TABLE catalogue_apps ADD COLUMN access TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE catalogue_apps ADD COLUMN granted INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE grants ADD COLUMN app_name TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE grants ADD COLUMN publisher TEXT",
        "ALTER TABLE grants ADD COLUMN category TEXT NOT NULL DEFAULT 'other'",
        "ALTER TABLE grants ADD COLUMN category_label TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE grants ADD COLUMN homepage TEXT",
        "ALTER TABLE grants ADD COLUMN access TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE grants ADD COLUMN last_used_at TEXT",
        "ALTER TABLE grants ADD COLUMN active INTEGER NOT NULL DEFAULT 1",
    )),
)
LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(connection: sqlcipher3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def migrate(connection: sqlcipher3.Connection, *, target: int | None = None) -> list[int]:
    """Apply the migrations up to `target` (default: the latest); return the versions applied."""
    latest = MIGRATIONS[-1].version
    target = latest if target is None else target
    current = schema_version(connection)
    if current > latest:
        raise SchemaTooNew(current, latest)
    applied = []
    for migration in MIGRATIONS:
        if current < migration.version <= target:
            _apply(connection, migration)
            applied.append(migration.version)
    return applied


def _apply(connection: sqlcipher3.Connection, migration: Migration) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        for step in migration.steps:
            if isinstance(step, str):
                connection.execute(step)
            else:
                step(connection)
        connection.execute(f"PRAGMA user_version = {migration.version}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
