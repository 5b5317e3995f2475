"""The patient's privacy choices: regular doctor, blocked professionals, emergency access,
e-mail notifications. Patients only (not apps, not professionals); a legal representative
passes `?patient=<Patient id>` to manage a minor's. Every answer is the whole set of choices.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from server.api.deps import CurrentPatient, SessionDep
from server.errors import InvalidInput
from server.services import privacy

router = APIRouter(prefix="/privacy", tags=["privacy"], responses={
    "4XX": {"description": "OperationOutcome saying what is wrong"}})

PatientParam = Annotated[str | None, Query(alias="patient", max_length=64,
                                           description="A represented minor's Patient id (default: yourself).")]
PractitionerId = Annotated[str, Path(max_length=64, description="The professional's Practitioner id.")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class RegularDoctorChoice(Body):
    practitioner: str | None = Field(max_length=80, description="'Practitioner/<id>', or null for none.")


class EmergencyAccessChoice(Body):
    allowed: bool


class NotificationChoices(Body):
    email_on_first_access: bool | None = None
    email_on_new_document: bool | None = None


class ProfessionalOut(BaseModel):
    practitioner: str
    name: str
    profession: str | None


class BlockedOut(ProfessionalOut):
    since: datetime | None


class Notifications(BaseModel):
    email_on_first_access: bool
    email_on_new_document: bool
    email_on_emergency_access: bool = Field(True, description="Always on: emergency accesses are always e-mailed.")


class PrivacyOut(BaseModel):
    patient: str
    regular_doctor: ProfessionalOut | None
    blocked: list[BlockedOut]
    emergency_access_allowed: bool
    notifications: Notifications


def _out(choices: privacy.PrivacyChoices) -> PrivacyOut:
    def professional(p: privacy.Professional) -> dict:
        return {"practitioner": f"Practitioner/{p.practitioner_id}", "name": p.name, "profession": p.profession}

    return PrivacyOut(
        patient=f"Patient/{choices.patient_id}",
        regular_doctor=professional(choices.regular_doctor) if choices.regular_doctor else None,
        blocked=[BlockedOut(**professional(b), since=b.since) for b in choices.blocked],
        emergency_access_allowed=choices.emergency_access_allowed,
        notifications=Notifications(email_on_first_access=choices.email_on_first_access,
                                    email_on_new_document=choices.email_on_new_document))


def _practitioner_id(value: str) -> str:
    return value[len("Practitioner/"):] if value.startswith("Practitioner/") else value


@router.get("", response_model=PrivacyOut, summary="Your privacy choices")
def read_choices(session: SessionDep, principal: CurrentPatient, patient: PatientParam = None) -> PrivacyOut:
    return _out(privacy.choices(session, principal, patient))


@router.put("/regular-doctor", response_model=PrivacyOut, summary="Choose your regular doctor (or none)")
def choose_regular_doctor(body: RegularDoctorChoice, session: SessionDep, principal: CurrentPatient,
                          patient: PatientParam = None) -> PrivacyOut:
    """Written on your Patient resource (`generalPractitioner`): your regular doctor also sees
    the documents you hid. A general practitioner or a specialist physician you have not blocked."""
    practitioner = _practitioner_id(body.practitioner) if body.practitioner else None
    if practitioner is not None and not practitioner:
        raise InvalidInput("practitioner must be 'Practitioner/<id>' or null.")
    return _out(privacy.set_regular_doctor(session, principal, practitioner, patient))


@router.put("/blocks/{practitioner_id}", response_model=PrivacyOut, summary="Block a professional")
def block(practitioner_id: PractitionerId, session: SessionDep, principal: CurrentPatient,
          patient: PatientParam = None) -> PrivacyOut:
    """From their next request on, this professional reads and writes nothing in your record."""
    return _out(privacy.block(session, principal, practitioner_id, patient))


@router.delete("/blocks/{practitioner_id}", response_model=PrivacyOut, summary="Unblock a professional")
def unblock(practitioner_id: PractitionerId, session: SessionDep, principal: CurrentPatient,
            patient: PatientParam = None) -> PrivacyOut:
    return _out(privacy.unblock(session, principal, practitioner_id, patient))


@router.put("/emergency-access", response_model=PrivacyOut, summary="Allow or refuse emergency access")
def choose_emergency_access(body: EmergencyAccessChoice, session: SessionDep, principal: CurrentPatient,
                            patient: PatientParam = None) -> PrivacyOut:
    """Whether a professional may open your record in an emergency ("break the glass")."""
    return _out(privacy.set_emergency_access(session, principal, body.allowed, patient))


@router.put("/notifications", response_model=PrivacyOut, summary="Choose which e-mails you get")
def choose_notifications(body: NotificationChoices, session: SessionDep, principal: CurrentPatient,
                         patient: PatientParam = None) -> PrivacyOut:
    return _out(privacy.set_notifications(session, principal, **body.model_dump(), patient_id=patient))
