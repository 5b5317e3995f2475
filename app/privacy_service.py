"""The patient's say over who sees their record, for the Privacy screen: the access history
(`history`, offline from the cache), the choices kept by the server (regular doctor, blocked
professionals, emergency access, e-mails), the hidden documents, the export of the whole
record, and closing the space.

The choices live on the server: the last ones it gave are kept in the encrypted cache, so
the screen shows them offline; changing one needs the network, and offline the change is
refused at once (`PrivacyRefusal("offline")`) with nothing changed. Hiding and unhiding a
document is a change of the record itself, made offline and pushed by the sync.
"""
from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Callable, TypeVar

from app.access_history import AccessHistory, Person
from app.local_record import LocalRecord
from app.sync_status import SyncStatusFeed
from health.authorisation import REGULAR_DOCTOR_PROFESSIONS
from storage import Cache
from storage.records import Document
from sync.api import CarnetApi
from sync.errors import BadServerAnswer, Offline, Refused, SessionExpired
from sync.privacy_records import ClosedSpace, PrivacyChoices, parse_privacy

CHOICES_SETTING = "privacy.choices"
# The archive is held in memory where it must be handed over as bytes (browser, phones):
# past this size the download stops, and the desktop app (which writes it straight to the
# file the patient chose) or Patient/$everything is the way.
MAX_ARCHIVE_IN_MEMORY = 256 * 1024 * 1024
HIDDEN_PAGE = 50
T = TypeVar("T")


