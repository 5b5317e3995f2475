"""Benchmark of the sync engine against a real server on loopback.

    python -m bench.sync                                  # 50,000 resources, pages of 500
    python -m bench.sync --resources 2000                 # CI size
    CARNET_BENCH_RESOURCES=2000 python -m bench.sync

One patient of N resources is seeded and served by uvicorn in a child process (see
`bench.feed_server`), so that this process holds only the device side. In one run:
(a) the raw baseline: every page of the change feed downloaded with httpx and parsed,
nothing stored; (b) a full initial sync into an empty encrypted cache; (c) 10 changes by a
professional on the server, then a delta sync. Progress goes to stderr; the last line
printed on stdout is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.feed_server import PreparedRecord, RunningServer, prepare
from storage.cache import Cache
from sync.api import CarnetApi, Tokens
from sync.engine import FilePolicy, SyncEngine, SyncReport
from sync.http import make_http_client

FEED_TAG_SYSTEM = "urn:carnet:feed"
FHIR_JSON = "application/fhir+json"
GOALS = {"initial_over_raw": 2.0, "delta_ms": 200.0, "delta_over_initial": 0.01, "peak_rss_mb": 250.0}
CHANGES = 10
UPDATES = 3
DELETES = 3


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux; RUSAGE_SELF leaves out the server and seeding children.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Measured:
    raw_s: float
    raw_pages: int
    raw_entries: int
    initial_s: float
    initial: SyncReport
    delta_s: float
    delta: SyncReport
    rss_before_sync_mb: float
    peak_rss_mb: float


# -- (a) the raw baseline --------------------------------------------------------------------
def has_more(bundle: dict) -> bool:
    tags = (bundle.get("meta") or {}).get("tag") or []
    return any(t.get("system") == FEED_TAG_SYSTEM and t.get("code") == "has-more" for t in tags)


def download_feed(server_url: str, access_token: str, patient_id: str, page_size: int,
                  max_pages: int | None = None) -> tuple[int, int]:
    """Every page of the feed, parsed and dropped: what any client must pay at least. (pages, entries)"""
    pages = entries = 0
    cursor = None
    headers = {"Authorization": f"Bearer {access_token}", "Accept": FHIR_JSON}
    with httpx.Client(base_url=server_url, headers=headers, timeout=60) as client:
        while True:
            params = {"_count": str(page_size), **({"cursor": cursor} if cursor else {})}
            response = client.get(f"/fhir/Patient/{patient_id}/$changes", params=params)
            response.raise_for_status()
            bundle = json.loads(response.content)
            pages, entries = pages + 1, entries + len(bundle.get("entry") or [])
            cursor = bundle["identifier"]["value"]
            if not has_more(bundle) or pages == max_pages:
                return pages, entries


# -- (c) changes made on the server by a professional -----------------------------------------
def observation(patient_id: str, number: int) -> dict:
    return {"resourceType": "Observation", "status": "final", "subject": {"reference": f"Patient/{patient_id}"},
            "effectiveDateTime": f"2026-11-{1 + number % 20:02d}T08:30:00+01:00",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                      "code": "vital-signs"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7", "display": "Body weight"}]},
            "valueQuantity": {"value": 70 + number / 10, "unit": "kg", "system": "http://unitsofmeasure.org",
                              "code": "kg"}}


def make_changes(server_url: str, prepared: PreparedRecord) -> int:
    """Updates and deletes of resources the professional wrote, creates for the rest: CHANGES in all."""
    editable = [tuple(pair) for pair in prepared.professional_resources]
    to_update, to_delete = editable[:UPDATES], editable[UPDATES:UPDATES + DELETES]
    headers = {"Authorization": f"Bearer {prepared.professional_access_token}", "Accept": FHIR_JSON}
    with httpx.Client(base_url=server_url, headers=headers, timeout=30) as client:
        for number, (kind, ident) in enumerate(to_update):
            current = _checked(client.get(f"/fhir/{kind}/{ident}")).json()
            current["note"] = [{"text": f"Relu par le benchmark ({number})."}]
            _checked(client.put(f"/fhir/{kind}/{ident}", content=json.dumps(current), headers={
                "Content-Type": FHIR_JSON, "If-Match": f'W/"{current["meta"]["versionId"]}"'}))
        for kind, ident in to_delete:
            _checked(client.delete(f"/fhir/{kind}/{ident}"))
        creates = CHANGES - len(to_update) - len(to_delete)
        for number in range(creates):
            _checked(client.post("/fhir/Observation", content=json.dumps(observation(prepared.patient_id, number)),
                                 headers={"Content-Type": FHIR_JSON}))
    return CHANGES


def _checked(response: httpx.Response) -> httpx.Response:
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.request.url.path}: "
                           f"{response.status_code} {response.text[:500]}")
    return response


# -- (b) and (c): the device's syncs ----------------------------------------------------------
def timed_sync(engine: SyncEngine, label: str) -> tuple[float, SyncReport]:
    def progress(step) -> None:
        if step.phase == "pull" and step.done and step.done % 10_000 < engine.page_size:
            log(f"  {label}: {step.done} changes applied")

    started = time.perf_counter()
    report = engine.sync_once(progress)
    return time.perf_counter() - started, report


def run(root: Path, server: RunningServer, prepared: PreparedRecord, page_size: int) -> Measured:
    token = prepared.patient_tokens["access_token"]
    # One request first so that neither timed step pays the server's first-request warm-up.
    download_feed(server.url, token, prepared.patient_id, page_size, max_pages=1)
    log("(a) raw baseline: downloading the change feed…")
    started = time.perf_counter()
    raw_pages, raw_entries = download_feed(server.url, token, prepared.patient_id, page_size)
    raw_s = time.perf_counter() - started
    log(f"    {raw_entries} entries in {raw_pages} pages, {raw_s:.2f} s")
    rss_before_sync = peak_rss_mb()
    # A raw random key: the PIN's key derivation is a one-off at unlock, not part of syncing.
    cache = Cache(root / "device", os.urandom(32))
    api = CarnetApi(make_http_client(server.url), Tokens(**prepared.patient_tokens))
    try:
        engine = SyncEngine(api, cache, prepared.patient_id, page_size=page_size, files=FilePolicy(prefetch=False))
        log("(b) initial sync into an empty encrypted cache…")
        initial_s, initial = timed_sync(engine, "initial")
        log(f"    {initial.upserted} upserted in {initial.pages} pages, {initial_s:.2f} s")
        log(f"(c) {make_changes(server.url, prepared)} changes on the server, then a delta sync…")
        delta_s, delta = timed_sync(engine, "delta")
        log(f"    {delta.upserted} upserted, {delta.deleted} deleted, {delta_s * 1000:.1f} ms")
    finally:
        api.http.close()
        cache.close()
    return Measured(raw_s, raw_pages, raw_entries, initial_s, initial, delta_s, delta, rss_before_sync,
                    peak_rss_mb())


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=int(os.environ.get("CARNET_BENCH_RESOURCES", 50_000)))
    parser.add_argument("--page-size", type=int, default=int(os.environ.get("CARNET_BENCH_PAGE_SIZE", 500)),
                        help="_count of every feed request (the server caps it at its page_size_max, 500)")
    parser.add_argument("--dir", type=Path, default=None, help="where to write (default: a temp dir)")
    args = parser.parse_args(argv)
    # A plain `kill` must still run the clean-up below (stop the server, remove the files).
    signal.signal(signal.SIGTERM, _exit_on_signal)

    root = Path(tempfile.mkdtemp(prefix="carnet-bench-sync-", dir=args.dir))
    database_url = f"sqlite:///{root / 'server.db'}"
    try:
        log(f"seeding one patient of {args.resources} resources (child process)…")
        prepared = prepare(database_url, args.resources)
        with RunningServer(database_url, root / "server.log") as server:
            log(f"server {server.url} (pid {server.pid})")
            measured = run(root, server, prepared, args.page_size)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return _report(args, measured)


def _exit_on_signal(signum, _frame) -> None:
    raise SystemExit(128 + signum)


def _report(args, measured: Measured) -> dict:
    delta_ms = measured.delta_s * 1000
    result = {
        "resources": args.resources,
        "page_size": args.page_size,
        "raw_s": round(measured.raw_s, 3),
        "initial_s": round(measured.initial_s, 3),
        "initial_over_raw": round(measured.initial_s / measured.raw_s, 3),
        "resources_per_s": round(measured.initial.upserted / measured.initial_s, 1),
        "delta_ms": round(delta_ms, 1),
        "delta_over_initial": round(measured.delta_s / measured.initial_s, 5),
        "peak_rss_mb": round(measured.peak_rss_mb, 1),
        "rss_before_sync_mb": round(measured.rss_before_sync_mb, 1),
        "raw_pages": measured.raw_pages,
        "initial_pages": measured.initial.pages,
        "initial_upserted": measured.initial.upserted,
        "delta_pages": measured.delta.pages,
        "delta_changes": measured.delta.upserted + measured.delta.deleted,
    }
    result["goals_met"] = {name: result[name] <= limit for name, limit in GOALS.items()}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
