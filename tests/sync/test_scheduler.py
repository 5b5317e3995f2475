"""The scheduler's timing rules, with a real thread and a sync function that records its calls."""
import threading
import time

import pytest

from sync.backoff import Backoff
from sync.errors import Offline, ServerUnavailable, SessionExpired
from sync.scheduler import SyncProgress, SyncScheduler


class RecordedSync:
    """A sync function that counts its runs and fails as told."""

    def __init__(self):
        self.runs = 0
        self.failures: list[Exception] = []
        self.running = 0
        self.overlapped = False
        self.lock = threading.Lock()
        self.ran = threading.Event()

    def __call__(self, report):
        with self.lock:
            self.running += 1
            self.overlapped |= self.running > 1
        try:
            report(SyncProgress("pull", 1, 2))
            time.sleep(0.02)
            self.runs += 1
            if self.failures:
                raise self.failures.pop(0)
        finally:
            with self.lock:
                self.running -= 1
            self.ran.set()


def wait_until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def make_scheduler():
    made = []

    def make(sync, **options):
        options.setdefault("backoff", Backoff(base_seconds=0.05, max_seconds=0.2))
        scheduler = SyncScheduler(sync, **options)
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        scheduler.stop()


def test_syncs_on_start_then_on_the_timer(make_scheduler):
    sync = RecordedSync()
    scheduler = make_scheduler(sync, interval_seconds=0.2)
    scheduler.start()
    assert wait_until(lambda: sync.runs >= 1, 2)
    assert wait_until(lambda: sync.runs >= 3, 3)
    assert scheduler.status.last_success_at is not None
    assert scheduler.status.state == "idle"


def test_a_local_change_syncs_soon_and_on_demand_syncs_now(make_scheduler):
    sync = RecordedSync()
    pending = {"n": 0}
    scheduler = make_scheduler(sync, interval_seconds=60, after_change_seconds=0.1,
                               pending_changes=lambda: pending["n"])
    scheduler.start()
    assert wait_until(lambda: sync.runs == 1)
    pending["n"] = 2
    scheduler.local_change_made()
    assert scheduler.status.pending_changes == 2
    assert wait_until(lambda: sync.runs == 2, 2)
    scheduler.sync_now()
    assert wait_until(lambda: sync.runs == 3, 2)


def test_never_two_syncs_at_once(make_scheduler):
    sync = RecordedSync()
    scheduler = make_scheduler(sync, interval_seconds=0.01)
    scheduler.start()
    for _ in range(20):
        scheduler.sync_now()
        scheduler.local_change_made()
    assert wait_until(lambda: sync.runs >= 10, 5)
    assert not sync.overlapped


def test_offline_backs_off_then_resumes(make_scheduler):
    sync = RecordedSync()
    sync.failures = [Offline("no network"), Offline("no network"), ServerUnavailable("503")]
    seen = []
    scheduler = make_scheduler(sync, interval_seconds=60)
    scheduler.subscribe(lambda status: seen.append(status.state))
    scheduler.start()
    assert wait_until(lambda: sync.runs == 4, 5)
    assert wait_until(lambda: scheduler.status.state == "idle")
    assert "offline" in seen and "retrying" in seen
    assert scheduler.status.last_error is None


def test_expired_session_stops_until_signed_in_again(make_scheduler):
    sync = RecordedSync()
    sync.failures = [SessionExpired("Please sign in again.")]
    scheduler = make_scheduler(sync, interval_seconds=0.05)
    scheduler.start()
    assert wait_until(lambda: scheduler.status.state == "needs_sign_in")
    runs = sync.runs
    scheduler.sync_now()
    time.sleep(0.3)
    assert sync.runs == runs  # no sync with a dead session
    scheduler.signed_in_again()
    assert wait_until(lambda: sync.runs > runs)


def test_a_change_reported_by_the_server_triggers_a_sync(make_scheduler):
    sync = RecordedSync()
    changes = threading.Semaphore(0)

    def wait_for_server_change():
        return changes.acquire(timeout=0.1)

    scheduler = make_scheduler(sync, interval_seconds=60, wait_for_server_change=wait_for_server_change)
    scheduler.start()
    assert wait_until(lambda: sync.runs == 1)
    changes.release()
    assert wait_until(lambda: sync.runs == 2, 2)


def test_progress_is_published(make_scheduler):
    sync = RecordedSync()
    seen = []
    scheduler = make_scheduler(sync, interval_seconds=60)
    scheduler.subscribe(lambda status: seen.append(status.progress))
    scheduler.start()
    assert wait_until(lambda: sync.runs == 1)
    assert SyncProgress("pull", 1, 2) in seen
