"""The export archive: one ZIP with the whole record, streamed as it is written.

    README.txt            what each part is, in French and English
    record.json           a FHIR R4 Bundle (type collection): every current resource of the
                          compartment and the Practitioners it names, each once
    files/<id>.<ext>      every document file (the Binary named by a DocumentReference's
                          content.attachment.url "Binary/<id>"), byte for byte
    summary.pdf           a readable summary in French

Nothing is written to disk and the archive is never whole in memory: zipfile writes into
a sink that the response drains after each page of resources and each slice of a file
(zipfile handles unseekable output with data descriptors). The record is read in pages,
each in a short transaction, and files one at a time, so memory stays about one page plus
one file, and no database connection is held while the client downloads. A resource
written during the download is in the archive once, in the state it had when its page was
read.
"""
from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from health.fhir_bundles import instant
from health.record_summary import RecordSummaryCollector
from server.config import Settings
from server.principal import Principal
from server.services import export
from server.services.export_pdf import render_summary
from server.services.record import StoredResource

FILE_SLICE_BYTES = 1024 * 1024
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "text/plain": "txt"}
# Already compressed: deflating them again costs time and saves nothing.
_STORED_TYPES = {"application/pdf", "image/jpeg", "image/png"}


@dataclass(frozen=True)
class ExportArchive:
    """An archive ready to stream: the caller was allowed, nothing has been read yet."""

    filename: str
    chunks: Iterator[bytes]


def open_archive(session: Session, settings: Settings, principal: Principal, patient_id: str,
                 session_factory: sessionmaker[Session], *, base_url: str, now: datetime) -> ExportArchive:
    """Check that `principal` may export `patient_id`'s record, and prepare its archive.

    The check happens here, before the response starts, so a refusal is a plain 403/404;
    the archive itself is read while it is sent (see `chunks`)."""
    account = export.exportable_patient(session, principal, patient_id)
    chunks = _archive_chunks(session_factory, account.id, patient_id, base_url=base_url, now=now,
                             page_size=settings.page_size_max)
    return ExportArchive(f"carnet-export-{now:%Y-%m-%d}.zip", (chunk for chunk in chunks if chunk))


def file_name(binary_id: str, content_type: str) -> str:
    """Where a document file is in the archive."""
    return f"files/{binary_id}.{_EXTENSIONS.get(content_type, 'bin')}"


class _Sink:
    """Write-only output for zipfile: collects bytes until the response takes them."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _archive_chunks(session_factory: sessionmaker[Session], account_id: str, patient_id: str, *,
                    base_url: str, now: datetime, page_size: int) -> Iterator[bytes]:
    sink = _Sink()
    stamp = now.timetuple()[:6]
    collector = RecordSummaryCollector()
    with zipfile.ZipFile(sink, "w") as archive:
        archive.writestr(_entry("README.txt", stamp), readme(now))
        yield sink.drain()
        with archive.open(_entry("record.json", stamp), "w", force_zip64=True) as record:
            for _page in _write_record(record, session_factory, account_id, patient_id, base_url, now,
                                         page_size, collector):
                yield sink.drain()
        for stored in export.compartment_files(session_factory, account_id):
            kind = zipfile.ZIP_STORED if stored.content_type in _STORED_TYPES else zipfile.ZIP_DEFLATED
            with archive.open(_entry(file_name(stored.id, stored.content_type), stamp, kind), "w") as out:
                for start in range(0, len(stored.data), FILE_SLICE_BYTES):
                    out.write(stored.data[start:start + FILE_SLICE_BYTES])
                    yield sink.drain()
            del stored  # one file in memory at a time
        archive.writestr(_entry("summary.pdf", stamp), render_summary(collector.summary(), exported_at=now))
    yield sink.drain()


def _write_record(out, session_factory: sessionmaker[Session], account_id: str, patient_id: str, base_url: str,
                  now: datetime, page_size: int, collector: RecordSummaryCollector) -> Iterator[int]:
    """Write record.json page by page (yielding after each page), feeding the summary as it goes."""
    head = json.dumps({"resourceType": "Bundle", "type": "collection", "timestamp": instant(now)})
    out.write(head[:-1].encode() + b', "entry": [\n')  # the object stays open for the entries
    written: set[str] = set()
    for page in export.compartment_pages(session_factory, account_id, patient_id, page_size):
        for stored in [*page.resources, *page.includes]:
            key = f"{stored.resource_type}/{stored.id}"
            if key in written or stored.content is None:
                continue  # a Practitioner named on several pages, or a resource rewritten meanwhile
            out.write((b",\n" if written else b"") + _bundle_entry(base_url, stored))
            written.add(key)
            collector.add(stored.content)
        yield len(written)
    out.write(b"\n]}\n")


def _bundle_entry(base_url: str, stored: StoredResource) -> bytes:
    entry = {"fullUrl": f"{base_url}/{stored.resource_type}/{stored.id}", "resource": stored.content}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _entry(name: str, stamp: tuple, compression: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = compression
    info.external_attr = 0o644 << 16  # a plain file readable by its owner once unzipped
    return info


def readme(now: datetime) -> str:
    """README.txt: what each part of the archive is, in French then English."""
    day = f"{now:%d/%m/%Y}"
    return f"""Carnet - export de votre dossier de santé / export of your health record
Export du {day} (UTC) / exported on {day} (UTC)

FRANÇAIS
Cette archive contient tout votre dossier Carnet tel qu'il était au moment de l'export.
- summary.pdf : une synthèse lisible (identité, allergies, traitements, maladies et
  antécédents, opérations, vaccinations, dernières mesures, groupe sanguin, directives
  anticipées, personnes de confiance et contacts, liste des documents).
- record.json : le dossier complet au format FHIR R4 (un Bundle de type "collection"),
  lisible par les logiciels de santé ; chaque ressource y figure une fois, avec les
  professionnels qui y sont cités (Practitioner).
- files/ : vos documents (ordonnances, comptes rendus, images...), tels qu'ils ont été
  déposés. Le fichier files/<id>.<ext> est celui que la ressource DocumentReference
  désigne par content.attachment.url = "Binary/<id>".
Gardez cette archive en lieu sûr : elle contient des données de santé.

ENGLISH
This archive holds your whole Carnet record as it was when it was exported.
- summary.pdf: a readable summary (identity, allergies, treatments, conditions and
  history, operations, vaccinations, latest measurements, blood group, advance
  directives, trusted persons and contacts, list of documents), in French.
- record.json: the complete record in FHIR R4 (a Bundle of type "collection"), readable
  by health software; every resource is in it once, with the professionals it names
  (Practitioner).
- files/: your documents (prescriptions, reports, images...) as they were deposited.
  The file files/<id>.<ext> is the one a DocumentReference names with
  content.attachment.url = "Binary/<id>".
Keep this archive somewhere safe: it holds health data.
"""
