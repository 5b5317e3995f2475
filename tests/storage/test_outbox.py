"""Local changes: the record and the outbox change together, and the push lifecycle."""
from __future__ import annotations

import pytest

from storage.errors import InvalidChange, InvalidResource, NotFound
from storage.records import Operation, OutboxStatus
from tests.storage.samples import bundle, document


def _weight(value: float, ident: str | None = None) -> dict:
    resource = {"resourceType": "Observation", "status": "final", "effectiveDateTime": "2024-02-02",
                "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
                "valueQuantity": {"value": value, "unit": "kg"}}
    return {**resource, "id": ident} if ident else resource


def test_a_new_resource_gets_a_client_id_and_a_create_entry(cache):
    entry = cache.resources.save_local(_weight(70))
    assert entry.operation is Operation.CREATE and entry.base_version is None
    assert entry.status is OutboxStatus.PENDING and entry.attempts == 0
    stored = cache.resources.get("Observation", entry.resource_id)
    assert stored.resource["valueQuantity"]["value"] == 70


def test_editing_an_unsent_change_folds_into_its_entry(cache):
    first = cache.resources.save_local(_weight(70))
    second = cache.resources.save_local(_weight(71, first.resource_id))
    assert second.id == first.id and second.operation is Operation.CREATE
    assert second.resource["valueQuantity"]["value"] == 71
    assert len(cache.outbox.entries()) == 1


def test_deleting_an_unsent_creation_leaves_nothing_to_push(cache):
    entry = cache.resources.save_local(_weight(70))
    assert cache.resources.delete_local("Observation", entry.resource_id) is None
    assert cache.outbox.entries() == []
    assert cache.resources.get("Observation", entry.resource_id) is None


def test_updating_a_server_resource_carries_its_version(cache):
    cache.sync.apply_page(bundle(document("d1", version="7")), "c1")
    entry = cache.documents.hide("d1")
    assert (entry.operation, entry.base_version) == (Operation.UPDATE, "7")
    deletion = cache.resources.delete_local("DocumentReference", "d1")
    assert (deletion.id, deletion.operation, deletion.resource) == (entry.id, Operation.DELETE, None)


def test_the_change_and_its_entry_are_one_transaction(cache):
    cache.sync.apply_page(bundle(document("d1")), "c1")
    cache.db.connection.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON outbox "
                                "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(Exception, match="disk full"):
        cache.documents.hide("d1")
    assert cache.documents.get("d1").hidden is False
    assert cache.outbox.entries() == []


def test_push_lifecycle_and_rebase(cache):
    cache.sync.apply_page(bundle(document("d1", version="1")), "c1")
    entry = cache.documents.hide("d1")
    cache.outbox.mark_sending(entry.id)
    later = cache.documents.unhide("d1")  # made while the first push is in flight
    assert later.id != entry.id
    assert cache.outbox.next_to_push().id == entry.id  # in flight: resent after a crash
    cache.outbox.mark_sent(entry.id, "2")
    assert cache.outbox.get(later.id).base_version == "2"
    assert cache.documents.get("d1").version_id == "2"
    assert [e.id for e in cache.outbox.entries()] == [later.id]


def test_a_refused_change_waits_for_the_patient_with_the_servers_words(cache):
    entry = cache.resources.save_local({"resourceType": "Observation", "status": "final"})
    cache.outbox.mark_sending(entry.id)
    cache.outbox.mark_failed(entry.id, "Observation.code is required")
    failed = cache.outbox.get(entry.id)
    assert (failed.status, failed.failure, failed.attempts) == (
        OutboxStatus.FAILED, "Observation.code is required", 1)
    assert cache.outbox.next_to_push() is None
    assert cache.outbox.entries(OutboxStatus.FAILED) == [failed]


def test_a_412_conflict_resolved_for_the_local_version(cache):
    cache.sync.apply_page(bundle(document("d1", version="1")), "c1")
    entry = cache.documents.hide("d1")
    cache.outbox.mark_conflict(entry.id, document("d1", version="3", description="doctor's"))
    cache.outbox.keep_local(entry.id)
    resolved = cache.outbox.get(entry.id)
    assert (resolved.status, resolved.base_version, resolved.server_resource) == (OutboxStatus.PENDING, "3", None)
    assert cache.documents.get("d1").hidden is True


