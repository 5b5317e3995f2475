"""The FHIR resources of the record, stored as JSON beside their indexed columns.

`write_resource` and `remove_resource` are the only statements that change the
`resources` table; the sync cursor and the local-change paths call them inside their own
transactions so that each of those writes is atomic.
"""
from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable

import sqlcipher3

from health.emergency import is_source
from storage import outbox
from storage.database import Database
from storage.errors import InvalidChange
from storage.indexing import ResourceIndex, index_of, parse_resource, version_of
from storage.records import Change, Operation, OutboxEntry, StoredResource

# Bumped in the same transaction as any change the emergency card is built from, so that a
# card left stale by a crash is detected at the next unlock without rebuilding it.
EMERGENCY_GENERATION = "emergency.generation"
COLUMNS = "resource_type, id, version_id, json, category, code, date, author, status, hidden"

ChangeListener = Callable[[list[Change]], None]


_UPSERT = """INSERT INTO resources (resource_type, id, version_id, json, category, code, date,
               author, status, hidden, title, binary_id, thread)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (resource_type, id) DO UPDATE SET version_id = excluded.version_id,
               json = excluded.json, category = excluded.category, code = excluded.code,
               date = excluded.date, author = excluded.author, status = excluded.status,
               hidden = excluded.hidden, title = excluded.title, binary_id = excluded.binary_id,
               thread = excluded.thread"""
# The row is found by its unique key: an upsert that updates keeps the row's rowid.
_ROWID = "SELECT rowid FROM resources WHERE resource_type = ? AND id = ?"


def _row(resource: dict, version_id: str | None = None) -> tuple[tuple, ResourceIndex]:
    """The `_UPSERT` parameters of a resource, and its index (for the full-text entry)."""
    index = index_of(resource)
    return (resource["resourceType"], resource["id"],
            version_id if version_id is not None else version_of(resource),
            json.dumps(resource, separators=(",", ":"), ensure_ascii=False), index.category,
            index.code, index.date, index.author, index.status, int(index.hidden), index.title,
            index.binary_id, index.thread), index


def write_resource(connection: sqlcipher3.Connection, resource: dict,
                   version_id: str | None = None) -> None:
    """Insert or replace one (already validated) resource and its full-text entry."""
    row, index = _row(resource, version_id)
    kind = resource["resourceType"]
    rowid = connection.execute(_UPSERT + " RETURNING rowid", row).fetchone()[0]
    if kind == "DocumentReference":
        connection.execute("DELETE FROM documents_fts WHERE rowid = ?", (rowid,))
        connection.execute("INSERT INTO documents_fts (rowid, title, description) VALUES (?, ?, ?)",
                           (rowid, index.title or "", index.description or ""))
    if is_source(kind, resource):
        _bump_emergency_generation(connection)


def write_resources(connection: sqlcipher3.Connection, resources: list[dict]) -> None:
    """`write_resource` for each resource in order, in a few statements (a sync page).

    One `executemany` per statement instead of one `execute` per resource and statement:
    the rows and their final state are the same (tests/storage/test_write_batch.py).
    """
    rows, documents, sources = [], {}, 0
    for resource in resources:
        row, index = _row(resource)
        rows.append(row)
        if row[0] == "DocumentReference":
            # Only the last version of a document listed twice keeps a full-text entry.
            documents[row[1]] = (index.title or "", index.description or "")
        sources += is_source(row[0], resource)
    if not rows:
        return
    connection.executemany(_UPSERT, rows)
    if documents:
        keys = [("DocumentReference", ident) for ident in documents]
        connection.executemany(f"DELETE FROM documents_fts WHERE rowid = ({_ROWID})", keys)
        connection.executemany(
            f"INSERT INTO documents_fts (rowid, title, description) VALUES (({_ROWID}), ?, ?)",
            [(*key, *text) for key, text in zip(keys, documents.values())])
    if sources:
        _bump_emergency_generation(connection, sources)


def _bump_emergency_generation(connection: sqlcipher3.Connection, times: int = 1) -> None:
    connection.execute("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO "
                       "UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)",
                       (EMERGENCY_GENERATION, str(times)))


