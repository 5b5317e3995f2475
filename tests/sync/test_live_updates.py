"""Live updates: a device waiting on the feed hears of a new document within seconds."""
import threading
import time

from sync.scheduler import SyncScheduler


def test_waiting_returns_soon_after_a_change_on_the_server(world, cache, engine):
    engine.sync_once()
    answer = {}

    def wait():
        started = time.monotonic()
        answer["changed"] = engine.wait_for_server_change(wait_seconds=20)
        answer["after"] = time.monotonic() - started

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.5)
    world.professional_writes("Condition")
    waiter.join(15)
    assert answer["changed"] is True
    assert answer["after"] < 5


def test_waiting_with_nothing_new_ends_with_no_change(world, cache, engine):
    engine.sync_once()
    started = time.monotonic()
    assert engine.wait_for_server_change(wait_seconds=1) is False
    assert 0.9 < time.monotonic() - started < 5


def test_the_scheduler_syncs_a_new_document_within_seconds(world, cache, engine):
    scheduler = SyncScheduler(engine.sync_once, interval_seconds=600,
                              wait_for_server_change=lambda: engine.wait_for_server_change(wait_seconds=5))
    scheduler.start()
    try:
        deadline = time.monotonic() + 10
        while scheduler.status.last_success_at is None and time.monotonic() < deadline:
            time.sleep(0.05)
        written = world.professional_writes("Immunization")
        while cache.resources.get("Immunization", written["id"]) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cache.resources.get("Immunization", written["id"]) is not None
    finally:
        scheduler.stop()
