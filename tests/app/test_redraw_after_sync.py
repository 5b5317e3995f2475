"""Which screens a sync that changed the record draws again: never one where the patient
may be typing."""
from app.navigator import redrawn_after_sync


def test_record_screens_are_redrawn_but_not_forms_nor_a_conversation():
    redrawn = ["/home", "/documents", "/messages", "/agenda", "/agenda/a1"]
    kept = ["/settings", "/messages/m1", "/agenda/new", "/agenda/a1/edit", "/agenda/reminders/flu-2026"]
    assert [route for route in redrawn + kept if redrawn_after_sync(route)] == redrawn
