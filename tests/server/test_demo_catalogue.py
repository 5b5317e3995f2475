"""The demo's catalogue: four referenced apps, GlucoSuivi granted to the demo patient, and the
README's walk-through (the booking app adds an appointment) against them."""
from __future__ import annotations

from datetime import date

import pytest

from server.db import transaction
from server.demo.apps import BOOKING, DEMO_APPS, DEMO_REDIRECT_URI, FITNESS, GLUCO_SUIVI, add_demo_apps, grant_demo_app
from server.principal import Principal
from server.services import app_grants, catalogue
from tests.factories import bearer
from tests.server.auth_flows import active_patient, cheap
from tests.server.oauth_flow import REDIRECT_URI, tokens_for


@pytest.fixture
def settings(settings):
    return cheap(settings)


def test_the_demo_apps_are_added_once_and_the_patient_granted_one(app):
    with transaction(app.state.session_factory) as session:
        assert add_demo_apps(session) == len(DEMO_APPS) == 4
        assert add_demo_apps(session) == 0
        apps = {a.id: a for a in catalogue.list_apps(session)}
    assert {a.category for a in apps.values()} == {"diabetes", "teleconsultation", "booking", "fitness"}
    assert apps[FITNESS.id].access[0].write == ""  # the fitness tracker only reads
    assert apps[BOOKING.id].access[0].resource_type == "Appointment"
    patient = active_patient(app)
    with transaction(app.state.session_factory) as session:
        grant_demo_app(session, patient, date(2026, 11, 23))
    with transaction(app.state.session_factory) as session:
        [grant] = app_grants.grants(session, Principal(patient.id, patient.kind, patient.fhir_id, "test"))
    assert grant.app.id == GLUCO_SUIVI.id and grant.granted_at.date() == date(2026, 10, 24)
    assert grant.scopes == "patient/Observation.crs launch/patient offline_access"


def test_the_readme_walk_through_books_an_appointment(client, app):
    assert DEMO_REDIRECT_URI == REDIRECT_URI
    with transaction(app.state.session_factory) as session:
        add_demo_apps(session)
    patient = active_patient(app)
    tokens = tokens_for(client, app, patient.identifier, BOOKING.id, "launch/patient patient/Appointment.crus")
    appointment = {"resourceType": "Appointment", "status": "booked", "start": "2027-01-12T09:00:00Z",
                   "end": "2027-01-12T09:20:00Z", "description": "Consultation",
                   "participant": [{"actor": {"reference": f"Patient/{tokens['patient']}"}, "status": "accepted"}]}
    created = client.post("/fhir/Appointment", json=appointment, headers={
        "Authorization": f"Bearer {tokens['access_token']}", "Content-Type": "application/fhir+json"})
    assert created.status_code == 201, created.text
    agenda = client.get("/fhir/Appointment", headers=bearer(app.state.session_factory, app.state.settings, patient))
    assert agenda.json()["total"] == 1
