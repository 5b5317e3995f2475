"""Loading the demo and seeding, on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from server.demo.access_story import EMERGENCY_PHYSICIAN, OCCUPATIONAL_PHYSICIAN, VISITING_PROFESSIONALS
from server.demo.apps import GLUCO_SUIVI, GLUCO_SUIVI_READS
from server.demo.cast import DEMO_CHILD, DEMO_CLINICIANS, DEMO_PASSWORD, DEMO_PATIENT, PROVISIONAL_PERSON
from server.demo.load import load_demo
from server.demo.seed import seed
from server.models import (
    Account, AccountKind, AccountStatus, BinaryBlob, DeliveredMessage, LegalRepresentation, Resource,
)
from health.audit_events import notifications_of
from server.services import accounts, audit_chain, compartments, passwords
from server.services.delivery import build_delivery


def _account(session, identifier: str) -> Account:
    return session.scalar(select(Account).where(Account.identifier == identifier))


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _cheap_hashing(settings):
    # Argon2 at full cost takes a fifth of a second per account; verification reads the
    # cost from the hash itself, so hashes made this way still check with `settings`.
    return settings.model_copy(update=dict(argon2_time_cost=1, argon2_memory_kib=8192, argon2_parallelism=1))


def test_demo_loads_once_with_its_accounts_records_and_files(session_factory, settings):
    demo = load_demo(session_factory, _cheap_hashing(settings))
    assert not demo.already_loaded and demo.provisional_code
    assert demo.resources > 400 and demo.documents > 90 and demo.files == demo.documents + 1  # + a message's PDF
    with session_factory() as session:
        patient, child = _account(session, DEMO_PATIENT.ins), _account(session, DEMO_CHILD.ins)
        provisional = _account(session, PROVISIONAL_PERSON.ins)
        assert patient.status == child.status == AccountStatus.active
        assert provisional.status == AccountStatus.provisional
        assert passwords.verify(settings, patient.password_hash, DEMO_PASSWORD)
        link = session.scalar(select(LegalRepresentation))
        assert (link.representative_account_id, link.represented_account_id) == (patient.id, child.id)
        professionals = len(DEMO_CLINICIANS) + len(VISITING_PROFESSIONALS)
        assert _count(session, Account, Account.kind == AccountKind.professional) == professionals
        stored = _count(session, Resource, Resource.patient_account_id.in_([patient.id, child.id]))
        assert stored == demo.resources
        kinds = dict(session.execute(select(Resource.author_kind, func.count()).where(
            Resource.patient_account_id == patient.id).group_by(Resource.author_kind)).all())
        assert kinds["professional"] > 300 and kinds["patient"] > 5
        patient_resource = session.scalar(select(Resource).where(Resource.id == patient.fhir_id))
        assert patient_resource.content["telecom"] and patient_resource.content["address"][0]["city"] == "Lyon"
        blobs = session.scalars(select(BinaryBlob).where(BinaryBlob.patient_account_id == patient.id)).all()
        assert len(blobs) > 90
        assert all(b.sha256 == hashlib.sha256(b.data).hexdigest() and b.size == len(b.data) for b in blobs[:20])
        assert all(b.author_account_id for b in blobs)

    again = load_demo(session_factory, settings)
    assert again.already_loaded and again.provisional_code is None
    with session_factory() as session:
        assert _count(session, Resource) == stored + professionals + 1  # + Practitioners, provisional Patient
        assert _count(session, LegalRepresentation) == 1
    _provisional_code_starts_activation(session_factory, settings, demo)
    _the_patient_decided_who_sees_her_record_and_it_shows(session_factory)


def _the_patient_decided_who_sees_her_record_and_it_shows(session_factory) -> None:
    with session_factory() as session:
        patient = _account(session, DEMO_PATIENT.ins)
        compartment = compartments.load(session, patient.id)
        gp = session.scalar(select(Account).where(Account.fhir_id == compartment.regular_doctor))
        assert gp.profession == "general-practitioner"
        assert compartment.blocked == {_account(session, OCCUPATIONAL_PHYSICIAN.rpps).id}
        events = session.scalars(select(Resource.content).where(
            Resource.patient_account_id == patient.id, Resource.resource_type == "AuditEvent")).all()
        by_app = [e for e in events if (e["agent"][0]["who"].get("identifier") or {}).get("system") == "urn:carnet:app"]
        assert len(by_app) == len(GLUCO_SUIVI_READS)  # what the Catalogue screen shows GlucoSuivi did
        assert {e["agent"][0]["who"]["identifier"]["value"] for e in by_app} == {GLUCO_SUIVI.id}
        events = [e for e in events if e not in by_app]
        professions = {e["agent"][0]["type"]["coding"][0]["code"] for e in events}
        assert len(professions) >= 5
        emergencies = [e for e in events if e["action"] == "E"]
        assert len(emergencies) == 1 and emergencies[0]["agent"][0]["who"]["display"].endswith(
            EMERGENCY_PHYSICIAN.family)
        refused = [e for e in events if e["outcome"] == "4"]
        assert len(refused) == 1 and refused[0]["agent"][0]["who"]["display"].endswith(OCCUPATIONAL_PHYSICIAN.family)
        assert sum("first-access" in notifications_of(e) for e in events) == len(VISITING_PROFESSIONALS) - 1 + 5
        assert audit_chain.verify(session).intact


def _provisional_code_starts_activation(session_factory, settings, demo) -> None:
    with session_factory() as session:
        letters = session.scalars(select(DeliveredMessage.body).where(DeliveredMessage.channel == "post")).all()
        assert any(demo.provisional_code in body for body in letters)
    with session_factory() as session, session.begin():
        started = accounts.start_activation(
            session, settings, build_delivery(settings, session_factory), ins=demo.provisional_ins,
            provisional_code=demo.provisional_code, password="Un-autre-mot-2026", email="b.petit@example.org")
    assert started.challenges
    assert any(DEMO_PASSWORD in line for line in demo.summary_lines())


def test_seed_creates_exactly_what_was_asked_and_skips_what_exists(session_factory, settings):
    report = seed(session_factory, _cheap_hashing(settings), patients=4, resources_per_patient=60,
                  files_per_patient=2, seed=5)
    assert (report.patients_created, report.resources, report.files) == (4, 240, 8)
    with session_factory() as session:
        patients = session.scalars(select(Account).where(Account.kind == AccountKind.patient)).all()
        assert len(patients) == 4 and all(p.status == AccountStatus.active and p.feed_seq == 60 for p in patients)
        assert passwords.verify(settings, patients[0].password_hash, DEMO_PASSWORD)
        for patient in patients:
            seqs = session.scalars(select(Resource.seq).where(Resource.patient_account_id == patient.id)).all()
            assert sorted(seqs) == list(range(1, 61))
        assert _count(session, BinaryBlob) == 8
        assert _count(session, Resource, Resource.resource_type == "Practitioner") == report.professionals
    again = seed(session_factory, _cheap_hashing(settings), patients=5, resources_per_patient=60, seed=5)
    assert (again.patients_created, again.patients_already_there) == (1, 4)
