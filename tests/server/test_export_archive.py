"""The export archive: a ZIP streamed with the whole record, its files and a PDF summary."""
from __future__ import annotations

import hashlib
import io
import json
import os
import tracemalloc
import uuid
import zipfile

import httpx
import pypdfium2 as pdfium
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from server.clock import utcnow
from server.demo.cast import DEMO_PATIENT
from server.demo.load import load_demo
from server.models import Account, BinaryBlob, Resource
from server.principal import Principal
from server.services import export_archive, record_store
from tests.factories import bearer, make_patient
from tests.server.auth_flows import cheap
from tests.server.fhir_samples import make_world, sample


def _pdf_text(data: bytes) -> tuple[int, str]:
    document = pdfium.PdfDocument(data)
    try:
        return len(document), "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def _demo_patient(app, settings) -> Account:
    load_demo(app.state.session_factory, cheap(settings))
    with app.state.session_factory() as session:
        return session.scalar(select(Account).where(Account.identifier == DEMO_PATIENT.ins))


def test_the_archive_holds_the_whole_record_its_files_and_a_readable_summary(client, app, settings):
    patient = _demo_patient(app, settings)
    factory = app.state.session_factory
    headers = bearer(factory, settings, patient)
    with factory() as session:
        allergy = session.scalar(select(Resource).where(Resource.patient_account_id == patient.id,
                                                        Resource.resource_type == "AllergyIntolerance",
                                                        Resource.author_kind == "patient"))
    assert client.delete(f"/fhir/AllergyIntolerance/{allergy.id}", headers=headers).status_code == 204

    response = client.get(f"/fhir/Patient/{patient.fhir_id}/$export-archive", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith('attachment; filename="carnet-export-')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None  # every entry's CRC checks

    record = json.loads(archive.read("record.json"))
    Bundle.model_validate(record)
    assert record["type"] == "collection"
    keys = [f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in record["entry"]]
    assert len(keys) == len(set(keys))
    with factory() as session:
        current = {f"{kind}/{ident}" for kind, ident in session.execute(select(Resource.resource_type, Resource.id)
                   .where(Resource.patient_account_id == patient.id, Resource.deleted.is_(False)))}
        blobs = {blob.id: blob for blob in session.scalars(select(BinaryBlob).where(
            BinaryBlob.patient_account_id == patient.id))}
    assert {k for k in keys if not k.startswith("Practitioner/")} == current
    assert f"AllergyIntolerance/{allergy.id}" not in keys
    assert any(k.startswith("Practitioner/") for k in keys)

    files = {name.split("/", 1)[1].rsplit(".", 1)[0]: name for name in archive.namelist() if name.startswith("files/")}
    assert len(blobs) > 90 and set(files) == set(blobs)
    for binary_id, blob in blobs.items():
        assert hashlib.sha256(archive.read(files[binary_id])).hexdigest() == blob.sha256
    assert files[next(iter(blobs))].endswith((".pdf", ".jpg"))

    pages, text = _pdf_text(archive.read("summary.pdf"))
    assert pages >= 2 and f"page 1 / {pages}" in text
    assert "Allergies et intolérances" in text and "Pénicilline" in text and "Acariens" in text
    assert allergy.content["code"]["text"] not in text.split("Traitements en cours")[0]  # deleted: not listed
    assert DEMO_PATIENT.family in text and "Groupe sanguin" in text and "Documents (" in text
    assert f"{utcnow():%d/%m/%Y}" in text
    readme = archive.read("README.txt").decode("utf-8")
    assert "FRANÇAIS" in readme and "ENGLISH" in readme and "record.json" in readme and "summary.pdf" in readme


def test_a_resource_written_during_the_download_is_in_the_archive_once(client, app, settings):
    world = make_world(client, app, settings)
    for _ in range(6):
        assert world.post(world.as_patient, sample("Condition", world.patient.fhir_id)).status_code == 201
    factory = app.state.session_factory
    small_pages = settings.model_copy(update={"page_size_max": 3})
    with factory() as session:
        archive = export_archive.open_archive(
            session, small_pages, _principal(world.patient), world.patient.fhir_id, factory,
            base_url="http://testserver/fhir", now=utcnow())
    chunks = [next(archive.chunks), next(archive.chunks)]  # the README, then the first page
    with factory() as session, session.begin():
        first = session.scalar(select(Resource).where(Resource.patient_account_id == world.patient.id)
                               .order_by(Resource.seq).limit(2).offset(1))
        record_store.store(session, {**first.content, "note": [{"text": "changed meanwhile"}]},
                           patient_account_id=world.patient.id, author=record_store.PLATFORM)
    chunks += list(archive.chunks)
    record = json.loads(zipfile.ZipFile(io.BytesIO(b"".join(chunks))).read("record.json"))
    ids = [e["resource"]["id"] for e in record["entry"]]
    assert len(ids) == len(set(ids)) == 7 and first.id in ids


def _principal(account) -> Principal:
    return Principal(account.id, account.kind, account.fhir_id, "test-device")


def test_a_large_archive_streams_in_little_memory(app, settings):
    factory = app.state.session_factory
    files = 12
    patient = make_patient(factory)
    size = 1024 * 1024
    digests = {}
    with factory() as session, session.begin():
        for _ in range(files):
            data = b"%PDF-" + os.urandom(size - 5)  # random: nothing to gain from compression
            blob_id = str(uuid.uuid4())
            digests[blob_id] = hashlib.sha256(data).hexdigest()
            session.add(BinaryBlob(id=blob_id, patient_account_id=patient.id, content_type="application/pdf",
                                   size=len(data), sha256=digests[blob_id], data=data, created_at=utcnow()))
    with factory() as session:
        archive = export_archive.open_archive(session, settings, _principal(patient), patient.fhir_id, factory,
                                              base_url="http://testserver/fhir", now=utcnow())
    tracemalloc.start()
    try:
        out = io.BytesIO()
        total, largest = 0, 0
        for chunk in archive.chunks:
            total, largest = total + len(chunk), max(largest, len(chunk))
            out.write(hashlib.sha256(chunk).digest())  # keep nothing of the chunk itself
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert total > files * size
    assert largest <= export_archive.FILE_SLICE_BYTES + 64 * 1024
    # About one file and one slice at a time, not the archive's 12 MiB.
    assert peak < 4 * size, f"peak {peak} bytes for an archive of {total}"


def test_the_archive_streams_over_a_real_connection(live_server, settings):
    factory = live_server.app.state.session_factory
    patient = make_patient(factory)
    data = b"%PDF-1.7\n" + os.urandom(3 * export_archive.FILE_SLICE_BYTES)
    with factory() as session, session.begin():
        session.add(BinaryBlob(id="big-scan", patient_account_id=patient.id, content_type="application/pdf",
                               size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                               created_at=utcnow()))
    url = f"{live_server.url}/fhir/Patient/{patient.fhir_id}/$export-archive"
    with httpx.stream("GET", url, headers=bearer(factory, settings, patient), timeout=30) as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers  # sent as it is written
        parts = list(response.iter_raw())
    assert len(parts) > 1
    archive = zipfile.ZipFile(io.BytesIO(b"".join(parts)))
    assert archive.read("files/big-scan.pdf") == data
    assert _pdf_text(archive.read("summary.pdf"))[1].count("Camille Martin") >= 1
