"""Bulk seeding for load tests and benchmarks: N patients with M resources each.

Unlike the demo, which goes through the account services and the record store one
resource at a time, seeding writes rows in batches (thousands of resources per second):
it only ever creates new compartments, so it needs neither the record store's per-write
lock nor its version lookups, and it hashes the shared password once. It sets the same
columns the record store would (index facets, meta, change-feed numbers), so seeded
records read, search and sync like any other.
"""
from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from server.clock import utcnow
from server.config import Settings
from server.db import transaction
from server.demo.cast import DEMO_PASSWORD, Clinician, Person
from server.demo.history import practitioner_resource
from server.demo.population import seeded_clinicians, seeded_person
from server.demo.record import GeneratedRecord, generate_record
from server.models import Account, AccountKind, AccountStatus, BinaryBlob, Resource, ResourceVersion
from server.services import passwords, record_store

_BATCH_RESOURCES = 5000


@dataclass(frozen=True)
class SeedReport:
    patients_created: int
    patients_already_there: int
    professionals: int
    resources: int
    files: int
    seconds: float
    password: str
    sample_ins: tuple[str, ...]  # a few seeded patients' identifiers, to sign in as them

    @property
    def resources_per_second(self) -> float:
        return self.resources / self.seconds if self.seconds else 0.0


@dataclass
class _Batch:
    """Rows waiting to be inserted together."""

    accounts: list[dict] = field(default_factory=list)
    resources: list[dict] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)
    blobs: list[dict] = field(default_factory=list)


def seed(session_factory: sessionmaker[Session], settings: Settings, patients: int, resources_per_patient: int,
         files_per_patient: int = 0, seed: int = 0, *, today: date | None = None) -> SeedReport:
    """Create `patients` active patients (password DEMO_PASSWORD), each with exactly
    `resources_per_patient` resources (the Patient included) of which up to `files_per_patient`
    documents carry real files. Patients already seeded with this seed are left as they are."""
    started = time.perf_counter()
    today = today or utcnow().date()
    password_hash = passwords.hash_password(settings, DEMO_PASSWORD)
    clinicians, practitioner_accounts = _care_team(session_factory, seed, password_hash)
    people = [seeded_person(seed, index) for index in range(patients)]
    existing = _existing_identifiers(session_factory, [p.ins for p in people])
    batch, created, resources, files = _Batch(), 0, 0, 0
    for index, person in enumerate(people):
        if person.ins in existing:
            continue
        account_row, record = _patient(person, clinicians, password_hash, seed, index, resources_per_patient,
                                       files_per_patient, today)
        _add_to_batch(batch, account_row, record, practitioner_accounts)
        created, resources, files = created + 1, resources + len(record.resources), files + len(record.files)
        if len(batch.resources) >= _BATCH_RESOURCES:
            _insert(session_factory, batch)
            batch = _Batch()
    _insert(session_factory, batch)
    return SeedReport(created, len(existing), len(clinicians), resources, files, time.perf_counter() - started,
                      DEMO_PASSWORD, tuple(p.ins for p in people[:3]))


def _care_team(session_factory: sessionmaker[Session], seed: int,
               password_hash: str) -> tuple[list[Clinician], dict[str, str]]:
    """The seed's clinicians with their Practitioner ids, created on first use; and their account ids."""
    team, accounts = [], {}
    with transaction(session_factory) as session:
        for clinician in seeded_clinicians(seed):
            account = session.scalar(select(Account).where(Account.kind == AccountKind.professional,
                                                           Account.identifier == clinician.rpps))
            if account is None:
                account = _professional_account(session, clinician, password_hash)
            team.append(replace(clinician, fhir_id=account.fhir_id))
            accounts[account.fhir_id] = account.id
    return team, accounts


def _professional_account(session: Session, clinician: Clinician, password_hash: str) -> Account:
    now = utcnow()
    account = Account(id=str(uuid.uuid4()), kind=AccountKind.professional, identifier=clinician.rpps,
                      status=AccountStatus.active, display_name=f"{clinician.given} {clinician.family}",
                      fhir_id=str(uuid.uuid4()), profession=clinician.profession, password_hash=password_hash,
                      email=clinician.email, email_confirmed=True, created_at=now)
    session.add(account)
    session.flush()
    practitioner = practitioner_resource(replace(clinician, fhir_id=account.fhir_id))
    row, version = record_store.first_version_rows(practitioner, patient_account_id=None, seq=0,
                                                   author=record_store.PLATFORM, now=now)
    session.execute(insert(Resource), [row])
    session.execute(insert(ResourceVersion), [version])
    return account


def _existing_identifiers(session_factory: sessionmaker[Session], identifiers: list[str]) -> set[str]:
    found: set[str] = set()
    with session_factory() as session:
        for start in range(0, len(identifiers), 500):
            chunk = identifiers[start:start + 500]
            found.update(session.scalars(select(Account.identifier).where(
                Account.kind == AccountKind.patient, Account.identifier.in_(chunk))))
    return found


def _patient(person: Person, clinicians: list[Clinician], password_hash: str, seed: int, index: int,
             resources_per_patient: int, files_per_patient: int, today: date) -> tuple[dict, GeneratedRecord]:
    account_id, fhir_id = str(uuid.uuid4()), str(uuid.uuid4())
    record = generate_record(person, clinicians, patient_id=fhir_id, seed=seed * 1_000_003 + index, today=today,
                             files_to_render=files_per_patient, resource_count=resources_per_patient)
    account = dict(id=account_id, kind=AccountKind.patient, identifier=person.ins, status=AccountStatus.active,
                   display_name=person.display_name, fhir_id=fhir_id, password_hash=password_hash,
                   email=person.email, email_confirmed=True, phone=person.phone, phone_confirmed=True,
                   feed_seq=len(record.resources), created_at=utcnow())
    return account, record


def _add_to_batch(batch: _Batch, account: dict, record: GeneratedRecord, practitioner_accounts: dict[str, str]) -> None:
    now = utcnow()
    batch.accounts.append(account)
    authors: dict[str, str] = {}
    for seq, generated in enumerate(record.resources, start=1):
        if generated.by_patient:
            author = record_store.Author(account["id"], "patient")
        else:
            author = record_store.Author(practitioner_accounts[generated.author_practitioner_id], "professional")
        row, version = record_store.first_version_rows(generated.resource, patient_account_id=account["id"],
                                                       seq=seq, author=author, now=now)
        batch.resources.append(row)
        batch.versions.append(version)
        authors.update((binary_id, author.account_id) for binary_id in generated.binary_ids)
    batch.blobs += [dict(id=f.binary_id, patient_account_id=account["id"], content_type=f.content_type,
                         size=len(f.data), sha256=hashlib.sha256(f.data).hexdigest(), data=f.data,
                         created_at=now, author_account_id=authors.get(f.binary_id)) for f in record.files]


def _insert(session_factory: sessionmaker[Session], batch: _Batch) -> None:
    if not batch.accounts:
        return
    # Core inserts on the tables: the ORM's bulk path costs more than the database here.
    with transaction(session_factory) as session:
        connection = session.connection()
        connection.execute(insert(Account.__table__), batch.accounts)
        connection.execute(insert(Resource.__table__), batch.resources)
        connection.execute(insert(ResourceVersion.__table__), batch.versions)
        if batch.blobs:
            connection.execute(insert(BinaryBlob.__table__), batch.blobs)
