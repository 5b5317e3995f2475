"""One Cache used from several worker threads (the app calls storage off its event loop)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.storage.samples import bundle, document


def test_concurrent_writers_and_readers_share_one_cache(cache):
    def write(worker: int) -> None:
        for page in range(10):
            docs = [document(f"w{worker}-{page}-{n}", description=f"lot {worker}") for n in range(10)]
            cache.sync.apply_page(bundle(*docs), f"cursor-{worker}-{page}")
            cache.resources.save_local({"resourceType": "Observation", "status": "final"})

    def read(_: int) -> int:
        seen = 0
        for _ in range(50):
            seen = max(seen, len(cache.documents.list(limit=1000)))
            cache.documents.search("lot")
            cache.sync.state()
        return seen

    with ThreadPoolExecutor(max_workers=6) as pool:
        writers = [pool.submit(write, n) for n in range(3)]
        readers = [pool.submit(read, n) for n in range(3)]
        for future in writers + readers:
            future.result()
    assert cache.resources.count("DocumentReference") == 300
    assert len(cache.outbox.entries()) == 30


def test_the_same_file_written_by_two_threads_at_once_reads_back_whole(cache):
    """The viewer fetches a file on open while the sync's prefetch writes the same one."""
    data = bytes(range(256)) * 40_000  # 10 MB: the writes overlap

    def put(_: int) -> None:
        for _ in range(3):
            cache.documents.put_file("b-same", "application/pdf", data)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(put, n) for n in range(2)]:
            future.result()
    assert cache.documents.read_file("b-same").data == data
