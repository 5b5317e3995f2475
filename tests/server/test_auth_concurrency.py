"""Racing requests against the live server: a code still signs in only one device."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.server.auth_flows import PASSWORD, active_patient, cheap, last_code


@pytest.fixture
def settings(settings):
    return cheap(settings)


def test_one_code_sent_by_several_requests_at_once_signs_in_once(live_server, app):
    account = active_patient(app)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        started = http.post("/auth/login", json={"identifier": account.identifier, "password": PASSWORD,
                                                 "channel": "email", "device_name": "phone"}).json()
        answer = {"challenge_id": started["challenge_id"], "code": last_code(app, "email")}
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda _: http.post("/auth/login/verify", json=answer).status_code, range(6)))
    assert statuses.count(200) == 1, statuses
    assert set(statuses) - {200} <= {401, 409, 503}, statuses