class PrivacyRefusal(Exception):
    """A change the Privacy screen refuses before or instead of the server: `reason` is
    "offline", "regular-doctor" (blocking one's regular doctor), "not-a-professional",
    "wrong-password", "too-large" (an archive past what memory may hold) or "gone"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class KnownChoices:
    """The choices as last known on this device (None: never fetched) and when they were."""

    choices: PrivacyChoices | None
    fetched_at: str | None  # ISO instant


@dataclass(frozen=True)
class Archive:
    file_name: str
    data: bytes


class PrivacyService:
    def __init__(self, record: LocalRecord, status: SyncStatusFeed, language: Callable[[], str],
                 forget_device: Callable[[], None], zone: tzinfo | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self._record = record
        self._status = status
        self._forget_device = forget_device
        self._clock = clock
        self.history = AccessHistory(record, language, _stored_choices, zone)
        self.part = "history"  # the part of the Privacy screen last shown, kept while the app runs

    # -- choices: read offline, changed online ----------------------------------------------
    async def known_choices(self) -> KnownChoices:
        return await self._record.read(_known)

    async def refresh(self) -> KnownChoices:
        """Ask the server for the choices and keep them (PrivacyRefusal("offline") offline)."""
        return await self._change(lambda api: api.privacy())

    async def block(self, practitioner: str) -> KnownChoices:
        """From their next request on, this professional reads and writes nothing."""
        practitioner_id = _practitioner_id(practitioner)

        def check(cache: Cache) -> None:
            choices = _stored_choices(cache)
            if choices and choices.regular_doctor and choices.regular_doctor.practitioner == practitioner:
                raise PrivacyRefusal("regular-doctor")
        await self._record.read(check)
        return await self._change(lambda api: api.block(practitioner_id))

    async def unblock(self, practitioner: str) -> KnownChoices:
        practitioner_id = _practitioner_id(practitioner)
        return await self._change(lambda api: api.unblock(practitioner_id))

    async def set_emergency_access(self, allowed: bool) -> KnownChoices:
        return await self._change(lambda api: api.set_emergency_access(allowed))

    async def set_regular_doctor(self, practitioner: str | None) -> KnownChoices:
        """Written on the Patient resource by the server: a sync brings it back here."""
        if practitioner is not None:
            _practitioner_id(practitioner)
        known = await self._change(lambda api: api.set_regular_doctor(practitioner))
        self._status.sync_now()
        return known

    async def set_notifications(self, *, email_on_first_access: bool | None = None,
                                email_on_new_document: bool | None = None) -> KnownChoices:
        return await self._change(lambda api: api.set_notifications(email_on_first_access=email_on_first_access,
                                                                    email_on_new_document=email_on_new_document))

    async def regular_doctor_candidates(self) -> tuple[Person, ...]:
        """The physicians seen in the access history the patient may choose (not blocked ones)."""
        people = await self.history.people()
        known = await self.known_choices()
        choices = known.choices
        return tuple(p for p in people if p.practitioner and p.profession in REGULAR_DOCTOR_PROFESSIONS
                     and not (choices and choices.is_blocked(p.practitioner)))

    # -- hidden documents (a change of the record: offline, pushed by the sync) ---------------
    async def hidden_documents(self, offset: int = 0) -> list[Document]:
        return await self._record.read(lambda cache: cache.documents.hidden(limit=HIDDEN_PAGE, offset=offset))

    async def unhide(self, document_id: str) -> None:
        def unhide(cache: Cache) -> None:
            if cache.documents.get(document_id) is None:
                raise PrivacyRefusal("gone")
            cache.documents.unhide(document_id)
        await self._record.write(unhide)

    # -- the whole record ------------------------------------------------------------------
    async def export_archive(self, on_progress: Callable[[int], None] | None = None) -> Archive:
        """The record's ZIP archive in memory, to hand to the share sheet or the browser."""
        def download() -> Archive:
            buffer = io.BytesIO()
            self._online(lambda api: api.export_archive(self._record.patient_id, buffer.write,
                                                        max_bytes=MAX_ARCHIVE_IN_MEMORY, on_progress=on_progress))
            _check_whole(buffer)
            return Archive(self.archive_name(), buffer.getvalue())
        return await self._record.read(lambda _cache: download())

    async def export_archive_to(self, path: str, on_progress: Callable[[int], None] | None = None) -> int:
        """Write the archive into the file the patient chose (desktops), a slice at a time:
        no size limit, little memory. A failed download leaves no half file behind."""
        target = Path(path)
        partial = target.with_name(target.name + ".part")

        def download() -> int:
            try:
                with open(partial, "wb") as sink:
                    size = self._online(lambda api: api.export_archive(self._record.patient_id, sink.write,
                                                                       on_progress=on_progress))
                with open(partial, "rb") as written:
                    _check_whole(written)
                os.replace(partial, target)
                return size
            finally:
                partial.unlink(missing_ok=True)
        return await self._record.read(lambda _cache: download())

    def archive_name(self) -> str:
        return f"carnet-{self._clock().date().isoformat()}.zip"

    async def close_space(self, password: str) -> ClosedSpace:
        """Close the space on the server (the password confirms it), then erase this device's
        copy: the server has signed every device out."""
        def close() -> ClosedSpace:
            closed = self._online(lambda api: api.close_space(password))
            self._forget_device()
            return closed
        return await self._record.read(lambda _cache: close())

    # -- plumbing ----------------------------------------------------------------------------
    async def _change(self, call: Callable[[CarnetApi], PrivacyChoices]) -> KnownChoices:
        def change(cache: Cache) -> KnownChoices:
            choices = self._online(call)
            fetched_at = self._clock().isoformat()
            cache.settings.set(CHOICES_SETTING, {"choices": choices.as_json(), "fetched_at": fetched_at})
            return KnownChoices(choices, fetched_at)
        return await self._record.read(change)

    def _online(self, call: Callable[[CarnetApi], T]) -> T:
        api = self._status.api
        if api is None:
            raise SessionExpired("Sign in again to change your privacy choices.")
        try:
            return call(api)
        except Offline:
            raise PrivacyRefusal("offline") from None
        except Refused as refusal:
            if refusal.status == 401:
                raise PrivacyRefusal("wrong-password") from None
            if refusal.status == 413:
                raise PrivacyRefusal("too-large") from None
            raise


def _known(cache: Cache) -> KnownChoices:
    kept = cache.settings.get(CHOICES_SETTING)
    return KnownChoices(_stored_choices(cache), kept.get("fetched_at") if isinstance(kept, dict) else None)


def _stored_choices(cache: Cache) -> PrivacyChoices | None:
    kept = cache.settings.get(CHOICES_SETTING)
    if not isinstance(kept, dict):
        return None
    try:
        return parse_privacy(kept.get("choices"))
    except BadServerAnswer:
        return None  # kept by an older version: fetched again when online


def _practitioner_id(practitioner: str) -> str:
    if not practitioner.startswith("Practitioner/") or len(practitioner) <= len("Practitioner/"):
        raise PrivacyRefusal("not-a-professional")
    return practitioner.split("/", 1)[1]


def _check_whole(archive) -> None:
    """Refuse an archive cut short (a server failing mid-stream can end a response cleanly):
    a ZIP's table of contents is written last, so a truncated one does not open."""
    try:
        with zipfile.ZipFile(archive) as opened:
            opened.infolist()
    except zipfile.BadZipFile as error:
        raise BadServerAnswer("The archive arrived incomplete: download it again.") from error
