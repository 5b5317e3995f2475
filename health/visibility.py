"""Visibility labels: who may not see a resource, written on the resource itself.

A label is a `meta.security` coding of system `urn:carnet:visibility` (the device also
accepts it in `meta.tag`). Each label belongs to one party, the only one that sets or
removes it (the server's access policy enforces this):
- `hidden`: the patient (or their legal representative) hid it from professionals; only
  its author and the patient's regular doctor still see it.
- `withheld-from-patient`: the professional who wrote it keeps it from the patient until
  they have talked it over (e.g. a diagnosis announced at a consultation). Removing the
  label releases it: it then reaches the patient's devices like a new document.
- `hidden-from-representative`: a minor keeps it from their legal representative.
"""
from __future__ import annotations

VISIBILITY_SYSTEM = "urn:carnet:visibility"
HIDDEN = "hidden"
WITHHELD_FROM_PATIENT = "withheld-from-patient"
HIDDEN_FROM_REPRESENTATIVE = "hidden-from-representative"
LABELS: tuple[str, ...] = (HIDDEN, WITHHELD_FROM_PATIENT, HIDDEN_FROM_REPRESENTATIVE)


def _codings(resource: dict, element: str) -> list:
    meta = resource.get("meta")
    values = meta.get(element) if isinstance(meta, dict) else None
    return values if isinstance(values, list) else []


def labels_of(resource: dict | None) -> frozenset[str]:
    """The visibility labels a resource carries (in meta.security or meta.tag)."""
    if not resource:
        return frozenset()
    found = set()
    for coding in _codings(resource, "security") + _codings(resource, "tag"):
        if isinstance(coding, dict) and coding.get("system") == VISIBILITY_SYSTEM and coding.get("code") in LABELS:
            found.add(coding["code"])
    return frozenset(found)


def with_labels(resource: dict, labels: frozenset[str]) -> dict:
    """A copy of `resource` carrying exactly `labels` (in meta.security, in LABELS order);
    other security labels and tags are kept, visibility tags move to meta.security."""
    meta = dict(resource.get("meta") or {})
    security = [c for c in _codings(resource, "security") if not _is_visibility(c)]
    security += [{"system": VISIBILITY_SYSTEM, "code": label} for label in LABELS if label in labels]
    tags = [c for c in _codings(resource, "tag") if not _is_visibility(c)]
    for element, values in (("security", security), ("tag", tags)):
        if values:
            meta[element] = values
        else:
            meta.pop(element, None)
    copy = {**resource, "meta": meta}
    if not meta:
        copy.pop("meta")
    return copy


def without_labels(resource: dict) -> dict:
    return with_labels(resource, frozenset())


def _is_visibility(coding) -> bool:
    return isinstance(coding, dict) and coding.get("system") == VISIBILITY_SYSTEM
