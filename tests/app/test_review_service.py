"""Changes to review against the real server and a real encrypted cache: a conflict made by
a second device, settled for either version; a change the server refused (the patient edited
a professional's entry), sent again or given up, which puts the server's version back."""
from __future__ import annotations

import uuid

import pytest

from tests.app.conftest import run
from tests.app.test_profile_service import eventually
from tests.app.test_services import sign_in, wait_for_sync
from tests.server.fhir_samples import sample
from sync.errors import Offline


def _second_device_edits(world, resource_id: str, text: str) -> None:
    from tests.sync.conftest import signed_in_api
    other = signed_in_api(world, device_name="Camille's tablet")
    try:
        current = other.read("Condition", resource_id)
        other.put({**current, "note": [{"text": text}]}, current["meta"]["versionId"])
    finally:
        other.http.close()


def _server_note(world, resource_id: str) -> str:
    (found,) = [c for c in world.server_search("Condition", world.professional_headers) if c["id"] == resource_id]
    return found["note"][0]["text"]


async def _local_note(services, resource_id: str) -> str:
    stored = await services.record.read(lambda cache: cache.resources.get("Condition", resource_id))
    return stored.resource["note"][0]["text"]


async def _conflict(services, world, mine_text: str):
    """A condition of the patient's, pushed; changed by another device, then here: a conflict."""
    condition = sample("Condition", world.patient_id, id=str(uuid.uuid4()), note=[{"text": "v1"}])
    await services.record.write(lambda cache: cache.resources.save_local(condition))
    await eventually(lambda: _settled(services), "the condition pushed")
    _second_device_edits(world, condition["id"], "from the tablet")
    local = await services.record.read(lambda cache: cache.resources.get("Condition", condition["id"]).resource)
    await services.record.write(lambda cache: cache.resources.save_local({**local, "note": [{"text": mine_text}]}))
    await eventually(lambda: _to_review(services, 1), "the conflict")
    return condition["id"]


async def _refused_edit(services, world, item: dict, text: str):
    """Signed in and synced, the patient changes a professional's entry: the server refuses it."""
    await sign_in(services, world)
    await wait_for_sync(services)
    local = await services.record.read(lambda cache: cache.resources.get("Condition", item["id"]).resource)
    await services.record.write(lambda cache: cache.resources.save_local({**local, "note": [{"text": text}]}))
    await eventually(lambda: _to_review(services, 1), "the refusal")
    (refused,) = await services.review.changes()
    return refused


async def _settled(services):
    return services.sync_line.pending_changes == 0 and not services.sync_line.syncing


async def _to_review(services, count: int):
    return services.sync_line.to_review == count


def test_a_conflict_shows_both_versions_and_the_servers_can_be_taken(services, world):
    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        resource_id = await _conflict(services, world, "from the phone")
        (change,) = await services.review.changes()
        await services.review.take_theirs(change.id)
        return change, await services.review.changes(), services.sync_line.to_review, \
            await _local_note(services, resource_id), resource_id

    change, after, to_review, local, resource_id = run(scenario())
    assert (change.kind, change.resource_type, change.operation) == ("conflict", "Condition", "update")
    assert change.yours.title == change.theirs.title == "Hypertension"
    assert change.made_at is not None and change.reason is None
    assert after == [] and to_review == 0
    assert local == "from the tablet" and _server_note(world, resource_id) == "from the tablet"


def test_keeping_ones_version_sends_it_over_the_servers(services, world):
    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        resource_id = await _conflict(services, world, "from the phone")
        (change,) = await services.review.changes()
        await services.review.keep_mine(change.id)
        await eventually(lambda: _settled(services), "my version pushed")
        return resource_id, await services.review.changes()

    resource_id, after = run(scenario())
    assert after == [] and _server_note(world, resource_id) == "from the phone"


def test_a_refused_change_shows_the_servers_words_and_can_be_given_up(services, world):
    professional_item = world.professional_writes("Condition")

    async def scenario():
        refused = await _refused_edit(services, world, professional_item, "not mine to change")
        await services.review.send_again(refused.id)  # refused again: still there, not lost
        await eventually(lambda: _to_review(services, 1), "the second refusal")
        (again,) = await services.review.changes()
        await services.review.give_up(again.id)
        stored = await services.record.read(
            lambda cache: cache.resources.get("Condition", professional_item["id"]).resource)
        return refused, await services.review.changes(), stored, services.sync_line

    refused, after, stored, line = run(scenario())
    assert (refused.kind, refused.operation) == ("refused", "update")
    assert "read-only" in refused.reason and refused.theirs is None
    assert after == [] and (line.to_review, line.pending_changes) == (0, 0)
    assert "note" not in stored  # the professional's version is back on the device


def test_giving_up_offline_is_refused_and_changes_nothing(services, world, live_server):
    professional_item = world.professional_writes("Condition")

    async def scenario():
        refused = await _refused_edit(services, world, professional_item, "mine")
        live_server.stop()
        with pytest.raises(Offline):
            await services.review.give_up(refused.id)
        return refused, await services.review.changes(), await _local_note(services, professional_item["id"])

    refused, after, note = run(scenario())
    assert [c.id for c in after] == [refused.id] and note == "mine"
