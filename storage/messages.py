"""Secure messaging: FHIR Communication resources grouped in threads.

A thread is named by its first message (`Communication/<id>`; a reply's `partOf`). A care
team's message is unread until it has a `received` (set by the server on a read receipt)
or a read receipt waits to be sent (`storage.read_receipts`): what the patient read
offline shows read at once. A message the patient wrote is pending while its outbox
entry waits, failed when the server refused it.
"""
from __future__ import annotations

import copy
import json
import re
import unicodedata
import uuid
from collections.abc import Collection

from storage.database import Database
from storage.documents import DocumentRepository
from storage.indexing import attachments_of, binary_id_of, parse_resource
from storage.records import Attachment, Conversation, Delivery, Message, OutboxEntry
from storage.resources import ResourceRepository

PATIENT_PREFIX = "Patient/"
# A care team's message not read yet: no `received`, no read receipt waiting to be sent.
_UNREAD = ("(json_extract(r.json, '$.received') IS NULL "
           "AND coalesce(json_extract(r.json, '$.sender.reference'), '') NOT LIKE 'Patient/%' "
           "AND r.id NOT IN (SELECT message_id FROM read_receipts))")
_MESSAGE_COLUMNS = f"""r.id, r.thread, r.date, r.author, r.status, r.json, {_UNREAD},
    (SELECT o.status FROM outbox o WHERE o.resource_type = 'Communication' AND o.resource_id = r.id
      ORDER BY o.seq DESC LIMIT 1),
    (SELECT o.failure FROM outbox o WHERE o.resource_type = 'Communication' AND o.resource_id = r.id
      ORDER BY o.seq DESC LIMIT 1)"""
_DELIVERY = {None: Delivery.DELIVERED, "pending": Delivery.PENDING, "sending": Delivery.PENDING,
             "failed": Delivery.FAILED, "conflict": Delivery.FAILED}


def is_from_patient(message: dict) -> bool:
    sender = message.get("sender")
    return isinstance(sender, dict) and str(sender.get("reference", "")).startswith(PATIENT_PREFIX)


def message_text(message: dict) -> str:
    return "\n".join(payload["contentString"] for payload in message.get("payload") or []
                     if isinstance(payload, dict) and isinstance(payload.get("contentString"), str))


def _attachment_binaries(message: dict) -> list[str]:
    return [binary for binary in (binary_id_of({"content": [{"attachment": attachment}]})
                                  for attachment in attachments_of(message)) if binary]


def _attachments(message: dict, fetched: Collection[str]) -> tuple[Attachment, ...]:
    found = []
    for attachment in attachments_of(message):
        binary = binary_id_of({"content": [{"attachment": attachment}]})
        if binary:
            size = attachment.get("size")
            found.append(Attachment(binary, attachment.get("contentType"), attachment.get("title"),
                                    size if isinstance(size, int) else None, binary in fetched))
    return tuple(found)


