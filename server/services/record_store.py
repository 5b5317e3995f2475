"""The one place that writes FHIR resources to the database.

Every write to a patient's compartment locks that patient's account row and takes the
next number of its change feed, so within a compartment sequence numbers commit in
order and a device that read up to N never misses a change numbered below N.
Access decisions are made by the callers (services.record); this module only stores.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from health.fhir_index import category_of, clinical_date, code_of
from health.server_meta import with_author_tag
from health.visibility import HIDDEN, HIDDEN_FROM_REPRESENTATIVE, WITHHELD_FROM_PATIENT, labels_of
from server.clock import utcnow
from server.errors import NotFound, VersionConflict
from server.models import Account, AccountKind, AccountStatus, BinaryBlob, Resource, ResourceVersion


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


def lock_compartment(session: Session, patient_account_id: str) -> None:
    """Hold the compartment's write lock until the transaction ends, so a read-then-write
    (is this PUT a create, or a repeat?) is not raced by another request. A no-op UPDATE
    is a row lock on PostgreSQL and takes the database's write lock on SQLite."""
    session.execute(
        update(Account).where(Account.id == patient_account_id).values(feed_seq=Account.feed_seq)
    )


def find(session: Session, resource_type: str, resource_id: str) -> Resource | None:
    # populate_existing: after taking a compartment's lock, see what others committed
    # meanwhile, even for a row this session had already loaded.
    return session.execute(
        select(Resource).where(Resource.resource_type == resource_type, Resource.id == resource_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def patient_account(session: Session, patient_fhir_id: str) -> Account | None:
    """The active patient account whose Patient resource has this id."""
    return session.execute(select(Account).where(
        Account.kind == AccountKind.patient, Account.fhir_id == patient_fhir_id,
        Account.status == AccountStatus.active,
    )).scalars().first()


def first_version_rows(resource: dict, *, patient_account_id: str | None, seq: int, author: Author,
                       now) -> tuple[dict, dict]:
    """The `resources` and `resource_versions` rows of a brand-new resource, for bulk loads
    (`carnet seed`) that insert whole compartments at once instead of calling `store`.
    The caller sets the compartment's `feed_seq` to the highest `seq` it used."""
    resource["meta"] = with_author_tag({**resource.get("meta", {}), "versionId": "1",
                                        "lastUpdated": _instant(now)}, author.kind)
    row = dict(resource_type=resource["resourceType"], id=resource["id"], patient_account_id=patient_account_id,
               version_id=1, seq=seq, last_updated=now, deleted=False, author_account_id=author.account_id,
               author_kind=author.kind, category=category_of(resource), code=code_of(resource),
               date=clinical_date(resource), content=resource, **visibility_columns(resource))
    version = dict(resource_type=resource["resourceType"], resource_id=resource["id"], version_id=1,
                   last_updated=now, deleted=False, author_account_id=author.account_id, content=resource)
    return row, version


def visibility_columns(resource: dict | None) -> dict[str, bool]:
    """The `resources` columns that mirror a resource's visibility labels (for SQL rules)."""
    labels = labels_of(resource)
    return {"hidden": HIDDEN in labels, "withheld_from_patient": WITHHELD_FROM_PATIENT in labels,
            "hidden_from_representative": HIDDEN_FROM_REPRESENTATIVE in labels}


def _instant(moment) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def store(session: Session, resource: dict, *, patient_account_id: str | None, author: Author,
          expected_version: int | None = None) -> Resource:
    """Create or update `resource` (which carries resourceType and id); returns the stored row.

    `expected_version` is the If-Match check, made under the compartment's lock: a
    mismatch raises VersionConflict (the caller's transaction then rolls back).
    """
    resource_type, resource_id = resource["resourceType"], resource["id"]
    # Lock the compartment before looking the row up, so two concurrent "update as
    # create" PUTs of one id serialise into a create and an update, not two inserts.
    seq = next_feed_seq(session, patient_account_id) if patient_account_id else 0
    row = find(session, resource_type, resource_id)
    if expected_version is not None:
        current = row.version_id if row is not None and not row.deleted else None
        if current != expected_version:
            raise VersionConflict(
                f"{resource_type}/{resource_id} has changed since version {expected_version}"
                + (f" (it is now at version {current})." if current else " (it no longer exists).")
            )
    now = utcnow()
    version = (row.version_id + 1) if row is not None else 1
    content = dict(resource)
    meta = dict(content.get("meta") or {})
    meta.update(versionId=str(version), lastUpdated=_instant(now))
    content["meta"] = with_author_tag(meta, author.kind)
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
    for column, value in visibility_columns(content).items():
        setattr(row, column, value)
    _remember_version(session, row)
    session.flush()
    return row


def tombstone(session: Session, row: Resource, *, author: Author,
              expected_version: int | None = None) -> Resource:
    """Mark a resource deleted; the change feed then carries the deletion to devices."""
    seq = next_feed_seq(session, row.patient_account_id) if row.patient_account_id else 0
    session.refresh(row)  # under the lock: the version another request may just have written
    if row.deleted:
        return row
    if expected_version is not None and expected_version != row.version_id:
        raise VersionConflict(f"{row.resource_type}/{row.id} has changed since version {expected_version} "
                              f"(it is now at version {row.version_id}).")
    row.version_id += 1
    row.seq = seq
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
