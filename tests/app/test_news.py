"""What a sync brought to tell the patient: new documents and messages from professionals,
emergency accesses; never the first sync's whole record, never the patient's own changes."""
from __future__ import annotations

import asyncio

from app.news import News, NewsCollector
from storage.records import Change
from tests.app.conftest import run
from tests.app.test_services import sign_in, wait_for_sync
from tests.app.test_settings_service import sync_again
from tests.sync.conftest import cache, device  # noqa: F401 (fixtures reused)


def _professional(resource: dict, version: str = "1") -> dict:
    return {**resource, "meta": {"versionId": version, "tag": [{"system": "urn:carnet:author",
                                                                "code": "professional"}]}}


def test_news_counts_what_professionals_added_once(cache):
    collector = NewsCollector(cache)
    document = _professional({"resourceType": "DocumentReference", "id": "d1", "status": "current",
                              "subject": {"reference": "Patient/p"}, "content": [{"attachment": {"title": "x"}}]})
    cache.sync.apply_page([Change("DocumentReference", "d1", document)], "c1")
    assert collector.take() == News()  # the first sync: the record, not news

    mine = {**document, "id": "d2", "meta": {"versionId": "1", "tag": [{"system": "urn:carnet:author",
                                                                        "code": "patient"}]}}
    emergency = {"resourceType": "AuditEvent", "id": "a1", "recorded": "2026-01-01T00:00:00Z",
                 "purposeOfEvent": [{"coding": [{"code": "BTG"}]}]}
    message = _professional({"resourceType": "Communication", "id": "m1", "status": "completed"})
    cache.sync.apply_page([Change("DocumentReference", "d3", {**document, "id": "d3"}),
                           Change("DocumentReference", "d2", mine),
                           Change("DocumentReference", "d1", _professional(document, "2")),
                           Change("AuditEvent", "a1", emergency),
                           Change("Communication", "m1", message)], "c2")
    assert collector.take() == News(documents=1, messages=1, emergency_accesses=1)
    assert collector.take() == News()
    collector.stop()


def test_a_new_document_after_the_first_sync_is_news(services, world):
    lines = []

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        services.subscribe(lines.append)
        world.professional_writes("DocumentReference")
        await sync_again(services)
        await asyncio.sleep(0.1)  # the listener is called on the loop

    run(scenario())
    assert [line.news for line in lines if line.news] == [News(documents=1)]
