"""Messages and the agenda in the cache: unread counts, search, replies pending, read
receipts; whom an appointment is with and where; reminders with their reasons; what the
prevention rules read."""
from __future__ import annotations

from storage.records import Change, Delivery, Reminder

PROFESSIONAL = [{"system": "urn:carnet:author", "code": "professional"}]


def _message(ident: str, text: str, sent: str, *, thread: str | None = None, from_patient: bool = False,
             subject: str | None = None, **extra) -> dict:
    message = {"resourceType": "Communication", "id": ident, "status": "completed", "sent": sent,
               "sender": {"reference": "Patient/p"} if from_patient else
               {"reference": "Practitioner/d", "display": "Dr Claire Lefèvre"},
               "payload": [{"contentString": text}], "meta": {"versionId": "1", "tag": PROFESSIONAL}}
    if thread:
        message["partOf"] = [{"reference": f"Communication/{thread}"}]
    if subject:
        message["topic"] = {"text": subject}
    return {**message, **extra}


def _pull(cache, *resources: dict, cursor: str = "c1") -> None:
    cache.sync.apply_page([Change(r["resourceType"], r["id"], r) for r in resources], cursor)


def test_inbox_unread_first_search_and_a_pending_reply(cache):
    _pull(cache,
          _message("a1", "Vos résultats d'échographie sont normaux.", "2026-11-01T09:00:00Z", subject="Échographie"),
          _message("a2", "Merci.", "2026-11-01T10:00:00Z", thread="a1", from_patient=True),
          _message("b1", "Le vaccin est arrivé.", "2026-11-20T09:00:00Z", subject="Pharmacie",
                   received="2026-11-20T10:00:00Z"),
          _message("c1", "Bonjour.", "2026-10-01T09:00:00Z", subject="Ancien"))
    assert [(c.subject, c.unread, c.opener) for c in cache.messages.conversations()] == [
        ("Échographie", 1, "Dr Claire Lefèvre"), ("Ancien", 1, "Dr Claire Lefèvre"), ("Pharmacie", 0, "Dr Claire Lefèvre")]
    assert [c.subject for c in cache.messages.search("ECHO normaux")] == ["Échographie"]
    assert [c.subject for c in cache.messages.search("claire")] == ["Échographie", "Ancien", "Pharmacie"]
    assert cache.messages.search("rien") == []

    written = _message("a3", "Une question encore.", "2026-11-02T09:00:00Z", thread="a1", from_patient=True)
    del written["meta"]  # written on this device: the server has not stamped it
    cache.messages.add_reply(written, ("application/pdf", b"%PDF-1.4 q", "question.pdf"))
    *_, reply = cache.messages.thread("Communication/a1")
    assert (reply.delivery, reply.from_patient, reply.read) == (Delivery.PENDING, True, True)
    [attachment] = reply.attachments
    assert (attachment.title, attachment.fetched, attachment.size) == ("question.pdf", True, 10)
    # The file's outbox entry comes first: the server has the file before the message naming it.
    assert [e.resource_type for e in cache.outbox.entries()] == ["Binary", "Communication"]

    assert cache.read_receipts.mark(["a1", "a2", "b1", "a1"]) == ["a1"]  # a care team's, unread, once
    assert cache.messages.unread_count() == 1 and cache.sync.state().pending_changes == 3
    cache.read_receipts.sent("a1", {**_message("a1", "Vos résultats d'échographie sont normaux.",
                                               "2026-11-01T09:00:00Z", subject="Échographie",
                                               received="2026-11-03T08:00:00Z"),
                                    "meta": {"versionId": "2", "tag": PROFESSIONAL}})
    assert cache.read_receipts.pending() == [] and cache.messages.get("a1").received == "2026-11-03T08:00:00Z"


def test_whom_an_appointment_is_with_and_where(cache):
    booked = {"resourceType": "Appointment", "id": "r1", "status": "booked", "start": "2027-01-12T09:30:00Z",
              "description": "Consultation", "minutesDuration": 30, "meta": {"versionId": "1", "tag": PROFESSIONAL},
              "participant": [{"actor": {"reference": "Patient/p", "display": "Camille Martin"}, "status": "accepted"},
                              {"actor": {"display": "Dr Claire Lefèvre"}, "status": "accepted"},
                              {"actor": {"display": "Cabinet du Parc"}, "status": "accepted"}]}
    mine = {"resourceType": "Appointment", "id": "r2", "status": "booked", "start": "2027-01-14T11:45:00Z",
            "participant": [{"actor": {"reference": "Patient/p"}, "status": "accepted"},
                            {"actor": {"type": "Location", "display": "Cabinet des Brotteaux"}, "status": "accepted"}]}
    _pull(cache, booked)
    cache.resources.save_local(mine)
    first, second = cache.agenda.upcoming("2027-01-01T00:00:00Z")
    # The patient named first, with a display, is not whom the appointment is with.
    assert (first.practitioner, first.place, first.patient_may_change, first.minutes) == (
        "Dr Claire Lefèvre", "Cabinet du Parc", False, 30)
    assert (second.practitioner, second.place, second.patient_may_change, second.pending) == (
        None, "Cabinet des Brotteaux", True, True)
    assert [a.id for a in cache.agenda.past("2027-01-13T00:00:00Z")] == ["r1"]


def test_reminders_keep_their_reasons_and_the_patients_choices(cache):
    reminder = Reminder("flu-2026", "vaccination", "Grippe", "2026-10-15", title_en="Flu", reason_fr="65 ans",
                        reason_en="65 years old", source="Calendrier 2025", source_url="https://example.org",
                        window_from="2026-10-15", window_until="2027-02-28", timing="due")
    cache.agenda.replace_reminders([reminder])
    cache.agenda.close_reminder("flu-2026", "dismissed")
    cache.agenda.replace_reminders([reminder])
    assert cache.agenda.reminders() == []
    assert cache.agenda.reminder("flu-2026") == Reminder(**{**reminder.__dict__, "status": "dismissed"})


def test_the_prevention_rules_read_the_patient_vaccines_and_examinations_only(cache):
    patient = {"resourceType": "Patient", "id": "p", "birthDate": "1980-05-17", "gender": "female"}
    weight = {"resourceType": "Observation", "id": "w", "status": "final", "code": {"coding": [
        {"system": "http://loinc.org", "code": "29463-7"}]}}
    smear = {"resourceType": "Observation", "id": "s", "status": "final", "code": {"coding": [
        {"system": "http://loinc.org", "code": "19762-4"}]}}
    vaccine = {"resourceType": "Immunization", "id": "i", "status": "completed"}
    _pull(cache, patient, weight, smear, vaccine)
    assert [r["id"] for r in cache.agenda.prevention_sources()] == ["p", "i", "s"]
