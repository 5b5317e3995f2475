"""The facts of a patient's record the access policy decides with, read from the database:
the compartment's (blocks, regular doctor…) and a stored resource's (`target_of`).

Loaded afresh for every request (a handful of indexed reads), so a block, a refusal of
emergency access or a new regular doctor applies from the very next request.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from health.visibility import labels_of
from server.clock import utcnow
from server.models import AccessBlock, EmergencyAccess, LegalRepresentation, PrivacySettings, Resource
from server.services.access import Compartment, Target


def load(session: Session, patient_account_id: str, now: datetime | None = None) -> Compartment:
    settings = session.get(PrivacySettings, patient_account_id)
    blocked = session.scalars(select(AccessBlock.professional_account_id).where(
        AccessBlock.patient_account_id == patient_account_id)).all()
    representatives = session.scalars(select(LegalRepresentation.representative_account_id).where(
        LegalRepresentation.represented_account_id == patient_account_id)).all()
    grants = session.scalars(select(EmergencyAccess.professional_account_id).where(
        EmergencyAccess.patient_account_id == patient_account_id,
        EmergencyAccess.expires_at > (now or utcnow()))).all()
    return Compartment(
        patient_account_id=patient_account_id,
        regular_doctor=regular_doctor_id(patient_resource(session, patient_account_id)),
        blocked=frozenset(blocked),
        emergency_access_refused=settings is not None and not settings.emergency_access_allowed,
        representatives=frozenset(representatives),
        emergency_grants=frozenset(grants),
    )


def patient_resource(session: Session, patient_account_id: str) -> dict | None:
    """The current content of the compartment's Patient resource."""
    return session.scalar(select(Resource.content).where(
        Resource.patient_account_id == patient_account_id, Resource.resource_type == "Patient",
        Resource.deleted.is_(False)))


def regular_doctor_id(patient: dict | None) -> str | None:
    """The FHIR id of the Practitioner named as regular doctor (Patient.generalPractitioner)."""
    for reference in (patient or {}).get("generalPractitioner") or []:
        value = reference.get("reference") if isinstance(reference, dict) else None
        if isinstance(value, str) and value.startswith("Practitioner/"):
            return value[len("Practitioner/"):]
    return None


def target_of(row: Resource) -> Target:
    """A stored resource as the policy sees it: type, record, author, codes and labels."""
    labels = labels_of(row.content) if row.content is not None else frozenset()
    return Target(row.resource_type, row.patient_account_id, row.id, row.author_account_id, row.author_kind,
                  row.code, row.category, labels)
