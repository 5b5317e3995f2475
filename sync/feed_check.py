"""What the device refuses in a change-feed page before anything of it is applied.

The server is trusted to speak FHIR, not to be right: a page with a resource of an
unknown type or of another patient is refused whole, so a server bug or a mix-up can
never put someone else's data in this patient's cache.
"""
from __future__ import annotations

from health.fhir_resources import SUPPORTED_TYPES, patient_id_of, patient_reference
from sync.errors import BadServerAnswer

# Types of this patient's compartment the feed may carry.
FEED_TYPES = frozenset(SUPPORTED_TYPES) - {"Practitioner", "Binary"}


def check_page_entries(entries: list[dict], patient_id: str) -> None:
    for position, entry in enumerate(entries):
        request = entry.get("request") if isinstance(entry.get("request"), dict) else {}
        resource = entry.get("resource")
        if request.get("method") == "DELETE" and resource is None:
            kind = str(request.get("url") or "").strip("/").split("/")[0]
            if kind not in FEED_TYPES:
                raise BadServerAnswer(f"The change feed deletes an unknown type ({kind!r}); nothing applied.")
            continue
        if not isinstance(resource, dict):
            raise BadServerAnswer(f"Change {position} of the feed has no resource; nothing applied.")
        kind = resource.get("resourceType")
        if kind not in FEED_TYPES:
            raise BadServerAnswer(f"The change feed sent a {kind!r}, which is not part of a record; nothing applied.")
        if patient_id_of(patient_reference(resource)) != patient_id:
            raise BadServerAnswer("The change feed sent another patient's data; nothing applied.")
