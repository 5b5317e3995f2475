"""Schemathesis over the OpenAPI document, in-process: whatever it sends to any operation
(valid inputs and invalid ones), as a signed-in patient, an app or nobody, the server answers
without a 5xx. One test per operation, on one SQLite server shared by them all."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from server.app import create_app
from server.config import Settings
from tests.factories import bearer, make_patient
from tests.server.auth_flows import active_patient, cheap
from tests.server.oauth_flow import GLUCOSE_APP, add_app, tokens_for

# Examples per operation and generation mode: the whole document runs in under a minute.
EXAMPLES = 20


_CONSTRAINTS = {"maxLength", "minLength", "pattern", "enum", "minimum", "maximum", "format", "anyOf"}


def _cases() -> list[tuple[GenerationMode, str, str]]:
    """Every operation with valid inputs; with invalid ones too where it has something to break
    (a body, or a parameter with a type or a constraint: any string is a valid unconstrained one)."""
    document = create_app(Settings(database_url="sqlite://"), run_migrations=False).openapi()
    cases = []
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            cases.append((GenerationMode.POSITIVE, method.upper(), path))
            schemas = [parameter.get("schema", {}) for parameter in spec.get("parameters", [])]
            if "requestBody" in spec or any(schema.get("type", "string") != "string" or _CONSTRAINTS & set(schema)
                                            for schema in schemas):
                cases.append((GenerationMode.NEGATIVE, method.upper(), path))
    return cases


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """The app with a patient, another patient, and an app the patient granted."""
    from fastapi.testclient import TestClient

    settings = cheap(Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'server.db'}",
                              environment="test", smtp_host=None))
    application = create_app(settings)
    add_app(application)
    patient = active_patient(application)
    make_patient(application.state.session_factory)
    with TestClient(application) as client:
        granted = tokens_for(client, application, patient.identifier, GLUCOSE_APP.id,
                             "launch/patient patient/Observation.rs patient/Observation.c")
    identities = {"nobody": {}, "app": {"Authorization": f"Bearer {granted['access_token']}"},
                  "patient": bearer(application.state.session_factory, settings, patient)}
    yield schemathesis.openapi.from_asgi("/openapi.json", application), identities
    application.state.engine.dispose()


@pytest.mark.parametrize("mode, method, path", _cases(), ids=lambda value: getattr(value, "value", value))
def test_no_request_makes_the_server_fail(fuzzed, mode, method, path):
    schema, identities = fuzzed
    operation = schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_without_failing(case):
        for headers in identities.values():
            response = case.call(headers=headers)
            assert response.status_code < 500, f"{method} {case.formatted_path} as {headers and 'someone'}: " \
                                               f"{response.status_code} {response.text[:300]}"

    answers_without_failing()
