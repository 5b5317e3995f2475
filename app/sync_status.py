"""Background sync for an unlocked cache, and its status as lines the UI can render.

The scheduler publishes from its own thread; listeners are screens, which may only
touch controls from the UI loop, so every line is handed over with
`loop.call_soon_threadsafe`.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Callable

import httpx

from app.news import News, NewsCollector
from app.preferences import read_preferences
from app.records import SyncLine
from health.fhir_index import parse_fhir_date
from storage import Cache
from storage.records import DocumentFile
from sync.api import CarnetApi, Tokens
from sync.engine import FilePolicy, SyncEngine
from sync.errors import SessionExpired
from sync.http import make_http_client
from sync.scheduler import SyncScheduler, SyncStatus
from sync.session import SessionInfo, load_session, save_session

log = logging.getLogger(__name__)

Listener = Callable[[SyncLine], None]
STOP_WAIT_SECONDS = 2.0


class SyncStatusFeed:
    def __init__(self, *, watch_seconds: int = 25, interval_seconds: float = 300.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._watch_seconds = watch_seconds
        self._interval = interval_seconds
        self._transport = transport
        self._listeners: list[Listener] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scheduler: SyncScheduler | None = None
        self._engine: SyncEngine | None = None
        self._cache: Cache | None = None
        self.api: CarnetApi | None = None
        self.line = SyncLine()
        self._moved = False  # some change was pulled, fetched or pushed during this sync
        self._news: NewsCollector | None = None
        # Set from the platform's connectivity (phones): a mobile network without Wi-Fi.
        self.metered_network = False

    def start(self, cache: Cache, loop: asyncio.AbstractEventLoop) -> None:
        """Start syncing `cache` with its stored session; without a session, say so.
        It reads the cache: call it from a worker thread, not from the UI loop."""
        self.stop()
        self._cache, self._loop = cache, loop
        self._news = NewsCollector(cache)
        state = cache.sync.state()
        self._set(SyncLine(last_sync=parse_fhir_date(state.pulled_at), pending_changes=state.pending_changes,
                           to_review=state.conflicts + state.failed))
        stored = load_session(cache)
        if stored is None or stored[1] is None:
            self._set(replace(self.line, state="needs_sign_in"))
            return
        info, tokens = stored
        self.api = CarnetApi(make_http_client(info.server_url, transport=self._transport), tokens,
                             on_tokens=lambda new: self._keep_tokens(cache, info, new))
        preferences = read_preferences(cache)
        engine = SyncEngine(self.api, cache, info.patient_id,
                            files=FilePolicy(prefetch=preferences.files_offline, wifi_only=preferences.wifi_only),
                            on_metered_network=lambda: self.metered_network)
        self._engine = engine
        self._scheduler = SyncScheduler(
            engine.sync_once, pending_changes=lambda: cache.sync.state().pending_changes,
            interval_seconds=self._interval,
            wait_for_server_change=lambda: engine.wait_for_server_change(self._watch_seconds))
        self._scheduler.subscribe(self._from_scheduler)
        self._scheduler.start()

    def stop(self) -> None:
        """Stop syncing; a long-poll in flight is left to end on its own (its thread is a daemon)."""
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.stop(timeout=STOP_WAIT_SECONDS)
        if self._news is not None:
            self._news.stop()
        self._cache, self._engine, self._news = None, None, None

    def fetch_file(self, binary_id: str) -> DocumentFile:
        """One document's file now, for the viewer: from the cache, else downloaded and kept.
        It blocks (cache, HTTP): call it from a worker thread. Offline, it raises `Offline`."""
        engine = self._engine
        if engine is None:
            raise SessionExpired("Sign in again to download this document.")
        return engine.fetch_file(binary_id)

    def sync_now(self) -> None:
        if self._scheduler is not None:
            self._scheduler.sync_now()

    def use_file_policy(self, *, files_offline: bool, wifi_only: bool) -> None:
        """Which files the next syncs keep for offline reading (the patient's settings)."""
        if self._engine is not None:
            self._engine.files = FilePolicy(prefetch=files_offline, wifi_only=wifi_only,
                                            max_bytes=self._engine.files.max_bytes)
            if files_offline:
                self.sync_now()

    def local_change_made(self) -> None:
        """A change waits in the outbox: count it on the status line, push it soon."""
        if self._scheduler is not None:
            self._scheduler.local_change_made()

    def recount(self) -> None:
        """Say again how many changes wait, after the patient settled one (from a worker thread)."""
        cache = self._cache
        if cache is not None:
            state = cache.sync.state()
            self._set(replace(self.line, pending_changes=state.pending_changes,
                              to_review=state.conflicts + state.failed))

    def _to_review(self) -> int:
        cache = self._cache
        if cache is None:
            return self.line.to_review
        try:
            state = cache.sync.state()
        except Exception:  # locked meanwhile (the cache closed under this thread): keep the last count
            log.debug("changes to review not counted: cache closed")
            return self.line.to_review
        return state.conflicts + state.failed

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _keep_tokens(self, cache: Cache, info: SessionInfo, tokens: Tokens | None) -> None:
        # After a lock or sign-out the cache is closed: a late refresh has nowhere to go.
        if self._cache is cache:
            save_session(cache, info, tokens)

    def _from_scheduler(self, status: SyncStatus) -> None:
        if status.state == "stopped":
            return
        if status.state == "syncing" and status.progress is None:
            self._moved = False
        if status.progress is not None and status.progress.done > 0:
            self._moved = True
        ended = self.line.syncing and status.state != "syncing"
        changed = self._moved and status.state != "syncing"
        if changed:
            self._moved = False  # said once, on the line that ends the sync
        news = self._news.take() if ended and self._news is not None else News()
        self._set(SyncLine(
            state=status.state,
            progress=_fraction(status),
            last_sync=status.last_success_at or self.line.last_sync,
            pending_changes=status.pending_changes,
            # Counted when a sync ends, not at each page of its progress.
            to_review=self.line.to_review if status.state == "syncing" else self._to_review(),
            error=status.last_error,
            record_changed=changed,
            news=news,
        ))

    def _set(self, line: SyncLine) -> None:
        self.line = line
        loop = self._loop
        for listener in list(self._listeners):
            if loop is None:
                listener(line)
                continue
            try:
                loop.call_soon_threadsafe(listener, line)
            except RuntimeError:  # the loop is closed: the window went away
                log.debug("sync status dropped: UI loop closed")


def _fraction(status: SyncStatus) -> float | None:
    progress = status.progress
    if progress is None or not progress.total:
        return None
    return min(1.0, progress.done / progress.total)


