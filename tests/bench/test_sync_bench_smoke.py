"""`python -m bench.sync` keeps working (tiny size; the real run is a CI job of its own).

It runs as the command CI runs, in a subprocess: the benchmark starts its own server and
seeding processes, and its peak RSS must not include the test runner's.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
FIGURES = ("initial_s", "raw_s", "initial_over_raw", "resources_per_s", "delta_ms", "delta_over_initial",
           "peak_rss_mb")


def test_the_sync_benchmark_runs_and_reports_every_figure(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-m", "bench.sync", "--resources", "300", "--page-size", "100", "--dir", str(tmp_path)],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    for name in FIGURES:
        assert result[name] > 0, name
    assert result["resources"] == 300 and result["page_size"] == 100
    assert result["initial_upserted"] == 300 and result["initial_pages"] == 3
    # 3 updates, 3 deletes, 4 creates: each a feed entry; and each of the professional's
    # 13 requests (3 reads, 10 writes) an AuditEvent in the patient's access history.
    assert result["delta_changes"] == 10 + 13
    assert set(result["goals_met"]) == {"initial_over_raw", "delta_ms", "delta_over_initial", "peak_rss_mb"}
    assert list(tmp_path.iterdir()) == []  # the server's database and the cache are gone