def remove_resource(connection: sqlcipher3.Connection, resource_type: str, resource_id: str) -> bool:
    row = connection.execute("DELETE FROM resources WHERE resource_type = ? AND id = ? RETURNING rowid",
                             (resource_type, resource_id)).fetchone()
    if row and resource_type == "DocumentReference":
        connection.execute("DELETE FROM documents_fts WHERE rowid = ?", (row[0],))
    if row and is_source(resource_type, None):
        _bump_emergency_generation(connection)
    return row is not None


def stored_resource(row: tuple) -> StoredResource:
    kind, ident, version, text, category, code, date, author, status, hidden = row
    return StoredResource(kind, ident, version, json.loads(text), category, code, date, author,
                          status, bool(hidden))


class ResourceRepository:
    """Read any resource; change one as the patient (the change also joins the outbox)."""

    def __init__(self, db: Database, on_change: ChangeListener, max_bytes: int) -> None:
        self._db = db
        self._on_change = on_change
        self._max_bytes = max_bytes

    def get(self, resource_type: str, resource_id: str) -> StoredResource | None:
        rows = self._db.query(f"SELECT {COLUMNS} FROM resources WHERE resource_type = ? AND id = ?",
                              (resource_type, resource_id))
        return stored_resource(rows[0]) if rows else None

    def list(self, resource_type: str, *, category: str | None = None, code: str | None = None,
             limit: int = 1000, offset: int = 0) -> list[StoredResource]:
        """Resources of one type, newest clinical date first."""
        sql = f"SELECT {COLUMNS} FROM resources WHERE resource_type = ?"
        parameters: list = [resource_type]
        if category is not None:
            sql, parameters = sql + " AND category = ?", parameters + [category]
        if code is not None:
            sql, parameters = sql + " AND code = ?", parameters + [code]
        sql += " ORDER BY date DESC, id LIMIT ? OFFSET ?"
        return [stored_resource(row) for row in self._db.query(sql, (*parameters, limit, offset))]

    def count(self, resource_type: str | None = None) -> int:
        if resource_type is None:
            return self._db.query("SELECT count(*) FROM resources")[0][0]
        return self._db.query("SELECT count(*) FROM resources WHERE resource_type = ?",
                              (resource_type,))[0][0]

    def save_local(self, resource: dict | str, *, index: bool = True) -> OutboxEntry:
        """Create or update a resource as the patient: cache and outbox in one transaction.

        `index=False` only queues the change (a Binary's metadata, whose bytes are a file).
        """
        if isinstance(resource, dict) and not resource.get("id"):
            resource = {**copy.deepcopy(resource), "id": str(uuid.uuid4())}
        resource = parse_resource(resource, max_bytes=self._max_bytes)
        if not index:
            with self._db.transaction() as connection:
                return outbox.enqueue(connection, Operation.CREATE, resource["resourceType"],
                                      resource["id"], resource, None)
        with self._db.transaction() as connection:
            existing = connection.execute(
                "SELECT version_id FROM resources WHERE resource_type = ? AND id = ?",
                (resource["resourceType"], resource["id"])).fetchone()
            operation = Operation.UPDATE if existing else Operation.CREATE
            base_version = existing[0] if existing else None
            write_resource(connection, resource, base_version)
            entry = outbox.enqueue(connection, operation, resource["resourceType"], resource["id"],
                                   resource, base_version)
        self._on_change([Change(resource["resourceType"], resource["id"], resource)])
        return entry

    def delete_local(self, resource_type: str, resource_id: str) -> OutboxEntry | None:
        """Delete as the patient; None when the resource had never reached the server."""
        with self._db.transaction() as connection:
            existing = connection.execute(
                "SELECT version_id FROM resources WHERE resource_type = ? AND id = ?",
                (resource_type, resource_id)).fetchone()
            if existing is None:
                raise InvalidChange(f"{resource_type}/{resource_id} is not in the offline copy")
            remove_resource(connection, resource_type, resource_id)
            entry = outbox.enqueue(connection, Operation.DELETE, resource_type, resource_id,
                                   None, existing[0])
        self._on_change([Change(resource_type, resource_id, None)])
        return entry
