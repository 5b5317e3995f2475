"""The app catalogue for the Catalogue screen: the referenced apps by category and what each
asks for, the apps the patient let in, granting (read and/or write, kind of data by kind of
data), revoking, and what an app did.

Like the privacy choices, the catalogue and the grants live on the server: the last ones it
gave are kept in the encrypted cache, so the screen shows them offline; granting or revoking
needs the network, and offline it is refused at once (`CatalogueRefusal("offline")`) with
nothing changed. What an app did is asked of the server when the app's page opens.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone, tzinfo
from typing import Callable, TypeVar

from app.local_record import LocalRecord
from app.sync_status import SyncStatusFeed
from health.access_log import AccessGroup, local_day, read_access
from health.access_sentences import day_text, deeds
from health.smart_scopes import InvalidScope, parse_scope
from storage import Cache
from storage.records import AppAccess, CatalogueApp, Grant
from sync.api import CarnetApi
from sync.errors import Offline, SessionExpired

FETCHED_SETTING = "catalogue.fetched_at"
HISTORY_PAGE = 20
READ, WRITE = "rs", "cud"
T = TypeVar("T")


class CatalogueRefusal(Exception):
    """A change the Catalogue screen refuses before the server would: `reason` is "offline",
    "nothing-chosen" (granting nothing: revoking is the way) or "gone" (an app no longer in
    the catalogue)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class KnownCatalogue:
    """The catalogue and grants as last known on this device, and when (None: never fetched)."""

    apps: tuple[CatalogueApp, ...]
    grants: tuple[Grant, ...]
    fetched_at: str | None

    def grant_of(self, app_id: str) -> Grant | None:
        return next((g for g in self.grants if g.app_id == app_id), None)


@dataclass(frozen=True)
class AccessChoice:
    """One kind of data the app asks for: what it may ask (read, write) and what it holds now."""

    asked: AppAccess
    reads: bool
    writes: bool


@dataclass(frozen=True)
class AppPage:
    """One app as its page shows it (`app` None: no longer in the catalogue, a grant remains)."""

    app_id: str
    name: str
    publisher: str | None
    description: str | None
    category: str
    category_label: str
    homepage: str | None
    withdrawn: bool
    grant: Grant | None
    choices: tuple[AccessChoice, ...]


@dataclass(frozen=True)
class AppDeed:
    """One thing the app did, in words."""

    id: str
    day: str  # dd/mm/yyyy
    time: str  # HH:MM
    text: str
    refused: bool


@dataclass(frozen=True)
class AppDeeds:
    deeds: tuple[AppDeed, ...]
    total: int
    before: int | None  # the next (older) page's start; None: this was the last


