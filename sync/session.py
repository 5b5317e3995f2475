"""The signed-in session of this device: which server, which patient, which tokens.

It is kept in the encrypted cache's settings, so the tokens are never on disk in clear
and leave with the cache when it is wiped. Without network the session is simply not
used: the cache opens and reads offline all the same.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import httpx

from storage.cache import Cache
from sync.api import CarnetApi, Tokens
from sync.errors import BadServerAnswer, SessionExpired
from sync.http import make_http_client

SESSION_SETTING = "sync.session"


@dataclass(frozen=True)
class SessionInfo:
    server_url: str
    account_id: str
    patient_id: str
    display_name: str


def describe_account(api: CarnetApi, server_url: str) -> SessionInfo:
    """Who the freshly signed-in tokens belong to (a patient: their Patient id)."""
    me = api.me()
    reference = str(me.get("reference") or "")
    if me.get("kind") != "patient" or not reference.startswith("Patient/"):
        raise BadServerAnswer("This app is for patients: sign in with an INS.")
    return SessionInfo(server_url, str(me["account_id"]), reference.split("/", 1)[1],
                       str(me.get("display_name") or ""))


def save_session(cache: Cache, info: SessionInfo, tokens: Tokens | None) -> None:
    cache.settings.set(SESSION_SETTING, {"info": asdict(info), "tokens": asdict(tokens) if tokens else None})


def load_session(cache: Cache) -> tuple[SessionInfo, Tokens | None] | None:
    stored = cache.settings.get(SESSION_SETTING)
    if not stored:
        return None
    tokens = Tokens(**stored["tokens"]) if stored.get("tokens") else None
    return SessionInfo(**stored["info"]), tokens


def connect(cache: Cache, *, ca_bundle: str | None = None,
            transport: httpx.BaseTransport | None = None) -> tuple[SessionInfo, CarnetApi]:
    """An API client for the stored session; new tokens are written back to the cache.
    SessionExpired when the user has signed out or the tokens were dropped."""
    stored = load_session(cache)
    if stored is None or stored[1] is None:
        raise SessionExpired("Please sign in again to sync.")
    info, tokens = stored
    api = CarnetApi(make_http_client(info.server_url, ca_bundle=ca_bundle, transport=transport), tokens,
                    on_tokens=lambda new_tokens: save_session(cache, info, new_tokens))
    return info, api
