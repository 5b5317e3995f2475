"""A third-party FHIR client (fhirpy) reads a record through the real server on loopback."""
from fhirpy import SyncFHIRClient

from health.identifiers import INS_SYSTEM
from tests.factories import bearer, make_patient, make_professional
from tests.server.fhir_samples import sample


def test_fhirpy_reads_a_record_through_a_live_server(live_server, app, settings):
    factory = app.state.session_factory
    patient = make_patient(factory)
    doctor = make_professional(factory)
    token = bearer(factory, settings, doctor)["Authorization"]
    client = SyncFHIRClient(f"{live_server.url}/fhir", authorization=token)

    for day in ("2021-01-01", "2022-01-01", "2023-01-01"):
        created = client.resource("Condition", **sample("Condition", patient.fhir_id, recordedDate=day))
        created.save()
        assert created["id"] and created["meta"]["versionId"] == "1"

    found = client.resources("Patient").search(identifier=f"{INS_SYSTEM}|{patient.identifier}").fetch()
    assert [p["id"] for p in found] == [patient.fhir_id]
    assert found[0]["birthDate"] == "1980-05-17"

    conditions = client.resources("Condition").search(patient=patient.fhir_id).limit(2).fetch_all()
    assert len(conditions) == 3  # fetch_all follows the Bundle's next links
    recent = client.resources("Condition").search(patient=patient.fhir_id, date="ge2022-01-01").fetch()
    assert sorted(c["recordedDate"] for c in recent) == ["2022-01-01", "2023-01-01"]

    me = client.reference("Patient", patient.fhir_id).to_resource()
    assert me["identifier"][0]["value"] == patient.identifier
