"""Health documents: DocumentReference metadata, full-text search, and their files."""
from __future__ import annotations

import copy
import re
import uuid
from datetime import datetime, timezone

from storage.database import Database
from storage.errors import FileNotFetched, FileTooLarge, NotFound
from storage.files import FileVault
from storage.indexing import HIDDEN_CODE, HIDDEN_SYSTEM, parse_resource
from storage.records import Document, DocumentFile, FileState, OutboxEntry
from storage.resources import ResourceRepository

DEFAULT_MAX_FILE_BYTES = 20_000_000

_SELECT = """SELECT r.id, r.version_id, r.code, r.category, r.title,
        json_extract(r.json, '$.description'), r.date, r.author, r.status, r.hidden,
        r.binary_id, coalesce(f.content_type, json_extract(r.json, '$.content[0].attachment.contentType')),
        f.size, f.binary_id IS NOT NULL
    FROM resources r LEFT JOIN files f ON f.binary_id = r.binary_id"""


def _document(row: tuple) -> Document:
    (ident, version, code, category, title, description, date, author, status, hidden,
     binary_id, content_type, size, fetched) = row
    state = FileState.NONE if binary_id is None else (
        FileState.FETCHED if fetched else FileState.NOT_FETCHED)
    return Document(ident, version, code, category or "other", title, description, date, author,
                    status, bool(hidden), binary_id, state, content_type, size)


def _attachment_title(document: dict) -> dict:
    content = document.get("content") or [{}]
    title = ((content[0] or {}).get("attachment") or {}).get("title")
    return {"title": title} if title else {}


