"""Emergency access ("break the glass"): a professional opens a record in an emergency.

The professional states why; unless the patient refused emergency access in their
settings (services.privacy), they read the whole record for `EMERGENCY_ACCESS_DURATION`,
their profession's limits lifted (never a block, nor what the patient hid). Opening it,
refused or not, is always traced (purpose ETREAT/BTG, with the reason) and an opening is
always notified by e-mail; each read during it is traced as an emergency read too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from server.clock import utcnow
from server.errors import InvalidInput, NotFound
from server.models import EmergencyAccess
from server.principal import Principal
from server.services import audit, compartments, record_store
from server.services.access import POLICY
from server.services.audit import Access

EMERGENCY_ACCESS_DURATION = timedelta(hours=4)
MIN_REASON, MAX_REASON = 10, 500


@dataclass(frozen=True)
class EmergencyOpened:
    patient_id: str
    expires_at: datetime


def reason_in(parameters: object) -> object:
    """The `reason` of a FHIR Parameters body (None if there is none)."""
    if not isinstance(parameters, dict) or parameters.get("resourceType") != "Parameters":
        raise InvalidInput("Send a FHIR Parameters resource with a 'reason' (valueString).")
    for parameter in parameters.get("parameter") or []:
        if isinstance(parameter, dict) and parameter.get("name") == "reason":
            return parameter.get("valueString")
    return None


def open_record(session: Session, principal: Principal, patient_id: str, reason: object,
                now: datetime | None = None) -> EmergencyOpened:
    """Open `patient_id`'s record in an emergency for `principal`, or refuse (403), traced either way."""
    now = now or utcnow()
    account = record_store.patient_account(session, patient_id)
    if account is None:
        raise NotFound(f"Patient/{patient_id} does not exist.")
    stated = reason.strip() if isinstance(reason, str) else ""
    if not MIN_REASON <= len(stated) <= MAX_REASON:
        raise InvalidInput(f"Say why this is an emergency: a reason of {MIN_REASON} to {MAX_REASON} characters.")
    compartment = compartments.load(session, account.id, now)
    decision = POLICY.can_open_emergency_access(principal, compartment)
    audit.enforce(session, principal, compartment,
                  Access("emergency-access", (f"Patient/{patient_id}",), emergency_reason=stated), decision, now=now)
    expires_at = now + EMERGENCY_ACCESS_DURATION
    session.add(EmergencyAccess(patient_account_id=account.id, professional_account_id=principal.account_id,
                                reason=stated, opened_at=now, expires_at=expires_at))
    session.flush()
    return EmergencyOpened(patient_id, expires_at)
