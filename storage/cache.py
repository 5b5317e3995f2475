"""An unlocked cache: the repositories over one open database and its file vault.

Obtain one from `DeviceCache.create` or `DeviceCache.unlock`. It holds one connection
(see `storage.database` for thread safety); `close()` (or `with`) locks it again.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from storage.access_history import AccessHistoryRepository
from storage.agenda import AgendaRepository
from storage.catalogue import CatalogueRepository
from storage.database import Database
from storage.documents import DEFAULT_MAX_FILE_BYTES, DocumentRepository
from storage.emergency_card import EmergencyCard
from storage.files import FileVault
from storage.messages import MessageRepository
from storage.outbox import Outbox
from storage.profile import ProfileRepository
from storage.read_receipts import ReadReceipts
from storage.records import Change
from storage.resources import ChangeListener, ResourceRepository
from storage.schema import migrate
from storage.settings import SettingsRepository
from storage.sync_state import SyncStateRepository

DATABASE_FILE = "cache.db"
FILES_DIRECTORY = "files"


class Cache:
    def __init__(self, directory: Path, key: bytes | None, *,
                 max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.db = Database(self.directory / DATABASE_FILE, key)
        try:
            migrate(self.db.connection)
        except BaseException:
            self.db.close()
            raise
        self.settings = SettingsRepository(self.db)
        self.resources = ResourceRepository(self.db, self._changed, max_file_bytes)
        self.emergency = EmergencyCard(self.directory, self.db, self.settings)
        self.documents = DocumentRepository(self.db, self.resources,
                                            FileVault(self.directory / FILES_DIRECTORY, key),
                                            max_file_bytes)
        self.profile = ProfileRepository(self.db)
        self.messages = MessageRepository(self.db, self.resources, self.documents)
        self.read_receipts = ReadReceipts(self.db)
        self.agenda = AgendaRepository(self.db)
        self.catalogue = CatalogueRepository(self.db)
        self.access_history = AccessHistoryRepository(self.db)
        self.outbox = Outbox(self.db, self._changed)
        self.sync = SyncStateRepository(self.db, self._pulled)
        self._pull_listeners: list[ChangeListener] = []

    def on_pulled(self, listener: ChangeListener) -> Callable[[], None]:
        """Call `listener` with each page of changes a sync applies (after it commits, in the
        sync's thread); returns what stops it. For news: a new document, a new message."""
        self._pull_listeners.append(listener)
        return lambda: self._pull_listeners.remove(listener) if listener in self._pull_listeners else None

    def _changed(self, changes: list[Change]) -> None:
        self.emergency.on_change(changes)

    def _pulled(self, changes: list[Change]) -> None:
        self._changed(changes)
        for listener in list(self._pull_listeners):
            listener(changes)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Cache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
