"""The `services` object the screens call: storage and sync wired for one server.

Every public method the screens await runs its blocking work (Argon2 unlock, SQLCipher
queries, HTTP) in a worker thread with `asyncio.to_thread`, because Flet draws every
screen from one asyncio loop. The sync scheduler runs in its own thread; its status
reaches the listeners on that loop (`call_soon_threadsafe`).
"""
from __future__ import annotations

import asyncio
import os
import platform
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import httpx
import platformdirs

from app.agenda_service import AgendaService
from app.catalogue_service import CatalogueService
from app.documents_service import DocumentsService
from app.emergency_service import EmergencyService
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from app.local_record import LocalRecord
from app.messages_service import MessagesService
from app.privacy_service import PrivacyService
from app.profile_service import ProfileService
from app.review_service import ReviewService
from app.records import HomeSummary, StartedChallenge, SyncLine
from app.settings_service import SettingsService
from app.sync_status import SyncStatusFeed
from storage import Cache, DeviceCache, KdfParams, KeyringSecretStore, NoSecretStore, SecretStore
from sync.api import CarnetApi, CodeChallenge
from sync.errors import SessionExpired
from sync.http import check_server_url, make_http_client
from sync.session import SessionInfo, describe_account, load_session, save_session

LANGUAGE_SETTING = "app.language"


def device_directory(server_url: str) -> Path:
    """Where this device keeps the cache for `server_url`: Flet's app data folder on
    phones (kept across updates), the user's data folder elsewhere; one folder per server."""
    base = os.environ.get("FLET_APP_STORAGE_DATA") or platformdirs.user_data_dir("carnet")
    parts = urlsplit(server_url)
    server = f"{parts.hostname}_{parts.port}" if parts.port else str(parts.hostname)
    return Path(base) / "device" / server


def default_secret_store() -> SecretStore:
    store = KeyringSecretStore()
    return store if store.available else NoSecretStore()


