"""The demo record generator: valid FHIR R4 (R4B models), coherent, reproducible, with real files."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import uuid
from dataclasses import replace
from datetime import date

import pytest
from fhir.resources.R4B import get_fhir_model_class
from PIL import Image

from health.codes import CARNET_DOCUMENT_CATEGORY, DOCUMENT_CATEGORIES, DOCUMENT_TYPES
from health.fhir_index import clinical_date
from health.identifiers import INS_SYSTEM, is_valid_ins
from health.prevention import reminders_for_record
from server.demo.cast import DEMO_CHILD, DEMO_CLINICIANS, DEMO_PATIENT
from server.demo.history import practitioner_resource
from server.demo.population import seeded_clinicians, seeded_person
from server.demo.record import generate_child_record, generate_record

TODAY = date(2026, 11, 23)
PATIENT_ID = "5f0c3a52-8d3e-4b41-9a57-3c1f0d6f2a11"
CLINICIANS = [replace(c, fhir_id=str(uuid.uuid5(uuid.NAMESPACE_URL, c.rpps))) for c in DEMO_CLINICIANS]


@pytest.fixture(scope="module")
def record():
    return generate_record(DEMO_PATIENT, CLINICIANS, patient_id=PATIENT_ID, seed=7, today=TODAY)


@pytest.fixture(scope="module")
def child_record():
    return generate_child_record(DEMO_CHILD, CLINICIANS, patient_id=str(uuid.uuid4()), seed=8, today=TODAY)


def test_every_generated_resource_validates_as_fhir_r4(record, child_record):
    resources = [g.resource for g in record.resources + child_record.resources]
    resources += [practitioner_resource(c) for c in CLINICIANS]
    for resource in resources:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_references_resolve_inside_the_record(record, child_record):
    for generated in (record, child_record):
        known = {f"{g.resource['resourceType']}/{g.resource['id']}" for g in generated.resources}
        known |= {f"Practitioner/{c.fhir_id}" for c in CLINICIANS}
        files = {f"Binary/{f.binary_id}" for f in generated.files}
        text = json.dumps([g.resource for g in generated.resources])
        references = set(re.findall(r'"reference": "([^"]+)"', text))
        assert references and references <= known
        urls = set(re.findall(r'"url": "(Binary/[^"]+)"', text))
        assert urls == files
        ids = [g.resource["id"] for g in generated.resources]
        assert len(ids) == len(set(ids))


def test_the_demo_patient_has_twenty_years_of_rich_history(record):
    by_type = {}
    for g in record.resources:
        by_type.setdefault(g.resource["resourceType"], []).append(g.resource)
    assert 400 <= len(record.resources) <= 800
    assert 90 <= len(by_type["DocumentReference"]) <= 120
    dates = [clinical_date(r) for r in by_type["Observation"] + by_type["DocumentReference"]]
    assert (max(dates) - min(dates)).days > 19 * 365
    patient = by_type["Patient"][0]
    assert patient["identifier"][0] == {"use": "official", "system": INS_SYSTEM, "value": DEMO_PATIENT.ins}
    assert is_valid_ins(DEMO_PATIENT.ins)
    conditions = {c["code"]["text"] for c in by_type["Condition"]}
    assert {"Asthme", "Hypertension artérielle essentielle", "Appendicite aiguë"} <= conditions
    assert any("Appendicectomie" in p["code"]["text"] for p in by_type["Procedure"])
    assert {"Pénicilline", "Pollen de graminées"} <= {a["code"]["text"] for a in by_type["AllergyIntolerance"]}
    assert {"active", "completed"} <= {m["status"] for m in by_type["MedicationStatement"]}
    vaccines = " ".join(i["vaccineCode"]["text"] for i in by_type["Immunization"])
    assert "Repevax" in vaccines and vaccines.count("Vaxigrip") >= 10 and "Comirnaty" in vaccines
    # Her booster of 45 is late: the agenda reminds her of it.
    plan = reminders_for_record([g.resource for g in record.resources], TODAY)
    assert [r.id for r in plan.reminders] == ["dtp-booster-45"]
    contacts = by_type["RelatedPerson"]
    assert len(contacts) == 3 and all(c["telecom"][0]["value"].startswith("+33") for c in contacts)


def test_measurement_series_and_blood_group(record):
    observations = record.of_type("Observation")
    series = {}
    for o in observations:
        series.setdefault(o["code"]["coding"][0]["code"], []).append(o)
    assert len(series["29463-7"]) >= 30 and len(series["8867-4"]) >= 30 and len(series["2339-0"]) >= 15
    assert len(series["8302-2"]) >= 3
    pressure = series["85354-9"][0]
    assert [c["code"]["coding"][0]["code"] for c in pressure["component"]] == ["8480-6", "8462-4"]
    assert series["882-1"][0]["valueCodeableConcept"]["text"] == "A+"
    labs = [o for o in observations if o["category"][0]["coding"][0]["code"] == "laboratory"]
    assert len(labs) > 150 and all("referenceRange" in o for o in labs if o["code"]["coding"][0]["code"] != "882-1")


def test_documents_use_carnet_types_and_categories(record):
    documents = record.of_type("DocumentReference")
    for document in documents:
        assert document["type"]["coding"][0]["code"] in DOCUMENT_TYPES
        category = document["category"][0]["coding"][0]
        assert category["system"] == CARNET_DOCUMENT_CATEGORY and category["code"] in DOCUMENT_CATEGORIES
        assert document["author"] and document["description"] and document["date"]
    kinds = {d["type"]["coding"][0]["code"] for d in documents}
    assert {"57833-6", "11502-2", "18748-4", "18842-5", "11504-8", "11369-6", "42348-3", "51855-5"} <= kinds
    by_patient = [g for g in record.resources if g.by_patient and g.resource["resourceType"] == "DocumentReference"]
    assert 4 <= len(by_patient) <= 10
    directives = [d for d in documents if d["type"]["coding"][0]["code"] == "42348-3"]
    assert len(directives) == 1 and directives[0]["author"][0]["reference"] == f"Patient/{PATIENT_ID}"


def test_files_are_real_small_pdfs_and_images_matching_their_metadata(record):
    attachments = {d["content"][0]["attachment"]["url"]: d["content"][0]["attachment"]
                   for d in record.of_type("DocumentReference")}
    kinds = {"application/pdf": 0, "image/jpeg": 0}
    for file in record.files:
        attachment = attachments[f"Binary/{file.binary_id}"]
        assert attachment["contentType"] == file.content_type and attachment["size"] == len(file.data)
        assert attachment["hash"] == base64.b64encode(hashlib.sha1(file.data).digest()).decode()
        kinds[file.content_type] += 1
        if file.content_type == "application/pdf":
            assert file.data.startswith(b"%PDF-") and file.data.rstrip().endswith(b"%%EOF")
            assert len(re.findall(rb"/Type\s*/Page\b", file.data)) >= 1
            assert 1_500 <= len(file.data) <= 30_000
        else:
            with Image.open(io.BytesIO(file.data)) as image:
                image.verify()
            assert 15_000 <= len(file.data) <= 200_000
    assert kinds["application/pdf"] >= 80 and kinds["image/jpeg"] >= 4


def test_the_same_seed_gives_the_same_record_and_files(record):
    again = generate_record(DEMO_PATIENT, CLINICIANS, patient_id=PATIENT_ID, seed=7, today=TODAY)
    assert [g.resource for g in again.resources] == [g.resource for g in record.resources]
    assert [f.data for f in again.files] == [f.data for f in record.files]
    other = generate_record(DEMO_PATIENT, CLINICIANS, patient_id=PATIENT_ID, seed=8, today=TODAY, files_to_render=0)
    assert [g.resource for g in other.resources] != [g.resource for g in record.resources]


def test_the_child_record_is_a_minors(child_record):
    assert len(child_record.of_type("Immunization")) >= 10
    assert child_record.of_type("DocumentReference") and child_record.files
    weights = [o for o in child_record.of_type("Observation") if o["code"]["coding"][0]["code"] == "29463-7"]
    assert weights[0]["valueQuantity"]["value"] < 5 < weights[-1]["valueQuantity"]["value"]


@pytest.mark.parametrize("count", [1, 60, 500, 900])
def test_seeded_records_have_exactly_the_size_asked(count):
    person = seeded_person(3, 41)
    team = [replace(c, fhir_id=str(uuid.uuid4())) for c in seeded_clinicians(3)]
    generated = generate_record(person, team, patient_id=str(uuid.uuid4()), seed=3, today=TODAY,
                                files_to_render=2, resource_count=count)
    assert len(generated.resources) == count and generated.resources[0].resource["resourceType"] == "Patient"
    assert len(generated.files) == min(2, count - 1)
    for g in generated.resources[::25]:
        get_fhir_model_class(g.resource["resourceType"]).model_validate(g.resource)