class CatalogueService:
    def __init__(self, record: LocalRecord, status: SyncStatusFeed, language: Callable[[], str],
                 zone: tzinfo | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self._record = record
        self._status = status
        self._language = language
        self._zone = zone
        self._clock = clock
        self.category: str | None = None  # the category chip chosen, kept while the app runs

    # -- read offline, refreshed online ---------------------------------------------------
    async def known(self) -> KnownCatalogue:
        return await self._record.read(_known)

    async def refresh(self) -> KnownCatalogue:
        """Ask the server for the catalogue and the grants and keep them."""
        return await self._change(lambda _api: None)

    async def app(self, app_id: str) -> AppPage | None:
        """An app's page from what the device knows (None: an app it never heard of)."""
        return page_of(await self.known(), app_id)

    # -- changed online ---------------------------------------------------------------------
    async def set_grant(self, app_id: str, chosen: dict[str, tuple[bool, bool]]) -> KnownCatalogue:
        """Grant the app what is chosen, kind of data by kind (an `AppAccess.key` → (read,
        write)), within what it asks for; what is left out is not granted."""
        known = await self.known()
        app = next((a for a in known.apps if a.id == app_id), None)
        if app is None:
            raise CatalogueRefusal("gone")
        scopes = [scope_for(line, *chosen.get(line.key, (False, False))) for line in app.access]
        scopes = [scope for scope in scopes if scope]
        if not scopes:
            raise CatalogueRefusal("nothing-chosen")
        return await self._change(lambda api: api.set_grant(app_id, " ".join(scopes)))

    async def revoke(self, app_id: str) -> KnownCatalogue:
        """From the app's next request on, every token it holds is refused."""
        return await self._change(lambda api: api.revoke_grant(app_id))

    async def history(self, app_id: str, before: int | None = None) -> AppDeeds:
        """What the app did in the record, newest first, a page at a time (online)."""
        page = await self._record.read(lambda _cache: self._online(
            lambda api: api.app_history(app_id, HISTORY_PAGE, before)))
        return AppDeeds(tuple(self._deed(event) for event in page.events), page.total, page.before)

    # -- plumbing -----------------------------------------------------------------------------
    def _deed(self, event: dict) -> AppDeed:
        access = read_access(event)
        day = local_day(access.recorded, self._zone)
        text = deeds(AccessGroup((access,), day), self._language())
        moment = ""
        if access.recorded is not None:
            local = access.recorded.astimezone(self._zone) if self._zone else access.recorded.astimezone()
            moment = local.strftime("%H:%M")
        return AppDeed(access.id, day_text(day), moment, text[:1].upper() + text[1:], not access.allowed)

    async def _change(self, call: Callable[[CarnetApi], object]) -> KnownCatalogue:
        def change(cache: Cache) -> KnownCatalogue:
            def fetch(api: CarnetApi):
                call(api)
                return api.catalogue(), api.grants()
            apps, grants = self._online(fetch)
            fetched_at = self._clock().isoformat()
            cache.catalogue.replace_apps(apps)
            cache.catalogue.replace_grants(grants)
            cache.settings.set(FETCHED_SETTING, fetched_at)
            return KnownCatalogue(tuple(apps), tuple(grants), fetched_at)
        return await self._record.read(change)

    def _online(self, call: Callable[[CarnetApi], T]) -> T:
        api = self._status.api
        if api is None:
            raise SessionExpired("Sign in again to change what apps may do.")
        try:
            return call(api)
        except Offline:
            raise CatalogueRefusal("offline") from None


def scope_for(line: AppAccess, read: bool, write: bool) -> str | None:
    """The SMART scope granting `line` for reading and/or writing (None: neither)."""
    letters = "".join(p for p in line.permissions if (read and p in READ) or (write and p in WRITE))
    if not letters:
        return None
    try:
        scope = parse_scope(line.scope)
    except InvalidScope:
        return None
    if isinstance(scope, str):
        return None
    return replace(scope, permissions=frozenset(letters)).text


def page_of(known: KnownCatalogue, app_id: str) -> AppPage | None:
    app = next((a for a in known.apps if a.id == app_id), None)
    grant = known.grant_of(app_id)
    if app is None and grant is None:
        return None
    held = {line.key: line for line in grant.access} if grant else {}
    if app is None:  # withdrawn: what it held, nothing more to grant
        return AppPage(app_id, grant.app_name, grant.publisher, None, grant.category, grant.category_label,
                       grant.homepage, True, grant, tuple(AccessChoice(line, line.read, line.write)
                                                          for line in grant.access))
    choices = tuple(AccessChoice(line, bool(held.get(line.key) and held[line.key].read),
                                 bool(held.get(line.key) and held[line.key].write)) for line in app.access)
    return AppPage(app.id, app.name, app.publisher, app.description, app.category, app.category_label,
                   app.homepage, grant is not None and not grant.active, grant, choices)


def _known(cache: Cache) -> KnownCatalogue:
    fetched = cache.settings.get(FETCHED_SETTING)
    return KnownCatalogue(tuple(cache.catalogue.apps()), tuple(cache.catalogue.grants()),
                          fetched if isinstance(fetched, str) else None)
