"""Validation, ids, patient references and declared authors of FHIR resources (pure)."""
import pytest

from health import fhir_resources as fr
from health.fhir_index import clinical_date
from health.server_meta import author_kind, with_author_tag, without_server_meta
from tests.server.fhir_samples import CLINICAL_TYPES, sample


@pytest.mark.parametrize("resource_type", CLINICAL_TYPES)
def test_samples_of_every_type_are_valid_and_point_at_their_patient(resource_type):
    resource = sample(resource_type, "pat-1")
    assert fr.validate(resource, resource_type) is resource
    assert fr.patient_reference(resource) == "Patient/pat-1"
    assert fr.patient_id_of(fr.patient_reference(resource)) == "pat-1"


def _issues(resource, resource_type="Condition"):
    with pytest.raises(fr.InvalidResource) as caught:
        fr.validate(resource, resource_type)
    return [str(issue) for issue in caught.value.issues]


def test_errors_name_the_element_and_the_problem():
    resource = sample("Condition", "p", colour="blue")
    resource["code"]["coding"][0]["code"] = 3
    assert _issues(resource) == ["code.coding[0].code: Input should be a valid string",
                                 "colour: unknown element (not part of this resource type in FHIR R4)."]
    missing_status = _issues({"resourceType": "Procedure", "subject": {"reference": "Patient/p"}}, "Procedure")
    assert missing_status == ["status: Value for the field 'status' is required."]


def test_wrong_type_shape_and_id():
    assert _issues(sample("Procedure", "p")) == ["resourceType: expected 'Condition', got 'Procedure'."]
    assert "JSON object" in _issues(["not", "a", "resource"])[0]
    assert _issues(sample("Condition", "p", id="bad id!"))[0].startswith("id:")


@pytest.mark.parametrize("value, valid", [("abc-1.2", True), ("a" * 64, True), ("a" * 65, False),
                                          ("", False), ("x'--", False), ("a/b", False), (7, False)])
def test_id_rule(value, valid):
    assert fr.is_valid_id(value) is valid


def test_patient_id_only_from_relative_patient_references():
    assert fr.patient_id_of("Group/1") is None
    assert fr.patient_id_of("Patient/a b") is None
    assert fr.patient_id_of(None) is None
    assert fr.patient_reference({"resourceType": "Patient", "id": "me"}) == "Patient/me"
    assert fr.patient_reference({"resourceType": "Condition"}) is None


def test_declared_authors_and_attachments():
    condition = sample("Condition", "p", recorder={"reference": "Practitioner/d1"},
                       asserter={"reference": "Patient/p"})
    assert fr.declared_authors(condition) == ["Practitioner/d1", "Patient/p"]
    procedure = sample("Procedure", "p", performer=[{"actor": {"reference": "Practitioner/d2"}}])
    assert fr.declared_authors(procedure) == ["Practitioner/d2"]
    document = sample("DocumentReference", "p")
    document["content"].append({"attachment": {"url": "Binary/file-1"}})
    assert fr.attachment_binary_ids(document) == ["file-1"]


def test_same_content_ignores_server_meta_only():
    author = {"system": "urn:carnet:author", "code": "professional"}
    stored = {"resourceType": "Condition", "meta": {"versionId": "3", "lastUpdated": "x", "tag": [1, author]}}
    assert without_server_meta(stored) == {"resourceType": "Condition", "meta": {"tag": [1]}}
    assert without_server_meta({"resourceType": "Condition", "meta": {"versionId": "1", "tag": [author]}}) == {
        "resourceType": "Condition"}
    assert author_kind(stored) == "professional" and author_kind({"resourceType": "Condition"}) is None
    assert with_author_tag({"tag": [1, {**author, "code": "patient"}]}, None)["tag"] == [
        1, {"system": "urn:carnet:author", "code": "platform"}]


def test_clinical_dates_are_normalised_to_utc():
    moment = clinical_date(sample("Observation", "p"))
    assert moment.isoformat() == "2023-04-05T06:30:00+00:00"
