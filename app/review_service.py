"""The changes waiting for the patient's choice, for the "Changes to review" screen.

Two kinds (storage's outbox keeps both until the patient decides, nothing is lost meanwhile):
- a **conflict**: the patient changed something here while it was changed elsewhere (a
  doctor, another device). Both versions are shown; the patient keeps theirs (sent again
  over the server's) or takes the server's (theirs is dropped). Never merged silently.
- a **refused** change: the server turned it down for good, with its words. The patient
  sends it again or gives it up (the record goes back to the server's version, fetched
  now: that needs the network; a creation that never reached the server simply goes).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from app.local_record import LocalRecord
from app.sync_status import SyncStatusFeed
from health.fhir_index import parse_fhir_date
from health.fhir_text import concept_text
from health.profile_display import Detail, describe
from health.visibility import HIDDEN, labels_of
from storage import Cache
from storage.records import Operation, OutboxEntry, OutboxStatus
from sync.errors import SessionExpired

CONFLICT, REFUSED = "conflict", "refused"
TITLE_LENGTH = 80


@dataclass(frozen=True)
class Version:
    """One side of a change, in words: None where that side deleted the entry."""

    title: str
    details: tuple[Detail, ...]


@dataclass(frozen=True)
class ChangeToReview:
    id: str
    kind: str  # CONFLICT or REFUSED
    resource_type: str
    operation: str  # "create", "update" or "delete": what the patient did
    yours: Version | None  # None: you deleted it
    theirs: Version | None  # the server's version of a conflict; None: deleted there (or a refusal)
    reason: str | None  # the server's words for a refusal
    made_at: object  # datetime | None: when the patient made the change

    @property
    def title(self) -> str:
        side = self.yours or self.theirs
        return side.title if side else ""


class ReviewService:
    def __init__(self, record: LocalRecord, status: SyncStatusFeed, language: Callable[[], str]) -> None:
        self._record = record
        self._status = status
        self._language = language

    async def changes(self) -> list[ChangeToReview]:
        """Conflicts first, then refusals, oldest first within each."""
        def read(cache: Cache) -> list[ChangeToReview]:
            entries = cache.outbox.entries(OutboxStatus.CONFLICT, OutboxStatus.FAILED)
            entries.sort(key=lambda entry: (entry.status is not OutboxStatus.CONFLICT, entry.seq))
            return [self._change(entry) for entry in entries]

        return await self._record.read(read)

    async def keep_mine(self, change_id: str) -> None:
        await self._record.write(lambda cache: self._settled(cache.outbox.keep_local, change_id))

    async def take_theirs(self, change_id: str) -> None:
        await self._record.keep_on_device(lambda cache: self._settled(cache.outbox.keep_server, change_id))

    async def send_again(self, change_id: str) -> None:
        await self._record.write(lambda cache: self._settled(cache.outbox.retry, change_id))

    async def give_up(self, change_id: str) -> None:
        """Drop a refused change; the server's version is fetched first (Offline if it cannot be)."""
        def drop(cache: Cache) -> None:
            entry = cache.outbox.get(change_id)
            server = None
            if entry.operation is not Operation.CREATE:
                api = self._status.api
                if api is None:
                    raise SessionExpired("Sign in again to fetch the record's version.")
                server = api.read(entry.resource_type, entry.resource_id)
            self._settled(lambda ident: cache.outbox.drop_refused(ident, server), change_id)

        await self._record.keep_on_device(drop)

    def _settled(self, settle: Callable[[str], None], change_id: str) -> None:
        settle(change_id)
        self._status.recount()

    def _change(self, entry: OutboxEntry) -> ChangeToReview:
        conflict = entry.status is OutboxStatus.CONFLICT
        return ChangeToReview(
            id=entry.id, kind=CONFLICT if conflict else REFUSED, resource_type=entry.resource_type,
            operation=entry.operation.value,
            yours=self._version(entry.resource),
            theirs=self._version(entry.server_resource) if conflict else None,
            reason=None if conflict else entry.failure,
            made_at=parse_fhir_date(entry.created_at))

    def _version(self, resource: dict | None) -> Version | None:
        if resource is None:
            return None
        view = describe(resource, self._language())
        details = tuple(view.details)
        if HIDDEN in labels_of(resource):
            details += (Detail("hidden"),)
        return Version(_title(resource, view.title), details)


def _title(resource: dict, described: str) -> str:
    """What the entry is called: the profile's words, else what a document or message says."""
    kind = resource.get("resourceType")
    title = described if described and described != kind else ""
    if not title and kind == "DocumentReference":
        title = resource.get("description") or concept_text(resource.get("type")) or ""
    if not title and kind == "Communication":
        title = next((part.get("contentString") for part in resource.get("payload") or []
                      if isinstance(part, dict) and part.get("contentString")), "")
    if not title:
        title = resource.get("description") or ""
    return title if len(title) <= TITLE_LENGTH else title[:TITLE_LENGTH - 1] + "…"
