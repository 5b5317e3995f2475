"""Applying change-feed pages together with the cursor."""
from __future__ import annotations

import pytest

from storage.errors import InvalidChange
from storage.records import OutboxStatus
from tests.storage.samples import bundle, document


def test_a_page_upserts_deletes_and_moves_the_cursor(cache):
    cache.sync.apply_page(bundle(document("d1"), document("d2")), "c1")
    report = cache.sync.apply_page(bundle(document("d1", version="2", description="v2"),
                                          deletions=("DocumentReference/d2",)), "c2")
    assert (report.upserted, report.deleted, report.cursor) == (1, 1, "c2")
    assert cache.documents.get("d1").description == "v2"
    assert cache.documents.get("d1").version_id == "2"
    assert cache.documents.get("d2") is None
    assert cache.sync.cursor() == "c2"
    assert cache.sync.state().pulled_at is not None


def test_applying_the_same_page_twice_changes_nothing(cache):
    page = bundle(document("d1"), deletions=("DocumentReference/zz",))
    cache.sync.apply_page(page, "c1")
    cache.sync.apply_page(page, "c1")
    assert cache.resources.count() == 1
    assert len(cache.documents.search("ordonnance")) == 1


@pytest.mark.parametrize("entry, message", [
    ({"resource": {"resourceType": "Observation"}}, "entry 1: Invalid health record entry"),
    ({"request": {"method": "DELETE", "url": "nonsense"}}, "not Type/id"),
    ("garbage", "entry 1 is not an object"),
])
def test_a_bad_entry_refuses_the_whole_page(cache, entry, message):
    cache.sync.apply_page(bundle(document("d1")), "c1")
    page = bundle(document("d2"))
    page["entry"].append(entry)
    with pytest.raises(InvalidChange, match=message):
        cache.sync.apply_page(page, "c2")
    assert cache.documents.get("d2") is None
    assert cache.sync.cursor() == "c1"


def test_a_page_needs_a_cursor_and_a_bundle(cache):
    with pytest.raises(InvalidChange, match="cursor"):
        cache.sync.apply_page(bundle(document("d1")), "")
    with pytest.raises(InvalidChange, match="not a FHIR Bundle"):
        cache.sync.apply_page({"resourceType": "Patient"}, "c")


def test_a_server_change_to_a_locally_edited_resource_becomes_a_conflict(cache):
    cache.sync.apply_page(bundle(document("d1")), "c1")
    entry = cache.documents.hide("d1")
    report = cache.sync.apply_page(bundle(document("d1", version="2", description="by the doctor")), "c2")
    assert report.conflicts == (entry.id,)
    # Both versions are kept: the local one in the record, the server's in the entry.
    assert cache.documents.get("d1").hidden is True
    conflict = cache.outbox.get(entry.id)
    assert conflict.status is OutboxStatus.CONFLICT
    assert conflict.server_resource["description"] == "by the doctor"
    assert cache.sync.state().conflicts == 1


def test_the_base_version_coming_back_is_not_a_conflict(cache):
    cache.sync.apply_page(bundle(document("d1")), "c1")
    cache.documents.hide("d1")
    report = cache.sync.apply_page(bundle(document("d1")), "c2")
    assert report.conflicts == ()
    assert cache.documents.get("d1").hidden is True


def test_our_own_change_echoed_by_the_server_clears_the_entry(cache):
    """The push succeeded but the app died before recording it: the feed settles it."""
    cache.sync.apply_page(bundle(document("d1")), "c1")
    entry = cache.documents.hide("d1")
    cache.outbox.mark_sending(entry.id)
    echoed = {**entry.resource, "meta": {**entry.resource["meta"], "versionId": "2"}}
    report = cache.sync.apply_page(bundle(echoed), "c2")
    assert report.conflicts == ()
    assert cache.outbox.entries() == []
    assert cache.documents.get("d1").version_id == "2"


def test_a_server_deletion_of_a_locally_edited_resource_is_a_conflict(cache):
    cache.sync.apply_page(bundle(document("d1")), "c1")
    entry = cache.documents.hide("d1")
    cache.sync.apply_page(bundle(deletions=("DocumentReference/d1",)), "c2")
    assert cache.outbox.get(entry.id).status is OutboxStatus.CONFLICT
    assert cache.outbox.get(entry.id).failure == "deleted on the server"
    cache.outbox.keep_server(entry.id)
    assert cache.documents.get("d1") is None


def test_a_server_deletion_of_a_locally_deleted_resource_settles_the_entry(cache):
    cache.sync.apply_page(bundle(document("d1")), "c1")
    cache.resources.delete_local("DocumentReference", "d1")
    report = cache.sync.apply_page(bundle(deletions=("DocumentReference/d1",)), "c2")
    assert report.conflicts == () and cache.outbox.entries() == []
