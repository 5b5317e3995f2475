"""Sync tests: the real server on loopback (SQLite) and a real encrypted cache."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest

from storage import DeviceCache, MemorySecretStore
from sync.api import CarnetApi
from sync.engine import FilePolicy, SyncEngine
from sync.http import make_http_client
from tests.factories import bearer
from tests.server.auth_flows import CHEAP_ARGON2, PASSWORD, active_patient, last_code, professional
from tests.server.fhir_samples import FHIR, sample
from tests.storage.samples import FAST_KDF, PIN


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'server.db'}"


@pytest.fixture
def settings(database_url):
    from server.config import Settings

    return Settings(database_url=database_url, environment="test", smtp_host=None, **CHEAP_ARGON2)


@dataclass
class World:
    server_url: str
    app: object
    patient_id: str
    patient_ins: str
    professional_headers: dict

    def professional_writes(self, resource_type: str, **extra) -> dict:
        body = sample(resource_type, self.patient_id, **extra)
        response = httpx.post(f"{self.server_url}/fhir/{resource_type}", json=body,
                              headers={**self.professional_headers, "Content-Type": FHIR})
        assert response.status_code == 201, response.text
        return response.json()

    def professional_deletes(self, resource_type: str, resource_id: str) -> None:
        response = httpx.delete(f"{self.server_url}/fhir/{resource_type}/{resource_id}",
                                headers=self.professional_headers)
        assert response.status_code == 204, response.text

    def professional_deposits_file(self, data: bytes, content_type: str = "application/pdf") -> str:
        response = httpx.post(f"{self.server_url}/fhir/Binary", content=data,
                              headers={**self.professional_headers, "Content-Type": content_type,
                                       "X-Security-Context": f"Patient/{self.patient_id}"})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def server_search(self, resource_type: str, headers: dict) -> list[dict]:
        response = httpx.get(f"{self.server_url}/fhir/{resource_type}",
                             params={"patient": self.patient_id, "_count": "500"}, headers=headers)
        assert response.status_code == 200, response.text
        return [entry["resource"] for entry in response.json().get("entry", [])]


@pytest.fixture
def world(app, live_server):
    patient = active_patient(app)
    nurse = professional(app)
    return World(live_server.url, app, patient.fhir_id, patient.identifier,
                 bearer(app.state.session_factory, app.state.settings, nurse))


def signed_in_api(world: World, transport: httpx.BaseTransport | None = None,
                  device_name: str = "Camille's phone") -> CarnetApi:
    """A device signed in through the real routes: password, then the e-mailed code."""
    api = CarnetApi(make_http_client(world.server_url, transport=transport))
    challenge = api.start_sign_in(world.patient_ins, PASSWORD, "email", device_name)
    api.finish_sign_in(challenge.challenge_id, last_code(world.app, "email"))
    return api


@pytest.fixture
def device(tmp_path):
    return DeviceCache(tmp_path / f"device-{uuid.uuid4().hex[:6]}", secret_store=MemorySecretStore(), kdf=FAST_KDF)


@pytest.fixture
def cache(device):
    opened = device.create(PIN, "account")
    yield opened
    opened.close()


@pytest.fixture
def api(world):
    client = signed_in_api(world)
    yield client
    client.http.close()


@pytest.fixture
def engine(api, cache, world):
    return SyncEngine(api, cache, world.patient_id, page_size=7, files=FilePolicy(max_bytes=5_000_000))
