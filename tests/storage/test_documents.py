"""Documents: lists, full-text search, hiding, and their encrypted files."""
from __future__ import annotations

import pytest

from storage.errors import FileCorrupt, FileNotFetched, FileTooLarge
from storage.records import FileState, OutboxStatus
from tests.storage.samples import bundle, document


@pytest.fixture
def filled(cache):
    cache.sync.apply_page(bundle(
        document("rx", loinc="57833-6", description="Kinésithérapie dix séances", date="2024-03-01",
                 author="Dr Martin", binary="b-rx"),
        document("lab", loinc="11502-2", description="Bilan sanguin cholestérol", date="2024-05-01",
                 author="Dr Petit", binary="b-lab"),
        document("img", loinc="18748-4", description="IRM lombaire", date="2023-01-01",
                 author="Dr Martin", binary="b-img"),
        document("note", loinc="51855-5", description="Note personnelle", date="2022-01-01",
                 author="Camille Martin"),
    ), "c1")
    return cache


def test_list_newest_first_and_filters(filled):
    assert [d.id for d in filled.documents.list()] == ["lab", "rx", "img", "note"]
    assert [d.id for d in filled.documents.list(category="imaging")] == ["img"]
    assert [d.id for d in filled.documents.list(author="Dr Martin")] == ["rx", "img"]
    assert [d.id for d in filled.documents.list(since="2024-01-01", until="2024-04-01")] == ["rx"]
    assert [d.id for d in filled.documents.list(limit=2, offset=1)] == ["rx", "img"]
    assert filled.documents.count_by_category() == {"prescription": 1, "lab-result": 1,
                                                     "imaging": 1, "patient": 1}


def test_authors_present_once_each_in_alphabetical_order(filled):
    assert filled.documents.authors() == ["Camille Martin", "Dr Martin", "Dr Petit"]


def test_search_titles_and_descriptions_by_word_prefix_without_accents(filled):
    assert [d.id for d in filled.documents.search("kine")] == ["rx"]
    assert [d.id for d in filled.documents.search("bilan chol")] == ["lab"]
    assert [d.id for d in filled.documents.search("imagerie")] == ["img"]  # the type's title
    assert filled.documents.search("bilan irm") == []
    # Query syntax is not interpreted: quotes, stars and operators are just text.
    assert filled.documents.search('" OR * NEAR(') == []
    assert filled.documents.search("   ") == []


def test_search_follows_updates_and_deletions(filled):
    filled.sync.apply_page(bundle(document("lab", version="2", description="Numération formule"),
                                  deletions=("DocumentReference/img",)), "c2")
    assert filled.documents.search("cholestérol") == []
    assert [d.id for d in filled.documents.search("numeration")] == ["lab"]
    assert filled.documents.search("lombaire") == []


def test_hide_is_a_local_change_waiting_to_be_pushed(filled):
    entry = filled.documents.hide("rx")
    assert filled.documents.get("rx").hidden is True
    assert [d.id for d in filled.documents.list(include_hidden=False)] == ["lab", "img", "note"]
    assert filled.outbox.entries(OutboxStatus.PENDING) == [entry]
    filled.documents.unhide("rx")
    assert filled.documents.get("rx").hidden is False
    assert len(filled.outbox.entries()) == 1


def test_files_are_fetched_read_and_removed(filled):
    assert filled.documents.get("rx").file_state is FileState.NOT_FETCHED
    assert filled.documents.get("note").file_state is FileState.NONE
    assert filled.documents.not_fetched() == ["b-lab", "b-rx", "b-img"]
    with pytest.raises(FileNotFetched, match="not been downloaded"):
        filled.documents.read_file("b-rx")
    filled.documents.put_file("b-rx", "application/pdf", b"%PDF-1.7 scan")
    fetched = filled.documents.get("rx")
    assert (fetched.file_state, fetched.size, fetched.content_type) == (FileState.FETCHED, 13, "application/pdf")
    assert filled.documents.read_file("b-rx").data == b"%PDF-1.7 scan"
    filled.documents.put_file("b-rx", "application/pdf", b"%PDF-1.7 v2")
    assert filled.documents.read_file("b-rx").data == b"%PDF-1.7 v2"
    filled.documents.remove_file("b-rx")
    assert filled.documents.file_state("b-rx") is FileState.NOT_FETCHED
    assert list((filled.directory / "files").iterdir()) == []


