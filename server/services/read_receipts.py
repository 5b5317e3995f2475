"""Read receipts: the recipient of a message says they have read it.

FHIR R4 has no "read" status for a Communication; its `received` element says when the
recipient got it. Carnet sets `received` when the recipient opens the message, through
the operation `POST /fhir/Communication/{id}/$mark-read`, because the recipient may not
edit the message itself (a care team's message is read-only for the patient). The server
applies it as a new version of the message:
- under the message's own author, so who may change it does not move (the patient still
  cannot edit the professional's message, the professional still can), and the version
  history shows the message and, one version later, its `received`;
- in the change feed like any write, so the sender sees it was read on their next read,
  search or sync;
- once: marking a message read again returns it unchanged (same version).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from health.fhir_bundles import instant
from server.clock import utcnow
from server.errors import Gone
from server.models import Resource
from server.principal import Principal
from server.services import compartments, messages, record, record_store
from server.services.access import POLICY
from server.services.record import StoredResource


def mark_read(session: Session, principal: Principal, message_id: str) -> StoredResource:
    """Set `received` on a message addressed to `principal`; a no-op if it already has one."""
    record.read(session, principal, "Communication", message_id)  # 404/410 as for any read
    row = _locked_message(session, message_id)
    record.enforce(POLICY.can_mark_read(principal, record.target_of(row),
                                        compartments.load(session, row.patient_account_id),
                                        _addressed_to(session, principal, row)))
    if (row.content or {}).get("received"):
        return StoredResource.of(row)
    content = {**row.content, "received": instant(utcnow())}
    stored = record_store.store(session, content, patient_account_id=row.patient_account_id,
                                author=record_store.Author(row.author_account_id, row.author_kind))
    return StoredResource.of(stored)


def _locked_message(session: Session, message_id: str) -> Resource:
    """The message as it stands once its compartment is locked, so two receipts sent at
    once make one version, not two."""
    row = record_store.find(session, "Communication", message_id)
    record_store.lock_compartment(session, row.patient_account_id)
    row = record_store.find(session, "Communication", message_id)
    if row.deleted:  # withdrawn between the read above and the lock
        raise Gone(f"Communication/{message_id} was deleted.")
    return row


def _addressed_to(session: Session, principal: Principal, row: Resource) -> bool:
    """Named among its recipients, or (a patient's reply) the professional who opened the
    conversation, even when they opened it in their establishment's name."""
    if principal.reference in messages.references((row.content or {}).get("recipient")):
        return True
    if principal.is_patient or row.author_kind != "patient":
        return False
    root = messages.thread_root(session, row)
    return root is not None and root.author_account_id == principal.account_id
