"""The profile's read side as the screens page through it: counts without reading, pages
of a long section, readings per measurement."""
from __future__ import annotations

from storage.profile import ProfileSection
from tests.storage.samples import bundle


def _weight(ident: str, day: int, value: float) -> dict:
    return {"resourceType": "Observation", "id": ident, "status": "final",
            "effectiveDateTime": f"2024-01-{day:02d}T08:00:00Z",
            "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
            "valueQuantity": {"value": value, "unit": "kg"}}


def test_a_long_section_comes_in_pages_newest_first(cache):
    cache.sync.apply_page(bundle(*[_weight(f"w{day:02d}", day, 60 + day / 10) for day in range(1, 26)]), "c")
    first = cache.profile.section(ProfileSection.MEASUREMENTS, limit=10)
    second = cache.profile.section(ProfileSection.MEASUREMENTS, limit=10, offset=10)
    last = cache.profile.section(ProfileSection.MEASUREMENTS, limit=10, offset=20)
    assert [r.id for r in first][:2] == ["w25", "w24"]
    assert [r.id for r in second][0] == "w15"
    assert len(last) == 5 and last[-1].id == "w01"
    assert not {r.id for r in first} & {r.id for r in second}


def test_counts_per_section_and_per_measurement(cache):
    cache.sync.apply_page(bundle(
        _weight("w1", 1, 70), _weight("w2", 2, 71),
        {"resourceType": "Observation", "id": "hr", "status": "final", "effectiveDateTime": "2024-01-03",
         "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]}, "valueQuantity": {"value": 60}},
        {"resourceType": "Observation", "id": "ldl", "status": "final", "effectiveDateTime": "2024-01-03",
         "code": {"coding": [{"system": "http://loinc.org", "code": "13457-7"}]}, "valueQuantity": {"value": 1.2}},
        {"resourceType": "AllergyIntolerance", "id": "a1", "code": {"text": "Pénicilline"}},
    ), "c")
    counts = cache.profile.counts()
    assert counts[ProfileSection.MEASUREMENTS] == 3  # a lab result outside the measurements is not one
    assert counts[ProfileSection.ALLERGIES] == 1
    assert counts[ProfileSection.CONTACTS] == 0
    assert set(counts) == set(ProfileSection)
    assert cache.profile.measurement_counts() == {"29463-7": 2, "8867-4": 1}
