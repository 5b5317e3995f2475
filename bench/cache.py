"""Benchmark of the device cache: encrypted (SQLCipher + AES-GCM files) versus plain SQLite.

    python -m bench.cache                          # 50,000 resources, 2,000 files
    python -m bench.cache --resources 5000 --files 100    # CI size
    CARNET_BENCH_RESOURCES=5000 CARNET_BENCH_FILES=100 python -m bench.cache

The same workload runs on both, with the same schema and code (the plain one is `Cache`
opened without a key). The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.synthetic_record import (document_files, file_bytes, history_pages, make_resources)
from health.codes import DOCUMENT_CATEGORIES
from health.emergency import EmergencyField
from storage import DeviceCache, KdfParams, MemorySecretStore
from storage.cache import DATABASE_FILE, Cache
from storage.database import Database
from storage.profile import ProfileSection

PIN = "482915"
PAGE_SIZE = 500
_SEARCHES = ("bilan", "radio", "ordonnance kiné", "compte rendu", "échographie abdominale",
             "cholest", "vaccin grippe", "IRM", "suivi annuel", "hospitalisation urgence")


@dataclass
class Timings:
    """Per-variant totals and per-operation samples (milliseconds)."""

    write_resources_s: float = 0.0
    write_files_s: float = 0.0
    read_s: float = 0.0
    samples: dict[str, list[float]] = field(default_factory=dict)

    def p95(self, name: str) -> float:
        values = sorted(self.samples[name])
        return values[min(len(values) - 1, int(len(values) * 0.95))]


class Pair:
    """The encrypted and the plain cache, driven in lockstep.

    Every step runs on both, alternating which goes first, so that a busy machine (CI, a
    laptop doing other work) slows both alike and the ratios stay meaningful.
    """

    def __init__(self, encrypted: Cache, plain: Cache) -> None:
        self.caches = {"encrypted": encrypted, "plain": plain}
        self.timings = {"encrypted": Timings(), "plain": Timings()}
        self._flip = False

    def _each(self):
        self._flip = not self._flip
        order = ["encrypted", "plain"] if self._flip else ["plain", "encrypted"]
        return [(name, self.caches[name], self.timings[name]) for name in order]

    def write(self, bucket: str, action: Callable[[Cache], object]) -> None:
        for _, cache, timings in self._each():
            started = time.perf_counter()
            action(cache)
            setattr(timings, bucket, getattr(timings, bucket) + time.perf_counter() - started)

    def read(self, name: str, action: Callable[[Cache], object]) -> None:
        for _, cache, timings in self._each():
            started = time.perf_counter()
            action(cache)
            elapsed = time.perf_counter() - started
            timings.samples.setdefault(name, []).append(elapsed * 1000)
            timings.read_s += elapsed


def _write(pair: Pair, pages: list, files: list) -> None:
    for cache in pair.caches.values():
        cache.emergency.choose(list(EmergencyField))
    for page, cursor in pages:
        pair.write("write_resources_s", lambda cache: cache.sync.apply_page(page, cursor))
    for file in files:
        data = file_bytes(file)  # generated outside the timed part
        pair.write("write_files_s", lambda cache: cache.documents.put_file(
            file.binary_id, file.content_type, data))


def _read(pair: Pair, resources: list[dict], files: list, rounds: int) -> None:
    rng = random.Random(7)
    authors = sorted({d.author for d in pair.caches["plain"].documents.list(limit=200)})
    ids = [(r["resourceType"], r["id"]) for r in rng.sample(resources, min(len(resources), 2000))]
    categories = list(DOCUMENT_CATEGORIES)
    for _ in range(rounds):
        category, author, year = rng.choice(categories), rng.choice(authors), rng.randint(1995, 2025)
        offset, words, section = rng.choice((0, 50, 200)), rng.choice(_SEARCHES), rng.choice(list(ProfileSection))
        some_ids = [rng.choice(ids) for _ in range(20)]
        pair.read("document_list", lambda cache: cache.documents.list(category=category))
        pair.read("document_list", lambda cache: cache.documents.list(author=author))
        pair.read("document_list", lambda cache: cache.documents.list(since=f"{year}-01-01", offset=offset))
        pair.read("search", lambda cache: cache.documents.search(words))
        pair.read("get", lambda cache: [cache.resources.get(*ident) for ident in some_ids])
        pair.read("profile", lambda cache: cache.profile.section(section, limit=100))
        pair.read("messages", lambda cache: cache.messages.conversations(limit=30))
        pair.read("access", lambda cache: cache.access_history.events(limit=50))
        if files:
            binary_id = rng.choice(files).binary_id
            pair.read("file", lambda cache: cache.documents.read_file(binary_id))


def _directory_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def _data_key_for_benchmark(device: DeviceCache) -> bytes:
    """The data key, unwrapped again, to time a bare raw-key open."""
    from storage.keys import read_key_file, unwrap

    key_file = read_key_file(device.key_path)
    return unwrap(key_file, PIN, device.secret_store.get(key_file.device_secret_name))


def _time_opening(device: DeviceCache, plain_directory: Path) -> dict:
    started = time.perf_counter()
    cache = device.unlock(PIN)
    cache.documents.list(limit=50)
    unlock_ms = (time.perf_counter() - started) * 1000
    cache.close()
    key = _data_key_for_benchmark(device)
    started = time.perf_counter()
    raw = Database(device.directory / DATABASE_FILE, key)  # reads page 1 to prove the key
    open_raw_key_ms = (time.perf_counter() - started) * 1000
    raw.close()
    started = time.perf_counter()
    plain = Database(plain_directory / DATABASE_FILE, None)
    plain_open_ms = (time.perf_counter() - started) * 1000
    plain.close()
    return {"unlock_ms": unlock_ms, "open_raw_key_ms": open_raw_key_ms, "plain_open_ms": plain_open_ms}


def run(root: Path, resources: list[dict], files: list, rounds: int) -> dict:
    pages = list(history_pages(resources, PAGE_SIZE))
    device = DeviceCache(root / "encrypted", secret_store=MemorySecretStore(), kdf=KdfParams())
    pair = Pair(device.create(PIN, "bench-account"), Cache(root / "plain", None))
    _write(pair, pages, files)
    for cache in pair.caches.values():
        cache.close()
    opening = _time_opening(device, root / "plain")
    timings = pair.timings
    pair = Pair(device.unlock(PIN), Cache(root / "plain", None))
    pair.timings = timings
    _read(pair, resources, files, rounds)
    for cache in pair.caches.values():
        cache.close()
    sizes = {name: {"db": (root / name / DATABASE_FILE).stat().st_size,
                    "files": _directory_bytes(root / name / "files")} for name in ("encrypted", "plain")}
    return {"timings": pair.timings, "sizes": sizes, **opening}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=int(os.environ.get("CARNET_BENCH_RESOURCES", 50_000)))
    parser.add_argument("--files", type=int, default=int(os.environ.get("CARNET_BENCH_FILES", 2_000)))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("CARNET_BENCH_ROUNDS", 200)))
    parser.add_argument("--dir", type=Path, default=None, help="where to write (default: a temp dir)")
    args = parser.parse_args(argv)

    resources = make_resources(args.resources)
    files = document_files(resources, args.files)
    root = Path(tempfile.mkdtemp(prefix="carnet-bench-", dir=args.dir))
    try:
        measured = run(root, resources, files, args.rounds)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return _report(args, measured, sum(f.size for f in files))


def _report(args, measured: dict, file_payload: int) -> dict:
    enc, pla = measured["timings"]["encrypted"], measured["timings"]["plain"]
    sizes = measured["sizes"]
    enc_write = enc.write_resources_s + enc.write_files_s
    pla_write = pla.write_resources_s + pla.write_files_s
    for name, timings in (("encrypted", enc), ("plain", pla)):
        print(f"{name:9} write resources {timings.write_resources_s:7.2f} s   files "
              f"{timings.write_files_s:7.2f} s   reads {timings.read_s:6.2f} s   " +
              "  ".join(f"{op} p50 {statistics.median(v):.2f}" for op, v in timings.samples.items()) + " (ms)")
    result = {
        "resources": args.resources,
        "files": args.files,
        "file_megabytes": round(file_payload / 1e6, 1),
        "write_ratio": round(enc_write / pla_write, 3),
        "read_ratio": round(enc.read_s / pla.read_s, 3),
        "write_resources_ratio": round(enc.write_resources_s / pla.write_resources_s, 3),
        "write_files_ratio": round(enc.write_files_s / pla.write_files_s, 3) if args.files else None,
        "write_s": round(enc_write, 2),
        "plain_write_s": round(pla_write, 2),
        "unlock_ms": round(measured["unlock_ms"], 1),
        "open_raw_key_ms": round(measured["open_raw_key_ms"], 2),
        "plain_open_ms": round(measured["plain_open_ms"], 2),
        "document_list_p95_ms": round(enc.p95("document_list"), 2),
        "search_p95_ms": round(enc.p95("search"), 2),
        "get_20_p95_ms": round(enc.p95("get"), 2),
        "file_read_p95_ms": round(enc.p95("file"), 2) if args.files else None,
        "plain_document_list_p95_ms": round(pla.p95("document_list"), 2),
        "plain_search_p95_ms": round(pla.p95("search"), 2),
        "db_bytes_per_resource": round(sizes["encrypted"]["db"] / max(1, args.resources), 1),
        "plain_db_bytes_per_resource": round(sizes["plain"]["db"] / max(1, args.resources), 1),
        "files_overhead_bytes": sizes["encrypted"]["files"] - sizes["plain"]["files"],
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
