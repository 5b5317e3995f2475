"""The patient's say over who sees their record: regular doctor, blocked professionals,
emergency access, e-mail notifications (the `/privacy` routes).

Only the patient, or the legal representative of a minor, changes these; a change by a
representative is traced in the minor's access history. The regular doctor lives on the
record (`Patient.generalPractitioner`), so setting it writes the Patient resource and
reaches the patient's devices through the change feed; the rest is kept beside the record.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from health import authorisation
from health.codes import PROFESSIONS
from server.clock import as_utc, utcnow
from server.errors import Conflict, InvalidInput, NotFound
from server.models import AccessBlock, Account, AccountKind, AccountStatus, PrivacySettings
from server.principal import Principal
from server.services import audit, compartments, record_store
from server.services.access import ALLOW, POLICY, Compartment
from server.services.audit import Access


@dataclass(frozen=True)
class Professional:
    practitioner_id: str  # FHIR id of their Practitioner resource
    name: str
    profession: str | None


@dataclass(frozen=True)
class BlockedProfessional(Professional):
    since: datetime | None = None


@dataclass(frozen=True)
class PrivacyChoices:
    patient_id: str
    regular_doctor: Professional | None
    blocked: list[BlockedProfessional]
    emergency_access_allowed: bool
    email_on_first_access: bool
    email_on_new_document: bool


def choices(session: Session, principal: Principal, patient_id: str | None = None) -> PrivacyChoices:
    """What the patient (or the minor `patient_id` the principal represents) decided."""
    account = _managed_account(session, principal, patient_id)
    settings = session.get(PrivacySettings, account.id)
    doctor_id = compartments.regular_doctor_id(compartments.patient_resource(session, account.id))
    doctor = _professional(session, doctor_id) if doctor_id else None
    blocks = session.execute(select(AccessBlock.created_at, Account).join(
        Account, Account.id == AccessBlock.professional_account_id).where(
        AccessBlock.patient_account_id == account.id).order_by(AccessBlock.created_at)).all()
    return PrivacyChoices(
        patient_id=account.fhir_id,
        regular_doctor=_summary(doctor) if doctor else None,
        blocked=[BlockedProfessional(pro.fhir_id, pro.display_name, pro.profession, as_utc(since))
                 for since, pro in blocks],
        emergency_access_allowed=settings is None or settings.emergency_access_allowed,
        email_on_first_access=settings is None or settings.email_on_first_access,
        email_on_new_document=settings is None or settings.email_on_new_document,
    )


def block(session: Session, principal: Principal, practitioner_id: str,
          patient_id: str | None = None) -> PrivacyChoices:
    """Block a professional: from the next request on, they read and write nothing."""
    account = _managed_account(session, principal, patient_id)
    professional = _existing_professional(session, practitioner_id)
    compartment = compartments.load(session, account.id)
    if compartment.regular_doctor == professional.fhir_id:
        raise Conflict("This is your regular doctor: choose another regular doctor (or none) before blocking them.")
    if professional.id not in compartment.blocked:
        session.add(AccessBlock(patient_account_id=account.id, professional_account_id=professional.id,
                                created_at=utcnow()))
        _trace_representative(session, principal, compartment)
    session.flush()
    return choices(session, principal, patient_id)


def unblock(session: Session, principal: Principal, practitioner_id: str,
            patient_id: str | None = None) -> PrivacyChoices:
    account = _managed_account(session, principal, patient_id)
    professional = _existing_professional(session, practitioner_id)
    removed = session.execute(delete(AccessBlock).where(AccessBlock.patient_account_id == account.id,
                                                        AccessBlock.professional_account_id == professional.id))
    if removed.rowcount:
        _trace_representative(session, principal, compartments.load(session, account.id))
    return choices(session, principal, patient_id)


def set_emergency_access(session: Session, principal: Principal, allowed: bool,
                         patient_id: str | None = None) -> PrivacyChoices:
    """Allow or refuse emergency access ("break the glass"); a refusal also ends any open one."""
    account = _managed_account(session, principal, patient_id)
    _settings_row(session, account.id).emergency_access_allowed = allowed
    _trace_representative(session, principal, compartments.load(session, account.id))
    return choices(session, principal, patient_id)


def set_notifications(session: Session, principal: Principal, *, email_on_first_access: bool | None = None,
                      email_on_new_document: bool | None = None, patient_id: str | None = None) -> PrivacyChoices:
    account = _managed_account(session, principal, patient_id)
    row = _settings_row(session, account.id)
    if email_on_first_access is not None:
        row.email_on_first_access = email_on_first_access
    if email_on_new_document is not None:
        row.email_on_new_document = email_on_new_document
    return choices(session, principal, patient_id)


def set_regular_doctor(session: Session, principal: Principal, practitioner_id: str | None,
                       patient_id: str | None = None) -> PrivacyChoices:
    """Name the regular doctor (médecin traitant) on the Patient resource, or none."""
    account = _managed_account(session, principal, patient_id)
    record_store.lock_compartment(session, account.id)
    patient = dict(compartments.patient_resource(session, account.id) or {})
    compartment = compartments.load(session, account.id)
    if practitioner_id is None:
        patient.pop("generalPractitioner", None)
    else:
        doctor = _existing_professional(session, practitioner_id)
        patient["generalPractitioner"] = [{"reference": f"Practitioner/{doctor.fhir_id}",
                                           "display": doctor.display_name}]
        check_regular_doctor(session, compartment, patient)
    if compartments.regular_doctor_id(patient) != compartment.regular_doctor:
        record_store.store(session, patient, patient_account_id=account.id,
                           author=record_store.Author(principal.account_id, principal.kind.value))
        _trace_representative(session, principal, compartment)
    return choices(session, principal, patient_id)


def check_regular_doctor(session: Session, compartment: Compartment, patient: dict) -> None:
    """A new Patient.generalPractitioner must name one physician the patient has not blocked."""
    references = patient.get("generalPractitioner") or []
    if len(references) > 1:
        raise InvalidInput("Patient.generalPractitioner names one regular doctor at most.")
    doctor_id = compartments.regular_doctor_id(patient)
    if references and doctor_id is None:
        raise InvalidInput("Patient.generalPractitioner must reference a 'Practitioner/<id>'.")
    if doctor_id is None or doctor_id == compartment.regular_doctor:
        return
    doctor = _existing_professional(session, doctor_id)
    if doctor.profession not in authorisation.REGULAR_DOCTOR_PROFESSIONS:
        label = PROFESSIONS[doctor.profession].label_en.lower() if doctor.profession in PROFESSIONS else "not a doctor"
        raise InvalidInput(f"{doctor.display_name} is a {label}: a regular doctor is a general practitioner "
                           "or a specialist physician.")
    if doctor.id in compartment.blocked:
        raise Conflict(f"You blocked {doctor.display_name}: unblock them before choosing them as regular doctor.")


def _managed_account(session: Session, principal: Principal, patient_id: str | None) -> Account:
    """The patient account whose choices these are: the principal's, or a represented minor's."""
    account = session.get(Account, principal.account_id) if patient_id is None else \
        record_store.patient_account(session, patient_id)
    if account is None or not POLICY.can_manage_choices(principal, compartments.load(session, account.id)).allowed:
        raise NotFound(f"Patient/{patient_id} does not exist.")
    return account


def _existing_professional(session: Session, practitioner_id: str) -> Account:
    professional = _professional(session, practitioner_id)
    if professional is None:
        raise NotFound(f"Practitioner/{practitioner_id} does not exist.")
    return professional


def _professional(session: Session, practitioner_id: str) -> Account | None:
    return session.scalar(select(Account).where(Account.kind == AccountKind.professional,
                                                Account.fhir_id == practitioner_id,
                                                Account.status == AccountStatus.active))


def _summary(account: Account) -> Professional:
    return Professional(account.fhir_id, account.display_name, account.profession)


def _settings_row(session: Session, patient_account_id: str) -> PrivacySettings:
    row = session.get(PrivacySettings, patient_account_id)
    if row is None:
        row = PrivacySettings(patient_account_id=patient_account_id, emergency_access_allowed=True,
                              email_on_first_access=True, email_on_new_document=True, updated_at=utcnow())
        session.add(row)
    row.updated_at = utcnow()
    return row


def _trace_representative(session: Session, principal: Principal, compartment: Compartment) -> None:
    """A representative's change to a minor's choices is in the minor's access history."""
    if audit.is_traced(principal, compartment):
        patient_id = session.get(Account, compartment.patient_account_id).fhir_id
        audit.record(session, principal, compartment, Access("update", (f"Patient/{patient_id}",)), ALLOW)
