"""The sync cursor, and applying a page of the server's change feed together with it.

A page and the cursor that follows it are committed in one transaction: after a crash the
cache holds either the state before the page (and the old cursor, so the page is fetched
again) or after it, never half of it. Writes made here never enter the outbox.
"""
from __future__ import annotations

from datetime import datetime, timezone

from health.fhir_bundles import FEED_TAG_SYSTEM
from health.server_meta import without_server_meta
from storage import outbox
from storage.database import Database
from storage.errors import InvalidChange, InvalidResource
from storage.indexing import parse_resource, version_of
from storage.records import ApplyReport, Change, Operation, OutboxEntry, SyncState
from storage.resources import remove_resource, write_resources


def changes_from_bundle(bundle: dict, *, max_bytes: int = 20_000_000) -> list[Change]:
    """The changes of a FHIR `history` Bundle, validated; a bad entry refuses the page."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise InvalidChange("the change feed page is not a FHIR Bundle")
    changes = []
    for position, entry in enumerate(bundle.get("entry") or []):
        if not isinstance(entry, dict):
            raise InvalidChange(f"entry {position} is not an object")
        request = entry.get("request") if isinstance(entry.get("request"), dict) else {}
        if request.get("method") == "DELETE":
            url = str(request.get("url") or "")
            kind, _, ident = url.strip("/").rpartition("/")
            if not kind or not ident:
                raise InvalidChange(f"entry {position} deletes '{url}', which is not Type/id")
            changes.append(Change(kind.rsplit("/", 1)[-1], ident, None))
            continue
        try:
            resource = parse_resource(entry.get("resource"), max_bytes=max_bytes)
        except InvalidResource as error:
            raise InvalidChange(f"entry {position}: {error}") from error
        changes.append(Change(resource["resourceType"], resource["id"], resource))
    return changes


class SyncStateRepository:
    def __init__(self, db: Database, on_change) -> None:
        self._db = db
        self._on_change = on_change

    def cursor(self) -> str | None:
        return self._db.query("SELECT cursor FROM sync_state WHERE id = 1")[0][0]

    def state(self) -> SyncState:
        with self._db.reading() as connection:
            cursor, pulled_at = connection.execute(
                "SELECT cursor, pulled_at FROM sync_state WHERE id = 1").fetchone()
            counts = dict(connection.execute(
                "SELECT status, count(*) FROM outbox GROUP BY status").fetchall())
            receipts = connection.execute("SELECT count(*) FROM read_receipts").fetchone()[0]
        waiting = counts.get("pending", 0) + counts.get("sending", 0) + receipts
        return SyncState(cursor, pulled_at, waiting, counts.get("conflict", 0), counts.get("failed", 0))

    def apply_page(self, page: dict | list[Change], cursor: str) -> ApplyReport:
        """Apply one page (a history Bundle or its changes) and move the cursor, atomically.

        A resource with an unsent local change is not overwritten: if the server's version
        is not the one the change was based on, the outbox entry becomes a conflict.
        """
        changes = changes_from_bundle(page) if isinstance(page, dict) else list(page)
        if not isinstance(cursor, str) or not cursor:
            raise InvalidChange("a page must come with the cursor that follows it")
        # Fewer checkpoints while the server says more pages follow (a first pull); the
        # page that catches up checkpoints, so that the next sync does not pay for it.
        self._db.bulk_writes(_announces_more(page))
        with self._db.transaction() as connection:
            upserted, deleted, conflicts = _apply_changes(connection, changes)
            connection.execute("UPDATE sync_state SET cursor = ?, pulled_at = ? WHERE id = 1",
                               (cursor, datetime.now(timezone.utc).isoformat(timespec="seconds")))
        self._on_change(changes)
        return ApplyReport(upserted, deleted, conflicts, cursor)

    def reset(self) -> None:
        """Forget the cursor so that the next pull starts from the beginning."""
        with self._db.transaction() as connection:
            connection.execute("UPDATE sync_state SET cursor = NULL WHERE id = 1")


def _announces_more(page: dict | list[Change]) -> bool:
    """Whether a feed page says that more pages follow (its `has-more` tag, server/FEED.md)."""
    tags = ((page.get("meta") or {}).get("tag") or []) if isinstance(page, dict) else []
    return any(isinstance(tag, dict) and tag.get("system") == FEED_TAG_SYSTEM
               and tag.get("code") == "has-more" for tag in tags)


def _apply_changes(connection, changes: list[Change]) -> tuple[int, int, tuple[str, ...]]:
    """Apply the changes in feed order: (upserted, deleted, outbox entries now in conflict).

    Consecutive upserts are written together (`write_resources`); a delete first writes
    the upserts before it, since it may delete one of them.
    """
    unsent = outbox.unsent_keys(connection)
    batch: list[dict] = []
    upserted = deleted = 0
    conflicts: list[str] = []
    for change in changes:
        key = (change.resource_type, change.id)
        if key in unsent and _kept_local(connection, change, conflicts):
            continue
        if change.is_tombstone:
            write_resources(connection, batch)
            batch = []
            deleted += remove_resource(connection, change.resource_type, change.id)
        else:
            batch.append(change.resource)
            upserted += 1
    write_resources(connection, batch)
    return upserted, deleted, tuple(conflicts)


def _kept_local(connection, change: Change, conflicts: list[str]) -> bool:
    """Whether an unsent local change keeps the server's change out of the cache.

    If the server's version is not the one the local change was based on, the outbox
    entry becomes a conflict (its id is added to `conflicts`).
    """
    local = outbox.unsent_for(connection, change.resource_type, change.id)
    if local is not None and _settles(local, change):
        # Our own push came back (its acknowledgement was lost in a crash), or the
        # server deleted what we were about to delete: nothing left to push.
        connection.execute("DELETE FROM outbox WHERE id = ?", (local.id,))
        return False
    if local is None:
        return False
    incoming = version_of(change.resource) if change.resource else None
    if change.is_tombstone or incoming != local.base_version:
        outbox.mark_conflict(connection, local.id, change.resource, incoming)
        conflicts.append(local.id)
    return True


def _settles(local: OutboxEntry, change: Change) -> bool:
    """Whether the server's change already is what the local entry asks for."""
    if change.is_tombstone:
        return local.operation is Operation.DELETE
    if local.attempts == 0 or local.resource is None:
        return False  # never sent, so the server cannot have it
    return without_server_meta(local.resource) == without_server_meta(change.resource)
