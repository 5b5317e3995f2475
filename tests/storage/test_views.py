"""The read side of the other screens: profile, messages, agenda, catalogue, access, settings."""
from __future__ import annotations

from storage.profile import ProfileSection
from storage.records import AppAccess, CatalogueApp, Grant, Reminder
from tests.storage.samples import bundle, document


def _observation(ident: str, code: str, date: str, value=None) -> dict:
    return {"resourceType": "Observation", "id": ident, "status": "final", "effectiveDateTime": date,
            "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
            **({"valueQuantity": {"value": value}} if value is not None else
               {"valueCodeableConcept": {"text": "O+"}})}


def test_profile_sections(cache):
    cache.sync.apply_page(bundle(
        _observation("w1", "29463-7", "2024-01-01", 70), _observation("w2", "29463-7", "2023-01-01", 72),
        _observation("bg", "882-1", "2001-01-01"),
        {"resourceType": "AllergyIntolerance", "id": "a1", "code": {"text": "Pénicilline"}},
        {"resourceType": "RelatedPerson", "id": "r1", "name": [{"text": "Alex"}]},
        document("dir", loinc="42348-3", description="Directives anticipées"),
        document("rx"),
    ), "c")
    assert [r.id for r in cache.profile.section(ProfileSection.MEASUREMENTS)] == ["w1", "w2"]
    assert [r.id for r in cache.profile.section(ProfileSection.BLOOD_GROUP)] == ["bg"]
    assert [r.id for r in cache.profile.section(ProfileSection.ALLERGIES)] == ["a1"]
    assert [r.id for r in cache.profile.section(ProfileSection.CONTACTS)] == ["r1"]
    assert [r.id for r in cache.profile.section(ProfileSection.ADVANCE_DIRECTIVES)] == ["dir"]
    assert [r.resource["valueQuantity"]["value"] for r in cache.profile.measurements("29463-7")] == [72, 70]
    assert cache.profile.section(ProfileSection.CONDITIONS) == []


def test_messages_are_grouped_in_threads(cache):
    def message(ident, sent, text, part_of=None, attachment=None):
        payload = [{"contentString": text}]
        if attachment:
            payload.append({"contentAttachment": {"url": f"Binary/{attachment}"}})
        return {"resourceType": "Communication", "id": ident, "status": "completed", "sent": sent,
                "sender": {"display": "Dr Martin"}, "topic": {"text": "Vos résultats"},
                "payload": payload, **({"partOf": [{"reference": part_of}]} if part_of else {})}

    cache.sync.apply_page(bundle(
        message("m1", "2024-01-01T10:00:00Z", "Vos résultats sont prêts"),
        message("m2", "2024-01-01T11:00:00Z", "Merci", "Communication/m1", attachment="b7"),
        message("x1", "2023-01-01T10:00:00Z", "Autre sujet"),
    ), "c")
    threads = cache.messages.conversations()
    assert [(t.thread, t.message_count, t.subject) for t in threads] == [
        ("Communication/m1", 2, "Vos résultats"), ("Communication/x1", 1, "Vos résultats")]
    messages = cache.messages.thread("Communication/m1")
    assert [(m.id, m.text, m.attachment_binary_ids) for m in messages] == [
        ("m1", "Vos résultats sont prêts", ()), ("m2", "Merci", ("b7",))]


def test_agenda_appointments_and_reminders(cache):
    cache.sync.apply_page(bundle(
        {"resourceType": "Appointment", "id": "past", "status": "fulfilled", "start": "2026-01-01T09:00:00Z",
         "participant": [{"actor": {"reference": "Patient/p"}}, {"actor": {"display": "Dr Petit"}}]},
        {"resourceType": "Appointment", "id": "soon", "status": "booked", "start": "2026-12-01T09:00:00Z",
         "end": "2026-12-01T09:30:00Z", "description": "Contrôle"},
    ), "c")
    upcoming = cache.agenda.upcoming("2026-11-23T00:00:00Z")
    assert [(a.id, a.end, a.description) for a in upcoming] == [("soon", "2026-12-01T09:30:00Z", "Contrôle")]
    assert [(a.id, a.practitioner) for a in cache.agenda.past("2026-11-23T00:00:00Z")] == [("past", "Dr Petit")]
    cache.agenda.replace_reminders([Reminder("dtp-45", "vaccination", "Rappel DTP", "2025-05-17"),
                                    Reminder("flu", "vaccination", "Grippe", "2026-10-15")])
    cache.agenda.close_reminder("dtp-45")
    cache.agenda.replace_reminders([Reminder("dtp-45", "vaccination", "Rappel DTP", "2025-05-17"),
                                    Reminder("flu", "vaccination", "Grippe", "2026-10-15")])
    assert [r.id for r in cache.agenda.reminders()] == ["flu"]
    assert [r.status for r in cache.agenda.reminders(include_closed=True)] == ["done", "due"]


