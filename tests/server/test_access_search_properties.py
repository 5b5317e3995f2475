"""With a real database: for random records, blocks, hides and grants, a search returns
exactly what single reads allow (the SQL form of the rules says what the Python form
says), counts included, and every search and read by someone else is traced once."""
from __future__ import annotations

import uuid
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from health.codes import DOCUMENT_TYPES, LOINC
from health.visibility import LABELS, VISIBILITY_SYSTEM
from server.clock import utcnow
from server.errors import CarnetError
from server.models import AccessBlock, AuditEntry, EmergencyAccess, LegalRepresentation, Resource
from server.principal import Principal
from server.services import compartments, record, record_search, record_store
from server.services.access import POLICY
from tests.factories import make_patient, make_professional

PROFESSIONS = ("general-practitioner", "nurse", "dentist", "physiotherapist", "pharmacist")
documents = st.lists(st.tuples(st.sampled_from((*DOCUMENT_TYPES, "99999-9")), st.integers(0, 3),
                               st.frozensets(st.sampled_from(LABELS))), min_size=1, max_size=6)


def _principal(account) -> Principal:
    return Principal(account.id, account.kind, account.fhir_id, "d", account.profession, account.display_name)


def _document(patient_id: str, loinc: str, labels: frozenset[str]) -> dict:
    body = {"resourceType": "DocumentReference", "id": str(uuid.uuid4()), "status": "current",
            "subject": {"reference": f"Patient/{patient_id}"},
            "type": {"coding": [{"system": LOINC, "code": loinc}]}, "content": [{"attachment": {"title": "x"}}]}
    if labels:
        body["meta"] = {"security": [{"system": VISIBILITY_SYSTEM, "code": label} for label in sorted(labels)]}
    return body


def _traces(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents=documents, professions=st.lists(st.sampled_from(PROFESSIONS), min_size=1, max_size=3),
       blocked=st.sets(st.integers(0, 2), max_size=1), granted=st.sets(st.integers(0, 2), max_size=1),
       regular_doctor=st.one_of(st.none(), st.integers(0, 2)))
def test_searches_return_exactly_what_reads_allow_and_each_is_traced(app, documents, professions, blocked, granted,
                                                                    regular_doctor):
    factory, config = app.state.session_factory, app.state.settings
    patient, parent = make_patient(factory), make_patient(factory, given="Parent")
    pros = [make_professional(factory, profession=p) for p in professions]
    authors = [*pros, patient, parent]
    with factory() as session, session.begin():
        session.add(LegalRepresentation(representative_account_id=parent.id, represented_account_id=patient.id,
                                        created_at=utcnow()))
        for n in blocked & set(range(len(pros))):
            session.add(AccessBlock(patient_account_id=patient.id, professional_account_id=pros[n].id,
                                    created_at=utcnow()))
        for n in granted & set(range(len(pros))):
            session.add(EmergencyAccess(patient_account_id=patient.id, professional_account_id=pros[n].id,
                                        reason="test", opened_at=utcnow(), expires_at=utcnow() + timedelta(hours=1)))
        if regular_doctor is not None and regular_doctor < len(pros):
            me = dict(compartments.patient_resource(session, patient.id))
            me["generalPractitioner"] = [{"reference": f"Practitioner/{pros[regular_doctor].fhir_id}"}]
            record_store.store(session, me, patient_account_id=patient.id, author=record_store.PLATFORM)
        for loinc, author, labels in documents:
            who = authors[author % len(authors)]
            record_store.store(session, _document(patient.fhir_id, loinc, labels), patient_account_id=patient.id,
                               author=record_store.Author(who.id, who.kind.value))

    for account in (*pros, patient, parent):
        principal = _principal(account)
        with factory() as session, session.begin():
            compartment = compartments.load(session, patient.id)
            rows = session.scalars(select(Resource).where(Resource.patient_account_id == patient.id,
                                                          Resource.resource_type == "DocumentReference")).all()
            readable = {r.id for r in rows if POLICY.can_read(principal, record.target_of(r), compartment).allowed}
            traced = POLICY.relation(principal, compartment).value not in ("owner", "outsider")
        with factory() as session:
            before = _traces(session)
        try:
            with factory() as session, session.begin():
                page = record_search.search(session, config, principal, "DocumentReference",
                                            [("patient", patient.fhir_id), ("_count", "500")])
            assert {r.id for r in page.resources} == readable and page.total == len(readable)
        except CarnetError:
            assert not POLICY.can_enter(principal, compartment).allowed
        with factory() as session:
            assert _traces(session) == before + (1 if traced else 0)
        for row in rows:
            with factory() as session:
                before = _traces(session)
            try:
                with factory() as session, session.begin():
                    record.read(session, principal, "DocumentReference", row.id)
                assert row.id in readable
            except CarnetError:
                assert row.id not in readable
            with factory() as session:
                assert _traces(session) == before + (1 if traced else 0)
