"""What the device stores beside a resource's JSON: the columns its screens query.

Validation lives here too: every resource entering the cache, from the server or from
the patient, goes through `parse_resource`, so corrupt input is refused in one place.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from health.codes import DOCUMENT_TYPES
from health.fhir_index import category_of, clinical_date, code_of, parse_fhir_date
from storage.errors import InvalidResource

# How a resource is hidden from professionals on the wire (meta.security or meta.tag).
HIDDEN_SYSTEM = "urn:carnet:visibility"
HIDDEN_CODE = "hidden"
DEFAULT_MAX_RESOURCE_BYTES = 20_000_000

# Resource types whose clinical date the shared index does not know, and where it lives.
_EXTRA_DATES = {
    "Appointment": ("start",),
    "Communication": ("sent", "received"),
    "AuditEvent": ("recorded",),
    "Consent": ("dateTime",),
}
_AUTHOR_ELEMENTS = ("author", "recorder", "asserter", "performer", "sender", "requester")


@dataclass(frozen=True)
class ResourceIndex:
    category: str | None
    code: str | None
    date: str | None  # ISO 8601 in UTC, so that text order is time order
    author: str | None
    status: str | None
    hidden: bool
    title: str | None
    description: str | None
    binary_id: str | None
    thread: str | None


def parse_resource(value: str | bytes | dict, *, max_bytes: int = DEFAULT_MAX_RESOURCE_BYTES) -> dict:
    """A FHIR resource as a dict, or InvalidResource saying what is wrong with it."""
    if isinstance(value, (str, bytes)):
        if len(value) > max_bytes:
            raise InvalidResource(f"{len(value)} bytes is more than the {max_bytes} allowed")
        try:
            value = json.loads(value)
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidResource(f"corrupt JSON ({error})") from error
    if not isinstance(value, dict):
        raise InvalidResource(f"expected a JSON object, got {type(value).__name__}")
    kind, ident = value.get("resourceType"), value.get("id")
    if not isinstance(kind, str) or not kind.isalpha():
        raise InvalidResource("missing or malformed resourceType")
    if not isinstance(ident, str) or not ident or len(ident) > 64:
        raise InvalidResource(f"{kind} without a valid id")
    return value


def version_of(resource: dict) -> str | None:
    meta = resource.get("meta")
    version = meta.get("versionId") if isinstance(meta, dict) else None
    return str(version) if version is not None else None


def index_of(resource: dict) -> ResourceIndex:
    kind = resource["resourceType"]
    return ResourceIndex(
        category=_category(resource), code=code_of(resource), date=_date(resource),
        author=_author(resource), status=_status(resource), hidden=is_hidden(resource),
        title=_title(resource) if kind == "DocumentReference" else None,
        description=_text(resource.get("description")) if kind == "DocumentReference" else None,
        binary_id=binary_id_of(resource) if kind == "DocumentReference" else (
            _first_attachment_binary(resource) if kind == "Communication" else None),
        thread=_thread(resource) if kind == "Communication" else None,
    )


def is_hidden(resource: dict) -> bool:
    meta = resource.get("meta") if isinstance(resource.get("meta"), dict) else {}
    if not meta.get("security") and not meta.get("tag"):
        return False  # most resources: skips building the list below (runs for every write)
    for coding in (meta.get("security") or []) + (meta.get("tag") or []):
        if isinstance(coding, dict) and coding.get("system") == HIDDEN_SYSTEM \
                and coding.get("code") == HIDDEN_CODE:
            return True
    return False


def binary_id_of(resource: dict) -> str | None:
    """The id of the Binary holding a DocumentReference's file (`content[0].attachment.url`)."""
    url = _attachment(resource).get("url")
    if not isinstance(url, str) or "Binary/" not in url:
        return None
    return url.rsplit("Binary/", 1)[1].split("/")[0] or None


