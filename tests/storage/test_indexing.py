"""Bad input is refused with a message a person can read, and the indexed columns."""
from __future__ import annotations

import pytest

from storage.errors import InvalidResource
from storage.indexing import binary_id_of, index_of, parse_resource
from tests.storage.samples import document


@pytest.mark.parametrize("value, message", [
    ('{"resourceType": "Patient", "id": "p1"', "corrupt JSON"),
    (b"\xff\xfe not json", "corrupt JSON"),
    ("[1, 2]", "expected a JSON object, got list"),
    ('"text"', "expected a JSON object, got str"),
    ({"id": "x"}, "missing or malformed resourceType"),
    ({"resourceType": "Patient"}, "Patient without a valid id"),
    ({"resourceType": "Patient", "id": ""}, "Patient without a valid id"),
    ({"resourceType": "Pa tient", "id": "x"}, "malformed resourceType"),
])
def test_bad_resources_are_refused_clearly(value, message):
    with pytest.raises(InvalidResource, match=message) as raised:
        parse_resource(value)
    assert str(raised.value).startswith("Invalid health record entry")


def test_oversized_json_is_refused_before_parsing():
    with pytest.raises(InvalidResource, match="more than the 100 allowed"):
        parse_resource('{"resourceType": "Patient", "id": "p", "x": "' + "a" * 200 + '"}', max_bytes=100)


def test_document_columns():
    index = index_of(document("d1", loinc="18748-4", description="IRM lombaire", binary="b9",
                              date="2023-05-04", author="Dr Petit"))
    assert (index.category, index.code, index.date, index.author, index.status) == (
        "imaging", "18748-4", "2023-05-04T00:00:00Z", "Dr Petit", "current")
    assert index.title == "Compte rendu d'imagerie"
    assert index.description == "IRM lombaire"
    assert index.binary_id == "b9"
    assert index.hidden is False


def test_hidden_flag_and_binary_urls():
    resource = {**document("d1"), "meta": {"security": [{"system": "urn:carnet:visibility", "code": "hidden"}]}}
    assert index_of(resource).hidden is True
    absolute = {"content": [{"attachment": {"url": "https://carnet.example/fhir/Binary/abc"}}]}
    assert binary_id_of(absolute) == "abc"
    assert binary_id_of({"content": [{"attachment": {"url": "https://elsewhere/file.pdf"}}]}) is None


def test_dates_of_types_the_shared_index_does_not_know():
    assert index_of({"resourceType": "Appointment", "id": "a", "start": "2027-01-02T08:00:00+01:00"}).date \
        == "2027-01-02T07:00:00Z"
    event = {"resourceType": "AuditEvent", "id": "e", "recorded": "2024-01-01T00:00:00Z",
             "agent": [{"who": {"display": "Dr Urgence"}}],
             "purposeOfEvent": [{"coding": [{"code": "ETREAT"}]}]}
    index = index_of(event)
    assert (index.date, index.author, index.category) == ("2024-01-01T00:00:00Z", "Dr Urgence", "emergency")


def test_author_is_the_first_author_element_present():
    base = {"resourceType": "ServiceRequest", "id": "s1"}
    assert index_of(base).author is None
    assert index_of({**base, "requester": {"display": "Dr B"}}).author == "Dr B"
    assert index_of({**base, "author": None, "performer": [{"actor": {"display": "Dr A"}}],
                     "requester": {"display": "Dr B"}}).author == "Dr A"


@pytest.mark.parametrize("meta, hidden", [
    (None, False), ({}, False), ({"security": [], "tag": None}, False),
    ({"tag": [{"system": "urn:carnet:visibility", "code": "hidden"}]}, True),
    ({"security": [{"system": "other", "code": "hidden"}]}, False),
])
def test_hidden_by_security_label_or_tag(meta, hidden):
    resource = {"resourceType": "Observation", "id": "o1", **({"meta": meta} if meta is not None else {})}
    assert index_of(resource).hidden is hidden
