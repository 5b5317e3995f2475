"""AuditEvents of the access history: valid FHIR, and what the device reads from them."""
from datetime import datetime, timezone

from fhir.resources.R4B.auditevent import AuditEvent

from health.audit_events import AccessRecord, Agent, audit_event, notifications_of
from health.fhir_resources import patient_id_of, patient_reference, validate
from storage.indexing import index_of

WHEN = datetime(2026, 3, 2, 14, 30, tzinfo=timezone.utc)
NURSE = Agent("professional", "Dr Isabelle Mercier", "Practitioner/p1", "nurse")


def test_a_search_lists_what_it_returned_and_validates():
    event = audit_event(AccessRecord("e1", WHEN, "pat-1", NURSE, "search-type", ("Condition/c1", "Condition/c2"),
                                     "Condition", "patient=pat-1", 2, notifications=("first-access",)))
    AuditEvent.model_validate(event)
    validate(event, "AuditEvent")
    assert event["entity"][0]["what"]["display"] == "Condition : 2 résultats"
    assert [e["what"].get("reference") for e in event["entity"][1:]] == ["Condition/c1", "Condition/c2",
                                                                          "Patient/pat-1"]
    assert patient_id_of(patient_reference(event)) == "pat-1"
    assert notifications_of(event) == {"first-access"}
    index = index_of(event)
    assert (index.author, index.category, index.date) == ("Dr Isabelle Mercier", "normal", "2026-03-02T14:30:00Z")


def test_an_emergency_is_flagged_for_the_device_and_a_refusal_says_why():
    event = audit_event(AccessRecord("e2", WHEN, "pat-1", NURSE, "emergency-access", ("Patient/pat-1",),
                                     allowed=False, refusal="This patient has refused emergency access.",
                                     emergency_reason="Inconsciente"))
    AuditEvent.model_validate(event)
    assert index_of(event).category == "emergency"
    assert event["outcome"] == "4" and event["outcomeDesc"].startswith("This patient")
    assert event["type"]["display"].endswith("(refusé)") and event["purposeOfEvent"][0]["text"] == "Inconsciente"


def test_apps_and_representatives():
    app = audit_event(AccessRecord("e3", WHEN, "pat-1", Agent("app", "GlucoSuivi", app_id="gluco"), "read",
                                   ("Observation/o1",)))
    parent = audit_event(AccessRecord("e4", WHEN, "pat-1", Agent("representative", "Sophie Moreau", "Patient/p0"),
                                      "update", ("Condition/c1",)))
    for event in (app, parent):
        AuditEvent.model_validate(event)
    assert app["agent"][0]["who"]["identifier"]["value"] == "gluco" and "reference" not in app["agent"][0]["who"]
    assert parent["purposeOfEvent"][0]["coding"][0]["code"] == "FAMRQT"
