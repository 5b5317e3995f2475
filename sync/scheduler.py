"""The background sync scheduler: when to sync, one sync at a time, and what to show.

It runs in a thread of the app process, because the sync itself blocks (SQLCipher,
HTTP) and must stay off the UI's asyncio loop. It syncs on start, on a timer, on
demand, shortly after a local change and when the server says something changed; it
backs off while offline or while the server fails, and stops for good when the
session has expired, until the user signs in again.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Callable

from sync.backoff import Backoff
from sync.errors import Offline, ServerUnavailable, SessionExpired, SyncError


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # "pull" | "files" | "push"
    done: int
    total: int | None = None


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot the UI renders: a status line and, while syncing, a progress bar."""

    state: str = "idle"  # idle | syncing | offline | retrying | needs_sign_in | stopped
    progress: SyncProgress | None = None
    last_success_at: datetime | None = None
    pending_changes: int = 0
    last_error: str | None = None

    @property
    def is_offline(self) -> bool:
        return self.state == "offline"


RunOnce = Callable[[Callable[[SyncProgress], None]], None]
StatusListener = Callable[[SyncStatus], None]


class SyncScheduler:
    def __init__(self, run_once: RunOnce, *, pending_changes: Callable[[], int] = lambda: 0,
                 interval_seconds: float = 300.0, after_change_seconds: float = 2.0,
                 backoff: Backoff | None = None, wait_for_server_change: Callable[[], bool] | None = None):
        self._run_once = run_once
        self._pending_changes = pending_changes
        self._interval = interval_seconds
        self._after_change = after_change_seconds
        self._backoff = backoff or Backoff()
        self._wait_for_server_change = wait_for_server_change
        self._wake = threading.Condition()
        self._due_at = 0.0  # monotonic time of the next sync; 0 = now
        self._stopping = False
        self._status = SyncStatus()
        self._listeners: list[StatusListener] = []
        self._threads: list[threading.Thread] = []

    # -- what the app calls ----------------------------------------------------------
    def start(self) -> None:
        self._stopping = False
        self._spawn(self._loop, "carnet-sync")
        if self._wait_for_server_change is not None:
            self._spawn(self._watch_server, "carnet-sync-watch")

    def stop(self, timeout: float = 10.0) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
        self._publish(state="stopped", progress=None)

    def sync_now(self) -> None:
        self._schedule(0.0)

    def local_change_made(self) -> None:
        self._publish(pending_changes=self._count_pending())
        self._schedule(self._after_change)

    def signed_in_again(self) -> None:
        self._publish(state="idle", last_error=None)
        self.sync_now()

    @property
    def status(self) -> SyncStatus:
        return self._status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # -- the loop ----------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._wake:
                while not self._stopping and (self._needs_sign_in() or time.monotonic() < self._due_at):
                    timeout = None if self._needs_sign_in() else self._due_at - time.monotonic()
                    self._wake.wait(timeout)
                if self._stopping:
                    return
                self._due_at = time.monotonic() + self._interval
            self._sync_once()

    def _sync_once(self) -> None:
        self._publish(state="syncing", progress=None)
        try:
            self._run_once(lambda progress: self._publish(progress=progress))
        except SessionExpired as expired:
            self._publish(state="needs_sign_in", progress=None, last_error=expired.message)
        except (Offline, ServerUnavailable) as failure:
            retry_after = getattr(failure, "retry_after", None) or 0.0
            self._schedule(self._backoff.next_delay(at_least=retry_after), only_sooner=False)
            state = "offline" if isinstance(failure, Offline) else "retrying"
            self._publish(state=state, progress=None, last_error=failure.message)
        except SyncError as failure:
            self._publish(state="idle", progress=None, last_error=failure.message)
        else:
            self._backoff.reset()
            self._publish(state="idle", progress=None, last_error=None,
                          last_success_at=datetime.now(timezone.utc))
        self._publish(pending_changes=self._count_pending())

    def _watch_server(self) -> None:
        """Long-poll the server; a reported change triggers a sync within seconds."""
        watch_backoff = Backoff(base_seconds=self._backoff.base_seconds, max_seconds=self._backoff.max_seconds)
        while not self._stopping:
            if self._needs_sign_in():
                self._sleep(1.0)
                continue
            try:
                changed = self._wait_for_server_change()
            except SyncError:
                self._sleep(watch_backoff.next_delay())
                continue
            watch_backoff.reset()
            if changed:
                self.sync_now()

    # -- plumbing ----------------------------------------------------------------------
    def _schedule(self, delay: float, *, only_sooner: bool = True) -> None:
        with self._wake:
            due = time.monotonic() + delay
            self._due_at = min(self._due_at, due) if only_sooner else due
            self._wake.notify_all()

    def _sleep(self, seconds: float) -> None:
        with self._wake:
            if not self._stopping:
                self._wake.wait(seconds)

    def _needs_sign_in(self) -> bool:
        return self._status.state == "needs_sign_in"

    def _count_pending(self) -> int:
        try:
            return self._pending_changes()
        except Exception:  # a locked or wiped cache must not kill the scheduler
            return self._status.pending_changes

    def _publish(self, **changes) -> None:
        self._status = replace(self._status, **changes)
        for listener in list(self._listeners):
            listener(self._status)

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()
