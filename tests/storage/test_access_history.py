"""The access history's queries on the device: filters by person, dates and emergency, the
people seen in it; and the documents the patient hid."""
from __future__ import annotations

from datetime import datetime, timezone

from health.audit_events import AccessRecord, Agent, audit_event
from tests.storage.samples import bundle, document

GP = Agent("professional", "Claire Lefèvre", "Practitioner/gp", "general-practitioner")
SAMU = Agent("professional", "Emma Roussel", "Practitioner/samu", "physician")
GLUCO = Agent("app", "GlucoSuivi", app_id="gluco")


def event(ident: str, agent: Agent, day: int, *, emergency: bool = False) -> dict:
    return audit_event(AccessRecord(ident, datetime(2026, 11, day, 10, tzinfo=timezone.utc), "me", agent, "read",
                                    ("Condition/c1",), emergency_reason="Malaise" if emergency else None))


def test_pages_of_the_history_by_person_dates_and_emergency(cache):
    cache.sync.apply_page(bundle(event("e1", GP, 1), event("e2", SAMU, 2, emergency=True), event("e3", GP, 3),
                                 event("e4", GLUCO, 4)), "c")
    history = cache.access_history
    assert [r.id for r in history.page()] == ["e4", "e3", "e2", "e1"]
    assert [r.id for r in history.page(limit=2)] == ["e4", "e3"]
    assert [r.id for r in history.page(agent="Practitioner/gp")] == ["e3", "e1"]
    assert [r.id for r in history.page(agent="app:gluco")] == ["e4"]
    assert [r.id for r in history.page(emergency_only=True)] == ["e2"]
    assert [r.id for r in history.page(since="2026-11-02T00:00:00Z", until="2026-11-04T00:00:00Z")] == ["e3", "e2"]
    assert history.page(agent="Practitioner/nobody") == []


def test_the_people_seen_in_the_history(cache):
    cache.sync.apply_page(bundle(event("e1", GP, 1), event("e2", SAMU, 2, emergency=True), event("e3", GP, 3),
                                 event("e4", GLUCO, 4)), "c")
    agents = cache.access_history.agents()
    assert [(a.key, a.name, a.profession, a.accesses) for a in agents] == [
        ("app:gluco", "GlucoSuivi", None, 1),
        ("Practitioner/gp", "Claire Lefèvre", "general-practitioner", 2),
        ("Practitioner/samu", "Emma Roussel", "physician", 1)]
    assert agents[1].last == "2026-11-03T10:00:00Z"


def test_hidden_documents_are_listed_apart(cache):
    cache.sync.apply_page(bundle(document("rx"), document("lab"), document("scan")), "c")
    cache.documents.hide("lab")
    assert [d.id for d in cache.documents.hidden()] == ["lab"]
    cache.documents.unhide("lab")
    assert cache.documents.hidden() == []
