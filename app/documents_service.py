"""Health documents for the screens: the list by pages (filters, search), one document and
its file (fetched on open when it is not on the device yet), and what the patient adds,
hides or deletes.

Blocking work runs off the UI loop: the cache through `LocalRecord.read/write`, PDF
rendering and Pillow with `asyncio.to_thread`. Files stay in memory (storage/SECURITY.md):
nothing here writes a document to disk. Pillow and PDFium are imported on first use, so
that unlocking (and the emergency card) does not wait for them.
"""
from __future__ import annotations

import asyncio
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Callable

from app.local_record import LocalRecord
from health.codes import CARNET_DOCUMENT_CATEGORY, DOCUMENT_CATEGORIES, DOCUMENT_TYPES, LOINC
from health.server_meta import author_kind
from storage import Cache
from storage.errors import FileCorrupt, FileNotFetched
from storage.records import Document, DocumentFile
from sync.errors import Offline, Refused, ServerUnavailable

if TYPE_CHECKING:
    from app.document_intake import PreparedDocument

PAGE_SIZE = 40
# A search reads at most this many hits, then applies the filters; enough for any words a
# patient types (a record holds a few thousand documents).
SEARCH_LIMIT = 1000
PATIENT_DOCUMENT_TYPE = "51855-5"  # "Document déposé par le patient"
DEFAULT_CATEGORY = "patient"
MAX_TITLE_LENGTH = 120
MAX_SHOWN_TEXT = 200_000
# PDF pages are rendered this many pixels wide for each pixel of the viewer (sharp on
# high-density screens), within these bounds (on a phone, wide enough to zoom into).
RENDER_SCALE = 1.5
MIN_RENDER_WIDTH, MAX_RENDER_WIDTH = 1000, 1600


