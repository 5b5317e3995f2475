"""The CapabilityStatement and the OpenAPI document describe the FHIR routes."""
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from health.fhir_resources import RESOURCE_TYPES


def test_capability_statement_lists_what_is_supported(client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/fhir+json")
    statement = response.json()
    CapabilityStatement.model_validate(statement)
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(resources) == {*RESOURCE_TYPES, "Binary"}
    condition = {i["code"] for i in resources["Condition"]["interaction"]}
    assert condition == {"read", "vread", "search-type", "create", "update", "delete"}
    assert {i["code"] for i in resources["Patient"]["interaction"]} == {"read", "vread", "search-type", "update"}
    assert {p["name"] for p in resources["Observation"]["searchParam"]} >= {"patient", "category", "date", "code"}
    assert resources["Patient"]["operation"][0]["name"] == "changes"


def test_capability_statement_points_apps_to_the_smart_endpoints(client):
    statement = client.get("/fhir/metadata").json()
    security = statement["rest"][0]["security"]
    assert security["service"][0]["coding"][0]["code"] == "SMART-on-FHIR"
    (uris,) = [e for e in security["extension"] if e["url"].endswith("/oauth-uris")]
    named = {e["url"]: e["valueUri"] for e in uris["extension"]}
    discovery = client.get("/.well-known/smart-configuration").json()
    assert named == {"authorize": discovery["authorization_endpoint"], "token": discovery["token_endpoint"],
                     "revoke": discovery["revocation_endpoint"]}


def test_openapi_documents_the_fhir_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/fhir/metadata", "/fhir/{resource_type}", "/fhir/{resource_type}/{resource_id}",
            "/fhir/Binary", "/fhir/Binary/{binary_id}", "/fhir/Patient/{patient_id}/$changes"} <= set(paths)
    parameter = paths["/fhir/{resource_type}"]["get"]["parameters"][0]
    assert set(parameter["schema"]["enum"]) == set(RESOURCE_TYPES)
    assert "application/fhir+json" in paths["/fhir/{resource_type}"]["post"]["requestBody"]["content"]
    assert paths["/fhir/{resource_type}"]["get"]["tags"] == ["FHIR R4"]
