"""Patient/$everything: every current resource once, paging, _since/_type, and who may export."""
from __future__ import annotations

import time

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from health.smart_scopes import parse_scopes

from server.config import Settings
from server.demo.cast import DEMO_CHILD, DEMO_PATIENT
from server.demo.load import load_demo
from server.models import Account, AccountKind, Resource
from server.principal import AppAuthorisation, Principal
from server.services import export
from server.services.access import AccessPolicy, Compartment
from tests.factories import bearer
from tests.server.auth_flows import cheap
from tests.server.fhir_samples import CLINICAL_TYPES, FHIR, make_world, sample

ROUTES = ("$everything", "$export-archive")


@pytest.fixture
def world(client, app, settings):
    return make_world(client, app, settings)


def _everything(world, headers=None, of=None, **params):
    return world.client.get(f"/fhir/Patient/{of or world.patient.fhir_id}/$everything", params=params,
                            headers=headers or world.as_patient)


def _all_pages(client, url: str, headers: dict) -> list[dict]:
    bundles = []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        bundle = response.json()
        Bundle.model_validate(bundle)  # a valid FHIR R4 (R4B) Bundle
        assert bundle["type"] == "searchset"
        bundles.append(bundle)
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    return bundles


def _matches(bundles: list[dict]) -> list[str]:
    return [f"{e['resource']['resourceType']}/{e['resource']['id']}" for b in bundles for e in b["entry"]
            if e["search"]["mode"] == "match"]


def _current_resources(app, account_id: str) -> set[str]:
    with app.state.session_factory() as session:
        rows = session.execute(select(Resource.resource_type, Resource.id).where(
            Resource.patient_account_id == account_id, Resource.deleted.is_(False))).all()
    return {f"{kind}/{ident}" for kind, ident in rows}


def _fill(world) -> list[dict]:
    """One resource of every type in the patient's record, written by the professional."""
    created = []
    for resource_type in CLINICAL_TYPES:
        response = world.post(world.as_professional, sample(resource_type, world.patient.fhir_id))
        assert response.status_code == 201, response.text
        created.append(response.json())
    return created


def test_every_current_resource_once_across_pages_without_tombstones(world):
    created = _fill(world)
    deleted = created[0]
    gone = world.client.delete(f"/fhir/{deleted['resourceType']}/{deleted['id']}", headers=world.as_professional)
    assert gone.status_code == 204
    updated = {**created[1], "note": [{"text": "revu"}]}
    assert world.put(world.as_professional, updated).status_code == 200
    world.post(world.as_other, sample("Condition", world.other.fhir_id))

    bundles = _all_pages(world.client, f"/fhir/Patient/{world.patient.fhir_id}/$everything?_count=3",
                         world.as_patient)
    matches = _matches(bundles)
    assert len(bundles) == -(-len(matches) // 3) and all(b["total"] == len(matches) for b in bundles)
    clinical = [m for m in matches if not m.startswith("AuditEvent/")]  # the access history is exported too
    assert len(matches) == len(set(matches)) and len(clinical) == len(CLINICAL_TYPES)  # the Patient, the types, one deleted
    assert set(matches) == _current_resources(world.client.app, world.patient.id)
    assert f"{deleted['resourceType']}/{deleted['id']}" not in matches
    assert f"Patient/{world.patient.fhir_id}" in matches
    revised = next(e["resource"] for b in bundles for e in b["entry"] if e["resource"]["id"] == updated["id"])
    assert revised["note"] == [{"text": "revu"}] and revised["meta"]["versionId"] == "2"


def test_practitioners_named_are_included(world):
    condition = sample("Condition", world.patient.fhir_id,
                       recorder={"reference": f"Practitioner/{world.professional.fhir_id}"})
    assert world.post(world.as_professional, condition).status_code == 201
    bundle = _everything(world).json()
    included = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "include"]
    assert [r["id"] for r in included] == [world.professional.fhir_id]
    assert bundle["total"] == 3  # the Patient, the Condition and its trace; includes are not counted
    without = _everything(world, _type="Condition").json()
    assert [e["resource"]["resourceType"] for e in without["entry"]] == ["Condition"]


