"""The agenda on the device against the real server: reminders computed offline from the
record and marked done (the act recorded and pushed, the reminder gone), an appointment
added offline then synced, edited and cancelled, professionals' ones read-only, the
calendar file read back, alerts before an appointment."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import httpx
import icalendar
import pytest

from app.agenda_service import AgendaRefused, AgendaService, AppointmentForm
from app.plain_words import plain_words
from tests.app.conftest import make_services, run
from tests.app.test_messages_service import Network, until
from tests.app.test_services import sign_in, wait_for_sync
from tests.app.test_settings_service import sync_again
from tests.server.fhir_samples import FHIR
from tests.server.message_samples import appointment

TODAY = date(2026, 12, 2)  # the world's patient is a woman born on 17 May 1980: 46 today


@pytest.fixture
def network():
    return Network()


@pytest.fixture
def services(world, tmp_path, network):
    made = make_services(world.server_url, tmp_path / "device", transport=network)
    made.agenda = AgendaService(made.record, today=lambda: TODAY)
    yield made
    run(made.close())


def professional_books(world, start: datetime, **extra) -> dict:
    body = appointment(world.patient_id, start.isoformat(timespec="seconds"), **extra)
    response = httpx.put(f"{world.server_url}/fhir/Appointment/{body['id']}", json=body,
                         headers={**world.professional_headers, "Content-Type": FHIR})
    assert response.status_code == 201, response.text
    return response.json()


def server_search(world, resource_type: str) -> list[dict]:
    return world.server_search(resource_type, world.professional_headers)


def test_reminders_are_computed_on_the_device_and_marked_done(services, world, network):
    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        network.online = False  # computed offline, from the record
        due = await services.agenda.reminders()
        booster = await services.agenda.reminder("dtp-booster-45")
        with pytest.raises(AgendaRefused) as future:
            await services.agenda.mark_done("dtp-booster-45", TODAY + timedelta(days=3))
        await services.agenda.mark_done("dtp-booster-45", date(2026, 11, 20))
        await services.agenda.dismiss("cervical-hpv-2010")
        after = await services.agenda.reminders(include_closed=True)
        network.online = True
        await sync_again(services)
        await until(lambda: services.sync_line.pending_changes == 0, "the Immunization pushed")
        return due, booster, plain_words(future.value, services.translator), after

    due, booster, refusal, after = run(scenario())
    assert [r.id for r in due] == ["cervical-hpv-2010", "dtp-booster-45"]
    assert (booster.kind, booster.timing, booster.title) == (
        "vaccination", "overdue", "Rappel diphtérie, tétanos, polio (dTP) de 45 ans")
    assert booster.reason_fr.startswith("Rappels recommandés à 25, 45 et 65 ans") and booster.reason_en
    assert "Calendrier des vaccinations" in booster.source and booster.source_url.startswith("https://")
    assert refusal == "La date ne peut pas être dans le futur."
    # Done: recorded, so the rules no longer remind it; dismissed: kept closed by id.
    assert [(r.id, r.status) for r in after] == [("cervical-hpv-2010", "dismissed")]
    [immunization] = server_search(world, "Immunization")
    assert immunization["occurrenceDateTime"] == "2026-11-20" and immunization["primarySource"] is False
    assert immunization["identifier"] == [{"system": "urn:carnet:prevention-reminder", "value": "dtp-booster-45"}]


def test_reminders_follow_what_a_sync_brings(services, world):
    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        before = [r.id for r in await services.agenda.reminders()]
        world.professional_writes("Immunization", vaccineCode={"coding": [
            {"system": "http://www.whocc.no/atc", "code": "J07CA01"}]}, occurrenceDateTime="2026-10-01")
        await sync_again(services)
        return before, [r.id for r in await services.agenda.reminders()]

    before, after = run(scenario())
    assert "dtp-booster-45" in before and "dtp-booster-45" not in after


def test_an_appointment_added_offline_is_synced_then_edited_and_cancelled(services, world, network):
    booked = professional_books(world, datetime(2027, 1, 12, 9, 30, tzinfo=timezone.utc),
                                description="Consultation de suivi", practitioner="Dr Claire Lefèvre")
    booked["participant"].reverse()  # the patient first: whom it is with is still the doctor

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        network.online = False
        mine = await services.agenda.save(AppointmentForm("Séance d'ostéopathie", "14/01/2027", "12:45", "45",
                                                          "Julien Perrin", "Cabinet des Brotteaux", "Apporter la radio"))
        assert mine.pending and mine.patient_may_change
        network.online = True
        await sync_again(services)
        await until(lambda: services.sync_line.pending_changes == 0, "the appointment pushed")
        moved = await services.agenda.save(AppointmentForm("Séance d'ostéopathie", "15/01/2027", "08:00", "30",
                                                           "Julien Perrin", ""), mine.id)
        cancelled = await services.agenda.cancel(mine.id)
        with pytest.raises(AgendaRefused) as read_only:
            await services.agenda.cancel(booked["id"])
        agenda = await services.agenda.agenda(now=datetime(2026, 12, 2, tzinfo=timezone.utc))
        await sync_again(services)
        await until(lambda: services.sync_line.pending_changes == 0, "the changes pushed")
        return mine, moved, cancelled, read_only.value, agenda

    mine, moved, cancelled, read_only, agenda = run(scenario())
    assert (mine.description, mine.practitioner, mine.place, mine.comment, mine.minutes) == (
        "Séance d'ostéopathie", "Julien Perrin", "Cabinet des Brotteaux", "Apporter la radio", 45)
    assert (moved.place, moved.comment, moved.minutes) == (None, None, 30)
    assert cancelled.status == "cancelled"
    assert "ajouté par un professionnel" in read_only.message_fr
    assert [(a.id, a.practitioner, a.patient_may_change) for a in agenda.upcoming] == [
        (booked["id"], "Dr Claire Lefèvre", False), (mine.id, "Julien Perrin", True)]
    [stored] = [a for a in server_search(world, "Appointment") if a["id"] == mine.id]
    # Moved then cancelled before the next sync: one change pushed, on top of the first version.
    assert stored["status"] == "cancelled" and stored["meta"]["versionId"] == "2"
    assert stored["participant"][0]["actor"] == {"reference": f"Patient/{world.patient_id}"}


def test_bad_appointment_forms_change_nothing(services, world):
    forms = [AppointmentForm("", "14/01/2027", "12:45"), AppointmentForm("Dentiste", "2027-01-14", "12:45"),
             AppointmentForm("Dentiste", "31/02/2027", "12:45"), AppointmentForm("Dentiste", "14/01/2027", "midi"),
             AppointmentForm("Dentiste", "14/01/2027", "12:45", "0")]

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        said = []
        for form in forms:
            with pytest.raises(AgendaRefused) as refused:
                await services.agenda.save(form)
            said.append(plain_words(refused.value, services.translator))
        return said, await services.record.read(lambda cache: cache.outbox.entries())

    said, outbox = run(scenario())
    assert said == ["Dites de quel rendez-vous il s'agit.",
                    "Écrivez la date sous la forme JJ/MM/AAAA, par exemple 24/03/2027.",
                    "Écrivez la date sous la forme JJ/MM/AAAA, par exemple 24/03/2027.",
                    "Écrivez l'heure sous la forme HH:MM, par exemple 14:30.",
                    "La durée se compte en minutes, de 5 à 1440."]
    assert outbox == []


def test_the_calendar_file_is_built_offline_and_reads_back(services, world, network):
    booked = professional_books(world, datetime(2027, 1, 12, 9, 30, tzinfo=timezone.utc),
                                end="2027-01-12T10:00:00+00:00", description="Consultation de suivi",
                                comment="Apporter les résultats (glycémie)")

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        network.online = False
        mine = await services.agenda.save(AppointmentForm("Ostéopathe", "14/01/2027", "12:45", "45"))
        return mine, await services.agenda.calendar_file(), await services.agenda.calendar_file(booked["id"])

    mine, whole, one = run(scenario())
    assert whole.file_name.endswith(".ics") and whole.content_type == "text/calendar"
    events = icalendar.Calendar.from_ical(whole.data).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{booked['id']}@carnet", f"{mine.id}@carnet"]
    first, second = events
    assert first.decoded("DTSTART") == datetime(2027, 1, 12, 9, 30, tzinfo=timezone.utc)
    assert str(first["DESCRIPTION"]) == "Avec Dr Claire Lefèvre" and int(first["SEQUENCE"]) == 0
    assert second.decoded("DTEND") - second.decoded("DTSTART") == timedelta(minutes=45)
    assert "glycémie" not in whole.data.decode() and world.patient_id not in whole.data.decode()
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(one.data).walk("VEVENT")] == [f"{booked['id']}@carnet"]


def test_alerts_the_day_before_and_the_hour_before_once_each(services, world):
    now = datetime.now(timezone.utc).replace(microsecond=0)
    tomorrow = professional_books(world, now + timedelta(hours=20), description="Dentiste")
    later = professional_books(world, now + timedelta(hours=30), description="Après-demain")
    professional_books(world, now + timedelta(hours=2), description="Annulé", status="cancelled")

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        first = await services.agenda.alerts_due(now)
        again = await services.agenda.alerts_due(now + timedelta(minutes=1))
        soon = await services.agenda.alerts_due(now + timedelta(hours=19, minutes=30))
        return first, again, soon

    first, again, soon = run(scenario())
    assert [(a.appointment_id, a.soon) for a in first] == [(tomorrow["id"], False)]
    assert again == []
    assert [(a.appointment_id, a.soon, a.description) for a in soon] == [
        (tomorrow["id"], True, "Dentiste"), (later["id"], False, "Après-demain")]
