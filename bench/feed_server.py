"""The server side of the sync benchmark (`bench.sync`): a seeded database and a running server.

The benchmark measures the device, so everything that touches the server's code runs in
child processes, never in the benchmark's own: `prepare` (this module run with
`python -m bench.feed_server`) seeds one patient and issues the tokens, and
`RunningServer` starts uvicorn on the same database. The benchmark process then only ever
imports the device packages, and its peak RSS is the device's.

    python -m bench.feed_server --database-url sqlite:///…/server.db --resources 2000
    # prints one JSON object: patient id, tokens, a professional's token and resources they wrote
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

# Settings for both the preparing and the serving process (server.config reads CARNET_*).
# Argon2 at its cheapest: seeding hashes the shared password, and nothing here measures it.
# Access tokens long enough to outlive a slow full-size run without a refresh in the middle.
SERVER_ENVIRONMENT = {
    "CARNET_ENVIRONMENT": "test",
    "CARNET_ARGON2_TIME_COST": "1",
    "CARNET_ARGON2_MEMORY_KIB": "8",
    "CARNET_ARGON2_PARALLELISM": "1",
    "CARNET_ACCESS_TOKEN_TTL_SECONDS": "14400",
}
# Resources a professional authored that the delta step may update or delete.
EDITABLE_RESOURCES = 10


@dataclass(frozen=True)
class PreparedRecord:
    """What the device side needs to know about the seeded server (all JSON-friendly)."""

    patient_id: str
    patient_tokens: dict  # access_token, refresh_token, device_id, expires_in
    professional_access_token: str
    # [resource type, id] of resources the professional wrote in the compartment.
    professional_resources: list


def server_environment(database_url: str) -> dict[str, str]:
    return {**os.environ, **SERVER_ENVIRONMENT, "CARNET_DATABASE_URL": database_url}


def prepare(database_url: str, resources: int, timeout_s: float = 1800) -> PreparedRecord:
    """Seed the database in a child process and hand back what it prepared."""
    command = [sys.executable, "-m", "bench.feed_server", "--database-url", database_url,
               "--resources", str(resources)]
    finished = subprocess.run(command, env=server_environment(database_url), capture_output=True, text=True,
                              timeout=timeout_s, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"preparing the server failed:\n{finished.stderr[-4000:]}")
    return PreparedRecord(**json.loads(finished.stdout.strip().splitlines()[-1]))


def free_port() -> int:
    # The port may be taken again between here and uvicorn's bind; on loopback in a
    # benchmark that risk is accepted rather than parsing uvicorn's log for its port.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunningServer:
    """uvicorn serving `server.app:create_app` in its own process; stopped on exit."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._process: subprocess.Popen | None = None
        self._log = None

    def __enter__(self) -> "RunningServer":
        self._log = open(self.log_path, "wb")
        command = [sys.executable, "-m", "uvicorn", "--factory", "server.app:create_app", "--host", "127.0.0.1",
                   "--port", str(self.port), "--log-level", "warning", "--no-access-log"]
        self._process = subprocess.Popen(command, env=server_environment(self.database_url),
                                         stdout=self._log, stderr=subprocess.STDOUT,
                                         preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        try:
            self._wait_until_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    @property
    def pid(self) -> int:
        return self._process.pid

    def _wait_until_up(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the server exited at start-up:\n{self.log_path.read_text()[-4000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {timeout_s:.0f} s")

    def __exit__(self, *exc) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._log is not None:
            self._log.close()


def _die_with_parent() -> None:
    """Linux: the kernel ends the server if the benchmark is killed outright (SIGKILL), when
    no `finally` gets the chance to stop it."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


# -- the child process: seeding and tokens (imports the server) ---------------------------
def _seed_and_issue(database_url: str, resources: int) -> PreparedRecord:
    from sqlalchemy import func, select

    from server.config import Settings
    from server.db import make_engine, make_session_factory, migrate, transaction
    from server.demo.seed import seed
    from server.models import Account, AccountKind, Resource
    from server.services.tokens import issue_for_new_device

    settings = Settings()
    engine = make_engine(database_url)
    migrate(engine)
    factory = make_session_factory(engine)
    report = seed(factory, settings, patients=1, resources_per_patient=resources)
    print(f"seeded {report.resources} resources in {report.seconds:.1f} s", file=sys.stderr)
    with transaction(factory) as session:
        patient = session.scalar(select(Account).where(Account.kind == AccountKind.patient,
                                                       Account.identifier == report.sample_ins[0]))
        # The seed's clinician who wrote most in this record: they may update and delete it.
        author_id = session.scalar(
            select(Resource.author_account_id).where(Resource.patient_account_id == patient.id,
                                                     Resource.author_kind == "professional")
            .group_by(Resource.author_account_id).order_by(func.count().desc()).limit(1))
        # A tiny record may hold nothing a clinician wrote: any of them then makes only creates.
        professional = session.get(Account, author_id) if author_id else session.scalar(
            select(Account).where(Account.kind == AccountKind.professional).limit(1))
        written = session.execute(
            select(Resource.resource_type, Resource.id).where(
                Resource.patient_account_id == patient.id, Resource.author_account_id == author_id,
                Resource.deleted.is_(False), Resource.resource_type != "DocumentReference")
            .order_by(Resource.seq.desc()).limit(EDITABLE_RESOURCES)).all()
        patient_tokens = issue_for_new_device(session, settings, patient, "bench device")
        professional_tokens = issue_for_new_device(session, settings, professional, "bench professional")
    engine.dispose()
    return PreparedRecord(
        patient_id=patient.fhir_id,
        patient_tokens={"access_token": patient_tokens.access_token, "refresh_token": patient_tokens.refresh_token,
                        "device_id": patient_tokens.device_id, "expires_in": patient_tokens.expires_in},
        professional_access_token=professional_tokens.access_token,
        professional_resources=[[kind, ident] for kind, ident in written])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Seed one patient for bench.sync and print what it needs.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--resources", type=int, required=True)
    args = parser.parse_args(argv)
    prepared = _seed_and_issue(args.database_url, args.resources)
    print(json.dumps(prepared.__dict__))


if __name__ == "__main__":
    main()
