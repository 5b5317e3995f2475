"""What the services hand to the screens: small frozen snapshots, nothing live."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.news import News
from storage.records import Appointment, Document, Reminder


@dataclass(frozen=True)
class SyncLine:
    """The sync status line: one state, an optional progress, the last success, the backlog."""

    state: str = "idle"  # idle | syncing | offline | retrying | needs_sign_in | stopped
    progress: float | None = None  # 0..1 while the total is known, None otherwise
    last_sync: datetime | None = None
    pending_changes: int = 0
    to_review: int = 0  # conflicts and refused changes, waiting for the patient's choice
    error: str | None = None
    record_changed: bool = False  # the sync that just ended brought or sent something
    news: News = field(default_factory=News)  # what the sync that just ended brought to tell

    @property
    def offline(self) -> bool:
        return self.state == "offline"

    @property
    def syncing(self) -> bool:
        return self.state == "syncing"


@dataclass(frozen=True)
class HomeSummary:
    display_name: str
    new_documents: list[Document] = field(default_factory=list)
    results: list[Document] = field(default_factory=list)
    upcoming: list[Appointment] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)


@dataclass(frozen=True)
class StartedChallenge:
    """A one-time code is on its way: where to, and for how long it is valid."""

    channel: str
    sent_to: str | None
    expires_in: int
