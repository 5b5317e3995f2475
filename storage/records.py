"""The typed records the repositories return: what the screens and the sync engine read.

They are frozen snapshots; changing the cache goes through a repository method.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class StoredResource:
    resource_type: str
    id: str
    version_id: str | None
    resource: dict
    category: str | None
    code: str | None
    date: str | None
    author: str | None
    status: str | None
    hidden: bool

    @property
    def reference(self) -> str:
        return f"{self.resource_type}/{self.id}"


class FileState(str, Enum):
    FETCHED = "fetched"
    NOT_FETCHED = "not-fetched"  # the metadata arrived, the bytes are still on the server
    NONE = "none"  # a document without a file (e.g. a note)


@dataclass(frozen=True)
class Document:
    id: str
    version_id: str | None
    type_code: str | None
    category: str
    title: str | None
    description: str | None
    date: str | None
    author: str | None
    status: str | None
    hidden: bool
    binary_id: str | None
    file_state: FileState
    content_type: str | None
    size: int | None


@dataclass(frozen=True)
class DocumentFile:
    binary_id: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Message:
    id: str
    thread: str
    sent: str | None
    sender: str | None
    text: str
    status: str | None
    attachment_binary_ids: tuple[str, ...]


@dataclass(frozen=True)
class Conversation:
    thread: str
    subject: str | None
    last_sent: str | None
    last_sender: str | None
    message_count: int


@dataclass(frozen=True)
class Appointment:
    id: str
    start: str | None
    end: str | None
    status: str | None
    practitioner: str | None
    description: str | None


@dataclass(frozen=True)
class Reminder:
    id: str
    kind: str  # "vaccination" or "screening"
    title: str
    due_date: str
    status: str = "due"  # due, done, dismissed


@dataclass(frozen=True)
class CatalogueApp:
    id: str
    name: str
    publisher: str | None
    description: str | None
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Grant:
    app_id: str
    can_read: bool
    can_write: bool
    scopes: tuple[str, ...]
    granted_at: str


@dataclass(frozen=True)
class AccessEvent:
    id: str
    recorded: str | None
    who: str | None
    action: str | None
    what: str | None
    emergency: bool


class Operation(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class OutboxStatus(str, Enum):
    PENDING = "pending"
    SENDING = "sending"
    FAILED = "failed"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class OutboxEntry:
    id: str  # client-generated, sent to the server so that a retried push is idempotent
    seq: int  # creation order
    resource_type: str
    resource_id: str
    operation: Operation
    resource: dict | None  # None for a delete
    base_version: str | None  # for If-Match
    status: OutboxStatus
    failure: str | None
    attempts: int
    created_at: str
    server_resource: dict | None = None  # the server's version, kept while in conflict
    server_version: str | None = None


@dataclass(frozen=True)
class Change:
    """One entry of the server's change feed: an upsert, or a tombstone when `resource` is None."""

    resource_type: str
    id: str
    resource: dict | None

    @property
    def is_tombstone(self) -> bool:
        return self.resource is None


@dataclass(frozen=True)
class ApplyReport:
    upserted: int
    deleted: int
    conflicts: tuple[str, ...]  # outbox entry ids that became conflicts
    cursor: str


@dataclass(frozen=True)
class SyncState:
    cursor: str | None
    pulled_at: str | None
    pending_changes: int
    conflicts: int