def test_since_type_and_count_zero(world):
    last = _fill(world)[-1]
    with world.client.app.state.session_factory() as session:
        written = session.scalar(select(Resource.last_updated).where(Resource.id == last["id"]))
    time.sleep(0.01)
    later = world.post(world.as_patient, sample("Observation", world.patient.fhir_id)).json()
    since = written.replace(tzinfo=None).isoformat() + "Z"  # stored in UTC, to the microsecond
    recent = _everything(world, _since=since).json()
    assert {e["resource"]["id"] for e in recent["entry"]} == {last["id"], later["id"]}
    assert recent["total"] == 2 and "_since=" in recent["link"][0]["url"]
    assert _everything(world, _since="2999-01-01").json()["total"] == 0
    two_types = _everything(world, _type="Observation,AllergyIntolerance").json()
    assert sorted(e["resource"]["resourceType"] for e in two_types["entry"]) == [
        "AllergyIntolerance", "Observation", "Observation"]
    only_total = _everything(world, _count="0").json()
    traces = _everything(world, _type="AuditEvent").json()["total"]  # one per write by the professional
    assert traces == len(CLINICAL_TYPES)
    assert only_total["total"] == len(CLINICAL_TYPES) + 2 + traces and only_total["entry"] == []
    assert [link["relation"] for link in only_total["link"]] == ["self"]


def test_next_links_keep_the_filters(world):
    _fill(world)
    first = _everything(world, _count="1", _type="Condition,Procedure").json()
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    assert "_type=Condition%2CProcedure" in following and "_count=1" in following
    pages = _all_pages(world.client, following, world.as_patient)
    assert [e["resource"]["resourceType"] for e in first["entry"]] + _kinds(pages) == ["Condition", "Procedure"]


def _kinds(bundles):
    return [e["resource"]["resourceType"] for b in bundles for e in b["entry"]]


@pytest.mark.parametrize("params, words", [
    ({"_count": "-1"}, "_count must be a whole number"),
    ({"_count": "ten"}, "_count must be a whole number"),
    ({"_since": "yesterday"}, "_since must be an instant"),
    ({"_since": "2024-13-45"}, "_since must be an instant"),
    ({"_since": "2024-01-31T08:00:00"}, "_since must be an instant"),  # an instant has a time zone
    ({"_type": "Medication"}, "_type: 'Medication' is not a type"),
    ({"_cursor": "not-a-cursor"}, "_cursor is not a valid"),
    ({"start": "2020-01-01"}, "start and end (clinical dates) are not supported"),
    ({"patient": "x"}, "Unknown $everything parameter 'patient'"),
])
def test_bad_parameters_are_refused_with_a_clear_message(world, params, words):
    response = _everything(world, **params)
    assert response.status_code == 400, response.text
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome" and words in outcome["issue"][0]["diagnostics"]


def test_a_cursor_of_another_patient_or_a_repeated_parameter_is_refused(world):
    _fill(world)
    page = _everything(world, _count="1").json()
    cursor = next(link["url"] for link in page["link"] if link["relation"] == "next").split("_cursor=")[1]
    theirs = _everything(world, headers=world.as_other, of=world.other.fhir_id, _cursor=cursor)
    assert theirs.status_code == 400 and "_cursor is not a valid" in theirs.json()["issue"][0]["diagnostics"]
    repeated = world.client.get(f"/fhir/Patient/{world.patient.fhir_id}/$everything?_count=1&_count=2",
                                headers=world.as_patient)
    assert repeated.status_code == 400 and "only once" in repeated.json()["issue"][0]["diagnostics"]


@pytest.mark.parametrize("route", ROUTES)
def test_another_patient_gets_what_a_missing_patient_gets(world, route):
    theirs = world.client.get(f"/fhir/Patient/{world.patient.fhir_id}/{route}", headers=world.as_other)
    missing = world.client.get(f"/fhir/Patient/no-such-patient/{route}", headers=world.as_other)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["resourceType"] == "OperationOutcome"
    as_said = theirs.json()["issue"][0]["diagnostics"].replace(world.patient.fhir_id, "ID")
    assert as_said == missing.json()["issue"][0]["diagnostics"].replace("no-such-patient", "ID")


@pytest.mark.parametrize("route", ROUTES)
def test_professionals_and_strangers_are_refused(world, route):
    url = f"/fhir/Patient/{world.patient.fhir_id}/{route}"
    professional = world.client.get(url, headers=world.as_professional)
    assert professional.status_code == 403
    assert professional.headers["content-type"].startswith(FHIR)
    assert "Only the patient or their legal representative" in professional.json()["issue"][0]["diagnostics"]
    anonymous = world.client.get(url)
    assert anonymous.status_code == 401 and anonymous.json()["resourceType"] == "OperationOutcome"
    forged = world.client.get(url, headers={"Authorization": "Bearer forged"})
    assert forged.status_code == 401