class DocumentActionRefused(Exception):
    """Something the app refuses or cannot do with a document, in both languages (the
    screens show `message_fr` or `message_en` through `app.plain_words`)."""

    def __init__(self, message_fr: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_fr = message_fr
        self.message_en = message_en


def _gone() -> DocumentActionRefused:
    return DocumentActionRefused("Ce document n'est plus sur cet appareil : il a peut-être été supprimé.",
                                 "This document is no longer on this device: it may have been deleted.")


def _not_yours() -> DocumentActionRefused:
    return DocumentActionRefused(
        "Ce document a été déposé par un professionnel de santé : vous pouvez le masquer, pas le supprimer.",
        "A health professional added this document: you can hide it, not delete it.")


def _offline() -> DocumentActionRefused:
    return DocumentActionRefused(
        "Ce document n'est pas encore sur cet appareil et le serveur est injoignable. "
        "Réessayez une fois connecté à internet.",
        "This document is not on this device yet and the server cannot be reached. "
        "Try again once you are online.")


def _unavailable(reason: str) -> DocumentActionRefused:
    return DocumentActionRefused(f"Le fichier de ce document ne peut pas être téléchargé ({reason}).",
                                 f"This document's file cannot be downloaded ({reason}).")


def _no_file() -> DocumentActionRefused:
    return DocumentActionRefused("Ce document n'a pas de fichier.", "This document has no file.")


def _no_title() -> DocumentActionRefused:
    return DocumentActionRefused("Donnez un titre au document.", "Give the document a title.")


def _bad_date() -> DocumentActionRefused:
    return DocumentActionRefused("La date du document ne peut pas être dans le futur.",
                                 "The document's date cannot be in the future.")


@dataclass(frozen=True)
class DocumentFilters:
    """What the list shows; filters combine. Dates are "YYYY-MM-DD", both ends included."""

    category: str | None = None
    author: str | None = None
    since: str | None = None
    until: str | None = None
    text: str = ""

    @property
    def count(self) -> int:
        """How many filters are set beside the search words (shown on the filter button)."""
        return sum(value is not None for value in (self.category, self.author, self.since, self.until))

    @property
    def active(self) -> bool:
        return self.count > 0 or bool(self.text.strip())

    def matches(self, document: Document) -> bool:
        if self.category is not None and document.category != self.category:
            return False
        if self.author is not None and document.author != self.author:
            return False
        if self.since is not None and not (document.date and document.date >= self.since):
            return False
        return self.until is None or bool(document.date and document.date < _day_after(self.until))


@dataclass(frozen=True)
class DocumentPage:
    documents: tuple[Document, ...]
    next_offset: int | None  # None: there is nothing after this page


@dataclass(frozen=True)
class FilterChoices:
    counts: dict[str, int]  # documents per category
    authors: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class DocumentDetails:
    document: Document
    own: bool  # added by the patient (or on this device): the patient may delete it


@dataclass(frozen=True)
class OpenedFile:
    """A document's file ready to show: `kind` is "image", "pdf", "text" or "other"."""

    kind: str
    content_type: str
    data: bytes = field(repr=False)  # the file as stored: later PDF pages, "save a copy"
    shown: bytes = field(default=b"", repr=False)  # the image, or the first PDF page (PNG)
    page_count: int = 1
    text: str = field(default="", repr=False)


@dataclass
class AddDraft:
    """The add form while the patient fills it in (kept across a redraw of the screen)."""

    day: str
    file_name: str = ""
    prepared: PreparedDocument | None = None
    title: str = ""
    category: str = DEFAULT_CATEGORY
    description: str = ""


class DocumentsService:
    def __init__(self, record: LocalRecord, fetch_file: Callable[[str], DocumentFile],
                 author_name: Callable[[], str] = lambda: "") -> None:
        self._record = record
        self._fetch_file = fetch_file
        self._author_name = author_name
        # The navigator rebuilds the screen on show after a sync that changed the record;
        # what the patient chose there lives here, so that the rebuilt screen keeps it.
        self.filters = DocumentFilters()
        self.draft: AddDraft | None = None

    # -- the list ----------------------------------------------------------------------
    async def page(self, filters: DocumentFilters, offset: int = 0, limit: int = PAGE_SIZE) -> DocumentPage:
        """Documents newest first, `limit` from `offset`, matching every filter."""
        return await self._record.read(lambda cache: _page(cache, filters, offset, limit))

    async def filter_choices(self) -> FilterChoices:
        def choices(cache: Cache) -> FilterChoices:
            return FilterChoices(cache.documents.count_by_category(), tuple(cache.documents.authors()))
        return await self._record.read(choices)

    async def counts(self) -> dict[str, int]:
        return await self._record.read(lambda cache: cache.documents.count_by_category())

    # -- one document ------------------------------------------------------------------
    async def details(self, document_id: str) -> DocumentDetails:
        return await self._record.read(lambda cache: _details(cache, document_id))

    async def open_file(self, document: Document, viewer_width: float) -> OpenedFile:
        """The file, from the encrypted cache or else downloaded now, ready to draw."""
        file = await self.file(document)
        return await asyncio.to_thread(_for_display, file, _render_width(viewer_width))

    async def render_page(self, opened: OpenedFile, index: int, viewer_width: float) -> bytes:
        """Page `index` (0-based) of an opened PDF, as PNG bytes."""
        from app import pdf_pages

        rendered = await asyncio.to_thread(pdf_pages.render_page, opened.data, index,
                                           width_px=_render_width(viewer_width))
        return rendered.png_bytes

    async def file(self, document: Document) -> DocumentFile:
        if document.binary_id is None:
            raise _no_file()
        binary_id = document.binary_id
        try:
            return await self._record.read(lambda cache: cache.documents.read_file(binary_id))
        except FileNotFetched:
            pass
        except FileCorrupt:
            # Damaged on the device: drop it, then download it again.
            await self._record.read(lambda cache: cache.documents.remove_file(binary_id))
        try:
            return await asyncio.to_thread(self._fetch_file, binary_id)
        except (Offline, ServerUnavailable) as error:
            raise _offline() from error
        except Refused as refused:
            raise _unavailable(refused.message) from refused

    async def copy_to_save(self, document: Document) -> tuple[str, bytes]:
        """A file name and the bytes, for the "save a copy" dialog."""
        file = await self.file(document)
        return file_name_for(document.title or "document", file.content_type), file.data

    async def hide(self, document_id: str) -> None:
        """Hidden from professionals (except its author and the regular doctor, server side)."""
        await self._record.write(lambda cache: cache.documents.hide(document_id))

    async def unhide(self, document_id: str) -> None:
        await self._record.write(lambda cache: cache.documents.unhide(document_id))

    async def delete(self, document_id: str) -> None:
        """Delete a document the patient added; a professional's is refused here, before
        the server would refuse it."""
        await self._record.write(lambda cache: _delete(cache, document_id))

    # -- adding one --------------------------------------------------------------------
    def start_draft(self, today: date | None = None) -> AddDraft:
        self.draft = AddDraft(day=(today or date.today()).isoformat())
        return self.draft

    async def prepare(self, data: bytes, file_name: str | None) -> PreparedDocument:
        """Check and clean a picked file (orient, strip metadata, downscale; refuse bombs,
        unsupported types and oversized files with `DocumentRefused`)."""
        from app.document_intake import prepare_upload

        return await asyncio.to_thread(prepare_upload, bytes(data), file_name)

    async def add(self, prepared: PreparedDocument, *, title: str, category: str, day: str,
                  description: str = "", today: date | None = None) -> str:
        """Store the document (file, metadata, outbox) and have it pushed; its id."""
        resource = self.new_reference(title=title, category=category, day=day, description=description,
                                      today=today)
        await self._record.write(lambda cache: cache.documents.add_own(resource, prepared.content_type,
                                                                       prepared.data))
        return resource["id"]

    def new_reference(self, *, title: str, category: str, day: str, description: str = "",
                      today: date | None = None) -> dict:
        """The DocumentReference of a document the patient adds (without its file)."""
        title = " ".join(title.split())[:MAX_TITLE_LENGTH]
        if not title:
            raise _no_title()
        try:
            chosen = date.fromisoformat(day)
        except ValueError:
            raise _bad_date() from None
        if chosen > (today or date.today()):
            raise _bad_date()
        category = category if category in DOCUMENT_CATEGORIES else DEFAULT_CATEGORY
        patient = {"reference": f"Patient/{self._record.patient_id}"}
        author = {**patient, "display": self._author_name()} if self._author_name() else patient
        kind = DOCUMENT_TYPES[PATIENT_DOCUMENT_TYPE]
        resource = {
            "resourceType": "DocumentReference", "id": str(uuid.uuid4()), "status": "current",
            "docStatus": "final",
            "type": {"coding": [{"system": LOINC, "code": kind.loinc, "display": kind.label_fr}]},
            "category": [{"coding": [{"system": CARNET_DOCUMENT_CATEGORY, "code": category,
                                      "display": DOCUMENT_CATEGORIES[category].label_fr}]}],
            "subject": patient,
            # Noon UTC: the same calendar day wherever the patient reads it.
            "date": f"{chosen.isoformat()}T12:00:00Z",
            "author": [author],
            "content": [{"attachment": {"title": title}}],
            "context": {"period": {"start": chosen.isoformat()}},
        }
        if description.strip():
            resource["description"] = description.strip()[:2000]
        return resource


def _page(cache: Cache, filters: DocumentFilters, offset: int, limit: int) -> DocumentPage:
    if filters.text.strip():
        hits = [d for d in cache.documents.search(filters.text, limit=SEARCH_LIMIT) if filters.matches(d)]
        # Newest first like the list (grouped by month on screen), ties by id.
        hits.sort(key=lambda d: d.id)
        hits.sort(key=lambda d: d.date or "", reverse=True)
        chunk = hits[offset:offset + limit]
        more = offset + limit < len(hits)
    else:
        found = cache.documents.list(category=filters.category, author=filters.author, since=filters.since,
                                     until=_day_after(filters.until) if filters.until else None,
                                     limit=limit + 1, offset=offset)
        chunk, more = found[:limit], len(found) > limit
    return DocumentPage(tuple(chunk), offset + len(chunk) if more else None)


def _details(cache: Cache, document_id: str) -> DocumentDetails:
    document = cache.documents.get(document_id)
    stored = cache.resources.get("DocumentReference", document_id)
    if document is None or stored is None:
        raise _gone()
    return DocumentDetails(document, author_kind(stored.resource) in (None, "patient"))


def _delete(cache: Cache, document_id: str) -> None:
    details = _details(cache, document_id)
    if not details.own:
        raise _not_yours()
    binary_id = details.document.binary_id
    cache.resources.delete_local("DocumentReference", document_id)
    # A file still waiting to be pushed is read by the sync engine: it stays until sent.
    if binary_id and not any(entry.resource_type == "Binary" and entry.resource_id == binary_id
                             for entry in cache.outbox.entries()):
        cache.documents.remove_file(binary_id)


def _for_display(file: DocumentFile, width_px: int) -> OpenedFile:
    from app.document_intake import detect_content_type, prepare_upload

    kind = detect_content_type(file.data)
    if kind == "application/pdf":
        from app import pdf_pages

        first = pdf_pages.render_page(file.data, 0, width_px=width_px)
        return OpenedFile("pdf", file.content_type, file.data, first.png_bytes, first.page_count)
    if kind is not None and kind.startswith("image/"):
        # The same checks as for an added photo: a file from elsewhere may be a
        # decompression bomb; the browser then draws a modest, upright JPEG or PNG.
        shown = prepare_upload(file.data, None).data
        return OpenedFile("image", file.content_type, file.data, shown)
    if file.content_type.startswith("text/"):
        return OpenedFile("text", file.content_type, file.data,
                          text=file.data[:MAX_SHOWN_TEXT].decode("utf-8", errors="replace"))
    return OpenedFile("other", file.content_type, file.data)


def _render_width(viewer_width: float) -> int:
    return int(max(MIN_RENDER_WIDTH, min(MAX_RENDER_WIDTH, (viewer_width or 800) * RENDER_SCALE)))


def _day_after(day: str) -> str:
    try:
        return (date.fromisoformat(day[:10]) + timedelta(days=1)).isoformat()
    except ValueError:
        return day


_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp",
               "text/plain": "txt"}


def file_name_for(title: str, content_type: str) -> str:
    """'Bilan sanguin / mars' + PDF → 'Bilan sanguin mars.pdf' (safe on every system)."""
    stem = re.sub(r"[^\w\s.-]+", " ", title, flags=re.UNICODE)
    stem = " ".join(stem.split()).strip(" .")[:80] or "document"
    return f"{stem}.{_EXTENSIONS.get(content_type.split(';')[0].strip(), 'bin')}"

