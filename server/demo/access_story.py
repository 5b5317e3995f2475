"""The demo patient's say over her record, and who opened it over the last year.

Her GP is her regular doctor; she blocked the occupational physician of her workplace
(who then tried to open her record, and was refused); a SAMU physician opened it in an
emergency after she fainted in the street; her pharmacist, physiotherapist, nurse,
radiologist and a dentist opened it as their work needed. Every access goes through the
real access policy (each lists what that profession may see) and the real audit ledger,
dated in the past, with no e-mail sent.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from health.identifiers import make_rpps
from server.config import Settings
from server.demo.cast import DEMO_PASSWORD, Clinician
from server.models import AccessBlock, Account, AccountKind, EmergencyAccess, Resource
from server.principal import Principal
from server.services import accounts, audit, compartments, privacy
from server.services.access import POLICY, Decision
from server.services.audit import Access
from server.services.emergency import EMERGENCY_ACCESS_DURATION
from server.services.record import target_of


def _visitor(n: int, given: str, family: str, profession: str, specialty: str, practice: str,
             address: str, phone: str) -> Clinician:
    email = f"{given}.{family}".lower().replace("é", "e")
    return Clinician(given=given, family=family, profession=profession, rpps=make_rpps(f"109990{n:04d}"),
                     email=f"{email}@demo.carnet.example", specialty=specialty, practice=practice,
                     address=address, phone=phone)


OCCUPATIONAL_PHYSICIAN = _visitor(11, "Xavier", "Dumont", "physician", "Médecine du travail",
                                  "Service de santé au travail de Lyon Part-Dieu",
                                  "40 boulevard Vivier-Merle, 69003 Lyon", "04 72 60 11 00")
EMERGENCY_PHYSICIAN = _visitor(12, "Emma", "Roussel", "physician", "Médecine d'urgence",
                               "SAMU 69 — Hôpital Édouard-Herriot", "5 place d'Arsonval, 69003 Lyon",
                               "04 72 11 69 15")
DENTIST = _visitor(13, "Hugo", "Marchand", "dentist", "Chirurgie dentaire", "Cabinet dentaire Bellecour",
                   "8 place Bellecour, 69002 Lyon", "04 78 42 17 30")
# Professionals who only appear in the access history (the record's authors are in cast.py).
VISITING_PROFESSIONALS: tuple[Clinician, ...] = (OCCUPATIONAL_PHYSICIAN, EMERGENCY_PHYSICIAN, DENTIST)

EMERGENCY_REASON = "Malaise sur la voie publique, patiente inconsciente à l'arrivée du SMUR."


@dataclass(frozen=True)
class Visit:
    """One search of the story: who (a profession, or a visitor's RPPS), when, what."""

    days_ago: int
    hour: int
    who: str
    resource_type: str
    category: str | None = None
    emergency: bool = False  # during an emergency access
    opens_emergency: bool = False  # the emergency access is opened just before


_VISITS = (
    Visit(400, 9, "general-practitioner", "Condition"),
    Visit(400, 9, "general-practitioner", "DocumentReference", "lab-result"),
    Visit(380, 17, "pharmacist", "MedicationStatement"),
    Visit(250, 11, "physiotherapist", "DocumentReference"),
    Visit(200, 8, "nurse", "Immunization"),
    Visit(120, 14, "radiologist", "DocumentReference", "imaging"),
    Visit(95, 10, DENTIST.rpps, "MedicationStatement"),
    Visit(95, 10, DENTIST.rpps, "AllergyIntolerance"),
    Visit(40, 22, EMERGENCY_PHYSICIAN.rpps, "AllergyIntolerance", emergency=True, opens_emergency=True),
    Visit(40, 22, EMERGENCY_PHYSICIAN.rpps, "MedicationStatement", emergency=True),
    Visit(40, 22, EMERGENCY_PHYSICIAN.rpps, "DocumentReference", emergency=True),
    Visit(3, 10, "general-practitioner", "Observation"),
)


def add_access_story(session: Session, settings: Settings, patient: Account, today: date) -> int:
    """Write the story; returns how many AuditEvents it published in the patient's record."""
    by_rpps = {c.rpps: _professional(session, settings, c) for c in VISITING_PROFESSIONALS}
    gp = _by_profession(session, "general-practitioner")
    own = Principal(patient.id, AccountKind.patient, patient.fhir_id, "demo", display_name=patient.display_name)
    privacy.set_regular_doctor(session, own, gp.fhir_id)
    events = 0
    for visit in _VISITS:
        when = _moment(today, visit.days_ago, visit.hour)
        if visit.opens_emergency:
            events += _emergency_opening(session, patient, by_rpps[visit.who], when)
        who = by_rpps.get(visit.who) or _by_profession(session, visit.who)
        events += _search(session, patient, who, visit, when + timedelta(minutes=7))
    events += _blocked_attempt(session, patient, by_rpps[OCCUPATIONAL_PHYSICIAN.rpps], today)
    return events


def _search(session: Session, patient: Account, professional: Account, visit: Visit, when: datetime) -> int:
    principal = _principal(professional)
    compartment = compartments.load(session, patient.id, now=when)
    rows = session.scalars(select(Resource).where(
        Resource.patient_account_id == patient.id, Resource.resource_type == visit.resource_type,
        Resource.deleted.is_(False)).order_by(Resource.date.desc())).all()
    seen = [r for r in rows if POLICY.can_read(principal, target_of(r), compartment).allowed
            and visit.category in (None, r.category)]
    query = f"patient={patient.fhir_id}" + (f"&category={visit.category}" if visit.category else "")
    access = Access("search-type", tuple(f"{r.resource_type}/{r.id}" for r in seen[:20]), visit.resource_type,
                    query, len(seen))
    audit.record(session, principal, compartment, access, Decision(True, emergency=visit.emergency), now=when,
                 notify=False)
    return 1


def _emergency_opening(session: Session, patient: Account, physician: Account, when: datetime) -> int:
    session.add(EmergencyAccess(patient_account_id=patient.id, professional_account_id=physician.id,
                                reason=EMERGENCY_REASON, opened_at=when,
                                expires_at=when + EMERGENCY_ACCESS_DURATION))
    session.flush()
    audit.record(session, _principal(physician), compartments.load(session, patient.id, now=when),
                 Access("emergency-access", (f"Patient/{patient.fhir_id}",), emergency_reason=EMERGENCY_REASON),
                 Decision(True), now=when, notify=False)
    return 1


def _blocked_attempt(session: Session, patient: Account, occupational: Account, today: date) -> int:
    """She blocked the occupational physician twenty days ago; he tried eight days later."""
    session.add(AccessBlock(patient_account_id=patient.id, professional_account_id=occupational.id,
                            created_at=_moment(today, 20, 19)))
    session.flush()
    when = _moment(today, 12, 15)
    principal = _principal(occupational)
    compartment = compartments.load(session, patient.id, now=when)
    audit.record(session, principal, compartment,
                 Access("search-type", resource_type="DocumentReference", query=f"patient={patient.fhir_id}"),
                 POLICY.can_enter(principal, compartment), now=when, notify=False)
    return 1


def _professional(session: Session, settings: Settings, clinician: Clinician) -> Account:
    account = session.scalar(select(Account).where(Account.kind == AccountKind.professional,
                                                   Account.identifier == clinician.rpps))
    return account or accounts.create_professional(
        session, settings, rpps=clinician.rpps, given=clinician.given, family=clinician.family,
        profession=clinician.profession, email=clinician.email, password=DEMO_PASSWORD)


def _by_profession(session: Session, profession: str) -> Account:
    return session.scalars(select(Account).where(Account.kind == AccountKind.professional,
                                                 Account.profession == profession)
                           .order_by(Account.identifier)).first()


def _principal(account: Account) -> Principal:
    return Principal(account.id, account.kind, account.fhir_id, "demo", account.profession, account.display_name)


def _moment(today: date, days_ago: int, hour: int) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(hour), tzinfo=timezone.utc)
