"""Read receipts waiting to be sent: the care team's messages the patient read on this device.

A receipt is an operation, not a change of the message (the patient may not edit a care
team's message): the sync engine sends `POST Communication/{id}/$mark-read`, which the
server applies once (a repeat returns the message unchanged). So it is queued here, not
in the outbox: it has no body and no base version, cannot conflict, and must not hold
back the server's versions of the message the way an unsent outbox change does.

The message shows read as soon as it is queued (storage.messages counts it read); once
the server has it, its answer (the message with `received`) replaces the local copy and
the receipt is removed, in one transaction.
"""
from __future__ import annotations

from datetime import datetime, timezone

from storage import outbox
from storage.database import Database
from storage.indexing import parse_resource, version_of
from storage.resources import write_resource


class ReadReceipts:
    def __init__(self, db: Database) -> None:
        self._db = db

    def mark(self, message_ids: list[str]) -> list[str]:
        """Queue a receipt for each of these messages that is a care team's, unread and not
        queued yet; returns the ids queued (marking twice queues once)."""
        queued = []
        with self._db.transaction() as connection:
            for message_id in message_ids:
                row = connection.execute(
                    """SELECT 1 FROM resources WHERE resource_type = 'Communication' AND id = ?
                       AND json_extract(json, '$.received') IS NULL
                       AND coalesce(json_extract(json, '$.sender.reference'), '') NOT LIKE 'Patient/%'""",
                    (message_id,)).fetchone()
                if row is None:
                    continue
                inserted = connection.execute(
                    "INSERT OR IGNORE INTO read_receipts (message_id, read_at) VALUES (?, ?) RETURNING message_id",
                    (message_id, datetime.now(timezone.utc).isoformat(timespec="seconds"))).fetchone()
                if inserted:
                    queued.append(message_id)
        return queued

    def pending(self) -> list[str]:
        """Message ids whose receipt waits, oldest first."""
        return [row[0] for row in self._db.query("SELECT message_id FROM read_receipts ORDER BY read_at, message_id")]

    def count(self) -> int:
        return self._db.query("SELECT count(*) FROM read_receipts")[0][0]

    def sending(self, message_id: str) -> None:
        with self._db.transaction() as connection:
            connection.execute("UPDATE read_receipts SET attempts = attempts + 1 WHERE message_id = ?",
                               (message_id,))

    def sent(self, message_id: str, server_message: dict | None) -> None:
        """The server has the receipt: forget it, and keep the server's message (with its
        `received`) unless the cache already holds a newer one or a local change to it."""
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM read_receipts WHERE message_id = ?", (message_id,))
            if not server_message or server_message.get("id") != message_id:
                return
            resource = parse_resource(server_message)
            stored = connection.execute(
                "SELECT version_id FROM resources WHERE resource_type = 'Communication' AND id = ?",
                (message_id,)).fetchone()
            if stored is None or outbox.unsent_for(connection, "Communication", message_id) is not None:
                return
            if _as_number(version_of(resource)) > _as_number(stored[0]):
                write_resource(connection, resource)

    def drop(self, message_id: str) -> None:
        """The server refused the receipt for good (the message was withdrawn): forget it."""
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM read_receipts WHERE message_id = ?", (message_id,))


def _as_number(version: str | None) -> int:
    return int(version) if version and version.isdigit() else 0
