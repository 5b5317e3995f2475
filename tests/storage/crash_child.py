"""The process the crash tests kill: it applies change-feed pages into a real cache.

Run as `python -m tests.storage.crash_child MODE DIRECTORY KEYHEX`.
- `pause`: applies one big page; part-way through the transaction it prints "ready" and
  sleeps inside SQLite's progress handler, so the parent kills it mid-apply.
- `loop`: applies numbered pages forever, printing "ready" after the first; the parent
  kills it at an arbitrary moment.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from health.fhir_bundles import FEED_TAG_SYSTEM
from storage.cache import Cache

PAGE = 400


def page(number: int, size: int = PAGE, version: str = "1", *, more: bool = False) -> dict:
    entries = [{"resource": {"resourceType": "Observation", "id": f"p{number}-{i}", "status": "final",
                             "meta": {"versionId": version}, "code": {"text": "poids " * 20},
                             "effectiveDateTime": "2024-01-01"}}
               for i in range(size)]
    # `has-more` pages are applied with fewer checkpoints (storage.Database.bulk_writes).
    tag = {"system": FEED_TAG_SYSTEM, "code": "has-more" if more else "caught-up"}
    return {"resourceType": "Bundle", "type": "history", "meta": {"tag": [tag]}, "entry": entries}


def pause(cache: Cache) -> None:
    big = page(0, 4000, version="2", more=True)
    big["entry"] += [{"request": {"method": "DELETE", "url": f"Observation/p1-{i}"}} for i in range(PAGE)]
    calls = 0

    def handler() -> int:
        nonlocal calls
        calls += 1
        if calls == 2000:
            print("ready", flush=True)
            time.sleep(60)
        return 0

    # A tiny page cache makes SQLite spill uncommitted pages to the WAL mid-transaction.
    cache.db.connection.execute("PRAGMA cache_size = 20")
    cache.db.connection.set_progress_handler(handler, 100)
    cache.sync.apply_page(big, "cursor-new")
    print("finished", flush=True)


def loop(cache: Cache) -> None:
    number = 2
    while True:
        # Runs of pages announcing more, each ended by one that catches up (a checkpoint).
        cache.sync.apply_page(page(number, more=number % 4 != 0), f"cursor-{number}")
        if number == 2:
            print("ready", flush=True)
        number += 1


if __name__ == "__main__":
    mode, directory, key = sys.argv[1], Path(sys.argv[2]), bytes.fromhex(sys.argv[3])
    with Cache(directory, key) as opened:
        {"pause": pause, "loop": loop}[mode](opened)