def test_catalogue_and_grants(cache):
    cache.catalogue.replace_apps([CatalogueApp("gluco", "GlucoSuivi", "Acme", "Glycémie", ("patient/Observation.rs",))])
    cache.catalogue.replace_grants([Grant("gluco", True, False, ("patient/Observation.rs",), "2026-01-01")])
    assert cache.catalogue.apps()[0].scopes == ("patient/Observation.rs",)
    assert cache.catalogue.grants()[0].can_write is False


def test_the_catalogue_keeps_what_the_screen_shows(cache):
    line = AppAccess("Observation", "category=laboratory", True, False, "rs", "Lire vos résultats",
                     "Lire vos résultats", None, "patient/Observation.rs?category=laboratory")
    cache.catalogue.replace_apps([
        CatalogueApp("visio", "Visio", "V", "Vidéo", ("patient/Condition.rs",), "teleconsultation", "Téléconsultation",
                     "https://visio.example.org"),
        CatalogueApp("gluco", "GlucoSuivi", "Acme", "Glycémie", ("patient/Observation.rs",), "diabetes", "Diabète",
                     "https://gluco.example.org", (line,), granted=True)])
    assert [a.id for a in cache.catalogue.apps()] == ["gluco", "visio"]  # by category
    gluco = cache.catalogue.apps()[0]
    assert gluco.access == (line,) and gluco.granted and gluco.category_label == "Diabète"
    assert line.key == "Observation?category=laboratory"
    cache.catalogue.replace_grants([
        Grant("gluco", True, False, ("patient/Observation.rs",), "2026-01-01T10:00:00Z", "GlucoSuivi", "Acme",
              "diabetes", "Diabète", None, (line,), "2026-02-01T10:00:00Z", active=False),
        Grant("visio", True, False, ("patient/Condition.rs",), "2026-03-01T10:00:00Z", "Visio")])
    grants = cache.catalogue.grants()
    assert [g.app_id for g in grants] == ["visio", "gluco"]  # the most recent first
    assert grants[1].access == (line,) and grants[1].last_used_at == "2026-02-01T10:00:00Z"
    assert grants[1].active is False and grants[0].active is True


def test_access_history(cache):
    def event(ident, recorded, emergency):
        return {"resourceType": "AuditEvent", "id": ident, "recorded": recorded, "action": "R",
                "agent": [{"who": {"display": "Dr Urgence"}}],
                "purposeOfEvent": [{"coding": [{"code": "ETREAT" if emergency else "TREAT"}]}],
                "entity": [{"what": {"reference": "DocumentReference/rx"}}]}

    cache.sync.apply_page(bundle(event("e1", "2026-01-01T00:00:00Z", False),
                                 event("e2", "2026-02-01T00:00:00Z", True)), "c")
    events = cache.access_history.events()
    assert [(e.id, e.emergency, e.who, e.what) for e in events] == [
        ("e2", True, "Dr Urgence", "DocumentReference/rx"), ("e1", False, "Dr Urgence", "DocumentReference/rx")]
    assert [e.id for e in cache.access_history.events(emergency_only=True)] == ["e2"]


def test_settings_round_trip(cache):
    assert cache.settings.get("language", "fr") == "fr"
    cache.settings.set("language", "en")
    cache.settings.set("prefetch", {"wifi_only": True})
    assert (cache.settings.get("language"), cache.settings.get("prefetch")) == ("en", {"wifi_only": True})
