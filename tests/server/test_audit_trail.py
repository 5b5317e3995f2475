"""The access history: one AuditEvent per request by someone else, none for the patient's
own reads, in the device's format, and a hash chain that catches any edit."""
import json

import pytest
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from carnet.cli import main
from server.clock import utcnow
from server.models import AuditEntry, LegalRepresentation, Resource
from server.services import audit_chain
from storage.indexing import index_of
from sync.feed_check import check_page_entries
from tests.factories import bearer, make_patient, make_professional
from tests.server.access_world import make_clinic
from tests.server.fhir_samples import sample


@pytest.fixture
def clinic(client, app, settings):
    return make_clinic(client, app, settings)


def _verify(clinic):
    with clinic.app.state.session_factory() as session:
        return audit_chain.verify(session)


def _tamper(clinic, statement: str, **params) -> None:
    """What someone with the database's keys could do: drop the guard, then edit."""
    engine = clinic.app.state.engine
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))
            connection.execute(text(statement), params)
            # The PostgreSQL database outlives this test: put the guard back.
            connection.execute(text("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only"))
        else:
            connection.execute(text("DROP TRIGGER audit_entries_append_only"))
            connection.execute(text(statement), params)


def test_one_event_per_request_and_none_for_the_patients_own_reads(clinic):
    pid = clinic.patient.fhir_id
    for _ in range(3):
        assert clinic.post(clinic.as_patient, sample("Condition", pid)).status_code == 201
    seq = clinic.feed_seq()
    clinic.search(clinic.as_patient, "Condition")
    clinic.get(clinic.as_patient, f"/fhir/Patient/{pid}/$changes")
    assert clinic.feed_seq() == seq and clinic.audit_entries() == 0  # her syncs change nothing

    found = clinic.search(clinic.as_pro["general-practitioner"], "Condition", patient=pid)
    assert found["total"] == 3 and clinic.audit_entries() == 1
    event = clinic.history()[-1]
    assert event["type"]["display"] == "Recherche dans le dossier" and event["action"] == "R"
    assert event["entity"][0]["what"]["display"] == "Condition : 3 résultats"
    listed = {e["what"].get("reference") for e in event["entity"][1:-1]}
    assert listed == {f"Condition/{entry['resource']['id']}" for entry in found["entry"]}
    assert event["entity"][-1]["what"]["reference"] == f"Patient/{pid}"
    assert event["agent"][0]["type"]["coding"][0]["code"] == "general-practitioner"
    assert notification_tags(event) == {"first-access"}

    clinic.search(clinic.as_pro["general-practitioner"], "Condition", patient=pid)
    assert notification_tags(clinic.history()[-1]) == set()  # not the first any more


def test_the_device_reads_the_history_from_its_feed(clinic):
    nurse = clinic.as_pro["nurse"]
    written = clinic.post(nurse, sample("Immunization", clinic.patient.fhir_id)).json()
    clinic.get(nurse, f"/fhir/Immunization/{written['id']}")
    page = clinic.get(clinic.as_patient, f"/fhir/Patient/{clinic.patient.fhir_id}/$changes").json()
    check_page_entries(page["entry"], clinic.patient.fhir_id)  # the device's checks accept them
    events = [e["resource"] for e in page["entry"] if e["resource"]["resourceType"] == "AuditEvent"]
    assert [e["action"] for e in events] == ["C", "R"]
    index = index_of(events[1])
    assert index.author == clinic.pros["nurse"].display_name and index.category == "normal"
    assert index.date == events[1]["recorded"][:19] + "Z"


def test_a_professionals_sync_does_not_feed_itself(clinic):
    gp = clinic.as_pro["general-practitioner"]
    clinic.post(clinic.as_patient, sample("Condition", clinic.patient.fhir_id))
    url = f"/fhir/Patient/{clinic.patient.fhir_id}/$changes"
    first = clinic.get(gp, url).json()
    assert first["entry"] and clinic.audit_entries() == 1
    again = clinic.get(gp, url, cursor=first["identifier"]["value"]).json()
    assert again["entry"] == [] and clinic.audit_entries() == 1  # nothing new shown: nothing traced


def test_refusals_are_kept_though_the_request_fails(clinic):
    body = sample("DocumentReference", clinic.patient.fhir_id)
    body["type"] = {"coding": [{"system": "http://loinc.org", "code": "42348-3"}]}
    refused = clinic.post(clinic.as_pro["dentist"], body)
    assert refused.status_code == 403
    with clinic.app.state.session_factory() as session:
        assert session.scalar(select(Resource.id).where(Resource.resource_type == "DocumentReference")) is None
    last = clinic.history()[-1]
    assert last["outcome"] == "4" and "cannot add" in last["outcomeDesc"]


