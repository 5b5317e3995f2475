"""FHIR Bundles and the CapabilityStatement, built from plain values (no I/O).

The history Bundle is the change feed's wire shape; server/FEED.md states its rules.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

FEED_TAG_SYSTEM = "urn:carnet:feed"
FEED_CURSOR_SYSTEM = "urn:carnet:feed-cursor"


@dataclass(frozen=True)
class Entry:
    """One resource version (or deletion, when content is None) to put in a Bundle."""

    resource_type: str
    id: str
    version: int
    last_updated: datetime
    content: dict | None


def instant(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def page_url(base: str, path: str, params: list[tuple[str, str]]) -> str:
    query = urlencode(params)
    return f"{base}/{path}" + (f"?{query}" if query else "")


def searchset(base: str, resource_type: str, total: int, resources: list[Entry],
              links: dict[str, str], includes: list[Entry] | None = None) -> dict:
    """`includes` are resources the matches refer to (search.mode `include`, not counted in total)."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": relation, "url": url} for relation, url in links.items()],
        "entry": [{"fullUrl": f"{base}/{e.resource_type}/{e.id}", "resource": e.content,
                   "search": {"mode": "match"}} for e in resources]
        + [{"fullUrl": f"{base}/{e.resource_type}/{e.id}", "resource": e.content,
            "search": {"mode": "include"}} for e in includes or []],
    }


def change_feed(base: str, changes: list[Entry], *, self_url: str, next_url: str, cursor: str,
                has_more: bool, now: datetime) -> dict:
    """A `history` Bundle in ascending sequence order; deletions carry no resource."""
    return {
        "resourceType": "Bundle",
        "type": "history",
        "meta": {"lastUpdated": instant(now),
                 "tag": [{"system": FEED_TAG_SYSTEM, "code": "has-more" if has_more else "caught-up"}]},
        "identifier": {"system": FEED_CURSOR_SYSTEM, "value": cursor},
        "timestamp": instant(now),
        "link": [{"relation": "self", "url": self_url}, {"relation": "next", "url": next_url}],
        "entry": [_change_entry(base, change) for change in changes],
    }


def _change_entry(base: str, change: Entry) -> dict:
    url = f"{change.resource_type}/{change.id}"
    response = {"etag": f'W/"{change.version}"', "lastModified": instant(change.last_updated)}
    if change.content is None:
        return {"fullUrl": f"{base}/{url}", "request": {"method": "DELETE", "url": url},
                "response": {"status": "204", **response}}
    return {"fullUrl": f"{base}/{url}", "resource": change.content, "request": {"method": "PUT", "url": url},
            "response": {"status": "200", **response}}


_SEARCH_PARAMS = {
    "common": [("_id", "token"), ("_lastUpdated", "date")],
    "clinical": [("patient", "reference"), ("category", "token"), ("code", "token"),
                 ("type", "token"), ("date", "date")],
    "identified": [("identifier", "token")],
}
_WRITE = ["create", "update", "delete"]


SMART_OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def capability_statement(base: str, clinical_types: list[str], *, software_version: str,
                         date: str, read_only_types: list[str] | None = None,
                         oauth_base: str | None = None) -> dict:
    """What this server actually supports (and nothing more). With `oauth_base`, the
    SMART App Launch endpoints apps use (also at /.well-known/smart-configuration)."""
    resources = [_capability_resource(t, clinical=True) for t in clinical_types]
    resources += [_capability_resource(t, clinical=True, interactions=[]) for t in read_only_types or []]
    resources.insert(0, _capability_resource("Patient", clinical=False, interactions=["update"]))
    resources.append(_capability_resource("Practitioner", clinical=False, interactions=["update"]))
    resources.append({"type": "Binary", "interaction": [{"code": "read"}, {"code": "create"}, {"code": "update"}]})
    resources[0]["operation"] = [{"name": "changes",
                                  "definition": "urn:carnet:OperationDefinition/Patient-changes"},
                                 {"name": "everything",
                                  "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything"},
                                 {"name": "export-archive",
                                  "definition": "urn:carnet:OperationDefinition/Patient-export-archive"},
                                 {"name": "emergency-access",
                                  "definition": "urn:carnet:OperationDefinition/Patient-emergency-access"}]
    for resource in resources:
        if resource["type"] == "Communication":
            resource["searchParam"].append({"name": "thread", "type": "reference"})
            resource["operation"] = [{"name": "mark-read",
                                      "definition": "urn:carnet:OperationDefinition/Communication-mark-read"}]
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "kind": "instance",
        "software": {"name": "Carnet", "version": software_version},
        "implementation": {"description": "Carnet personal health space", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [{"mode": "server",
                  "security": _security(oauth_base),
                  "resource": resources}],
    }


def _security(oauth_base: str | None) -> dict:
    security = {"cors": False, "description": "Bearer access token: from Carnet sign-in (patients, professionals) "
                                              "or from SMART App Launch (the catalogue's apps)."}
    if oauth_base:
        security["service"] = [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/restful-security-service", "code": "SMART-on-FHIR"}]}]
        security["extension"] = [{"url": SMART_OAUTH_URIS, "extension": [
            {"url": name, "valueUri": f"{oauth_base}/oauth/{path}"}
            for name, path in (("authorize", "authorize"), ("token", "token"), ("revoke", "revoke"))]}]
    return security


def _capability_resource(resource_type: str, *, clinical: bool, interactions: list[str] | None = None) -> dict:
    codes = ["read", "vread", "search-type", *(interactions if interactions is not None else _WRITE)]
    params = _SEARCH_PARAMS["common"] + (_SEARCH_PARAMS["clinical"] if clinical else _SEARCH_PARAMS["identified"])
    return {
        "type": resource_type,
        "interaction": [{"code": code} for code in codes],
        "versioning": "versioned-update",
        "readHistory": True,
        "updateCreate": True,
        "conditionalCreate": False,
        "searchParam": [{"name": name, "type": kind} for name, kind in params],
    }
