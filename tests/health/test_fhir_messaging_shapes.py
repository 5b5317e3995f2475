"""Communication and Appointment in the shared FHIR helpers: compartment, thread, files, dates."""
from health import fhir_resources as fr
from health.fhir_index import clinical_date


def _appointment(*actors) -> dict:
    return {"resourceType": "Appointment", "id": "a", "status": "booked", "start": "2030-01-02T08:00:00+01:00",
            "participant": [{"actor": actor, "status": "accepted"} for actor in actors]}


def test_an_appointment_belongs_to_its_one_patient_participant():
    doctor, place = {"reference": "Practitioner/d", "display": "Dr X"}, {"display": "Cabinet"}
    assert fr.patient_reference(_appointment(doctor, {"reference": "Patient/p1"}, place)) == "Patient/p1"
    assert fr.patient_reference(_appointment({"reference": "Patient/p1"}, {"reference": "Patient/p1"})) == "Patient/p1"
    assert fr.patient_reference(_appointment({"reference": "Patient/p1"}, {"reference": "Patient/p2"})) is None
    assert fr.patient_reference(_appointment(doctor, place)) is None
    assert fr.patient_reference({"resourceType": "Appointment"}) is None
    assert clinical_date(_appointment(doctor)).isoformat() == "2030-01-02T07:00:00+00:00"


def test_a_message_names_its_patient_thread_sender_and_files():
    first = {"resourceType": "Communication", "id": "m1", "status": "completed",
             "subject": {"reference": "Patient/p1"}, "sender": {"reference": "Practitioner/d"},
             "sent": "2026-02-03T10:00:00+01:00",
             "payload": [{"contentString": "Bonjour"},
                         {"contentAttachment": {"url": "Binary/f1", "contentType": "application/pdf"}},
                         {"contentAttachment": {"url": "https://example.org/x.pdf"}}]}
    assert fr.validate(first, "Communication") is first
    assert fr.patient_reference(first) == "Patient/p1"
    assert fr.declared_authors(first) == ["Practitioner/d"]
    assert fr.attachment_binary_ids(first) == ["f1"]
    assert len(fr.attachments(first)) == 2
    assert fr.thread_reference(first) is None
    assert clinical_date(first).isoformat() == "2026-02-03T09:00:00+00:00"
    reply = {**first, "id": "m2", "partOf": [{"reference": "Communication/m1"}],
             "inResponseTo": [{"reference": "Communication/m9"}]}
    assert fr.thread_reference(reply) == "Communication/m1"
    assert fr.thread_reference({**first, "inResponseTo": [{"reference": "Communication/m1"}]}) == "Communication/m1"
    assert fr.thread_reference({**first, "partOf": [{"display": "no reference"}]}) is None
