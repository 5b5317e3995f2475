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
class Attachment:
    """A file carried by a message: a Binary of the record (`url: Binary/<id>`)."""

    binary_id: str
    content_type: str | None
    title: str | None
    size: int | None
    fetched: bool = False  # its bytes are on the device


class Delivery(str, Enum):
    """Where a message the patient wrote stands (a care team's message is always DELIVERED)."""

    DELIVERED = "delivered"  # on the server
    PENDING = "pending"  # waiting in the outbox (offline, or the next sync)
    FAILED = "failed"  # the server refused it: `Message.failure` says why


@dataclass(frozen=True)
class Message:
    id: str
    thread: str
    sent: str | None
    sender: str | None
    text: str
    status: str | None
    attachment_binary_ids: tuple[str, ...]
    received: str | None = None  # when its recipient read it
    from_patient: bool = False
    read: bool = True  # for a care team's message: read by the patient (here or on the server)
    attachments: tuple[Attachment, ...] = ()
    delivery: Delivery = Delivery.DELIVERED
    failure: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class Conversation:
    thread: str
    subject: str | None
    last_sent: str | None
    last_sender: str | None
    message_count: int
    unread: int = 0  # care team's messages the patient has not read
    opener: str | None = None  # who started it (a care team's name)
    last_text: str | None = None  # the start of the last message, for the inbox

    @property
    def first_message_id(self) -> str:
        return self.thread.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Appointment:
    id: str
    start: str | None
    end: str | None
    status: str | None
    practitioner: str | None
    description: str | None
    place: str | None = None
    comment: str | None = None
    author_kind: str | None = None  # health.server_meta.author_kind; None: written on this device
    version_id: str | None = None
    pending: bool = False  # a change of the patient's waits in the outbox
    minutes: int | None = None

    @property
    def patient_may_change(self) -> bool:
        """The patient's own appointment (a professional's or a booking app's is read-only)."""
        return self.author_kind in (None, "patient")


@dataclass(frozen=True)
class Reminder:
    id: str
    kind: str  # "vaccination", "screening" or "check-up"
    title: str  # in French; `title_en` in English
    due_date: str
    status: str = "due"  # due (open), done, dismissed: the patient's choice, kept across recomputation
    title_en: str | None = None
    reason_fr: str | None = None  # why it is shown to this person
    reason_en: str | None = None
    source: str | None = None  # the recommendation it comes from
    source_url: str | None = None
    window_from: str | None = None
    window_until: str | None = None
    timing: str | None = None  # upcoming, due or overdue on the day it was computed


@dataclass(frozen=True)
class AppAccess:
    """One kind of data an app asks for (or holds), and what it may do with it."""

    resource_type: str  # a FHIR type, or "*"
    restriction: str | None  # "category=laboratory"
    read: bool
    write: bool
    permissions: str  # SMART letters among c, r, u, d, s
    text: str  # the whole line in French, as the server words it
    read_text: str | None
    write_text: str | None
    scope: str  # the line as one SMART scope, all its permissions

    @property
    def key(self) -> str:
        """Which kind of data: the same in what an app asks for and in what it holds."""
        return f"{self.resource_type}?{self.restriction or ''}"


@dataclass(frozen=True)
class CatalogueApp:
    id: str
    name: str
    publisher: str | None
    description: str | None
    scopes: tuple[str, ...]
    category: str = "other"
    category_label: str = ""  # in French, from the server
    homepage: str | None = None
    access: tuple[AppAccess, ...] = ()
    granted: bool = False


@dataclass(frozen=True)
class Grant:
    app_id: str
    can_read: bool
    can_write: bool
    scopes: tuple[str, ...]
    granted_at: str
    app_name: str = ""
    publisher: str | None = None
    category: str = "other"
    category_label: str = ""
    homepage: str | None = None
    access: tuple[AppAccess, ...] = ()
    last_used_at: str | None = None
    active: bool = True  # False once the app was withdrawn from the catalogue


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
    pending_changes: int  # outbox entries and read receipts waiting to be sent
    conflicts: int  # changes made here and elsewhere meanwhile: the patient picks one
    failed: int = 0  # changes the server refused for good: the patient retries or drops them