def _folded(text: str) -> str:
    """Lower case without accents: "Échographie" is found by "echo"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class MessageRepository:
    def __init__(self, db: Database, resources: ResourceRepository, documents: DocumentRepository) -> None:
        self._db = db
        self._resources = resources
        self._documents = documents

    def conversations(self, *, limit: int = 100, threads: Collection[str] | None = None) -> list[Conversation]:
        """Threads with unread messages first, then by most recent activity."""
        where, parameters = "r.resource_type = 'Communication'", []
        if threads is not None:
            if not threads:
                return []
            where += f" AND r.thread IN ({','.join('?' * len(threads))})"
            parameters += list(threads)
        rows = self._db.query(
            f"""SELECT r.thread, max(r.date) AS last, count(*), sum({_UNREAD}) AS unread,
                      (SELECT json_extract(f.json, '$.topic.text') FROM resources f
                        WHERE f.thread = r.thread AND f.resource_type = 'Communication'
                        ORDER BY f.date, f.id LIMIT 1),
                      (SELECT f.author FROM resources f
                        WHERE f.thread = r.thread AND f.resource_type = 'Communication'
                        ORDER BY f.date, f.id LIMIT 1),
                      (SELECT l.author FROM resources l WHERE l.thread = r.thread
                        AND l.resource_type = 'Communication' ORDER BY l.date DESC, l.id DESC LIMIT 1),
                      (SELECT json_extract(l.json, '$.payload[0].contentString') FROM resources l
                        WHERE l.thread = r.thread AND l.resource_type = 'Communication'
                        ORDER BY l.date DESC, l.id DESC LIMIT 1)
               FROM resources r WHERE {where}
               GROUP BY r.thread ORDER BY unread > 0 DESC, last DESC LIMIT ?""", (*parameters, limit))
        return [Conversation(thread, subject, last, last_sender, count, unread or 0, opener,
                             (text or "")[:200] or None)
                for thread, last, count, unread, subject, opener, last_sender, text in rows]

    def search(self, text: str, *, limit: int = 100) -> list[Conversation]:
        """Threads whose subject, messages or senders hold every word of `text` (accents and
        case aside, word starts or middles alike); all threads for an empty search."""
        words = [_folded(word) for word in re.findall(r"\w+", text, flags=re.UNICODE)]
        if not words:
            return self.conversations(limit=limit)
        found: dict[str, list[str]] = {}
        for thread, author, body in self._db.query(
                "SELECT thread, author, json FROM resources WHERE resource_type = 'Communication'"):
            message = json.loads(body)
            topic = (message.get("topic") or {}).get("text") if isinstance(message.get("topic"), dict) else None
            found.setdefault(thread, []).append(_folded(" ".join(
                part for part in (topic, author, message_text(message)) if isinstance(part, str))))
        matching = [thread for thread, texts in found.items()
                    if all(any(word in text_ for text_ in texts) for word in words)]
        return self.conversations(limit=limit, threads=matching)

    def thread(self, thread: str) -> list[Message]:
        """A thread's messages in the order they were sent."""
        rows = self._db.query(f"SELECT {_MESSAGE_COLUMNS} FROM resources r "
                              "WHERE r.resource_type = 'Communication' AND r.thread = ? ORDER BY r.date, r.id",
                              (thread,))
        return self._messages(rows)

    def get(self, message_id: str) -> Message | None:
        rows = self._db.query(f"SELECT {_MESSAGE_COLUMNS} FROM resources r "
                              "WHERE r.resource_type = 'Communication' AND r.id = ?", (message_id,))
        messages = self._messages(rows)
        return messages[0] if messages else None

    def add_reply(self, message: dict, file: tuple[str, bytes, str] | None = None) -> list[OutboxEntry]:
        """A message the patient writes, with an optional file (content type, bytes, title).

        As for a document the patient adds: the file gets a client-generated Binary id and
        is stored encrypted first; the Binary's outbox entry (no bytes: the sync engine reads
        them) comes before the message's, so the server has the file before the message
        that points at it. Both entries commit together.
        """
        message = copy.deepcopy(message)
        message.setdefault("id", str(uuid.uuid4()))
        binary = None
        if file is not None:
            content_type, data, title = file
            binary = {"resourceType": "Binary", "id": str(uuid.uuid4()), "contentType": content_type}
            message.setdefault("payload", []).append({"contentAttachment": {
                "url": f"Binary/{binary['id']}", "contentType": content_type, "size": len(data),
                **({"title": title} if title else {})}})
            parse_resource(message)
            self._documents.put_file(binary["id"], content_type, data)
        with self._db.transaction():
            entries = [self._resources.save_local(binary, index=False)] if binary else []
            entries.append(self._resources.save_local(message))
        return entries

    def filed_document(self, binary_id: str) -> str | None:
        """The id of a document pointing at this file (an attachment already filed), if any."""
        rows = self._db.query("SELECT id FROM resources WHERE resource_type = 'DocumentReference' "
                              "AND binary_id = ? ORDER BY id LIMIT 1", (binary_id,))
        return rows[0][0] if rows else None

    def unread_count(self) -> int:
        return self._db.query(f"SELECT count(*) FROM resources r "
                              f"WHERE r.resource_type = 'Communication' AND {_UNREAD}")[0][0]

    def _messages(self, rows: list[tuple]) -> list[Message]:
        resources = [json.loads(row[5]) for row in rows]
        binaries = sorted({b for resource in resources for b in _attachment_binaries(resource)})
        fetched = {found[0] for found in self._db.query(
            f"SELECT binary_id FROM files WHERE binary_id IN ({','.join('?' * len(binaries))})",
            tuple(binaries))} if binaries else set()
        messages = []
        for row, resource in zip(rows, resources):
            ident, thread, sent, sender, status, _text, unread, outbox_status, failure = row
            attachments = _attachments(resource, fetched)
            topic = resource.get("topic") if isinstance(resource.get("topic"), dict) else {}
            messages.append(Message(
                ident, thread, sent, sender, message_text(resource), status,
                tuple(a.binary_id for a in attachments), received=resource.get("received"),
                from_patient=is_from_patient(resource), read=not unread, attachments=attachments,
                delivery=_DELIVERY.get(outbox_status, Delivery.PENDING),
                failure=failure if outbox_status in ("failed", "conflict") else None,
                subject=topic.get("text")))
        return messages
