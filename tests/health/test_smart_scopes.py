"""SMART App Launch scopes: v2 syntax, v1 forms, restrictions, and what they permit."""
import pytest

from health.smart_scopes import InvalidScope, ResourceScope, parse_scope, parse_scopes


def test_v2_resource_scopes():
    scope = parse_scope("patient/Observation.rs")
    assert scope == ResourceScope("patient", "Observation", frozenset("rs"))
    assert parse_scope("user/*.cruds").permissions == frozenset("cruds")
    assert parse_scope("system/DocumentReference.cud").resource_type == "DocumentReference"


@pytest.mark.parametrize("v1, letters", [("read", "rs"), ("write", "cud"), ("*", "cruds")])
def test_v1_forms_are_accepted(v1, letters):
    assert parse_scope(f"patient/Condition.{v1}").permissions == frozenset(letters)


def test_restrictions_are_parsed_and_checked():
    scope = parse_scope("patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/"
                        "observation-category|laboratory")
    assert scope.restrictions == (("category", "http://terminology.hl7.org/CodeSystem/observation-category|laboratory"),)
    assert scope.admits("laboratory", None) and not scope.admits("vital-signs", None)
    assert not scope.admits(None, None)
    unchecked = parse_scope("patient/Observation.rs?status=final")
    assert not unchecked.checked


def test_other_scopes_grant_no_data():
    scopes = parse_scopes("openid fhirUser launch/patient offline_access")
    assert scopes.resources == () and scopes.other == ("openid", "fhirUser", "launch/patient", "offline_access")
    assert not scopes.permits("Observation", "r")


def test_what_a_set_of_scopes_permits():
    scopes = parse_scopes("patient/Observation.rs?category=laboratory patient/Observation.c "
                          "patient/DocumentReference.cruds user/Condition.cruds patient/Procedure.rs?status=final")
    assert scopes.permits("Observation", "r", category="laboratory")
    assert not scopes.permits("Observation", "r", category="vital-signs")
    assert scopes.permits("Observation", "c") and not scopes.permits("Observation", "u")
    assert scopes.permits("DocumentReference", "d")
    assert not scopes.permits("Condition", "r")  # only patient/ scopes act in a patient's record
    assert not scopes.permits("Procedure", "r")  # a restriction Carnet cannot check matches nothing
    assert scopes.permits_type("Observation", "s") and not scopes.permits_type("Condition", "s")
    assert parse_scopes("patient/*.rs").permits("AllergyIntolerance", "s")


@pytest.mark.parametrize("text", [
    "patient/Observation.sr",  # out of order
    "patient/Observation.rr",  # twice
    "patient/Observation.x",
    "patient/Observation.",
    "practitioner/Observation.rs",
    "patient/observation.rs",
    "patient/Observation",
    "patient/Observation.rs?category",
    "patient/Observation.rs?=x",
    'bad"scope',
])
def test_malformed_scopes_are_refused_with_a_reason(text):
    with pytest.raises(InvalidScope) as refused:
        parse_scopes(text)
    assert text[:20] in str(refused.value) or "scope" in str(refused.value)


def test_too_many_scopes():
    with pytest.raises(InvalidScope):
        parse_scopes(" ".join(["openid"] * 201))
