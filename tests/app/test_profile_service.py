"""The profile the screens call, against the real server and a real encrypted cache: the
patient's entries added (offline too), edited and deleted, then pushed; a professional's
entries refused before the server is asked."""
from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import httpx
import pytest

from app.plain_words import plain_words
from app.profile_service import ProfileRefusal
from health.profile_entries import SECTION_TYPES
from health.profile_forms import AllergyForm, InvalidForm, MeasurementForm
from tests.app.conftest import run
from tests.app.test_services import sign_in, wait_for_sync
from tests.conftest import LiveServer
from tests.health.test_profile_entries import GOOD_FORMS

DR_LEFEVRE = {"reference": "Practitioner/dr-lefevre", "display": "Dr Claire Lefèvre"}


async def eventually(check, what: str, timeout: float = 15.0):
    """Poll `await check()` until it is truthy (the scheduler pushes in its own thread)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


def server_allergies(world) -> dict[str, dict]:
    return {r["id"]: r for r in world.server_search("AllergyIntolerance", world.professional_headers)}


async def entry_of(services, section: str, entry_id: str):
    page = await services.profile.entries(section)
    return next((entry for entry in page.entries if entry.id == entry_id), None)


async def pushed(services, section: str, entry_id: str):
    entry = await entry_of(services, section, entry_id)
    return entry if entry is not None and entry.sync_state is None else None


def test_an_allergy_added_offline_waits_then_is_pushed(services, world, live_server):
    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        live_server.stop()
        entry = await services.profile.save("allergies", AllergyForm("Arachide", "food", "high", "Œdème", "2015"))
        waiting = await entry_of(services, "allergies", entry.id)
        overview = {summary.section: summary for summary in await services.profile.overview()}
        back = LiveServer(live_server.app, live_server.port).start()
        try:
            services.sync_now()
            done = await eventually(lambda: pushed(services, "allergies", entry.id), "the allergy to be pushed")
            on_server = await asyncio.to_thread(server_allergies, world)
        finally:
            back.stop()
        return entry, waiting, overview, done, on_server

    entry, waiting, overview, done, on_server = run(scenario())
    assert entry.title == "Arachide" and entry.added_by == "you" and entry.editable and entry.deletable
    assert waiting.sync_state == "pending"
    assert overview["allergies"].count == 1 and overview["allergies"].preview == ("Arachide",)
    assert done.sync_state is None
    on_server = on_server[entry.id]  # the client-generated id, kept by the server
    assert on_server["code"] == {"text": "Arachide"} and on_server["criticality"] == "high"


def test_a_professionals_entry_is_read_only_and_refused_before_the_server(services, world):
    written = world.professional_writes("AllergyIntolerance", recorder=DR_LEFEVRE)

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        entry = await entry_of(services, "allergies", written["id"])
        refusals = []
        for change in (lambda: services.profile.save("allergies", AllergyForm("Pénicilline G", "medication", "low"),
                                                     written["id"]),
                       lambda: services.profile.delete("allergies", written["id"]),
                       lambda: services.profile.form_of("allergies", written["id"])):
            with pytest.raises(ProfileRefusal) as refused:
                await change()
            refusals.append(refused.value.reason)
        outbox = await services.record.read(lambda cache: cache.outbox.entries())
        return entry, refusals, outbox

    entry, refusals, outbox = run(scenario())
    assert (entry.added_by, entry.author, entry.editable, entry.deletable) == (
        "professional", "Dr Claire Lefèvre", False, False)
    assert refusals == ["read-only"] * 3
    assert outbox == []  # nothing queued: the server is never asked
    assert server_allergies(world)[written["id"]]["meta"]["versionId"] == written["meta"]["versionId"]
    assert "professionnel" in plain_words(ProfileRefusal("read-only"), services.translator)


def test_edit_keeps_the_id_and_delete_removes_it_from_the_server(services, world):
    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        entry = await services.profile.save("allergies", AllergyForm("Latex", "environment", "low", "", ""))
        await eventually(lambda: pushed(services, "allergies", entry.id), "the new allergy to be pushed")
        form = await services.profile.form_of("allergies", entry.id)
        edited = await services.profile.save("allergies", replace(form, criticality="high", reaction="Urticaire"),
                                             entry.id)
        await eventually(lambda: pushed(services, "allergies", entry.id), "the edit to be pushed")
        on_server = server_allergies(world)[entry.id]
        await services.profile.delete("allergies", entry.id)
        gone_here = await entry_of(services, "allergies", entry.id)
        await eventually(lambda: _gone_from_server(world, entry.id), "the deletion to be pushed")
        return form, edited, on_server, gone_here

    form, edited, on_server, gone_here = run(scenario())
    assert form == AllergyForm("Latex", "environment", "low", "", "")
    assert on_server["criticality"] == "high" and on_server["meta"]["versionId"] == "2"
    assert gone_here is None


async def _gone_from_server(world, entry_id: str) -> bool:
    response = await asyncio.to_thread(httpx.get, f"{world.server_url}/fhir/AllergyIntolerance/{entry_id}",
                                       headers=world.professional_headers)
    return response.status_code in (404, 410)


def test_bad_input_is_refused_and_nothing_is_queued(services, world):
    async def scenario():
        await sign_in(services, world)
        bad = MeasurementForm("29463-7", "900", "", "01/01/2024", "08:00")
        errors = services.profile.check("measurements", bad)
        with pytest.raises(InvalidForm):
            await services.profile.save("measurements", bad)
        return errors, await services.record.read(lambda cache: cache.outbox.entries())

    errors, outbox = run(scenario())
    assert [(e.field, e.code) for e in errors] == [("value", "out_of_range")]
    assert outbox == []


def test_measurements_are_counted_and_charted_per_kind(services, world):
    world.professional_writes("Observation")  # a weight of 72.5 kg on 2023-04-05

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        await services.profile.save("measurements", MeasurementForm("85354-9", "132", "84", "01/02/2024", "07:30"))
        await services.profile.save("measurements", MeasurementForm("29463-7", "71,0", "", "01/02/2024", ""))
        counts = await services.profile.measurement_counts()
        weight = await services.profile.chart("29463-7", "all")
        pressure = await services.profile.chart("85354-9", "all")
        listed = await services.profile.entries("measurements", measurement="85354-9")
        return counts, weight, pressure, listed

    counts, weight, pressure, listed = run(scenario())
    assert counts == {"29463-7": 2, "85354-9": 1}
    assert [p.y for p in weight.series[0].points] == [72.5, 71.0] and weight.unit == "kg"
    assert [[p.y for p in s.points] for s in pressure.series] == [[132.0], [84.0]]
    assert [e.title for e in listed.entries] == ["Tension artérielle"]
    assert listed.entries[0].details[0].value == "132/84 mmHg"


def test_an_entry_of_every_section_is_accepted_by_the_server(services, world):
    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        saved = {section: await services.profile.save(section, form) for section, form in GOOD_FORMS.items()}

        async def all_sent():
            outbox = await services.record.read(lambda cache: cache.outbox.entries())
            return not outbox or None
        await eventually(all_sent, "every entry to be pushed")
        return saved

    saved = run(scenario())
    for section, entry in saved.items():
        response = httpx.get(f"{world.server_url}/fhir/{SECTION_TYPES[section]}/{entry.id}",
                             headers=world.professional_headers)
        assert response.status_code == 200, (section, response.text)