def test_oversized_files_are_refused_and_nothing_is_written(filled):
    filled.documents.max_file_bytes = 1000
    with pytest.raises(FileTooLarge, match="too large") as raised:
        filled.documents.put_file("b-rx", "application/pdf", b"x" * 1001)
    assert raised.value.limit == 1000
    assert filled.documents.file_state("b-rx") is FileState.NOT_FETCHED
    assert list((filled.directory / "files").iterdir()) == []


def test_default_file_cap_is_20_megabytes(filled):
    assert filled.documents.max_file_bytes == 20_000_000


def test_a_tampered_or_swapped_file_is_detected(filled):
    filled.documents.put_file("b-rx", "application/pdf", b"%PDF rx")
    filled.documents.put_file("b-lab", "application/pdf", b"%PDF lab")
    files = filled.directory / "files"
    rx_name = filled.db.query("SELECT file_name FROM files WHERE binary_id = 'b-rx'")[0][0]
    lab_name = filled.db.query("SELECT file_name FROM files WHERE binary_id = 'b-lab'")[0][0]
    (files / rx_name).write_bytes((files / lab_name).read_bytes())
    with pytest.raises(FileCorrupt):
        filled.documents.read_file("b-rx")
    data = bytearray((files / lab_name).read_bytes())
    data[-1] ^= 1
    (files / lab_name).write_bytes(bytes(data))
    with pytest.raises(FileCorrupt, match="damaged"):
        filled.documents.read_file("b-lab")


def test_orphan_files_from_a_crash_are_removed_at_unlock(device):
    from tests.storage.samples import PIN

    cache = device.create(PIN, "a")
    cache.documents.put_file("b1", "application/pdf", b"%PDF")
    (device.directory / "files" / "left-by-a-crash").write_bytes(b"x")
    cache.close()
    cache = device.unlock(PIN)
    assert [p.name for p in (device.directory / "files").iterdir()] == [
        cache.db.query("SELECT file_name FROM files")[0][0]]
    cache.close()


def test_a_document_added_by_the_patient_queues_its_file_then_its_metadata(cache):
    entries = cache.documents.add_own({
        "resourceType": "DocumentReference", "status": "current", "date": "2026-11-20",
        "type": {"coding": [{"system": "http://loinc.org", "code": "57833-6"}]},
        "description": "Photo de l'ordonnance papier",
        "content": [{"attachment": {"title": "ordonnance.jpg"}}]}, "image/jpeg", b"\xff\xd8 photo")
    binary, metadata = entries
    assert (binary.resource_type, binary.resource) == ("Binary", {
        "resourceType": "Binary", "id": binary.resource_id, "contentType": "image/jpeg"})
    assert metadata.resource["content"][0]["attachment"]["url"] == f"Binary/{binary.resource_id}"
    assert [e.id for e in cache.outbox.entries()] == [binary.id, metadata.id]
    added = cache.documents.get(metadata.resource_id)
    assert (added.file_state, added.title, added.category) == (FileState.FETCHED, "ordonnance.jpg", "prescription")
    assert cache.documents.read_file(binary.resource_id).data == b"\xff\xd8 photo"
    assert cache.resources.get("Binary", binary.resource_id) is None


def test_an_oversized_own_document_is_refused_before_anything_is_queued(cache):
    cache.documents.max_file_bytes = 10
    with pytest.raises(FileTooLarge):
        cache.documents.add_own({"resourceType": "DocumentReference", "status": "current"},
                                "application/pdf", b"x" * 11)
    assert cache.outbox.entries() == [] and cache.documents.list() == []
