"""The sync engine against the real server on loopback and a real encrypted cache."""
import uuid


from storage.records import OutboxStatus
from sync.engine import SyncReport
from tests.server.fhir_samples import sample

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ids(cache, resource_type):
    return sorted(r.id for r in cache.resources.list(resource_type))


def test_initial_sync_pulls_the_whole_record_in_pages(world, cache, engine):
    written = [world.professional_writes("Condition") for _ in range(10)]
    written.append(world.professional_writes("AllergyIntolerance"))
    report = engine.sync_once()
    assert report.pages >= 2  # page_size=7
    assert ids(cache, "Condition") == sorted(r["id"] for r in written[:10])
    assert cache.resources.get("Patient", world.patient_id) is not None
    assert cache.sync.cursor()
    again = engine.sync_once()
    assert (again.upserted, again.deleted) == (0, 0)  # nothing new: nothing applied


def test_delta_sync_brings_new_changed_and_deleted_resources(world, cache, engine):
    kept = world.professional_writes("Condition")
    doomed = world.professional_writes("Condition")
    engine.sync_once()
    world.professional_deletes("Condition", doomed["id"])
    added = world.professional_writes("Immunization")
    report = engine.sync_once()
    # Besides the Immunization, the two AuditEvents tracing the professional's delete and create.
    assert report.deleted == 1 and report.upserted == 3
    assert [e.action for e in cache.access_history.events()].count("Ajout au dossier") == 3  # and one delete
    assert ids(cache, "Condition") == [kept["id"]]
    assert ids(cache, "Immunization") == [added["id"]]


def test_document_files_are_prefetched_after_their_metadata(world, cache, engine):
    binary_id = world.professional_deposits_file(PDF)
    document = sample("DocumentReference", world.patient_id)
    document["content"][0]["attachment"]["url"] = f"Binary/{binary_id}"
    world.professional_writes("DocumentReference", **{"content": document["content"]})
    report = engine.sync_once()
    assert report.files_fetched == 1
    assert cache.documents.read_file(binary_id).data == PDF


def test_a_local_change_is_pushed_once_and_not_pulled_back_twice(world, cache, engine, api):
    engine.sync_once()
    condition = sample("Condition", world.patient_id, id=str(uuid.uuid4()))
    cache.resources.save_local(condition)
    report = engine.sync_once()
    assert report.pushed == 1 and not cache.outbox.entries()
    engine.sync_once()
    on_server = world.server_search("Condition", api._auth())
    assert [c["id"] for c in on_server] == [condition["id"]]
    assert ids(cache, "Condition") == [condition["id"]]


def test_pushing_the_same_outbox_twice_makes_one_resource(world, cache, engine, api):
    engine.sync_once()
    condition = sample("Condition", world.patient_id, id=str(uuid.uuid4()))
    entry = cache.resources.save_local(condition)
    # The engine marked it sending and pushed it, then the device crashed before noting success.
    cache.outbox.mark_sending(entry.id)
    api.put(entry.resource, entry.base_version)
    engine.sync_once()
    on_server = world.server_search("Condition", api._auth())
    assert len(on_server) == 1 and on_server[0]["meta"]["versionId"] == "1"
    assert not cache.outbox.entries()


def test_conflicting_edits_become_a_visible_conflict_keeping_both(world, cache, engine, api, app):
    from tests.sync.conftest import signed_in_api

    engine.sync_once()
    mine = sample("Condition", world.patient_id, id=str(uuid.uuid4()), note=[{"text": "v1"}])
    cache.resources.save_local(mine)
    engine.sync_once()
    other_device = signed_in_api(world, device_name="Camille's tablet")
    server_copy = other_device.read("Condition", mine["id"])
    other_device.put({**server_copy, "note": [{"text": "from the tablet"}]}, server_copy["meta"]["versionId"])

    local = cache.resources.get("Condition", mine["id"]).resource
    cache.resources.save_local({**local, "note": [{"text": "from the phone"}]})
    report = engine.sync_once()
    assert report.conflicts == 1
    (conflict,) = cache.outbox.entries(OutboxStatus.CONFLICT)
    assert conflict.resource["note"][0]["text"] == "from the phone"
    assert conflict.server_resource["note"][0]["text"] == "from the tablet"
    # Nothing was overwritten on the server.
    assert other_device.read("Condition", mine["id"])["note"][0]["text"] == "from the tablet"

    cache.outbox.keep_local(conflict.id)
    engine.sync_once()
    assert not cache.outbox.entries()
    assert other_device.read("Condition", mine["id"])["note"][0]["text"] == "from the phone"
    other_device.http.close()


def test_a_refused_change_is_marked_failed_and_stops_nothing_else(world, cache, engine, api):
    engine.sync_once()
    professional_item = world.professional_writes("Condition")
    engine.sync_once()
    # The patient tries to change what a professional wrote: the server refuses (read-only).
    local = cache.resources.get("Condition", professional_item["id"]).resource
    refused = cache.resources.save_local({**local, "note": [{"text": "not mine to change"}]})
    accepted = cache.resources.save_local(sample("AllergyIntolerance", world.patient_id, id=str(uuid.uuid4())))
    report = engine.sync_once()
    assert (report.failed, report.pushed) == (1, 1)
    (failed,) = cache.outbox.entries(OutboxStatus.FAILED)
    assert failed.id == refused.id and "read-only" in failed.failure
    assert accepted.resource_id in [a["id"] for a in world.server_search("AllergyIntolerance", api._auth())]


def test_a_document_added_on_the_device_uploads_its_file_first(world, cache, engine, api):
    engine.sync_once()
    document = sample("DocumentReference", world.patient_id)
    document.pop("content")
    document["type"] = {"coding": [{"system": "http://loinc.org", "code": "51855-5"}]}
    cache.documents.add_own(document, "application/pdf", PDF)
    report = engine.sync_once()
    assert report.pushed == 2 and not cache.outbox.entries()
    (on_server,) = [d for d in world.server_search("DocumentReference", api._auth())]
    binary_id = on_server["content"][0]["attachment"]["url"].split("/")[1]
    assert api.download_binary(binary_id, 1_000_000) == ("application/pdf", PDF)


def test_report_counts_start_at_zero():
    assert SyncReport() == SyncReport(0, 0, 0, 0, 0, 0, 0)
