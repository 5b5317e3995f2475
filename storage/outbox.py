"""The outbox: the patient's local changes waiting to be pushed, in creation order.

Each entry has a client-generated id, so a push retried after a crash is recognised by
the server. Entries move pending → sending → (removed when sent | failed | conflict);
`failed` means the server refused the change for good (its message is kept for the
patient), while an entry left `sending` by a crash is simply sent again.
A conflict keeps both versions, the local one in `resources` and the server's in the
entry, until the patient chooses.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import sqlcipher3

from storage.database import Database
from storage.errors import InvalidChange, NotFound
from storage.records import Change, Operation, OutboxEntry, OutboxStatus

_COLUMNS = ("id, seq, resource_type, resource_id, operation, json, base_version, status, "
            "failure, attempts, created_at, server_json, server_version")
UNSENT = ("pending", "sending", "failed", "conflict")


def _entry(row: tuple) -> OutboxEntry:
    (ident, seq, kind, resource_id, operation, text, base, status, failure, attempts,
     created, server_text, server_version) = row
    return OutboxEntry(ident, seq, kind, resource_id, Operation(operation),
                       json.loads(text) if text else None, base, OutboxStatus(status), failure,
                       attempts, created, json.loads(server_text) if server_text else None,
                       server_version)


def _dump(resource: dict | None) -> str | None:
    return json.dumps(resource, separators=(",", ":"), ensure_ascii=False) if resource else None


def enqueue(connection: sqlcipher3.Connection, operation: Operation, resource_type: str,
            resource_id: str, resource: dict | None, base_version: str | None) -> OutboxEntry | None:
    """Record a local change, folding it into an unsent entry of the same resource if any."""
    pending = connection.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE resource_type = ? AND resource_id = ? "
        "AND status = 'pending' ORDER BY seq DESC LIMIT 1", (resource_type, resource_id)).fetchone()
    if pending is not None:
        previous = _entry(pending)
        if operation is Operation.DELETE and previous.operation is Operation.CREATE:
            # Created and deleted before the server ever saw it: nothing to push.
            connection.execute("DELETE FROM outbox WHERE id = ?", (previous.id,))
            return None
        folded = Operation.CREATE if previous.operation is Operation.CREATE else operation
        connection.execute("UPDATE outbox SET operation = ?, json = ? WHERE id = ?",
                           (folded.value, _dump(resource), previous.id))
        return _entry(connection.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?",
                                         (previous.id,)).fetchone())
    row = connection.execute(
        f"""INSERT INTO outbox (id, resource_type, resource_id, operation, json, base_version,
                                created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}""",
        (str(uuid.uuid4()), resource_type, resource_id, operation.value, _dump(resource),
         base_version, datetime.now(timezone.utc).isoformat(timespec="milliseconds")),
    ).fetchone()
    return _entry(row)


def unsent_for(connection: sqlcipher3.Connection, resource_type: str, resource_id: str) -> OutboxEntry | None:
    row = connection.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE resource_type = ? AND resource_id = ? "
        "ORDER BY seq DESC LIMIT 1", (resource_type, resource_id)).fetchone()
    return _entry(row) if row else None


def unsent_keys(connection: sqlcipher3.Connection) -> set[tuple[str, str]]:
    """(resource_type, resource_id) of every resource with an entry: one query per sync page
    instead of one per resource (the outbox is nearly always empty or short)."""
    return set(connection.execute("SELECT DISTINCT resource_type, resource_id FROM outbox"))


def mark_conflict(connection: sqlcipher3.Connection, entry_id: str, server_resource: dict | None,
                  server_version: str | None) -> None:
    connection.execute(
        "UPDATE outbox SET status = 'conflict', server_json = ?, server_version = ?, failure = ? "
        "WHERE id = ?", (_dump(server_resource), server_version,
                         "changed on the server" if server_resource else "deleted on the server",
                         entry_id))


class Outbox:
    """What the sync engine pushes, and how it reports back."""

    def __init__(self, db: Database, on_change) -> None:
        self._db = db
        self._on_change = on_change

    def entries(self, *statuses: OutboxStatus) -> list[OutboxEntry]:
        """Entries in creation order (all, or those with one of `statuses`)."""
        sql = f"SELECT {_COLUMNS} FROM outbox"
        if statuses:
            sql += f" WHERE status IN ({','.join('?' * len(statuses))})"
        return [_entry(row) for row in self._db.query(sql + " ORDER BY seq",
                                                      tuple(s.value for s in statuses))]

    def get(self, entry_id: str) -> OutboxEntry:
        rows = self._db.query(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (entry_id,))
        if not rows:
            raise NotFound(f"Outbox entry {entry_id}")
        return _entry(rows[0])

    def next_to_push(self) -> OutboxEntry | None:
        """The oldest entry to (re)send: pending, or left `sending` by a crash (the server
        recognises the client-generated id, so sending twice is harmless). `failed` entries
        were refused by the server and wait for the patient."""
        rows = self._db.query(f"SELECT {_COLUMNS} FROM outbox WHERE status IN ('pending', 'sending') "
                              "ORDER BY seq LIMIT 1")
        return _entry(rows[0]) if rows else None

    def mark_sending(self, entry_id: str) -> None:
        with self._db.transaction() as connection:
            connection.execute("UPDATE outbox SET status = 'sending', attempts = attempts + 1 "
                               "WHERE id = ?", (entry_id,))

    def mark_failed(self, entry_id: str, message: str) -> None:
        with self._db.transaction() as connection:
            connection.execute("UPDATE outbox SET status = 'failed', failure = ? WHERE id = ?",
                               (message[:1000], entry_id))

    def mark_conflict(self, entry_id: str, server_resource: dict | None) -> None:
        """The server refused the base version (HTTP 412): keep both until the patient picks."""
        version = None
        if server_resource is not None:
            version = str((server_resource.get("meta") or {}).get("versionId") or "") or None
        with self._db.transaction() as connection:
            mark_conflict(connection, entry_id, server_resource, version)

    def mark_sent(self, entry_id: str, new_version: str | None) -> None:
        """The server accepted the change as `new_version`: drop the entry, rebase what follows."""
        with self._db.transaction() as connection:
            entry = _entry(connection.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?",
                                              (entry_id,)).fetchone() or _missing(entry_id))
            connection.execute("DELETE FROM outbox WHERE id = ?", (entry_id,))
            connection.execute("UPDATE resources SET version_id = ? WHERE resource_type = ? AND id = ?",
                               (new_version, entry.resource_type, entry.resource_id))
            connection.execute("UPDATE outbox SET base_version = ? WHERE resource_type = ? "
                               "AND resource_id = ?", (new_version, entry.resource_type,
                                                        entry.resource_id))

    def keep_local(self, entry_id: str) -> None:
        """Resolve a conflict for the local version: push it again over the server's."""
        from storage.resources import write_resource  # resources imports this module

        with self._db.transaction() as connection:
            entry = self._conflict(connection, entry_id)
            operation, base = entry.operation, entry.server_version
            if entry.server_resource is None and entry.operation is not Operation.DELETE:
                operation, base = Operation.CREATE, None  # deleted there: re-create it
            connection.execute(
                "UPDATE outbox SET status = 'pending', operation = ?, base_version = ?, "
                "server_json = NULL, server_version = NULL, failure = NULL WHERE id = ?",
                (operation.value, base, entry_id))
            if entry.resource is not None:
                write_resource(connection, entry.resource, base)

    def keep_server(self, entry_id: str) -> None:
        """Resolve a conflict for the server's version: the local change is dropped."""
        from storage.resources import remove_resource, write_resource

        with self._db.transaction() as connection:
            entry = self._conflict(connection, entry_id)
            connection.execute("DELETE FROM outbox WHERE id = ?", (entry_id,))
            if entry.server_resource is None:
                remove_resource(connection, entry.resource_type, entry.resource_id)
            else:
                write_resource(connection, entry.server_resource, entry.server_version)
        self._on_change([Change(entry.resource_type, entry.resource_id, entry.server_resource)])

    def retry(self, entry_id: str) -> None:
        """Send a refused change again (the patient thinks the refusal was passing)."""
        with self._db.transaction() as connection:
            self._with_status(connection, entry_id, "failed")
            connection.execute("UPDATE outbox SET status = 'pending', failure = NULL WHERE id = ?", (entry_id,))

    def drop_refused(self, entry_id: str, server_resource: dict | None) -> None:
        """Give up a change the server refused: the record goes back to `server_resource`
        (the server's version now, None if it has none), in one transaction.

        A creation never reached the server, so its resource simply goes. A later change of
        the same resource still waiting to be sent is kept, and so is what it wrote.
        """
        from storage.resources import remove_resource, write_resource

        with self._db.transaction() as connection:
            entry = self._with_status(connection, entry_id, "failed")
            if server_resource is not None and (server_resource.get("resourceType"), server_resource.get("id")) != (
                    entry.resource_type, entry.resource_id):
                raise InvalidChange("the server's version is of another resource")
            connection.execute("DELETE FROM outbox WHERE id = ?", (entry_id,))
            superseded = connection.execute(
                "SELECT 1 FROM outbox WHERE resource_type = ? AND resource_id = ?",
                (entry.resource_type, entry.resource_id)).fetchone()
            if superseded:
                return
            if entry.operation is Operation.CREATE or server_resource is None:
                remove_resource(connection, entry.resource_type, entry.resource_id)
            else:
                version = str((server_resource.get("meta") or {}).get("versionId") or "") or None
                write_resource(connection, server_resource, version)
        self._on_change([Change(entry.resource_type, entry.resource_id,
                                None if entry.operation is Operation.CREATE else server_resource)])

    def _conflict(self, connection, entry_id: str) -> OutboxEntry:
        return self._with_status(connection, entry_id, "conflict")

    @staticmethod
    def _with_status(connection, entry_id: str, status: str) -> OutboxEntry:
        row = connection.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ? AND status = ?",
                                 (entry_id, status)).fetchone()
        if row is None:
            raise NotFound(f"{'Conflict' if status == 'conflict' else 'Refused change'} {entry_id}")
        return _entry(row)


def _missing(entry_id: str):
    raise NotFound(f"Outbox entry {entry_id}")
