"""The device killed with SIGKILL mid-pull and mid-push, then restarted: nothing lost, nothing twice."""
import os
import secrets
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from storage.cache import Cache
from sync.engine import SyncEngine
from tests.server.fhir_samples import sample

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def run_child_until(world, api, cache_dir, key, mode, kill_after_lines):
    """Start the child syncing; SIGKILL it after it printed `kill_after_lines` requests."""
    tokens = api.tokens
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.sync.crash_child", world.server_url, str(cache_dir), key.hex(),
         world.patient_id, tokens.access_token, tokens.refresh_token, tokens.device_id, mode],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    for line in child.stdout:
        seen.append(line.strip())
        if len([s for s in seen if s != "DONE"]) >= kill_after_lines or line.startswith("DONE"):
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    assert "DONE" not in seen, "the child finished before it could be killed"
    return seen


def test_killed_mid_pull_then_restarted_has_every_resource_exactly_once(world, api, tmp_path):
    written = sorted(world.professional_writes("Condition")["id"] for _ in range(30))
    key = secrets.token_bytes(32)
    Cache(tmp_path / "device", key).close()
    run_child_until(world, api, tmp_path / "device", key, "pull", kill_after_lines=4)
    with Cache(tmp_path / "device", key) as cache:
        partial = cache.resources.count("Condition")
        assert 0 < partial < 30  # killed in the middle, and what is there is whole pages
        SyncEngine(api, cache, world.patient_id, page_size=3).sync_once()
        assert sorted(r.id for r in cache.resources.list("Condition")) == written


def test_killed_mid_push_then_restarted_loses_and_duplicates_nothing(world, api, tmp_path):
    key = secrets.token_bytes(32)
    with Cache(tmp_path / "device", key) as cache:
        SyncEngine(api, cache, world.patient_id).sync_once()
        local_ids = [cache.resources.save_local(
            sample("Condition", world.patient_id, id=str(uuid.uuid4()))).resource_id for _ in range(12)]
    run_child_until(world, api, tmp_path / "device", key, "push", kill_after_lines=5)
    with Cache(tmp_path / "device", key) as cache:
        assert 0 < len(cache.outbox.entries()) < 12
        SyncEngine(api, cache, world.patient_id).sync_once()
        assert not cache.outbox.entries()
    on_server = world.server_search("Condition", api._auth())
    assert sorted(c["id"] for c in on_server) == sorted(local_ids)
    assert all(c["meta"]["versionId"] == "1" for c in on_server)
