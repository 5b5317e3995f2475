"""Load the demo: professionals, a patient with twenty years of record, her child, and one
space left provisional so a visitor can try activation.

Everything is written in one transaction, so the demo is either fully there or absent;
running the loader again on a database that has it changes nothing.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.clock import utcnow
from server.config import Settings
from server.db import transaction
from server.demo.access_story import VISITING_PROFESSIONALS, add_access_story
from server.demo.apps import DEMO_APPS, DEMO_REDIRECT_URI, add_demo_apps, grant_demo_app
from server.demo.cast import (
    DEMO_CHILD, DEMO_CLINICIANS, DEMO_PASSWORD, DEMO_PATIENT, PROVISIONAL_PERSON, Clinician, Person,
)
from server.demo.mailbox import generate_mailbox
from server.demo.record import GeneratedRecord, generate_child_record, generate_record
from server.models import Account, AccountKind, BinaryBlob, LegalRepresentation
from server.services import accounts, record_store
from server.services.delivery import Delivery, build_delivery

DEMO_SEED = 20061123


@dataclass(frozen=True)
class DemoLogin:
    """One demo account, as a visitor needs it to sign in."""

    role: str
    name: str
    identifier: str  # INS for a patient, RPPS for a professional
    email: str | None
    password: str | None


@dataclass(frozen=True)
class DemoAccounts:
    already_loaded: bool
    patient: DemoLogin
    child: DemoLogin  # a minor: managed by the patient, who is their legal representative
    professionals: tuple[DemoLogin, ...]
    provisional_ins: str
    # None when the demo was already there: the code is only kept hashed (see `carnet codes`).
    provisional_code: str | None
    resources: int = 0
    documents: int = 0
    files: int = 0
    seconds: float = 0.0

    def summary_lines(self) -> list[str]:
        """What `carnet demo` prints: who can sign in, and how."""
        lines = ["Demo already loaded: nothing changed." if self.already_loaded else
                 f"Demo loaded: {self.resources} resources, {self.documents} documents, "
                 f"{self.files} files in {self.seconds:.1f} s."]
        lines.append(f"Password of every demo account: {DEMO_PASSWORD}")
        for login in (self.patient, *self.professionals):
            lines.append(f"  {login.role:<34} {login.name:<20} {login.identifier:<16} {login.email or ''}")
        lines.append(f"  {self.child.role:<34} {self.child.name:<20} {self.child.identifier:<16} "
                     f"(managed by {self.patient.name})")
        code = self.provisional_code or "see `carnet codes --demo`"
        lines.append(f"  Provisional space (to activate or oppose): INS {self.provisional_ins}, code {code}")
        lines.append("Sign in with the identifier and password; the one-time code sent by e-mail lands in "
                     "the delivery box: run `carnet codes --demo` to read it.")
        lines.append(f"Apps in the catalogue (OAuth client ids): {', '.join(app.id for app in DEMO_APPS)}; "
                     f"redirect URI {DEMO_REDIRECT_URI}")
        return lines


def load_demo(session_factory: sessionmaker[Session], settings: Settings, *, today: date | None = None,
              delivery: Delivery | None = None) -> DemoAccounts:
    """Create the demo accounts and records, unless the demo patient already exists."""
    started = time.perf_counter()
    delivery = delivery or build_delivery(settings, session_factory)
    today = today or utcnow().date()
    with transaction(session_factory) as session:
        add_demo_apps(session)  # also into a demo loaded before the catalogue existed
        if _find_patient(session, DEMO_PATIENT.ins) is not None:
            return _demo_accounts(already_loaded=True, provisional_code=None)
        clinicians = [_professional(session, settings, clinician) for clinician in DEMO_CLINICIANS]
        accounts_by_practitioner = _accounts_by_practitioner(session, clinicians)
        patient = _patient_space(session, settings, delivery, DEMO_PATIENT, email=DEMO_PATIENT.email)
        record = generate_record(DEMO_PATIENT, clinicians, patient_id=patient.fhir_id, seed=DEMO_SEED, today=today)
        _store(session, record, patient.id, patient.id, accounts_by_practitioner)
        mailbox = generate_mailbox(DEMO_PATIENT, clinicians, patient_id=patient.fhir_id, seed=DEMO_SEED + 2,
                                   today=today)
        _store(session, mailbox, patient.id, patient.id, accounts_by_practitioner)
        # Her regular doctor, a blocked professional, and who opened her record (AuditEvents).
        access_events = add_access_story(session, settings, patient, today)
        access_events += grant_demo_app(session, patient, today)
        child = _patient_space(session, settings, delivery, DEMO_CHILD, email=None)
        child_record = generate_child_record(DEMO_CHILD, clinicians, patient_id=child.fhir_id,
                                             seed=DEMO_SEED + 1, today=today)
        # What the child's own side holds was added by the parent, their legal representative.
        _store(session, child_record, child.id, patient.id, accounts_by_practitioner)
        session.add(LegalRepresentation(representative_account_id=patient.id,
                                        represented_account_id=child.id, created_at=utcnow()))
        provisional = accounts.create_patient_space(
            session, settings, delivery, ins=PROVISIONAL_PERSON.ins, given=PROVISIONAL_PERSON.given,
            family=PROVISIONAL_PERSON.family, birth_date=PROVISIONAL_PERSON.birth_date,
            gender=PROVISIONAL_PERSON.gender, email=PROVISIONAL_PERSON.email,
            postal_address=PROVISIONAL_PERSON.postal_address)
    records = (record, child_record, mailbox)
    return _demo_accounts(
        already_loaded=False, provisional_code=provisional.provisional_code,
        resources=sum(len(r.resources) for r in records) + access_events,
        documents=sum(len(r.of_type("DocumentReference")) for r in records),
        files=sum(len(r.files) for r in records), seconds=time.perf_counter() - started)


def _professional(session: Session, settings: Settings, clinician: Clinician) -> Clinician:
    """The clinician with the id of their Practitioner resource (created if they are new)."""
    account = session.scalar(select(Account).where(Account.kind == AccountKind.professional,
                                                   Account.identifier == clinician.rpps))
    if account is None:
        account = accounts.create_professional(
            session, settings, rpps=clinician.rpps, given=clinician.given, family=clinician.family,
            profession=clinician.profession, email=clinician.email, password=DEMO_PASSWORD)
    return replace(clinician, fhir_id=account.fhir_id)


def _accounts_by_practitioner(session: Session, clinicians: list[Clinician]) -> dict[str, str]:
    ids = [c.fhir_id for c in clinicians]
    rows = session.execute(select(Account.fhir_id, Account.id).where(
        Account.kind == AccountKind.professional, Account.fhir_id.in_(ids)))
    return {fhir_id: account_id for fhir_id, account_id in rows}


def _patient_space(session: Session, settings: Settings, delivery: Delivery, person: Person, *,
                   email: str | None) -> Account:
    space = accounts.create_patient_space(
        session, settings, delivery, ins=person.ins, given=person.given, family=person.family,
        birth_date=person.birth_date, gender=person.gender, email=email, phone=person.phone,
        postal_address=person.postal_address)
    return accounts.activate_without_confirmation(session, space.account, password=DEMO_PASSWORD,
                                                  email=email, phone=person.phone, settings=settings)


def _store(session: Session, record: GeneratedRecord, patient_account_id: str, patient_side_account_id: str,
           accounts_by_practitioner: dict[str, str]) -> None:
    """Write a generated record through the record store, each resource under its real author."""
    authors: dict[str, str] = {}
    for generated in record.resources:
        if generated.by_platform:
            author = record_store.PLATFORM
        elif generated.by_patient:
            author = record_store.Author(patient_side_account_id, "patient")
        else:
            author = record_store.Author(accounts_by_practitioner[generated.author_practitioner_id], "professional")
        record_store.store(session, generated.resource, patient_account_id=patient_account_id, author=author)
        for binary_id in generated.binary_ids:
            authors[binary_id] = author.account_id
    now = utcnow()
    session.add_all(BinaryBlob(
        id=file.binary_id, patient_account_id=patient_account_id, content_type=file.content_type,
        size=len(file.data), sha256=hashlib.sha256(file.data).hexdigest(), data=file.data,
        created_at=now, author_account_id=authors.get(file.binary_id),
    ) for file in record.files)
    session.flush()


def _find_patient(session: Session, ins: str) -> Account | None:
    return session.scalar(select(Account).where(Account.kind == AccountKind.patient, Account.identifier == ins))


def _demo_accounts(*, already_loaded: bool, provisional_code: str | None, **counts) -> DemoAccounts:
    return DemoAccounts(
        already_loaded=already_loaded,
        patient=DemoLogin("Patiente", DEMO_PATIENT.display_name, DEMO_PATIENT.ins, DEMO_PATIENT.email,
                          DEMO_PASSWORD),
        child=DemoLogin("Enfant mineur (représenté)", DEMO_CHILD.display_name, DEMO_CHILD.ins, None, None),
        professionals=tuple(DemoLogin(c.specialty if c.profession == "physician" else c.profession_label,
                                      c.display_name, c.rpps,
                                      c.email, DEMO_PASSWORD) for c in (*DEMO_CLINICIANS, *VISITING_PROFESSIONALS)),
        provisional_ins=PROVISIONAL_PERSON.ins, provisional_code=provisional_code, **counts)