def test_a_legal_representative_exports_the_minor_they_represent(client, app, settings):
    load_demo(app.state.session_factory, cheap(settings))
    factory = app.state.session_factory
    with factory() as session:
        parent, child = (session.scalar(select(Account).where(Account.identifier == person.ins))
                         for person in (DEMO_PATIENT, DEMO_CHILD))
    as_parent, as_child = bearer(factory, settings, parent), bearer(factory, settings, child)
    pages = _all_pages(client, f"/fhir/Patient/{child.fhir_id}/$everything?_count=40", as_parent)
    assert set(_matches(pages)) == _current_resources(app, child.id)
    archive = client.get(f"/fhir/Patient/{child.fhir_id}/$export-archive", headers=as_parent)
    assert archive.status_code == 200 and archive.headers["content-type"] == "application/zip"
    # The child does not represent the parent: the parent's record does not exist for them.
    assert client.get(f"/fhir/Patient/{parent.fhir_id}/$everything", headers=as_child).status_code == 404
    # Each download is one line of the child's access history, however many pages it took.
    assert len(pages) > 1 and _exports(app, child.id) == [("export", "0"), ("export", "0")]


def _exports(app, account_id: str) -> list[tuple[str, str]]:
    """(interaction, outcome) of the export traces in a patient's access history, oldest first."""
    from server.models import AuditEntry
    with app.state.session_factory() as session:
        events = session.scalars(select(AuditEntry.event).where(AuditEntry.patient_account_id == account_id)
                                 .order_by(AuditEntry.id)).all()
    found = [(coding["code"], event["outcome"]) for event in events for coding in event.get("subtype", [])]
    return [pair for pair in found if pair[0] == "export"]


def test_a_professionals_attempt_to_export_is_traced(world, app):
    world.client.get(f"/fhir/Patient/{world.patient.fhir_id}/$everything", headers=world.as_professional)
    world.client.get(f"/fhir/Patient/{world.patient.fhir_id}/$export-archive", headers=world.as_professional)
    assert _exports(app, world.patient.id) == [("export", "4"), ("export", "4")]


def test_the_access_policy_decides_the_export():
    policy = AccessPolicy()
    patient = Principal("acct-p", AccountKind.patient, "pat-1", "dev-1")
    doctor = Principal("acct-d", AccountKind.professional, "prac-1", "dev-2", "general-practitioner")
    app = Principal("acct-p", AccountKind.patient, "pat-1", "grant-1",
                    app=AppAuthorisation("app-1", "Glycémie+", parse_scopes("patient/*.rs")))
    assert policy.can_export(patient, Compartment("acct-p")).allowed
    assert policy.can_export(patient, Compartment("acct-child", representatives=frozenset({"acct-p"}))).allowed
    refused = policy.can_export(patient, Compartment("acct-other"))
    assert not refused.allowed and refused.conceal
    professional = policy.can_export(doctor, Compartment("acct-p"))
    assert not professional.allowed and not professional.conceal
    assert not policy.can_export(app, Compartment("acct-p")).allowed  # an app reads what it was granted, by parts


def test_parameters_are_read_without_http():
    settings = Settings(database_url="sqlite://", environment="test")
    query = export.parse_query(settings, "p1", [("_count", "99999"), ("_since", "2024-02-01"),
                                                ("_type", "Condition,Condition"),
                                                ("_cursor", export.encode_cursor("p1", 42))])
    assert query.count == settings.page_size_max and query.types == ("Condition",) and query.after_seq == 42
    assert query.since.isoformat() == "2024-02-01T00:00:00+00:00"
    assert export.parse_query(settings, "p1", []).count == settings.page_size_default
    with pytest.raises(export.InvalidInput):
        export.decode_cursor(export.encode_cursor("p1", 42), "p2")


def test_closing_a_space_points_to_the_export(client):
    close = client.get("/openapi.json").json()["paths"]["/auth/close"]["post"]
    assert "/fhir/Patient/{id}/$export-archive" in close["description"]
    capability = client.get("/fhir/metadata").json()
    operations = {op["name"] for op in capability["rest"][0]["resource"][0]["operation"]}
    assert {"changes", "everything", "export-archive"} <= operations