def _match_expression(text: str) -> str | None:
    """The user's words as an FTS5 query: every word, each as a prefix, no operators."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{word}"*' for word in words) or None


class DocumentRepository:
    def __init__(self, db: Database, resources: ResourceRepository, files: FileVault,
                 max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> None:
        self._db = db
        self._resources = resources
        self._files = files
        self.max_file_bytes = max_file_bytes

    def list(self, *, category: str | None = None, author: str | None = None,
             since: str | None = None, until: str | None = None, include_hidden: bool = True,
             limit: int = 50, offset: int = 0) -> list[Document]:
        """Documents newest first, filtered by category, author and date range (ISO dates)."""
        clauses, parameters = ["r.resource_type = 'DocumentReference'"], []
        for clause, value in (("r.category = ?", category), ("r.author = ?", author),
                              ("r.date >= ?", since), ("r.date < ?", until)):
            if value is not None:
                clauses.append(clause)
                parameters.append(value)
        if not include_hidden:
            clauses.append("r.hidden = 0")
        sql = f"{_SELECT} WHERE {' AND '.join(clauses)} ORDER BY r.date DESC, r.id LIMIT ? OFFSET ?"
        return [_document(row) for row in self._db.query(sql, (*parameters, limit, offset))]

    def get(self, document_id: str) -> Document | None:
        rows = self._db.query(f"{_SELECT} WHERE r.resource_type = 'DocumentReference' AND r.id = ?",
                              (document_id,))
        return _document(rows[0]) if rows else None

    def search(self, text: str, *, limit: int = 50) -> list[Document]:
        """Documents whose title or description contain every word of `text` (prefixes)."""
        expression = _match_expression(text)
        if expression is None:
            return []
        sql = (f"{_SELECT} JOIN (SELECT rowid AS hit, rank FROM documents_fts "
               "WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?) AS m ON m.hit = r.rowid "
               "ORDER BY m.rank")
        return [_document(row) for row in self._db.query(sql, (expression, limit))]

    def count_by_category(self) -> dict[str, int]:
        return dict(self._db.query("SELECT coalesce(category, 'other'), count(*) FROM resources "
                                   "WHERE resource_type = 'DocumentReference' GROUP BY 1"))

    def authors(self) -> list[str]:
        """The authors the documents on the device name, alphabetically (for a filter)."""
        return [row[0] for row in self._db.query(
            "SELECT DISTINCT author FROM resources WHERE resource_type = 'DocumentReference' "
            "AND author IS NOT NULL ORDER BY author COLLATE NOCASE")]

    def hide(self, document_id: str) -> OutboxEntry:
        """Hide a document from professionals (a local change, pushed by the sync engine)."""
        return self._set_hidden(document_id, True)

    def unhide(self, document_id: str) -> OutboxEntry:
        return self._set_hidden(document_id, False)

    def hidden(self, *, limit: int = 50, offset: int = 0) -> list[Document]:
        """The documents the patient hid from professionals, newest first."""
        sql = (f"{_SELECT} WHERE r.resource_type = 'DocumentReference' AND r.hidden = 1 "
               "ORDER BY r.date DESC, r.id LIMIT ? OFFSET ?")
        return [_document(row) for row in self._db.query(sql, (limit, offset))]

    def _set_hidden(self, document_id: str, hidden: bool) -> OutboxEntry:
        stored = self._resources.get("DocumentReference", document_id)
        if stored is None:
            raise NotFound(f"Document {document_id}")
        resource = copy.deepcopy(stored.resource)
        meta = resource.setdefault("meta", {})
        labels = [c for c in meta.get("security") or []
                  if not (c.get("system") == HIDDEN_SYSTEM and c.get("code") == HIDDEN_CODE)]
        if hidden:
            labels.append({"system": HIDDEN_SYSTEM, "code": HIDDEN_CODE})
        meta["security"] = labels
        return self._resources.save_local(resource)

    def add_own(self, document: dict, content_type: str, data: bytes) -> list[OutboxEntry]:
        """A document the patient adds (photo, PDF): file, metadata and two outbox entries.

        The file gets a client-generated Binary id, pointed at by the DocumentReference.
        The Binary's outbox entry carries no bytes (the sync engine reads them with
        `read_file`) and comes first, so the server has the file before its metadata.
        """
        binary_id = str(uuid.uuid4())
        document = copy.deepcopy(document)
        document.setdefault("id", str(uuid.uuid4()))
        document["content"] = [{"attachment": {"url": f"Binary/{binary_id}", "contentType": content_type,
                                               "size": len(data),
                                               **_attachment_title(document)}}]
        document = parse_resource(document, max_bytes=self.max_file_bytes)
        self.put_file(binary_id, content_type, data)
        binary = {"resourceType": "Binary", "id": binary_id, "contentType": content_type}
        with self._db.transaction():
            entries = [self._resources.save_local(binary, index=False),
                       self._resources.save_local(document)]
        return entries

    def put_file(self, binary_id: str, content_type: str, data: bytes) -> None:
        """Store a document's bytes (fetched from the server or added by the patient)."""
        if len(data) > self.max_file_bytes:
            raise FileTooLarge(len(data), self.max_file_bytes)
        if not binary_id or "/" in binary_id or len(binary_id) > 64:
            raise NotFound(f"Binary '{binary_id}'")
        # The file is durable before its row commits; a crash in between leaves an orphan
        # file, removed at next open, never a row pointing at nothing.
        name = self._files.write(binary_id, data)
        with self._db.transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO files (binary_id, content_type, size, file_name, fetched_at) "
                "VALUES (?, ?, ?, ?, ?)", (binary_id, content_type or "application/octet-stream",
                                           len(data), name,
                                           datetime.now(timezone.utc).isoformat(timespec="seconds")))

    def read_file(self, binary_id: str) -> DocumentFile:
        """The bytes in memory; never written in clear anywhere (see SECURITY.md)."""
        rows = self._db.query("SELECT content_type, file_name FROM files WHERE binary_id = ?",
                              (binary_id,))
        if not rows:
            raise FileNotFetched(binary_id)
        content_type, name = rows[0]
        return DocumentFile(binary_id, content_type, self._files.read(name, binary_id))

    def file_state(self, binary_id: str) -> FileState:
        rows = self._db.query("SELECT 1 FROM files WHERE binary_id = ?", (binary_id,))
        return FileState.FETCHED if rows else FileState.NOT_FETCHED

    def not_fetched(self, *, limit: int = 100) -> list[str]:
        """Binary ids of documents whose file is not on the device yet, newest first."""
        return [row[0] for row in self._db.query(
            "SELECT r.binary_id FROM resources r LEFT JOIN files f ON f.binary_id = r.binary_id "
            "WHERE r.binary_id IS NOT NULL AND f.binary_id IS NULL ORDER BY r.date DESC LIMIT ?",
            (limit,))]

    def remove_file(self, binary_id: str) -> None:
        with self._db.transaction() as connection:
            row = connection.execute("DELETE FROM files WHERE binary_id = ? RETURNING file_name",
                                     (binary_id,)).fetchone()
        if row:
            self._files.remove(row[0])

    def remove_orphan_files(self) -> int:
        keep = {row[0] for row in self._db.query("SELECT file_name FROM files")}
        return self._files.remove_except(keep)
