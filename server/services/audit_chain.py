"""The hash chains of the access history, and their verification (`carnet verify-audit`).

One chain per patient, not one for the whole platform: appending happens under the lock
every write to that patient's record already takes (no platform-wide bottleneck, in the
spirit of partitioning by patient), and erasing a closed space erases its chain whole
without breaking anybody else's.

Entry n stores hash(n) = SHA-256(hash(n-1) + canonical(entry n)), the first entry
chaining from GENESIS. The canonical form is the entry's fields (chain, position, agent,
outcome and the AuditEvent as published) in JSON with sorted keys and no spaces, so it
does not depend on the database's JSON formatting. Editing, inserting or removing an
entry in the middle breaks the link after it; the published AuditEvent resources are
checked against the ledger too, so editing the copy the patient reads is caught as well.
(A chain cut short at its end, or rewritten whole by someone who recomputes every hash,
needs an anchor outside the database: the heads `verify` returns can be kept elsewhere.)
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from health.server_meta import without_server_meta
from server.models import AuditEntry, Resource

GENESIS = "0" * 64


def canonical(entry: AuditEntry) -> bytes:
    fields = {"chain": entry.patient_account_id, "position": entry.position, "agent": entry.agent_account_id,
              "app": entry.agent_app_id, "outcome": entry.outcome, "event": entry.event,
              "previous": entry.previous_hash}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def chain_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(entry.previous_hash.encode("ascii") + b"\n" + canonical(entry)).hexdigest()


def seal(entry: AuditEntry, previous: tuple[int, str] | None) -> AuditEntry:
    """Give a new entry its place after `previous` (position, hash) and its hash."""
    entry.position = previous[0] + 1 if previous else 1
    entry.previous_hash = previous[1] if previous else GENESIS
    entry.hash = chain_hash(entry)
    return entry


def last_link(session: Session, patient_account_id: str) -> tuple[int, str] | None:
    """(position, hash) of a chain's newest entry; call it under the compartment's lock."""
    row = session.execute(select(AuditEntry.position, AuditEntry.hash)
                          .where(AuditEntry.patient_account_id == patient_account_id)
                          .order_by(AuditEntry.position.desc()).limit(1)).first()
    return (row.position, row.hash) if row else None


@dataclass(frozen=True)
class BrokenLink:
    patient_account_id: str
    position: int | None  # None: a published AuditEvent with no ledger entry
    problem: str

    def __str__(self) -> str:
        where = f"entry {self.position}" if self.position is not None else "published events"
        return f"chain of account {self.patient_account_id}, {where}: {self.problem}"


@dataclass
class Verification:
    chains: int = 0
    entries: int = 0
    broken: list[BrokenLink] = field(default_factory=list)
    heads: dict[str, str] = field(default_factory=dict)  # chain -> hash of its newest entry

    @property
    def intact(self) -> bool:
        return not self.broken


def verify(session: Session, patient_account_id: str | None = None) -> Verification:
    """Check every chain (or one): positions without gaps, each link to the previous hash,
    each hash over its entry, and each published AuditEvent equal to its entry. Reports
    the first broken link of each chain."""
    result = Verification()
    for chain in _chains(session, patient_account_id):
        result.chains += 1
        published = _published_events(session, chain)
        broken = None
        head, position = GENESIS, 0
        for entry in _entries(session, chain):
            result.entries += 1
            broken = broken or _check(entry, position + 1, head, published)
            head, position = entry.hash, entry.position
            published.pop(str(entry.event.get("id")), None)
        if broken is None and published:
            broken = BrokenLink(chain, None, f"AuditEvent/{sorted(published)[0]} is not in the ledger (added?).")
        if broken:
            result.broken.append(broken)
        result.heads[chain] = head
    return result


def _check(entry: AuditEntry, expected_position: int, previous_hash: str,
           published: dict[str, dict]) -> BrokenLink | None:
    chain = entry.patient_account_id
    if entry.position != expected_position:
        return BrokenLink(chain, entry.position, f"expected entry {expected_position} here (removed or inserted?).")
    if entry.previous_hash != previous_hash:
        return BrokenLink(chain, entry.position, "does not link to the entry before it (removed or inserted?).")
    if chain_hash(entry) != entry.hash:
        return BrokenLink(chain, entry.position, "its content does not match its hash (edited?).")
    copy = published.get(str(entry.event.get("id")))
    if copy is not None and without_server_meta(copy) != entry.event:
        return BrokenLink(chain, entry.position, f"the published AuditEvent/{entry.event.get('id')} differs from "
                                                 "the ledger (edited?).")
    return None


def _chains(session: Session, patient_account_id: str | None) -> list[str]:
    if patient_account_id is not None:
        return [patient_account_id]
    in_ledger = session.scalars(select(AuditEntry.patient_account_id).distinct())
    published = session.scalars(select(Resource.patient_account_id).where(
        Resource.resource_type == "AuditEvent").distinct())
    return sorted({*in_ledger, *(p for p in published if p)})


def _entries(session: Session, chain: str) -> Iterator[AuditEntry]:
    rows = session.scalars(select(AuditEntry).where(AuditEntry.patient_account_id == chain)
                           .order_by(AuditEntry.position).execution_options(yield_per=1000))
    for row in rows:
        yield row


def _published_events(session: Session, chain: str) -> dict[str, dict]:
    rows = session.execute(select(Resource.id, Resource.content).where(
        Resource.patient_account_id == chain, Resource.resource_type == "AuditEvent"))
    return {ident: content for ident, content in rows if content is not None}
