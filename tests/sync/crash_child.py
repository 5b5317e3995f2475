"""Child process for the SIGKILL tests: syncs a cache against the server, slowly, and
prints one line per request so the parent knows when to kill it."""
from __future__ import annotations

import sys
import time

import httpx

from storage.cache import Cache
from sync.api import CarnetApi, Tokens
from sync.engine import FilePolicy, SyncEngine, SyncReport
from sync.http import make_http_client


class AnnouncingTransport(httpx.HTTPTransport):
    def handle_request(self, request):
        response = super().handle_request(request)
        print(f"{request.method} {request.url.path}", flush=True)
        time.sleep(0.05)
        return response


def main() -> None:
    server_url, cache_dir, key_hex, patient_id, access, refresh, device_id, mode = sys.argv[1:9]
    api = CarnetApi(make_http_client(server_url, transport=AnnouncingTransport()),
                    Tokens(access, refresh, device_id, 900))
    cache = Cache(cache_dir, bytes.fromhex(key_hex))
    engine = SyncEngine(api, cache, patient_id, page_size=3, files=FilePolicy(prefetch=False))
    step = engine.pull if mode == "pull" else engine.push
    step(SyncReport())
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
