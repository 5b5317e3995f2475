"""What the server stamps in a resource's `meta`: its version, when, and who wrote it.

The author tag carries the signed-in author's kind, not what the JSON claims (recorder,
asserter…): devices show what professionals wrote as read-only, and the server refuses a
patient's change to it anyway. Light on imports: the app reads it on its start-up path.
"""
from __future__ import annotations

AUTHOR_TAG_SYSTEM = "urn:carnet:author"
AUTHOR_KINDS = ("patient", "professional", "platform")


def with_author_tag(meta: dict, kind: str | None) -> dict:
    """`meta` with the server's author tag (any author tag a client sent is replaced)."""
    code = kind if kind in AUTHOR_KINDS else "platform"
    tags = [tag for tag in meta.get("tag") or [] if not is_author_tag(tag)]
    return {**meta, "tag": [*tags, {"system": AUTHOR_TAG_SYSTEM, "code": code}]}


def author_kind(resource: dict) -> str | None:
    """'patient', 'professional' or 'platform' as the server stamped it; None if unstamped
    (a resource created on the device and not yet pushed)."""
    meta = resource.get("meta") if isinstance(resource.get("meta"), dict) else {}
    for tag in meta.get("tag") or []:
        if is_author_tag(tag):
            return tag.get("code")
    return None


def is_author_tag(tag) -> bool:
    return isinstance(tag, dict) and tag.get("system") == AUTHOR_TAG_SYSTEM


def without_server_meta(resource: dict) -> dict:
    """The resource minus what the server sets (versionId, lastUpdated, the author tag): for
    'same content?' checks, on the server and on the device."""
    content = dict(resource)
    meta = {k: v for k, v in (content.pop("meta", None) or {}).items() if k not in ("versionId", "lastUpdated")}
    if "tag" in meta:
        tags = [tag for tag in meta["tag"] or [] if not is_author_tag(tag)]
        if tags:
            meta["tag"] = tags
        else:
            del meta["tag"]
    if meta:
        content["meta"] = meta
    return content