class Services:
    """One server, one device, one signed-in patient at a time."""

    def __init__(self, server_url: str, *, data_dir: Path | None = None,
                 secret_store: SecretStore | None = None, kdf: KdfParams = KdfParams(),
                 device_name: str | None = None, watch_seconds: int = 25,
                 interval_seconds: float = 300.0, transport: httpx.BaseTransport | None = None) -> None:
        self.server_url = check_server_url(server_url)
        directory = data_dir or device_directory(self.server_url)
        self.device = DeviceCache(directory, secret_store=secret_store or default_secret_store(), kdf=kdf)
        self.translator = Translator(DEFAULT_LANGUAGE)
        self.device_name = device_name or f"Carnet – {platform.node() or 'appareil'}"
        self.status = SyncStatusFeed(watch_seconds=watch_seconds, interval_seconds=interval_seconds,
                                     transport=transport)
        self._transport = transport
        self._cache: Cache | None = None
        self._session: SessionInfo | None = None
        self._sign_in: tuple[CarnetApi, str] | None = None  # the API mid-sign-in, its challenge
        self._signed_in: tuple[CarnetApi, SessionInfo] | None = None  # waiting for a PIN
        self._activation: tuple[CarnetApi, str] | None = None
        # Each area of the record has its services, sharing the unlocked cache.
        self.record = LocalRecord(lambda: self._cache, lambda: self._session.patient_id if self._session else None,
                                  self.status.local_change_made)
        self.emergency = EmergencyService(self.record, self.device)
        self.settings = SettingsService(self.record, self.status, self.device)
        self.profile = ProfileService(self.record, lambda: self.translator.language)
        self.documents = DocumentsService(self.record, self.status.fetch_file, lambda: self.display_name)
        self.messages = MessagesService(self.record, self.status.fetch_file)
        self.agenda = AgendaService(self.record)
        self.privacy = PrivacyService(self.record, self.status, lambda: self.translator.language, self._forget)
        self.review = ReviewService(self.record, self.status, lambda: self.translator.language)
        self.catalogue = CatalogueService(self.record, self.status, lambda: self.translator.language)

    # -- what the device holds (cheap file reads) --------------------------------------
    @property
    def has_offline_copy(self) -> bool:
        return self.device.exists

    @property
    def pin_alone_protects_key(self) -> bool:
        return self.device.pin_alone_protects_key

    @property
    def remaining_attempts(self) -> int:
        return self.device.remaining_attempts

    @property
    def max_attempts(self) -> int:
        return self.device.max_attempts

    @property
    def unlocked(self) -> bool:
        return self._cache is not None

    @property
    def display_name(self) -> str:
        return self._session.display_name if self._session else ""

    def t(self, key: str, **values) -> str:
        return self.translator.t(key, **values)

    # -- sign-in: identifier + password, then the one-time code -------------------------
    async def start_sign_in(self, identifier: str, password: str, channel: str) -> StartedChallenge:
        return await asyncio.to_thread(self._start_sign_in, identifier, password, channel)

    def _start_sign_in(self, identifier: str, password: str, channel: str) -> StartedChallenge:
        api = self._new_api()
        try:
            challenge = api.start_sign_in(identifier.strip(), password, channel, self.device_name)
        except BaseException:
            api.http.close()
            raise
        self._replace_sign_in((api, challenge.challenge_id))
        return _started(challenge)

    async def finish_sign_in(self, code: str) -> SessionInfo:
        """Check the code; the session waits in memory until `create_pin` stores it."""
        return await asyncio.to_thread(self._finish_sign_in, code)

    def _finish_sign_in(self, code: str) -> SessionInfo:
        if self._sign_in is None:
            raise SessionExpired("This sign-in attempt is unknown or finished: start again.")
        api, challenge_id = self._sign_in
        api.finish_sign_in(challenge_id, code.strip())
        info = describe_account(api, self.server_url)
        self._sign_in = None
        self._signed_in = (api, info)
        return info

    def _replace_sign_in(self, value: tuple[CarnetApi, str] | None) -> None:
        if self._sign_in is not None:
            self._sign_in[0].http.close()
        self._sign_in = value

    # -- activation of a provisional space, or opposition to it ------------------------
    async def start_activation(self, ins: str, provisional_code: str, password: str,
                               email: str) -> StartedChallenge:
        return await asyncio.to_thread(self._start_activation, ins, provisional_code, password, email)

    def _start_activation(self, ins: str, provisional_code: str, password: str, email: str) -> StartedChallenge:
        api = self._new_api()
        challenges = api.start_activation(ins.strip(), provisional_code.strip(), password, email=email.strip())
        self._activation = (api, challenges[0].challenge_id) if challenges else None
        if not challenges:
            api.http.close()
            return StartedChallenge("email", None, 0)
        return _started(challenges[0])

    async def confirm_activation(self, code: str) -> None:
        await asyncio.to_thread(self._confirm_activation, code)

    def _confirm_activation(self, code: str) -> None:
        if self._activation is None:
            raise SessionExpired("This sign-in attempt is unknown or finished: start again.")
        api, challenge_id = self._activation
        api.confirm_activation(challenge_id, code.strip())
        api.http.close()
        self._activation = None

    async def oppose(self, ins: str, provisional_code: str) -> None:
        def oppose() -> None:
            with self._new_api().http as http:
                CarnetApi(http).oppose(ins.strip(), provisional_code.strip())
        await asyncio.to_thread(oppose)

    # -- the device's PIN --------------------------------------------------------------
    async def create_pin(self, pin: str) -> None:
        """A new encrypted cache for the signed-in patient, its session stored inside; sync starts."""
        if self._signed_in is None:
            raise SessionExpired("Please sign in again.")
        await asyncio.to_thread(self._create_pin, pin, asyncio.get_running_loop())

    def _create_pin(self, pin: str, loop: asyncio.AbstractEventLoop) -> None:
        api, info = self._signed_in
        if self.device.exists:
            # Signing in again (forgotten PIN, another account) replaces the old copy.
            self.device.wipe()
        cache = self.device.create(pin, info.account_id)
        save_session(cache, info, api.tokens)
        cache.settings.set(LANGUAGE_SETTING, self.translator.language)
        api.http.close()
        self._signed_in = None
        self._cache, self._session = cache, info
        self.status.start(cache, loop)
        self.agenda.cache_opened(cache)

    async def unlock(self, pin: str) -> None:
        """Open the cache with the PIN — offline too; WrongPin or CacheWiped otherwise."""
        await asyncio.to_thread(self._unlock, pin, asyncio.get_running_loop())

    def _unlock(self, pin: str, loop: asyncio.AbstractEventLoop) -> None:
        cache = self.device.unlock(pin)
        stored = load_session(cache)
        self._cache = cache
        self._session = stored[0] if stored else None
        self.translator.language = cache.settings.get(LANGUAGE_SETTING, DEFAULT_LANGUAGE)
        self.status.start(cache, loop)
        self.agenda.cache_opened(cache)

    async def lock(self) -> None:
        await asyncio.to_thread(self._lock)

    def _lock(self) -> None:
        self.status.stop()
        if self._cache is not None:
            self._cache.close()
        self._cache = None

    async def sign_out(self) -> None:
        """Revoke this device on the server when it can be reached, then erase the cache."""
        await asyncio.to_thread(self._sign_out)

    def _sign_out(self) -> None:
        self.status.stop()
        api = self.status.api
        if api is not None:
            api.sign_out()  # best effort: offline, the server revokes the tokens when they expire
        self._forget()

    async def forget_device(self) -> None:
        """Erase the cache without asking the server (works offline)."""
        await asyncio.to_thread(self._forget)

    def _forget(self) -> None:
        self.status.stop()
        self.device.wipe()
        self._cache, self._session = None, None
        self.translator.language = DEFAULT_LANGUAGE

    async def close(self) -> None:
        """The window closed: stop syncing, lock the cache, drop any half-done sign-in."""
        self._replace_sign_in(None)
        await self.lock()

    # -- reading the record ------------------------------------------------------------
    async def home(self, now: datetime | None = None) -> HomeSummary:
        return await asyncio.to_thread(self._home, now or datetime.now(timezone.utc))

    def _home(self, now: datetime) -> HomeSummary:
        cache = self._require_cache()
        moment = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        return HomeSummary(
            display_name=self.display_name,
            new_documents=cache.documents.list(limit=5),
            results=cache.documents.list(category="lab-result", limit=3),
            upcoming=cache.agenda.upcoming(moment, limit=5),
            reminders=cache.agenda.reminders()[:5],
        )

    async def document_counts(self) -> dict[str, int]:
        return await asyncio.to_thread(lambda: self._require_cache().documents.count_by_category())


    def _require_cache(self) -> Cache:
        if self._cache is None:
            raise SessionExpired("Unlock the app first.")
        return self._cache

    # -- settings kept in the cache ----------------------------------------------------
    async def set_language(self, language: str) -> None:
        language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.translator.language = language
        if self._cache is not None:
            await asyncio.to_thread(self._cache.settings.set, LANGUAGE_SETTING, language)

    # -- sync --------------------------------------------------------------------------
    def network_changed(self, kinds: list[str]) -> None:
        """The platform's connectivity ("wifi", "mobile", "ethernet", "none"…): on a mobile
        network alone, files wait for Wi-Fi when the patient asked so."""
        self.status.metered_network = "mobile" in kinds and not {"wifi", "ethernet"} & set(kinds)

    def sync_now(self) -> None:
        self.status.sync_now()

    def subscribe(self, listener: Callable[[SyncLine], None]) -> Callable[[], None]:
        """`listener` is called on the UI loop with every new status line."""
        return self.status.subscribe(listener)

    @property
    def sync_line(self) -> SyncLine:
        return self.status.line

    def _new_api(self) -> CarnetApi:
        return CarnetApi(make_http_client(self.server_url, transport=self._transport))


def _started(challenge: CodeChallenge) -> StartedChallenge:
    return StartedChallenge(challenge.channel, challenge.sent_to, challenge.expires_in)
