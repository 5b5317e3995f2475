"""Sample data for storage tests: a PIN, a cheap KDF, change-feed pages and documents."""
from __future__ import annotations

from storage import KdfParams

PIN = "482915"
FAST_KDF = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)


def bundle(*resources: dict, deletions: tuple[str, ...] = ()) -> dict:
    """A change-feed page: upserts then tombstones (`Type/id`)."""
    entries = [{"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}}
               for r in resources]
    entries += [{"request": {"method": "DELETE", "url": url}} for url in deletions]
    return {"resourceType": "Bundle", "type": "history", "entry": entries}


def document(ident: str, *, loinc: str = "57833-6", description: str = "Ordonnance",
             date: str = "2024-03-01", author: str = "Dr Martin", binary: str | None = None,
             version: str = "1") -> dict:
    attachment = {"url": f"Binary/{binary}", "contentType": "application/pdf"} if binary else {}
    return {"resourceType": "DocumentReference", "id": ident, "meta": {"versionId": version},
            "status": "current", "type": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
            "description": description, "date": date, "author": [{"display": author}],
            "content": [{"attachment": attachment}]}
