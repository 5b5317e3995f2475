"""The health agenda: appointments in the record (who may change which), past and upcoming
by search, and their export as iCalendar files."""
from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from tests.server.fhir_samples import FHIR, make_world
from tests.server.message_samples import appointment, diagnostics


@pytest.fixture
def world(client, app, settings):
    return make_world(client, app, settings)


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [entry["resource"]["id"] for entry in response.json().get("entry", [])]


def _calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"] == "no-store"
    return icalendar.Calendar.from_ical(response.content)


def test_professional_appointments_are_read_only_for_the_patient(world):
    booked = world.post(world.as_professional, appointment(world.patient.fhir_id))
    assert booked.status_code == 201, booked.text
    body = booked.json()
    url = f"/fhir/Appointment/{body['id']}"
    assert world.client.get(url, headers=world.as_patient).json() == body
    cancelled = world.put(world.as_patient, {**body, "status": "cancelled"})
    assert cancelled.status_code == 403 and "read-only for you" in diagnostics(cancelled)
    assert world.client.delete(url, headers=world.as_patient).status_code == 403
    assert world.client.get(url, headers=world.as_other).status_code == 404


def test_the_patient_adds_edits_and_cancels_their_own(world):
    mine = appointment(world.patient.fhir_id, description="Ostéopathe", practitioner="M. Durand")
    assert world.put(world.as_patient, mine).status_code == 201
    moved = world.put(world.as_patient, {**mine, "start": "2030-03-05T10:00:00+01:00"}, **{"If-Match": 'W/"1"'})
    assert moved.status_code == 200 and moved.json()["meta"]["versionId"] == "2"
    cancelled = world.put(world.as_patient, {**moved.json(), "status": "cancelled"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    # Professionals do not change what the patient wrote down for themself.
    assert world.put(world.as_professional, {**mine, "status": "booked"}).status_code == 403
    assert world.client.delete(f"/fhir/Appointment/{mine['id']}", headers=world.as_patient).status_code == 204
    # Nor can a patient put an appointment in someone else's agenda.
    theirs = world.put(world.as_patient, appointment(world.other.fhir_id))
    assert theirs.status_code == 403


def test_an_appointment_belongs_to_exactly_one_patient(world):
    both = appointment(world.patient.fhir_id)
    both["participant"].append({"actor": {"reference": f"Patient/{world.other.fhir_id}"}, "status": "accepted"})
    nobody = appointment(world.patient.fhir_id)
    nobody["participant"] = nobody["participant"][1:]
    for body in (both, nobody):
        refused = world.put(world.as_professional, body)
        assert refused.status_code == 400
        assert "Appointment.participant.actor must reference the patient" in diagnostics(refused)


def test_past_and_upcoming_by_date(world):
    now = datetime.now(timezone.utc).replace(microsecond=0)
    past = appointment(world.patient.fhir_id, (now - timedelta(days=30)).isoformat(), status="fulfilled")
    soon = appointment(world.patient.fhir_id, (now + timedelta(days=3)).isoformat())
    later = appointment(world.patient.fhir_id, (now + timedelta(days=40)).isoformat())
    for body in (later, past, soon):
        assert world.post(world.as_professional, body).status_code == 201
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    upcoming = world.client.get("/fhir/Appointment", params={"date": f"ge{stamp}", "_sort": "date"},
                                headers=world.as_patient)
    before = world.client.get("/fhir/Appointment", params={"date": f"lt{stamp}"}, headers=world.as_patient)
    created = {r["start"]: r["id"] for r in (e["resource"] for e in upcoming.json()["entry"])}
    assert len(_ids(upcoming)) == 2 and list(created) == sorted(created)
    assert len(_ids(before)) == 1


def test_the_agenda_exports_as_icalendar(world):
    pid = world.patient.fhir_id
    booked = appointment(pid, "2030-03-04T09:30:00+01:00", end="2030-03-04T10:00:00+01:00",
                         description="Consultation de suivi", practitioner="Dr Claire Lefèvre",
                         comment="Apporter les résultats de la prise de sang (glycémie)")
    booked["participant"][0]["actor"]["display"] = "Camille Martin"
    cancelled = appointment(pid, "2030-04-01T14:00:00+02:00", description="Dentiste", practitioner=None,
                            status="cancelled", minutesDuration=45)
    proposed = appointment(pid, description="À fixer", status="proposed")
    del proposed["start"]
    for body in (booked, cancelled, proposed):
        assert world.put(world.as_professional, body).status_code == 201
    other = world.post(world.as_professional, appointment(world.other.fhir_id, description="Chez l'autre"))
    assert other.status_code == 201

    events = _calendar(world.client.get("/agenda.ics", headers=world.as_patient)).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Consultation de suivi", "Dentiste"]
    first, second = events
    assert str(first["UID"]) == f"{booked['id']}@carnet" and str(first["STATUS"]) == "CONFIRMED"
    assert first.decoded("DTSTART") == datetime(2030, 3, 4, 8, 30, tzinfo=timezone.utc)
    assert first.decoded("DTEND") == datetime(2030, 3, 4, 9, 0, tzinfo=timezone.utc)
    assert str(first["DESCRIPTION"]) == "Avec Dr Claire Lefèvre"
    assert str(second["STATUS"]) == "CANCELLED" and "DESCRIPTION" not in second
    assert second.decoded("DTEND") - second.decoded("DTSTART") == timedelta(minutes=45)
    raw = world.client.get("/agenda.ics", headers=world.as_patient).text
    for private in ("glycémie", world.patient.fhir_id, "Camille", "Chez l'autre"):
        assert private not in raw


def test_one_appointment_as_icalendar_and_who_may_have_it(world):
    body = world.post(world.as_professional, appointment(world.patient.fhir_id)).json()
    url = f"/agenda/{body['id']}.ics"
    events = _calendar(world.client.get(url, headers=world.as_patient)).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{body['id']}@carnet"]
    assert _calendar(world.client.get(url, headers=world.as_professional)).walk("VEVENT")
    hidden = world.client.get(url, headers=world.as_other)
    missing = world.client.get("/agenda/no-such-appointment.ics", headers=world.as_other)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.headers["content-type"].startswith(FHIR)
    assert world.client.get(url).status_code == 401
    # The whole agenda is the signed-in patient's own: no token in the URL, no professional.
    token = world.as_patient["Authorization"].split()[1]
    assert world.client.get("/agenda.ics", params={"access_token": token}).status_code == 401
    assert world.client.get("/agenda.ics", headers=world.as_professional).status_code == 403


def test_an_empty_agenda_is_a_valid_calendar(world):
    calendar = _calendar(world.client.get("/agenda.ics", headers=world.as_patient))
    assert calendar.walk("VEVENT") == [] and str(calendar["VERSION"]) == "2.0"
