"""An httpx transport that reaches the real server but injects faults on chosen requests."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

import httpx


@dataclass
class Fault:
    """Applies to requests whose path contains `path`, for the `times` next matches (after `skip`)."""

    path: str
    kind: str  # "drop" | "status" | "body" | "cut"
    times: int = 1
    skip: int = 0
    status: int = 503
    rewrite: Callable[[dict], dict] | None = None
    seen: int = field(default=0, init=False)

    def fires_for(self, request: httpx.Request) -> bool:
        if self.path not in request.url.path or self.times <= 0:
            return False
        self.seen += 1
        if self.seen <= self.skip:
            return False
        self.times -= 1
        return True


class FaultyTransport(httpx.BaseTransport):
    def __init__(self, *faults: Fault):
        self.inner = httpx.HTTPTransport()
        self.faults = list(faults)
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        fault = next((f for f in self.faults if f.fires_for(request)), None)
        if fault is None:
            return self.inner.handle_request(request)
        if fault.kind == "drop":
            raise httpx.ConnectError("connection dropped (injected)", request=request)
        if fault.kind == "status":
            return httpx.Response(fault.status, json={"resourceType": "OperationOutcome", "issue": [
                {"severity": "error", "code": "exception", "diagnostics": "injected failure"}]}, request=request)
        response = self.inner.handle_request(request)
        response.read()
        if fault.kind == "cut":
            # The server did the work, but the answer never arrives.
            raise httpx.ReadError("connection lost after the request (injected)", request=request)
        body = response.content
        if fault.rewrite is not None:
            body = json.dumps(fault.rewrite(json.loads(body))).encode()
        else:
            body = body[: len(body) // 2]  # malformed JSON
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return httpx.Response(response.status_code, headers=headers, content=body, request=request)

    def close(self) -> None:
        self.inner.close()