def test_a_conflict_resolved_for_the_server_version(cache):
    cache.sync.apply_page(bundle(document("d1", version="1")), "c1")
    entry = cache.documents.hide("d1")
    cache.outbox.mark_conflict(entry.id, document("d1", version="3", description="doctor's"))
    cache.outbox.keep_server(entry.id)
    assert cache.outbox.entries() == []
    document_now = cache.documents.get("d1")
    assert (document_now.hidden, document_now.description, document_now.version_id) == (False, "doctor's", "3")
    with pytest.raises(NotFound):
        cache.outbox.keep_server(entry.id)


def test_bad_local_changes_are_refused(cache):
    with pytest.raises(InvalidResource):
        cache.resources.save_local("{not json")
    with pytest.raises(InvalidChange):
        cache.resources.delete_local("Observation", "never-there")
    assert cache.outbox.entries() == []


def test_a_push_cut_short_by_a_crash_is_retried_after_unlock(device):
    from tests.storage.samples import PIN

    cache = device.create(PIN, "a")
    cache.sync.apply_page(bundle(document("d1")), "c1")
    entry = cache.documents.hide("d1")
    cache.outbox.mark_sending(entry.id)
    cache.close()  # the app dies while the request is in flight
    cache = device.unlock(PIN)
    assert cache.outbox.next_to_push().id == entry.id
    # The first attempt had reached the server: its echo settles the entry, no conflict.
    echoed = {**entry.resource, "meta": {**entry.resource["meta"], "versionId": "2"}}
    assert cache.sync.apply_page(bundle(echoed), "c2").conflicts == ()
    assert cache.outbox.entries() == []
    cache.close()


def test_a_refused_change_sent_again(cache):
    entry = cache.resources.save_local(_weight(70))
    cache.outbox.mark_failed(entry.id, "Service unavailable for this kind")
    assert (cache.sync.state().pending_changes, cache.sync.state().failed) == (0, 1)
    cache.outbox.retry(entry.id)
    again = cache.outbox.get(entry.id)
    assert (again.status, again.failure) == (OutboxStatus.PENDING, None)
    assert (cache.sync.state().pending_changes, cache.sync.state().failed) == (1, 0)
    with pytest.raises(NotFound):
        cache.outbox.retry(entry.id)  # not refused (any more)


def test_dropping_a_refused_update_puts_the_servers_version_back(cache):
    cache.sync.apply_page(bundle(document("d1", version="4", description="as filed")), "c1")
    entry = cache.resources.save_local({**cache.resources.get("DocumentReference", "d1").resource,
                                        "description": "my words"})
    cache.outbox.mark_failed(entry.id, "description too long")
    cache.outbox.drop_refused(entry.id, document("d1", version="5", description="as the server has it"))
    assert cache.outbox.entries() == []
    now = cache.documents.get("d1")
    assert (now.description, now.version_id) == ("as the server has it", "5")


def test_dropping_a_refused_creation_removes_it(cache):
    entry = cache.resources.save_local(_weight(70))
    cache.outbox.mark_failed(entry.id, "Observation.code is required")
    cache.outbox.drop_refused(entry.id, None)
    assert cache.resources.get("Observation", entry.resource_id) is None
    assert cache.outbox.entries() == [] and cache.sync.state().failed == 0


def test_dropping_a_refused_change_keeps_a_later_one(cache):
    cache.sync.apply_page(bundle(document("d1", version="1")), "c1")
    refused = cache.documents.hide("d1")
    cache.outbox.mark_failed(refused.id, "not now")
    later = cache.documents.unhide("d1")  # a new entry: a refused one is not folded into
    assert later.id != refused.id
    cache.outbox.drop_refused(refused.id, document("d1", version="1", description="server"))
    assert [e.id for e in cache.outbox.entries()] == [later.id]
    assert cache.documents.get("d1").description != "server"  # the later change's state stays


def test_dropping_refuses_another_resources_version_and_changes_nothing(cache):
    cache.sync.apply_page(bundle(document("d1", version="1"), document("d2", version="1")), "c1")
    entry = cache.documents.hide("d1")
    cache.outbox.mark_failed(entry.id, "no")
    with pytest.raises(InvalidChange):
        cache.outbox.drop_refused(entry.id, document("d2", version="2"))
    assert cache.outbox.get(entry.id).status is OutboxStatus.FAILED
    assert cache.documents.get("d1").hidden is True
