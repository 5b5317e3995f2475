"""The change feed of one patient's compartment, for the device's sync (see server/FEED.md).

Each write to a compartment takes the next number of that patient's sequence
(record_store.next_feed_seq) under a row lock, so numbers commit in order. A page holds
the resources whose *current* version has a sequence number above the cursor, in
ascending order: a resource changed three times since the cursor appears once, in its
latest state; a deleted one appears as a tombstone.

The cursor is opaque to clients: base64url of `{"v": 1, "p": <patient id>, "s": <seq>}`.
It is validated (shape, patient, not ahead of the feed) rather than signed: it only ever
names a position in a feed the caller may read anyway.

Each reader gets the feed the access policy lets them see (AccessPolicy.feed_entry): a
resource they may not read comes as a tombstone (so a copy that became invisible is
dropped), types they never read and their own access traces are left out. The cursor
still moves past them, so pages stay in order and nothing is skipped or repeated. A page
that showed someone other than the patient anything is traced as one AuditEvent.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import as_utc
from server.config import Settings
from server.errors import InvalidInput, NotFound
from server.models import Resource
from server.principal import Principal
from server.services import audit, compartments, record_store
from server.services.access import ACCESS_HISTORY, POLICY, FeedEntry
from server.services.audit import Access
from server.services.record import StoredResource, target_of

CURSOR_VERSION = 1


@dataclass(frozen=True)
class FeedPage:
    patient_id: str
    changes: list[StoredResource]  # in sequence order; deleted ones have no content
    cursor: str  # where the next page starts (the same cursor when the page is empty)
    has_more: bool


def encode_cursor(patient_id: str, seq: int) -> str:
    raw = json.dumps({"v": CURSOR_VERSION, "p": patient_id, "s": seq}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, patient_id: str) -> int:
    """The sequence number a cursor stands for; InvalidInput if it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        fields = json.loads(raw)
        seq = fields["s"]
        valid = (fields["v"] == CURSOR_VERSION and fields["p"] == patient_id
                 and type(seq) is int and seq >= 0)
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        valid = False
    if not valid or len(cursor) > 512:
        raise InvalidInput("This cursor is not valid for this patient's change feed: "
                           "start again without a cursor.")
    return seq


def changes(session: Session, settings: Settings, principal: Principal, patient_id: str,
            cursor: str | None, count: int | None) -> FeedPage:
    account = record_store.patient_account(session, patient_id)
    if account is None:
        raise NotFound(f"Patient/{patient_id} does not exist.")
    compartment = compartments.load(session, account.id)
    decision = POLICY.can_read_feed(principal, compartment)
    if decision.conceal:
        raise NotFound(f"Patient/{patient_id} does not exist.")
    if not decision.allowed:
        audit.enforce(session, principal, compartment, Access("changes", resource_type="Patient"), decision)
    after = decode_cursor(cursor, patient_id) if cursor else 0
    if after > (account.feed_seq or 0):
        raise InvalidInput("This cursor is ahead of the change feed (was the server restored?): "
                           "start again without a cursor.")
    limit = settings.page_size_default if count is None else min(count, settings.page_size_max)
    rows = session.execute(
        select(Resource)
        .where(Resource.patient_account_id == account.id, Resource.seq > after)
        .order_by(Resource.seq)
        .limit(limit + 1)
    ).scalars().all()
    page, has_more = rows[:limit], len(rows) > limit
    last = page[-1].seq if page else after
    shown = []
    for row in page:
        entry = POLICY.feed_entry(principal, target_of(row), compartment, deleted=row.deleted)
        if entry is FeedEntry.full:
            shown.append(StoredResource.of(row))
        elif entry is FeedEntry.tombstone:
            shown.append(StoredResource(row.resource_type, row.id, row.version_id, as_utc(row.last_updated), True,
                                        None))
    # Traces of traces are left out: two representatives syncing one child's record would
    # otherwise each trace the other's trace, endlessly.
    disclosed = tuple(f"{change.resource_type}/{change.id}" for change in shown
                      if not change.deleted and change.resource_type != ACCESS_HISTORY)
    if disclosed and audit.is_traced(principal, compartment):
        audit.record(session, principal, compartment,
                     Access("changes", disclosed, result_count=len(disclosed)), decision)
    return FeedPage(patient_id, shown, encode_cursor(patient_id, last), has_more)


def latest_seq(session: Session, patient_id: str) -> int:
    """The compartment's newest sequence number: a cheap check for "anything new?"."""
    account = record_store.patient_account(session, patient_id)
    return (account.feed_seq or 0) if account is not None else 0


def seq_of_cursor(cursor: str | None, patient_id: str) -> int:
    return decode_cursor(cursor, patient_id) if cursor else 0
