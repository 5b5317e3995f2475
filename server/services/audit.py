"""Tracing accesses: one AuditEvent per request by anyone other than the patient.

Every decision the services take on a patient's record goes through `enforce`: for a
professional, an app or a legal representative it appends an entry to the patient's
hash chain (services.audit_chain) and publishes its AuditEvent in the patient's
compartment, where the patient reads it through search and the change feed; then it
lets the request go on, or refuses it.

What is not traced: the patient's own reads, writes and syncs (tracing them would put a
change in their feed at every sync, and their next sync would trace that, endlessly),
and a patient knocking at another patient's record (they get the 404 of a record that
does not exist, which must not change anything).

One request, one event: a search or a change-feed page lists every resource it returned
(and their count) in one AuditEvent, so a professional reading a hundred results adds
one entry to the patient's feed, not a hundred. A refusal is traced too, and committed
before the error is raised, so it survives the request's rollback.
"""
from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from health.audit_events import (EMERGENCY_ACCESS, FIRST_ACCESS, NEW_DOCUMENT, NEW_MESSAGE, NOTIFICATIONS, SUCCESS,
                                 AccessRecord, Agent, audit_event)
from server.clock import utcnow
from server.errors import Forbidden, NotFound
from server.models import Account, AuditEntry, EmergencyAccess
from server.principal import Principal
from server.services import audit_chain, notifications, record_store
from server.services.access import POLICY, Compartment, Decision, Relation

TRACED = (Relation.professional, Relation.emergency, Relation.representative, Relation.app)


@dataclass(frozen=True)
class Access:
    """What one request did (or tried) in a patient's record, as its trace will say."""

    interaction: str  # a key of health.audit_events.INTERACTIONS
    entities: tuple[str, ...] = ()  # "Type/id" of what was read or written
    resource_type: str | None = None
    query: str | None = None
    result_count: int | None = None
    document_added: bool = False  # a document reached the patient (deposit, or release)
    message_added: bool = False  # a care team's new message to the patient
    emergency_reason: str | None = None


def is_traced(principal: Principal, compartment: Compartment) -> bool:
    return POLICY.relation(principal, compartment) in TRACED


def enforce(session: Session, principal: Principal, compartment: Compartment, access: Access,
            decision: Decision, *, now: datetime | None = None, concealed_message: str | None = None) -> None:
    """Trace the decision (unless by the patient), then refuse if it refuses: 404 for a
    concealed refusal (with `concealed_message`), 403 otherwise."""
    if is_traced(principal, compartment):
        record(session, principal, compartment, access, decision, now=now)
        if not decision.allowed:
            session.commit()  # the refusal's trace outlives the request's rollback
    if decision.allowed:
        return
    if decision.conceal:
        raise NotFound(concealed_message or decision.reason or "No such resource.")
    raise Forbidden(decision.reason)


def record(session: Session, principal: Principal, compartment: Compartment, access: Access,
           decision: Decision, *, now: datetime | None = None, notify: bool = True) -> AuditEntry:
    """Append one entry to the patient's chain and publish its AuditEvent."""
    now = now or utcnow()
    patient = compartment.patient_account_id
    record_store.lock_compartment(session, patient)
    kinds = _notifications(session, principal, compartment, access, decision)
    event = audit_event(AccessRecord(
        event_id=str(uuid.uuid4()), recorded=now, patient_id=session.get(Account, patient).fhir_id,
        agent=_agent(principal, compartment), interaction=access.interaction, entities=access.entities,
        resource_type=access.resource_type, query=access.query, result_count=access.result_count,
        allowed=decision.allowed, refusal=decision.reason, emergency_reason=_emergency_reason(
            session, principal, compartment, access, decision, now),
        notifications=tuple(kind for kind in NOTIFICATIONS if kind in kinds)))
    entry = audit_chain.seal(AuditEntry(
        patient_account_id=patient, agent_account_id=principal.account_id,
        agent_app_id=principal.app.app_id if principal.app else None, outcome=event["outcome"], event=event,
    ), audit_chain.last_link(session, patient))
    session.add(entry)
    # The published copy names the agent as its author: their own traces stay out of their feed.
    # An app acts under its patient's account, so its traces are the platform's: authored by the
    # patient's account, they would be left out of the patient's own feed (apps never read traces).
    author = record_store.PLATFORM if principal.is_app else record_store.Author(principal.account_id, None)
    record_store.store(session, copy.deepcopy(event), patient_account_id=patient, author=author)
    if notify and kinds:
        notifications.notify(session, patient, kinds, now)
    return entry


def _notifications(session: Session, principal: Principal, compartment: Compartment, access: Access,
                   decision: Decision) -> set[str]:
    if not decision.allowed:
        return set()
    kinds = set()
    if access.interaction == "emergency-access":
        kinds.add(EMERGENCY_ACCESS)
    if access.document_added:
        kinds.add(NEW_DOCUMENT)
    if access.message_added:
        kinds.add(NEW_MESSAGE)
    if principal.is_professional and not _has_opened_before(session, principal, compartment):
        kinds.add(FIRST_ACCESS)
    return kinds


def _has_opened_before(session: Session, principal: Principal, compartment: Compartment) -> bool:
    return session.scalar(select(exists().where(
        AuditEntry.patient_account_id == compartment.patient_account_id,
        AuditEntry.agent_account_id == principal.account_id, AuditEntry.agent_app_id.is_(None),
        AuditEntry.outcome == SUCCESS)))


def _agent(principal: Principal, compartment: Compartment) -> Agent:
    if principal.app is not None:
        return Agent("app", principal.app.name, app_id=principal.app.app_id)
    if principal.is_professional:
        return Agent("professional", principal.display_name, principal.reference, principal.profession)
    return Agent("representative", principal.display_name, principal.reference)


def _emergency_reason(session: Session, principal: Principal, compartment: Compartment, access: Access,
                      decision: Decision, now: datetime) -> str | None:
    if access.emergency_reason is not None:
        return access.emergency_reason
    if not decision.emergency:
        return None
    return session.scalar(select(EmergencyAccess.reason).where(
        EmergencyAccess.patient_account_id == compartment.patient_account_id,
        EmergencyAccess.professional_account_id == principal.account_id, EmergencyAccess.expires_at > now,
    ).order_by(EmergencyAccess.opened_at.desc()).limit(1)) or ""
