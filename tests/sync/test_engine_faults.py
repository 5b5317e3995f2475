"""Faults between the device and the server: the sync ends complete and exact, or refuses cleanly."""
import uuid

import pytest

from sync.engine import SyncEngine
from sync.errors import BadServerAnswer, Offline, ServerUnavailable, SessionExpired, SyncError
from tests.server.fhir_samples import sample
from tests.sync.conftest import signed_in_api
from tests.sync.faults import Fault, FaultyTransport


def sync_until_done(engine, attempts=10):
    """What the scheduler does: retry after each transient failure."""
    for _ in range(attempts):
        try:
            return engine.sync_once()
        except (Offline, ServerUnavailable):
            continue
    raise AssertionError("sync did not complete")


def make_engine(world, cache, *faults):
    transport = FaultyTransport(*faults)
    api = signed_in_api(world, transport=transport)
    return SyncEngine(api, cache, world.patient_id, page_size=5), transport


def test_dropped_connections_and_5xx_mid_pull_then_complete(world, cache):
    written = [world.professional_writes("Condition")["id"] for _ in range(17)]
    engine, transport = make_engine(world, cache,
                                    Fault("$changes", "drop", times=1, skip=1),
                                    Fault("$changes", "status", status=500, times=1, skip=2),
                                    Fault("$changes", "status", status=503, times=1, skip=3),
                                    Fault("$changes", "cut", times=1, skip=4))
    sync_until_done(engine)
    assert sorted(r.id for r in cache.resources.list("Condition")) == sorted(written)
    assert cache.resources.count("Condition") == 17


def test_answers_lost_mid_push_then_retried_make_each_resource_once(world, cache, api):
    engine, transport = make_engine(world, cache,
                                    Fault("/fhir/Condition/", "cut", times=2),
                                    Fault("/fhir/AllergyIntolerance/", "status", status=503, times=1))
    sync_until_done(engine)
    local = [cache.resources.save_local(sample("Condition", world.patient_id, id=str(uuid.uuid4())))
             for _ in range(3)]
    cache.resources.save_local(sample("AllergyIntolerance", world.patient_id, id=str(uuid.uuid4())))
    sync_until_done(engine)
    sync_until_done(engine)
    assert not cache.outbox.entries()
    on_server = world.server_search("Condition", api._auth())
    assert sorted(c["id"] for c in on_server) == sorted(e.resource_id for e in local)
    assert all(c["meta"]["versionId"] == "1" for c in on_server)
    assert len(world.server_search("AllergyIntolerance", api._auth())) == 1


@pytest.mark.parametrize("rewrite, why", [
    (None, "malformed JSON"),
    (lambda b: {**b, "resourceType": "Patient"}, "not a Bundle"),
    (lambda b: {**b, "entry": [{"resource": {"resourceType": "Account", "id": "x"},
                                "request": {"method": "PUT", "url": "Account/x"}}]}, "wrong type"),
    (lambda b: {**b, "entry": [{"resource": {"resourceType": "Condition", "id": "stranger",
                                             "subject": {"reference": "Patient/someone-else"},
                                             "meta": {"versionId": "1"}},
                                "request": {"method": "PUT", "url": "Condition/stranger"}}]}, "another patient"),
    (lambda b: {**b, "entry": [{"resource": "not an object", "request": {"method": "PUT"}}]}, "garbage entry"),
])
def test_bad_server_answers_are_refused_without_touching_the_cache(world, cache, rewrite, why):
    world.professional_writes("Condition")
    engine, _ = make_engine(world, cache)
    engine.sync_once()
    before = (cache.sync.cursor(), cache.resources.count())
    world.professional_writes("Condition")
    bad_engine, _ = make_engine(world, cache, Fault("$changes", "body", rewrite=rewrite))
    with pytest.raises(BadServerAnswer):
        bad_engine.sync_once()
    assert (cache.sync.cursor(), cache.resources.count()) == before, why
    assert cache.resources.get("Condition", "stranger") is None
    bad_engine.sync_once()  # the next, honest answer is applied
    assert cache.resources.count("Condition") == 2


def test_an_expired_access_token_is_refreshed_mid_sync(world, cache, app):
    from server.clock import utcnow
    from server.db import transaction
    from server.models import Token
    from server.services.secrets import digest

    engine, transport = make_engine(world, cache)
    for _ in range(8):
        world.professional_writes("Condition")
    with transaction(app.state.session_factory) as session:
        # As if it had expired: the server no longer accepts it.
        session.get(Token, digest(engine.api.tokens.access_token)).revoked_at = utcnow()
    engine.sync_once()
    assert cache.resources.count("Condition") == 8
    assert "POST /auth/token/refresh" in transport.requests


def test_a_revoked_device_stops_with_session_expired_and_the_cache_stays_readable(world, cache, app):
    engine, _ = make_engine(world, cache)
    world.professional_writes("Condition")
    engine.sync_once()
    other = signed_in_api(world, device_name="laptop")
    other.revoke_device(engine.api.tokens.device_id)
    world.professional_writes("Condition")
    with pytest.raises(SessionExpired):
        engine.sync_once()
    assert engine.api.tokens is None
    assert cache.resources.count("Condition") == 1  # still there, offline


def test_offline_is_reported_as_offline(world, cache):
    engine, _ = make_engine(world, cache, Fault("$changes", "drop", times=5))
    with pytest.raises(Offline):
        engine.sync_once()
    assert isinstance(Offline("x"), SyncError)