def attachments_of(message: dict) -> list[dict]:
    """The files a Communication carries (`payload[].contentAttachment`)."""
    return [payload["contentAttachment"] for payload in message.get("payload") or []
            if isinstance(payload, dict) and isinstance(payload.get("contentAttachment"), dict)]


def _first_attachment_binary(message: dict) -> str | None:
    # The column holds one file: a message's first, which the sync then keeps offline.
    for attachment in attachments_of(message):
        binary = binary_id_of({"content": [{"attachment": attachment}]})
        if binary:
            return binary
    return None


def iso_utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _attachment(resource: dict) -> dict:
    content = resource.get("content")
    if isinstance(content, list) and content and isinstance(content[0], dict):
        attachment = content[0].get("attachment")
        if isinstance(attachment, dict):
            return attachment
    return {}


def _category(resource: dict) -> str | None:
    category = category_of(resource)
    if resource["resourceType"] == "DocumentReference" and category not in _document_categories():
        known = DOCUMENT_TYPES.get(code_of(resource) or "")
        return known.category if known else (category or "other")
    if resource["resourceType"] == "AuditEvent":
        return "emergency" if _is_emergency_access(resource) else "normal"
    return category


def _document_categories() -> set[str]:
    return {kind.category for kind in DOCUMENT_TYPES.values()} | {"other", "patient"}


def _is_emergency_access(resource: dict) -> bool:
    for concept in resource.get("purposeOfEvent") or []:
        for coding in (concept or {}).get("coding") or []:
            if coding.get("code") in ("ETREAT", "BTG", "emergency"):
                return True
    return False


def _date(resource: dict) -> str | None:
    moment = clinical_date(resource)
    for element in _EXTRA_DATES.get(resource["resourceType"], ()):
        if moment is None:
            moment = parse_fhir_date(resource.get(element))
    return iso_utc(moment)


def _reference_label(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict) and isinstance(value.get("actor"), dict):
        value = value["actor"]  # Procedure.performer, Immunization.performer
    if isinstance(value, dict) and isinstance(value.get("who"), dict):
        value = value["who"]  # AuditEvent.agent
    if isinstance(value, dict):
        return _text(value.get("display")) or _text(value.get("reference"))
    return None


def _author(resource: dict) -> str | None:
    if resource["resourceType"] == "AuditEvent":
        return _reference_label(resource.get("agent"))
    if resource["resourceType"] == "Appointment":
        for participant in resource.get("participant") or []:
            label = _reference_label(participant)
            if label and "Patient/" not in label:
                return label
        return None
    for element in _AUTHOR_ELEMENTS:
        value = resource.get(element)
        if value is None:
            continue  # most elements are absent: no call (runs for every write)
        label = _reference_label(value)
        if label:
            return label[:200]
    return None


def _status(resource: dict) -> str | None:
    for element in ("status", "docStatus"):
        if isinstance(resource.get(element), str):
            return resource[element]
    clinical = resource.get("clinicalStatus")
    if isinstance(clinical, dict):
        for coding in clinical.get("coding") or []:
            if isinstance(coding, dict) and coding.get("code"):
                return str(coding["code"])
    return None


def _title(resource: dict) -> str | None:
    kind = resource.get("type") if isinstance(resource.get("type"), dict) else {}
    codings = kind.get("coding") or [{}]
    known = DOCUMENT_TYPES.get(code_of(resource) or "")
    return (_text(_attachment(resource).get("title")) or _text(kind.get("text"))
            or _text(codings[0].get("display") if isinstance(codings[0], dict) else None)
            or (known.label_fr if known else None))


def _thread(resource: dict) -> str:
    # A reply points at the thread's first message; the first message is its own thread.
    for element in ("partOf", "inResponseTo"):
        value = resource.get(element)
        first = value[0] if isinstance(value, list) and value else None
        if isinstance(first, dict) and isinstance(first.get("reference"), str):
            return first["reference"]
    return f"Communication/{resource['id']}"


def _text(value) -> str | None:
    return value.strip()[:2000] or None if isinstance(value, str) else None