def test_the_chain_verifies_and_catches_an_edited_entry(clinic):
    gp = clinic.as_pro["general-practitioner"]
    for _ in range(4):
        clinic.search(gp, "Condition", patient=clinic.patient.fhir_id)
    result = _verify(clinic)
    assert result.intact and (result.chains, result.entries) == (1, 4)
    runner = CliRunner()
    url = str(clinic.app.state.engine.url.render_as_string(hide_password=False))
    assert runner.invoke(main, ["verify-audit", "--database-url", url]).exit_code == 0

    with clinic.app.state.session_factory() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.position == 2))
        event = dict(entry.event)
    event["agent"] = [{**event["agent"][0], "who": {"display": "Quelqu'un d'autre"}}]
    _tamper(clinic, "UPDATE audit_entries SET event = :event WHERE id = :id", event=json.dumps(event), id=entry.id)
    result = _verify(clinic)
    assert [(b.position, "edited" in b.problem) for b in result.broken] == [(2, True)]
    outcome = runner.invoke(main, ["verify-audit", "--database-url", url])
    assert outcome.exit_code == 1 and "entry 2" in outcome.output


def test_the_chain_catches_a_removed_entry(clinic):
    for _ in range(3):
        clinic.search(clinic.as_pro["general-practitioner"], "Condition", patient=clinic.patient.fhir_id)
    _tamper(clinic, "DELETE FROM audit_entries WHERE position = 2")
    broken = _verify(clinic).broken
    assert [(b.position, b.problem) for b in broken] == [(3, "expected entry 2 here (removed or inserted?).")]


def test_the_chain_catches_an_edited_or_added_copy_of_an_event(clinic):
    for _ in range(2):
        clinic.search(clinic.as_pro["general-practitioner"], "Condition", patient=clinic.patient.fhir_id)
    with clinic.app.state.session_factory() as session, session.begin():
        published = session.scalars(select(Resource).where(Resource.resource_type == "AuditEvent")
                                    .order_by(Resource.seq)).first()
        published.content = {**published.content, "outcome": "4"}  # the copy the patient reads
    broken = _verify(clinic).broken
    assert [(b.position, "published" in b.problem) for b in broken] == [(1, True)]
    with clinic.app.state.session_factory() as session, session.begin():
        published = session.scalars(select(Resource).where(Resource.resource_type == "AuditEvent")
                                    .order_by(Resource.seq)).first()
        published.content = {**published.content, "outcome": "0"}
        forged = {**published.content, "id": "forged"}
        session.add(Resource(resource_type="AuditEvent", id="forged", patient_account_id=published.patient_account_id,
                             version_id=1, seq=0, last_updated=published.last_updated, content=forged))
    broken = _verify(clinic).broken
    assert [(b.position, b.problem) for b in broken] == [(None, "AuditEvent/forged is not in the ledger (added?).")]


def test_the_ledger_is_append_only(clinic):
    clinic.search(clinic.as_pro["nurse"], "Condition", patient=clinic.patient.fhir_id)
    factory = clinic.app.state.session_factory
    with pytest.raises(RuntimeError, match="append-only"):
        with factory() as session, session.begin():
            entry = session.scalar(select(AuditEntry))
            entry.outcome = "4"
    with pytest.raises(Exception, match="append-only"):
        with factory() as session, session.begin():
            session.execute(update(AuditEntry).values(outcome="4"))
    assert _verify(clinic).intact


def test_two_representatives_syncing_one_childs_record_do_not_feed_each_other(clinic, app, settings):
    other_parent = make_patient(app.state.session_factory, given="Paul")
    with app.state.session_factory() as session, session.begin():
        session.add(LegalRepresentation(representative_account_id=other_parent.id,
                                        represented_account_id=clinic.child.id, created_at=utcnow()))
    as_other_parent = bearer(app.state.session_factory, settings, other_parent)
    clinic.post(clinic.as_pro["nurse"], sample("Condition", clinic.child.fhir_id))
    url = f"/fhir/Patient/{clinic.child.fhir_id}/$changes"
    cursors = {}
    for _round in range(3):
        for name, headers in (("mother", clinic.as_patient), ("father", as_other_parent)):
            page = clinic.get(headers, url, **({"cursor": cursors[name]} if name in cursors else {})).json()
            cursors[name] = page["identifier"]["value"]
    traces = clinic.audit_entries()
    for name, headers in (("mother", clinic.as_patient), ("father", as_other_parent)):
        clinic.get(headers, url, cursor=cursors[name])
    assert clinic.audit_entries() == traces  # caught up: pulling again traces nothing more


def test_a_professional_without_an_authorised_profession_finds_no_patient(clinic, app, settings):
    osteopath = make_professional(app.state.session_factory, profession="osteopath")
    refused = clinic.get(bearer(app.state.session_factory, settings, osteopath), "/fhir/Patient",
                         identifier=clinic.patient.identifier)
    assert refused.status_code == 403 and "no access" in refused.json()["issue"][0]["diagnostics"]


def notification_tags(event: dict) -> set[str]:
    return {t["code"] for t in (event.get("meta") or {}).get("tag", []) if t["system"] == "urn:carnet:notification"}
