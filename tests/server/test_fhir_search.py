"""Search: common parameters, date prefixes, paging links, INS lookup, compartment scoping."""
import pytest

from health.identifiers import INS_SYSTEM
from tests.server.fhir_samples import make_world, sample


@pytest.fixture
def world(client, app, settings):
    world = make_world(client, app, settings)
    pid = world.patient.fhir_id
    for day, code in (("2020-01-15", "29463-7"), ("2021-06-01", "8302-2"), ("2022-03-10", "29463-7"),
                      ("2023-12-31", "8867-4")):
        observation = sample("Observation", pid, effectiveDateTime=f"{day}T09:00:00Z")
        observation["code"]["coding"][0]["code"] = code
        assert world.post(world.as_patient, observation).status_code == 201
    lab = sample("Observation", pid, effectiveDateTime="2022-05-05T09:00:00Z")
    lab["category"][0]["coding"][0]["code"] = "laboratory"
    world.post(world.as_professional, lab)
    world.post(world.as_other, sample("Observation", world.other.fhir_id))
    return world


def _search(world, resource_type, headers=None, **params):
    response = world.client.get(f"/fhir/{resource_type}", params=params, headers=headers or world.as_patient)
    assert response.status_code == 200, response.text
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
    return bundle


def _dates(bundle):
    return sorted(e["resource"]["effectiveDateTime"][:10] for e in bundle["entry"])


def test_patient_sees_only_their_compartment(world):
    assert _search(world, "Observation")["total"] == 5
    assert _search(world, "Observation", patient=world.other.fhir_id)["total"] == 0
    assert _search(world, "Observation", headers=world.as_other)["total"] == 1


def test_date_prefixes(world):
    pid = world.patient.fhir_id
    assert _dates(_search(world, "Observation", date="2021")) == ["2021-06-01"]
    assert _dates(_search(world, "Observation", date="eq2022-03")) == ["2022-03-10"]
    assert _dates(_search(world, "Observation", date="ge2022-03-10")) == ["2022-03-10", "2022-05-05", "2023-12-31"]
    assert _dates(_search(world, "Observation", date="gt2022-03-10")) == ["2022-05-05", "2023-12-31"]
    assert _dates(_search(world, "Observation", date="lt2021-06-01")) == ["2020-01-15"]
    assert _dates(_search(world, "Observation", date="le2021-06-01")) == ["2020-01-15", "2021-06-01"]
    both = world.client.get(f"/fhir/Observation?patient={pid}&date=ge2021&date=lt2022-04",
                            headers=world.as_patient).json()
    assert _dates(both) == ["2021-06-01", "2022-03-10"]
    offset = _search(world, "Observation", date="ge2020-01-15T10:30:00+02:00")  # 08:30Z, before 09:00Z
    assert _dates(offset)[0] == "2020-01-15"


def test_category_code_and_last_updated(world):
    assert _search(world, "Observation", category="laboratory")["total"] == 1
    assert _search(world, "Observation", category="vital-signs")["total"] == 4
    assert _search(world, "Observation", code="http://loinc.org|29463-7")["total"] == 3  # two vitals, one lab
    assert _search(world, "Observation", code="8302-2,8867-4")["total"] == 2
    assert _search(world, "Observation", _lastUpdated="ge2000-01-01")["total"] == 5
    assert _search(world, "Observation", _lastUpdated="lt2000-01-01")["total"] == 0


def test_paging_links_walk_every_result_once(world):
    bundle = _search(world, "Observation", _count="2", _sort="date")
    assert bundle["total"] == 5 and len(bundle["entry"]) == 2
    seen = [e["resource"]["id"] for e in bundle["entry"]]
    links = {link["relation"]: link["url"] for link in bundle["link"]}
    assert "previous" not in links
    while "next" in links:
        page = world.client.get(links["next"], headers=world.as_patient).json()
        seen += [e["resource"]["id"] for e in page["entry"]]
        links = {link["relation"]: link["url"] for link in page["link"]}
    assert len(seen) == len(set(seen)) == 5
    assert "previous" in links


def test_count_is_capped_and_validated(world, settings):
    capped = _search(world, "Observation", _count=str(settings.page_size_max + 1000))
    self_link = next(link["url"] for link in capped["link"] if link["relation"] == "self")
    assert f"_count={settings.page_size_max}" in self_link
    for bad in ("-1", "ten", "1.5"):
        response = world.client.get("/fhir/Observation", params={"_count": bad}, headers=world.as_patient)
        assert response.status_code == 400 and "_count" in response.json()["issue"][0]["diagnostics"]
    assert _search(world, "Observation", _count="0")["entry"] == []


def test_unknown_parameters_are_refused(world):
    response = world.client.get("/fhir/Observation", params={"colour": "red"}, headers=world.as_patient)
    assert response.status_code == 400 and "Unknown search parameter" in response.json()["issue"][0]["diagnostics"]


def test_professional_searches_need_a_patient_and_find_by_ins(world):
    assert world.client.get("/fhir/Observation", headers=world.as_professional).status_code == 400
    assert _search(world, "Observation", world.as_professional, patient=world.patient.fhir_id)["total"] == 5
    found = _search(world, "Patient", world.as_professional, identifier=f"{INS_SYSTEM}|{world.patient.identifier}")
    assert [e["resource"]["id"] for e in found["entry"]] == [world.patient.fhir_id]
    assert world.client.get("/fhir/Patient", headers=world.as_professional).status_code == 400
    bad = world.client.get("/fhir/Patient", params={"identifier": f"{INS_SYSTEM}|123"},
                           headers=world.as_professional)
    assert bad.status_code == 400 and "INS" in bad.json()["issue"][0]["diagnostics"]


def test_patient_search_of_patients_shows_only_themselves(world):
    found = _search(world, "Patient", identifier=f"{INS_SYSTEM}|{world.other.identifier}")
    assert found["total"] == 0
    assert _search(world, "Patient")["total"] == 1
