"""Secure messaging: FHIR Communication resources grouped in threads."""
from __future__ import annotations

import json

from storage.database import Database
from storage.indexing import binary_id_of
from storage.records import Conversation, Message


def _message(row: tuple) -> Message:
    ident, thread, sent, sender, status, text = row
    resource = json.loads(text)
    parts, attachments = [], []
    for payload in resource.get("payload") or []:
        if not isinstance(payload, dict):
            continue
        if isinstance(payload.get("contentString"), str):
            parts.append(payload["contentString"])
        attachment = payload.get("contentAttachment")
        if isinstance(attachment, dict):
            binary = binary_id_of({"content": [{"attachment": attachment}]})
            if binary:
                attachments.append(binary)
    return Message(ident, thread, sent, sender, "\n".join(parts), status, tuple(attachments))


class MessageRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def conversations(self, *, limit: int = 100) -> list[Conversation]:
        """Threads, most recent activity first."""
        rows = self._db.query(
            """SELECT thread, max(date) AS last, count(*),
                      (SELECT json_extract(json, '$.topic.text') FROM resources f
                        WHERE f.thread = r.thread AND f.resource_type = 'Communication'
                        ORDER BY f.date LIMIT 1),
                      (SELECT author FROM resources l WHERE l.thread = r.thread
                        AND l.resource_type = 'Communication' ORDER BY l.date DESC LIMIT 1)
               FROM resources r WHERE resource_type = 'Communication'
               GROUP BY thread ORDER BY last DESC LIMIT ?""", (limit,))
        return [Conversation(thread, subject, last, sender, count)
                for thread, last, count, subject, sender in rows]

    def thread(self, thread: str) -> list[Message]:
        """A thread's messages in the order they were sent."""
        rows = self._db.query(
            "SELECT id, thread, date, author, status, json FROM resources "
            "WHERE resource_type = 'Communication' AND thread = ? ORDER BY date, id", (thread,))
        return [_message(row) for row in rows]
