"""The sync engine: one patient's record between the server and the encrypted cache.

`sync_once` reads like the protocol (server/FEED.md): pull the change feed page by
page, each page applied with its cursor in one transaction; fetch the files kept for
offline use; push the outbox in order. Every step is safe to repeat after a crash:
pages are re-read from the stored cursor, pushes use client-chosen ids and are
idempotent on the server, and an entry is dropped from the outbox only once the
server has accepted it.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

from storage.cache import Cache
from storage.errors import FileNotFetched, InvalidChange
from storage.records import DocumentFile, Operation, OutboxEntry, OutboxStatus
from sync.api import CarnetApi, FeedPage, VersionConflict
from sync.errors import BadServerAnswer, Refused
from sync.feed_check import check_page_entries
from sync.scheduler import SyncProgress

log = logging.getLogger(__name__)

Progress = Callable[[SyncProgress], None]


@dataclass(frozen=True)
class FilePolicy:
    """Which document files to keep on the device for offline use."""

    prefetch: bool = True
    wifi_only: bool = False
    max_bytes: int = 20 * 1024 * 1024
    batch: int = 50


@dataclass
class SyncReport:
    pages: int = 0
    upserted: int = 0
    deleted: int = 0
    files_fetched: int = 0
    pushed: int = 0
    read_receipts: int = 0
    failed: int = 0
    conflicts: int = 0


class SyncEngine:
    def __init__(self, api: CarnetApi, cache: Cache, patient_id: str, *, page_size: int = 500,
                 files: FilePolicy = FilePolicy(), on_metered_network: Callable[[], bool] = lambda: False):
        self.api = api
        self.cache = cache
        self.patient_id = patient_id
        self.page_size = page_size
        self.files = files
        self._on_metered_network = on_metered_network

    def sync_once(self, progress: Progress = lambda _p: None) -> SyncReport:
        report = SyncReport()
        self.pull(report, progress)
        self.fetch_files(report, progress)
        self.push(report, progress)
        return report

    # -- pull --------------------------------------------------------------------------
    def pull(self, report: SyncReport, progress: Progress = lambda _p: None) -> None:
        """Page through the feed from the stored cursor until the server says caught-up.

        The next page is fetched while the current one is applied (the cursor that follows
        a page is known before it is applied): download and disk work overlap, and each
        page still commits with its own cursor, so a crash costs at most a re-download."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="carnet-pull") as downloader:
            page = self._first_page()
            while True:
                check_page_entries(page.entries, self.patient_id)
                following = downloader.submit(self._page_after, page.cursor) if page.has_more else None
                try:
                    applied = self.cache.sync.apply_page(page.bundle, page.cursor)
                except BaseException as failure:
                    if following is not None:
                        following.cancel()
                    if isinstance(failure, InvalidChange):
                        raise BadServerAnswer(
                            f"The server sent a change the device cannot store: {failure}") from failure
                    raise
                report.pages += 1
                report.upserted += applied.upserted
                report.deleted += applied.deleted
                report.conflicts += len(applied.conflicts)
                progress(SyncProgress("pull", report.upserted + report.deleted))
                if following is None:
                    return
                page = following.result()

    def _first_page(self) -> FeedPage:
        cursor = self.cache.sync.cursor()
        try:
            return self._page_after(cursor)
        except Refused as refused:
            if refused.status != 400 or not cursor:
                raise
            # FEED.md: a refused cursor (e.g. the server was restored) means start over.
            log.warning("sync: the server refused our cursor; pulling the record again")
            self.cache.sync.reset()
            return self._page_after(None)

    def _page_after(self, cursor: str | None) -> FeedPage:
        return self.api.changes(self.patient_id, cursor, self.page_size)

    def wait_for_server_change(self, wait_seconds: int = 25) -> bool:
        """Block until the server reports a change after our cursor (True) or the wait ends (False).
        The scheduler's watcher calls this in a loop to sync within seconds of a new document."""
        page = self.api.changes(self.patient_id, self.cache.sync.cursor(), count=0, wait=wait_seconds)
        return page.has_more

    # -- files -------------------------------------------------------------------------
    def fetch_files(self, report: SyncReport, progress: Progress = lambda _p: None) -> None:
        """Prefetch the files not yet on the device, newest documents first."""
        if not self.files.prefetch or (self.files.wifi_only and self._on_metered_network()):
            return
        missing = self.cache.documents.not_fetched(limit=self.files.batch)
        for done, binary_id in enumerate(missing, start=1):
            try:
                self.fetch_file(binary_id)
            except Refused as refused:
                # One unreadable file must not stop the others (e.g. too big for this device).
                log.warning("sync: file %s not fetched (%s)", binary_id, refused.status)
                continue
            report.files_fetched += 1
            progress(SyncProgress("files", done, len(missing)))

    def fetch_file(self, binary_id: str) -> DocumentFile:
        """A document's file, from the cache or else from the server (then kept)."""
        try:
            return self.cache.documents.read_file(binary_id)
        except FileNotFetched:
            pass
        content_type, data = self.api.download_binary(binary_id, self.files.max_bytes)
        self.cache.documents.put_file(binary_id, content_type.split(";")[0].strip(), data)
        return self.cache.documents.read_file(binary_id)

    # -- push --------------------------------------------------------------------------
    def push(self, report: SyncReport, progress: Progress = lambda _p: None) -> None:
        """Send the outbox in creation order. An entry left 'sending' by a crash is sent
        again: the server treats a repeated push as a no-op."""
        entries = self.cache.outbox.entries(OutboxStatus.PENDING, OutboxStatus.SENDING)
        for done, entry in enumerate(sorted(entries, key=lambda e: e.seq), start=1):
            self.cache.outbox.mark_sending(entry.id)
            try:
                new_version = self._send(entry)
            except VersionConflict:
                self.cache.outbox.mark_conflict(entry.id, self.api.read(entry.resource_type, entry.resource_id))
                report.conflicts += 1
            except Refused as refused:
                if refused.status == 401:
                    raise
                # A permanent refusal of this change (invalid, read-only…): shown to the
                # user with the server's words; the other changes go on.
                self.cache.outbox.mark_failed(entry.id, refused.message)
                report.failed += 1
            else:
                self.cache.outbox.mark_sent(entry.id, new_version)
                report.pushed += 1
            progress(SyncProgress("push", done, len(entries)))
        self.send_read_receipts(report, progress)

    def send_read_receipts(self, report: SyncReport, progress: Progress = lambda _p: None) -> None:
        """Tell the server which messages the patient read here. The server applies a receipt
        once, so one sent again after a crash is harmless; one it refuses for good (the
        message was withdrawn) is dropped."""
        pending = self.cache.read_receipts.pending()
        for done, message_id in enumerate(pending, start=1):
            self.cache.read_receipts.sending(message_id)
            try:
                message = self.api.mark_read(message_id)
            except Refused as refused:
                if refused.status == 401:
                    raise
                log.warning("sync: read receipt refused (%s)", refused.status)
                self.cache.read_receipts.drop(message_id)
                continue
            self.cache.read_receipts.sent(message_id, message)
            report.read_receipts += 1
            progress(SyncProgress("push", done, len(pending)))

    def _send(self, entry: OutboxEntry) -> str | None:
        if entry.resource_type == "Binary":
            file = self.cache.documents.read_file(entry.resource_id)
            self.api.put_binary(entry.resource_id, file.content_type, file.data)
            return None
        if entry.operation is Operation.DELETE:
            self.api.delete(entry.resource_type, entry.resource_id, entry.base_version)
            return None
        return self.api.put(entry.resource, entry.base_version).version
