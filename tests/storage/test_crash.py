"""A process killed with SIGKILL while applying a page leaves the old or the new state."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.cache import Cache
from tests.storage.crash_child import PAGE, page

ROOT = Path(__file__).resolve().parents[2]
KEY = bytes(range(32))
pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")]


def _seed(directory: Path) -> None:
    with Cache(directory, KEY) as cache:
        cache.sync.apply_page(page(0), "cursor-0")
        cache.sync.apply_page(page(1), "cursor-1")


def _start(mode: str, directory: Path) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-m", "tests.storage.crash_child", mode,
                              str(directory), KEY.hex()], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    line = child.stdout.readline().strip()
    assert line == "ready", child.stderr.read()
    return child


def _kill(child: subprocess.Popen) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL


def _ids(cache: Cache) -> set[str]:
    return {row[0] for row in cache.db.query("SELECT id FROM resources")}


def test_killed_in_the_middle_of_a_page_leaves_the_old_state(tmp_path):
    _seed(tmp_path)
    wal = tmp_path / "cache.db-wal"
    before = wal.stat().st_size if wal.exists() else 0
    child = _start("pause", tmp_path)
    grown = wal.stat().st_size if wal.exists() else 0
    _kill(child)
    # Uncommitted pages reached the WAL, so the kill really hit a half-written page.
    assert grown > before
    with Cache(tmp_path, KEY) as cache:
        assert cache.db.query("PRAGMA integrity_check")[0][0] == "ok"
        assert cache.sync.cursor() == "cursor-1"
        assert _ids(cache) == {f"p{n}-{i}" for n in (0, 1) for i in range(PAGE)}
        assert {r.version_id for r in cache.resources.list("Observation", limit=10_000)} == {"1"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_at_any_moment_the_cursor_matches_the_pages_applied(tmp_path, seed):
    _seed(tmp_path)
    child = _start("loop", tmp_path)
    time.sleep(random.Random(seed).uniform(0.05, 0.6))
    _kill(child)
    with Cache(tmp_path, KEY) as cache:
        assert cache.db.query("PRAGMA integrity_check")[0][0] == "ok"
        last = int(cache.sync.cursor().split("-")[1])
        assert last >= 2
        assert _ids(cache) == {f"p{n}-{i}" for n in range(last + 1) for i in range(PAGE)}
        # The next pull resumes after the cursor and applies cleanly.
        cache.sync.apply_page(page(last + 1), f"cursor-{last + 1}")
        assert cache.resources.count() == (last + 2) * PAGE
