"""Secure messaging on the device: the inbox, a conversation, a reply (with a file), read
receipts and filing an attachment into the documents. Everything works offline: a reply
and a read receipt wait on the device (the reply shown pending) until the next sync.

Messages are FHIR Communications (server/FEED.md): care teams open conversations, the
patient replies in them. A reply names the conversation's first message in `partOf`; the
device sets `sent`, `sender` (the patient) and `recipient` (whoever opened it) itself, so
the server stores it as pushed and a push whose answer was lost settles without conflict.
"""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Callable

from app.local_record import LocalRecord
from health.codes import CARNET_DOCUMENT_CATEGORY, DOCUMENT_CATEGORIES, DOCUMENT_TYPES, LOINC
from health.fhir_index import parse_fhir_date
from storage import Cache
from storage.errors import FileNotFetched, InvalidChange
from storage.records import Conversation, DocumentFile, Message
from sync.errors import Offline, ServerUnavailable

if TYPE_CHECKING:
    from app.document_intake import PreparedDocument

MAX_REPLY_CHARACTERS = 5000
DEFAULT_FILING_CATEGORY = "patient"
PATIENT_NOTE_TYPE = "51855-5"  # "Document déposé par le patient": for categories with no type of their own
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class MessageRefused(InvalidChange):
    """A reply or a filing that cannot be made, in words for the patient."""

    def __init__(self, message_fr: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_fr, self.message_en = message_fr, message_en


NO_SUCH_CONVERSATION = ("Cette conversation n'est pas sur cet appareil.", "This conversation is not on this device.")


@dataclass(frozen=True)
class Thread:
    """One conversation as the thread screen shows it."""

    first_message_id: str
    subject: str | None
    opener: str | None  # the care team that started it
    messages: list[Message]


@dataclass
class Draft:
    """A reply being written, kept while the patient moves between screens (in memory only)."""

    text: str = ""
    attachment: PreparedDocument | None = field(default=None, repr=False)
    file_name: str | None = None


class MessagesService:
    def __init__(self, record: LocalRecord, fetch_file: Callable[[str], DocumentFile]) -> None:
        self._record = record
        self._fetch_file = fetch_file
        self.drafts: dict[str, Draft] = {}

    def draft(self, first_message_id: str) -> Draft:
        """The reply being written in this conversation (kept while the app is open)."""
        return self.drafts.setdefault(first_message_id, Draft())

    # -- reading -----------------------------------------------------------------------
    async def inbox(self, search: str = "") -> list[Conversation]:
        """Conversations, unread first, then the most recent; only those matching `search`."""
        return await self._record.read(lambda cache: cache.messages.search(search))

    async def unread_count(self) -> int:
        return await self._record.read(lambda cache: cache.messages.unread_count())

    async def thread(self, first_message_id: str) -> Thread:
        def read(cache: Cache) -> Thread:
            messages = cache.messages.thread(_thread_of(first_message_id))
            if not messages:
                raise MessageRefused(*NO_SUCH_CONVERSATION)
            first = messages[0]
            return Thread(first_message_id, first.subject, first.sender, messages)
        return await self._record.read(read)

    async def mark_read(self, first_message_id: str) -> int:
        """Mark the conversation's unread messages read: at once on the device, on the
        server at the next sync (once). Returns how many were unread."""
        unread = await self._record.read(lambda cache: [
            message.id for message in cache.messages.thread(_thread_of(first_message_id)) if not message.read])
        if not unread:
            return 0
        return len(await self._record.write(lambda cache: cache.read_receipts.mark(unread)))

    # -- replying ----------------------------------------------------------------------
    async def prepare_attachment(self, data: bytes, file_name: str | None) -> PreparedDocument:
        """A picked file or photo checked and cleaned as for documents (app.document_intake)."""
        from app.document_intake import DocumentRefused, prepare_upload  # Pillow: only when a file is added

        try:
            return await asyncio.to_thread(prepare_upload, data, file_name)
        except DocumentRefused as refused:
            raise MessageRefused(refused.message_fr, refused.message_en) from None

    async def reply(self, first_message_id: str, text: str, attachment: PreparedDocument | None = None,
                    *, now: datetime | None = None) -> Message:
        """Write a reply in the conversation; it is pushed at the next sync (pending until then)."""
        text = (text or "").strip()
        if not text and attachment is None:
            raise MessageRefused("Écrivez un message ou joignez un fichier.", "Write a message or attach a file.")
        if len(text) > MAX_REPLY_CHARACTERS:
            raise MessageRefused(f"Le message est trop long ({len(text)} caractères, {MAX_REPLY_CHARACTERS} au plus).",
                                 f"The message is too long ({len(text)} characters, {MAX_REPLY_CHARACTERS} at most).")
        moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        patient_id = self._record.patient_id

        def write(cache: Cache) -> Message:
            first = cache.resources.get("Communication", first_message_id)
            if first is None or first.resource.get("partOf") or first.resource.get("inResponseTo"):
                raise MessageRefused(*NO_SUCH_CONVERSATION)
            latest = max((parse_fhir_date(m.sent) for m in cache.messages.thread(_thread_of(first_message_id))
                          if m.sent), default=None)
            # After what it answers, even when this device's clock is behind the server's.
            when = max(moment, latest + timedelta(seconds=1)) if latest else moment
            message = _reply(first.resource, patient_id, text, when)
            file = None
            if attachment is not None:
                file = (attachment.content_type, attachment.data, _file_title(attachment))
            cache.messages.add_reply(message, file)
            return cache.messages.get(message["id"])

        sent = await self._record.write(write)
        self.drafts.pop(first_message_id, None)
        return sent

    # -- attachments -------------------------------------------------------------------
    async def attachment_file(self, binary_id: str) -> DocumentFile:
        """An attachment's bytes: from the device, else downloaded now (then kept)."""
        def read(cache: Cache) -> DocumentFile:
            try:
                return cache.documents.read_file(binary_id)
            except FileNotFetched:
                pass
            try:
                return self._fetch_file(binary_id)
            except (Offline, ServerUnavailable):
                raise MessageRefused("Ce fichier n'est pas encore sur cet appareil : il sera téléchargé à la "
                                     "prochaine connexion.",
                                     "This file is not on this device yet: it will be downloaded when you are "
                                     "next online.") from None
        return await self._record.read(read)

    async def file_into_documents(self, message_id: str, binary_id: str,
                                  category: str = DEFAULT_FILING_CATEGORY, *, now: datetime | None = None) -> str:
        """File a message's attachment into the documents, in `category`: a DocumentReference
        of the patient's on the same file. Returns the document's id (the one already made
        if this file was filed before)."""
        if category not in DOCUMENT_CATEGORIES:
            raise MessageRefused("Choisissez une catégorie de documents.", "Choose a category of documents.")
        moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        patient_id = self._record.patient_id

        def write(cache: Cache) -> str:
            message = cache.messages.get(message_id)
            attachment = next((a for a in message.attachments if a.binary_id == binary_id), None) if message else None
            if attachment is None:
                raise MessageRefused("Cette pièce jointe n'est pas sur cet appareil.",
                                     "This attachment is not on this device.")
            filed = cache.messages.filed_document(binary_id)
            if filed:
                return filed
            document = _document(attachment, message, category, patient_id, moment)
            cache.resources.save_local(document)
            return document["id"]
        return await self._record.write(write)


def _thread_of(first_message_id: str) -> str:
    return f"Communication/{first_message_id}"


def _reply(first: dict, patient_id: str, text: str, moment: datetime) -> dict:
    message = {"resourceType": "Communication", "id": str(uuid.uuid4()), "status": "completed",
               "subject": {"reference": f"Patient/{patient_id}"},
               "partOf": [{"reference": f"Communication/{first['id']}"}],
               "sent": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
               "sender": {"reference": f"Patient/{patient_id}"},
               "payload": [{"contentString": text}] if text else []}
    if isinstance(first.get("topic"), dict):
        message["topic"] = first["topic"]
    if isinstance(first.get("sender"), dict):
        message["recipient"] = [first["sender"]]
    return message


def _file_title(attachment: PreparedDocument) -> str:
    extension = _EXTENSIONS.get(attachment.content_type, "bin")
    return f"{attachment.title or 'Pièce jointe'}.{extension}"


def _document(attachment, message: Message, category: str, patient_id: str, moment: datetime) -> dict:
    type_code = next((code for code, kind in DOCUMENT_TYPES.items() if kind.category == category
                      and category not in ("other", "patient")), PATIENT_NOTE_TYPE)
    title = attachment.title or (message.subject or "Pièce jointe")
    file = {"url": f"Binary/{attachment.binary_id}", "title": title}
    if attachment.content_type:
        file["contentType"] = attachment.content_type
    if attachment.size is not None:
        file["size"] = attachment.size
    document = {"resourceType": "DocumentReference", "id": str(uuid.uuid4()), "status": "current",
                "subject": {"reference": f"Patient/{patient_id}"},
                "date": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "type": {"coding": [{"system": LOINC, "code": type_code,
                                     "display": DOCUMENT_TYPES[type_code].label_fr}]},
                "category": [{"coding": [{"system": CARNET_DOCUMENT_CATEGORY, "code": category}]}],
                "content": [{"attachment": file}]}
    if message.subject:
        document["description"] = f"Pièce jointe du message « {message.subject} »"
    return document
