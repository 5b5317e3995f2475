"""What a sync brought that the patient should hear about: new documents and messages from
professionals, an emergency access to their record.

The collector listens to the pages a sync applies (`Cache.on_pulled`, in the sync's
thread) and counts; the app takes the counts when the sync ends. The first sync of a
device brings the whole record: nothing of it is news.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from health.server_meta import author_kind
from storage import Cache
from storage.records import Change


@dataclass(frozen=True)
class News:
    documents: int = 0
    messages: int = 0
    emergency_accesses: int = 0

    def __bool__(self) -> bool:
        return bool(self.documents or self.messages or self.emergency_accesses)


class NewsCollector:
    def __init__(self, cache: Cache) -> None:
        self._lock = threading.Lock()
        self._counts = {"documents": 0, "messages": 0, "emergency_accesses": 0}
        self._seen: set[tuple[str, str]] = set()
        # Without a cursor the next sync is a first one: it brings the record, not news.
        self._quiet = cache.sync.cursor() is None
        self.stop = cache.on_pulled(self._pulled)

    def take(self) -> News:
        """The news since the last call; after a first sync, from now on."""
        with self._lock:
            news = News(**self._counts)
            self._counts = dict.fromkeys(self._counts, 0)
            self._quiet = False
            return news if news else News()

    def _pulled(self, changes: list[Change]) -> None:
        with self._lock:
            if self._quiet:
                return
            for change in changes:
                kind = _news_kind(change)
                key = (change.resource_type, change.id)
                if kind and key not in self._seen:  # an update of it is not news again
                    self._seen.add(key)
                    self._counts[kind] += 1


def _news_kind(change: Change) -> str | None:
    resource = change.resource
    if resource is None:
        return None
    if change.resource_type == "AuditEvent":
        purposes = [coding.get("code") for concept in resource.get("purposeOfEvent") or []
                    for coding in concept.get("coding") or [] if isinstance(coding, dict)]
        return "emergency_accesses" if {"ETREAT", "BTG"} & set(purposes) else None
    if author_kind(resource) != "professional" or (resource.get("meta") or {}).get("versionId") != "1":
        return None  # the patient's own, or a change to something already known
    return {"DocumentReference": "documents", "Communication": "messages"}.get(change.resource_type)
