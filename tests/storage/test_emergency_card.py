"""The emergency card: readable without the PIN, only what the patient chose, kept current."""
from __future__ import annotations

from health.emergency import EmergencyField
from storage import DeviceCache, NoSecretStore
from tests.storage.samples import FAST_KDF, PIN, bundle, document

ALLERGY = {"resourceType": "AllergyIntolerance", "id": "a1", "meta": {"versionId": "1"},
           "code": {"text": "Pénicilline"}, "criticality": "high"}
CONDITION = {"resourceType": "Condition", "id": "c1", "code": {"text": "VIH"}}
BLOOD = {"resourceType": "Observation", "id": "bg", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "882-1"}]},
         "valueCodeableConcept": {"text": "A+"}}


def test_nothing_is_readable_without_the_pin_until_the_patient_chooses(device):
    with device.create(PIN, "a") as cache:
        cache.sync.apply_page(bundle(ALLERGY, CONDITION), "c")
    assert device.emergency_card() is None
    assert not (device.directory / "emergency-card.json").exists()


def test_the_card_holds_only_the_chosen_fields_and_opens_without_the_pin(device):
    with device.create(PIN, "a") as cache:
        cache.sync.apply_page(bundle(ALLERGY, CONDITION, BLOOD), "c")
        cache.emergency.choose([EmergencyField.ALLERGIES, EmergencyField.BLOOD_GROUP])
    stranger = DeviceCache(device.directory, secret_store=NoSecretStore(), kdf=FAST_KDF)
    card = stranger.emergency_card()
    assert [a.text for a in card.allergies] == ["Pénicilline"]
    assert card.blood_group == "A+"
    assert card.conditions == ()
    assert b"VIH" not in (device.directory / "emergency-card.json").read_bytes()


def test_the_card_follows_changes_from_the_server_and_from_the_patient(cache, device):
    cache.emergency.choose([EmergencyField.ALLERGIES, EmergencyField.ADVANCE_DIRECTIVES])
    assert device.emergency_card().allergies == ()
    cache.sync.apply_page(bundle(ALLERGY), "c1")
    assert [a.text for a in device.emergency_card().allergies] == ["Pénicilline"]
    cache.resources.save_local({"resourceType": "AllergyIntolerance", "code": {"text": "Arachide"}})
    assert {a.text for a in device.emergency_card().allergies} == {"Pénicilline", "Arachide"}
    cache.sync.apply_page(bundle(document("dir", loinc="42348-3", description="Pas d'acharnement")), "c2")
    assert [d.text for d in device.emergency_card().advance_directives] == ["Pas d'acharnement"]
    cache.sync.apply_page(bundle(deletions=("AllergyIntolerance/a1",)), "c3")
    assert [a.text for a in device.emergency_card().allergies] == ["Arachide"]


def test_choosing_nothing_removes_the_card(cache, device):
    cache.sync.apply_page(bundle(ALLERGY), "c1")
    cache.emergency.choose([EmergencyField.ALLERGIES])
    assert device.emergency_card() is not None
    cache.emergency.choose([])
    assert device.emergency_card() is None


def test_the_full_summary_is_available_once_unlocked(cache):
    cache.sync.apply_page(bundle(ALLERGY, CONDITION, BLOOD), "c")
    summary = cache.emergency.summary()
    assert [c.text for c in summary.conditions] == ["VIH"]
    assert summary.blood_group == "A+"


def test_a_stale_card_is_repaired_at_unlock(device):
    with device.create(PIN, "a") as cache:
        cache.sync.apply_page(bundle(ALLERGY), "c")
        cache.emergency.choose([EmergencyField.ALLERGIES])
    path = device.directory / "emergency-card.json"
    before_crash = path.read_bytes()
    with device.unlock(PIN) as cache:
        # The process dies after committing this page but before rewriting the card.
        cache.emergency.on_change = lambda changes: None
        cache.sync.apply_page(bundle({**ALLERGY, "id": "a2", "code": {"text": "Latex"}}), "c2")
    assert path.read_bytes() == before_crash
    device.unlock(PIN).close()
    assert {a.text for a in device.emergency_card().allergies} == {"Pénicilline", "Latex"}


def test_an_up_to_date_card_is_not_rewritten_at_unlock(device):
    with device.create(PIN, "a") as cache:
        cache.sync.apply_page(bundle(ALLERGY), "c")
        cache.emergency.choose([EmergencyField.ALLERGIES])
    path = device.directory / "emergency-card.json"
    written = path.stat().st_mtime_ns
    device.unlock(PIN).close()
    assert path.stat().st_mtime_ns == written


def test_the_card_keeps_the_newest_active_entries_only(cache, device):
    from storage.emergency_card import MAX_ENTRIES_PER_KIND

    treatments = [{"resourceType": "MedicationStatement", "id": f"m{n}", "status": "active",
                   "effectiveDateTime": f"{1950 + n}-01-01", "medicationCodeableConcept": {"text": f"T{n}"}}
                  for n in range(MAX_ENTRIES_PER_KIND + 10)]
    treatments.append({"resourceType": "MedicationStatement", "id": "old", "status": "stopped",
                       "effectiveDateTime": "2030-01-01", "medicationCodeableConcept": {"text": "Stopped"}})
    cache.emergency.choose([EmergencyField.TREATMENTS])
    cache.sync.apply_page(bundle(*treatments), "c")
    shown = [t.text for t in device.emergency_card().treatments]
    assert len(shown) == MAX_ENTRIES_PER_KIND
    assert shown[0] == f"T{MAX_ENTRIES_PER_KIND + 9}" and "Stopped" not in shown
