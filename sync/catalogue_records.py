"""The app catalogue as the server's `/catalogue` routes give it: the apps and what each asks
for, the patient's grants, and a page of what an app did; typed, checked before anything
is kept (the apps and grants are `storage.records` types: the cache keeps them as they are)."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from storage.records import AppAccess, CatalogueApp, Grant
from sync.errors import BadServerAnswer


@dataclass(frozen=True)
class AppHistoryPage:
    """What an app did in the record, newest first: AuditEvent resources."""

    app_id: str
    events: tuple[dict, ...]
    total: int
    before: int | None  # pass back for the next (older) page; None: this was the last


def parse_apps(answer) -> list[CatalogueApp]:
    """A `GET /catalogue` answer; BadServerAnswer if it is not one."""
    try:
        return [CatalogueApp(
            id=_text(app["id"]), name=_text(app["name"]), publisher=_optional(app.get("publisher")),
            description=_optional(app.get("description")), scopes=tuple(_text(app["scopes"]).split()),
            category=_text(app["category"]), category_label=_text(app["category_label"]),
            homepage=_optional(app.get("homepage")), access=_access(app["access"]), granted=_flag(app["granted"]))
            for app in _list(answer)]
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise BadServerAnswer(f"unexpected catalogue ({type(error).__name__})") from None


def parse_grant(grant) -> Grant:
    """One grant of `GET /catalogue/grants` (or the answer to `PUT /catalogue/grants/{id}`)."""
    try:
        access = _access(grant["access"])
        return Grant(
            app_id=_text(grant["app_id"]), can_read=any(line.read for line in access),
            can_write=any(line.write for line in access), scopes=tuple(_text(grant["scopes"]).split()),
            granted_at=_text(grant["granted_at"]), app_name=_text(grant["app_name"]),
            publisher=_optional(grant.get("publisher")), category=_text(grant["category"]),
            category_label=_text(grant["category_label"]), homepage=_optional(grant.get("homepage")),
            access=access, last_used_at=_optional(grant.get("last_used_at")), active=_flag(grant["active"]))
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise BadServerAnswer(f"unexpected grant ({type(error).__name__})") from None


def parse_grants(answer) -> list[Grant]:
    try:
        return [parse_grant(grant) for grant in _list(answer)]
    except TypeError as error:
        raise BadServerAnswer(f"unexpected grants ({type(error).__name__})") from None


def parse_history(app_id: str, bundle) -> AppHistoryPage:
    """A searchset Bundle of AuditEvents, and where its next page starts."""
    try:
        if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "searchset":
            raise ValueError("not a searchset Bundle")
        events = tuple(entry["resource"] for entry in bundle.get("entry") or [])
        if not all(isinstance(e, dict) and e.get("resourceType") == "AuditEvent" for e in events):
            raise ValueError("not AuditEvents")
        next_url = next((link["url"] for link in bundle.get("link") or [] if link.get("relation") == "next"), None)
        before = int(parse_qs(urlsplit(next_url).query)["before"][0]) if next_url else None
        return AppHistoryPage(app_id, events, int(bundle.get("total") or 0), before)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise BadServerAnswer(f"unexpected history of an app ({type(error).__name__})") from None


def _access(lines) -> tuple[AppAccess, ...]:
    return tuple(AppAccess(
        resource_type=_text(line["resource_type"]), restriction=_optional(line.get("restriction")),
        read=_flag(line["read"]), write=_flag(line["write"]), permissions=_text(line["permissions"]),
        text=_text(line["text"]), read_text=_optional(line.get("read_text")),
        write_text=_optional(line.get("write_text")), scope=_text(line["scope"])) for line in _list(lines))


def _list(value) -> list:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _optional(value) -> str | None:
    return None if value is None else _text(value)


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a boolean")
    return value
