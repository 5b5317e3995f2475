"""The one place that writes FHIR resources to the database.

Every write to a patient's compartment locks that patient's account row and takes the
next number of its change feed, so within a compartment sequence numbers commit in
order and a device that read up to N never misses a change numbered below N.
Access decisions are made by the callers (services.record); this module only stores.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from health.fhir_index import category_of, clinical_date, code_of
from server.clock import utcnow
from server.errors import NotFound, VersionConflict
from server.models import Account, BinaryBlob, Resource, ResourceVersion


@dataclass(frozen=True)
class Author:
    account_id: str | None
    kind: str | None  # "patient" | "professional" | None for the platform itself


PLATFORM = Author(None, None)


def next_feed_seq(session: Session, patient_account_id: str) -> int:
    account = session.execute(
        select(Account).where(Account.id == patient_account_id).with_for_update()
    ).scalar_one_or_none()
    if account is None:
        raise NotFound("No such patient.")
    account.feed_seq = (account.feed_seq or 0) + 1
    return account.feed_seq


def find(session: Session, resource_type: str, resource_id: str) -> Resource | None:
    return session.execute(
        select(Resource).where(Resource.resource_type == resource_type, Resource.id == resource_id)
    ).scalar_one_or_none()


def store(session: Session, resource: dict, *, patient_account_id: str | None, author: Author,
          expected_version: int | None = None) -> Resource:
    """Create or update `resource` (which carries resourceType and id); returns the stored row.

    `expected_version` is the If-Match check: a mismatch raises VersionConflict and
    writes nothing.
    """
    resource_type, resource_id = resource["resourceType"], resource["id"]
    row = find(session, resource_type, resource_id)
    if expected_version is not None:
        current = row.version_id if row is not None and not row.deleted else None
        if current != expected_version:
            raise VersionConflict(
                f"{resource_type}/{resource_id} has changed since version {expected_version}"
                + (f" (it is now at version {current})." if current else " (it no longer exists).")
            )
    now = utcnow()
    seq = next_feed_seq(session, patient_account_id) if patient_account_id else 0
    version = (row.version_id + 1) if row is not None else 1
    content = dict(resource)
    meta = dict(content.get("meta") or {})
    meta.update(versionId=str(version), lastUpdated=now.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
    content["meta"] = meta
    if row is None:
        row = Resource(resource_type=resource_type, id=resource_id)
        session.add(row)
    row.patient_account_id = patient_account_id
    row.version_id = version
    row.seq = seq
    row.last_updated = now
    row.deleted = False
    row.author_account_id = author.account_id
    row.author_kind = author.kind
    row.category = category_of(content)
    row.code = code_of(content)
    row.date = clinical_date(content)
    row.content = content
    _remember_version(session, row)
    session.flush()
    return row


def tombstone(session: Session, row: Resource, *, author: Author) -> Resource:
    """Mark a resource deleted; the change feed then carries the deletion to devices."""
    if row.deleted:
        return row
    row.version_id += 1
    row.seq = next_feed_seq(session, row.patient_account_id) if row.patient_account_id else 0
    row.last_updated = utcnow()
    row.deleted = True
    row.author_account_id = author.account_id
    row.author_kind = author.kind
    row.content = None
    _remember_version(session, row)
    session.flush()
    return row


def purge_compartment(session: Session, patient_account_id: str) -> None:
    """Erase every resource, version and file of a patient (opposition, expired archive)."""
    ids = select(Resource.id).where(Resource.patient_account_id == patient_account_id)
    session.execute(delete(ResourceVersion).where(ResourceVersion.resource_id.in_(ids)))
    session.execute(delete(Resource).where(Resource.patient_account_id == patient_account_id))
    session.execute(delete(BinaryBlob).where(BinaryBlob.patient_account_id == patient_account_id))


def _remember_version(session: Session, row: Resource) -> None:
    session.add(ResourceVersion(
        resource_type=row.resource_type, resource_id=row.id, version_id=row.version_id,
        last_updated=row.last_updated, deleted=row.deleted,
        author_account_id=row.author_account_id, content=row.content,
    ))
