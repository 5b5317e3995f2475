"""The Privacy screen's service against the real server and a real encrypted cache: the
access history synced and read offline, the choices changed on the server (and refused at
once offline), blocks that stop a professional at their next request, the regular doctor,
hidden documents, the export archive, and closing the space."""
from __future__ import annotations

import io
import zipfile

import httpx
import pytest

from app.privacy_service import PrivacyRefusal
from tests.app.conftest import make_services, run
from tests.app.test_profile_service import eventually
from tests.app.test_services import sign_in, wait_for_sync
from sync.errors import Refused
from tests.factories import bearer
from tests.server.auth_flows import PASSWORD, professional
from tests.server.fhir_samples import FHIR


def nurse_reads(world) -> None:
    world.server_search("Condition", world.professional_headers)


def reference_of(world, headers: dict) -> str:
    """A professional's 'Practitioner/<id>', as the server names them."""
    return httpx.get(f"{world.server_url}/auth/me", headers=headers).json()["reference"]


def server_privacy(world) -> dict:
    """The patient's choices as the server holds them (through a second signed-in device)."""
    from tests.sync.conftest import signed_in_api
    api = signed_in_api(world, device_name="contrôle")
    try:
        return api.privacy().as_json()
    finally:
        api.http.close()


async def history_lines(services):
    return (await services.privacy.history.page()).lines


async def synced_history(services, count: int = 1):
    return await eventually(lambda: _lines_if(services, count), f"{count} line(s) of history")


async def _lines_if(services, count):
    lines = await history_lines(services)
    return lines if len(lines) >= count else None


def test_the_history_syncs_and_reads_offline_with_the_rule_behind_each_access(services, world, live_server):
    world.professional_writes("Condition", recorder={"reference": reference_of(world, world.professional_headers)})
    nurse_reads(world)

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        known = await services.privacy.refresh()
        live_server.stop()
        lines = await history_lines(services)
        detail = await services.privacy.history.detail(lines[0].id)
        people = await services.privacy.history.people()
        with pytest.raises(PrivacyRefusal) as offline:
            await services.privacy.block(lines[0].practitioner)
        return known, lines, detail, people, await services.privacy.known_choices(), offline.value

    known, lines, detail, people, offline_known, refusal = run(scenario())
    assert known.choices.emergency_access_allowed and known.choices.blocked == ()
    # The nurse's write and search, on the same day: one line.
    assert len(lines) == 1 and lines[0].kind == "normal" and lines[0].accesses == 2
    assert lines[0].text.startswith("Louis Bernard (infirmier·ère) a consulté 1 antécédent et a ajouté 1 antécédent")
    assert lines[0].practitioner.startswith("Practitioner/") and lines[0].first_access
    assert [p.label for p in people] == ["Louis Bernard (infirmier·ère)"]
    assert [moment.text for moment in detail.moments] == ["a consulté 1 antécédent", "a ajouté 1 antécédent"]
    assert [item.by_agent for item in detail.items] == [True]
    assert [reason.rule for reason in detail.reasons] == ["profession", "author", "first-access"]
    assert offline_known.choices == known.choices and refusal.reason == "offline"


def test_a_blocked_professional_is_refused_at_their_next_request_then_let_in_again(services, world):
    nurse_reads(world)

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        nurse = (await history_lines(services))[0].practitioner
        blocked = await services.privacy.block(nurse)
        refused = await _nurse_status(world)
        unblocked = await services.privacy.unblock(nurse)
        return nurse, blocked, refused, unblocked, await _nurse_status(world)

    nurse, blocked, refused, unblocked, allowed = run(scenario())
    assert [b.practitioner for b in blocked.choices.blocked] == [nurse] and blocked.choices.is_blocked(nurse)
    assert refused == 403 and allowed == 200
    assert unblocked.choices.blocked == () and server_privacy(world)["blocked"] == []


async def _nurse_status(world) -> int:
    import asyncio
    response = await asyncio.to_thread(httpx.get, f"{world.server_url}/fhir/Condition",
                                       params={"patient": world.patient_id}, headers=world.professional_headers)
    return response.status_code


def test_the_refusal_of_a_blocked_access_comes_back_as_a_line_with_its_rule(services, world):
    nurse_reads(world)

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        nurse = (await history_lines(services))[0].practitioner
        await services.privacy.block(nurse)
        await _nurse_status(world)
        services.sync_now()
        lines = await synced_history(services, 2)
        return lines, await services.privacy.history.detail(lines[0].id)

    lines, detail = run(scenario())
    assert lines[0].kind == "refused" and lines[0].text.replace("\u00a0", " ").startswith(
        "Accès refusé : Louis Bernard (infirmier·ère) a tenté de consulter vos antécédents")
    assert [r.rule for r in detail.reasons] == ["blocked"]


def test_emergency_access_refused_then_allowed_again(services, world):
    doctor = professional(world.app, profession="physician")
    headers = bearer(world.app.state.session_factory, world.app.state.settings, doctor)

    def break_the_glass() -> int:
        return httpx.post(f"{world.server_url}/fhir/Patient/{world.patient_id}/$emergency-access",
                          json={"resourceType": "Parameters", "parameter": [
                              {"name": "reason", "valueString": "Patiente inconsciente aux urgences"}]},
                          headers={**headers, "Content-Type": FHIR}).status_code

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        refused = await services.privacy.set_emergency_access(False)
        return refused

    refused = run(scenario())
    assert refused.choices.emergency_access_allowed is False and break_the_glass() == 403
    run(services.privacy.set_emergency_access(True))
    assert server_privacy(world)["emergency_access_allowed"] is True and break_the_glass() == 200
    lines = run(_synced(services, 2))
    emergency = next(line for line in lines if line.kind == "emergency")
    assert "a ouvert votre dossier en urgence" in emergency.text and "Patiente inconsciente" in emergency.text
    assert any(line.kind == "refused" and "a tenté d'ouvrir votre dossier en urgence" in line.text for line in lines)


async def _synced(services, count):
    services.sync_now()
    return await synced_history(services, count)


def test_the_regular_doctor_is_chosen_among_the_physicians_seen(services, world):
    gp = professional(world.app, profession="general-practitioner")
    gp_headers = bearer(world.app.state.session_factory, world.app.state.settings, gp)
    world.server_search("AllergyIntolerance", gp_headers)
    nurse_reads(world)

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        candidates = await services.privacy.regular_doctor_candidates()
        chosen = await services.privacy.set_regular_doctor(candidates[0].practitioner)
        with pytest.raises(PrivacyRefusal) as refused:
            await services.privacy.block(candidates[0].practitioner)
        patient = await eventually(lambda: _patient_with_doctor(services), "the Patient naming the doctor")
        cleared = await services.privacy.set_regular_doctor(None)
        return candidates, chosen, refused.value, patient, cleared

    candidates, chosen, refused, patient, cleared = run(scenario())
    assert [c.profession for c in candidates] == ["general-practitioner"]  # not the nurse
    assert chosen.choices.regular_doctor.practitioner == candidates[0].practitioner == f"Practitioner/{gp.fhir_id}"
    assert refused.reason == "regular-doctor"
    assert patient["generalPractitioner"][0]["reference"] == f"Practitioner/{gp.fhir_id}"
    assert cleared.choices.regular_doctor is None and server_privacy(world)["regular_doctor"] is None


async def _patient_with_doctor(services):
    def read(cache):
        stored = cache.resources.list("Patient")
        return stored[0].resource if stored and stored[0].resource.get("generalPractitioner") else None
    services.sync_now()
    return await services.record.read(read)


def test_notifications_are_chosen_on_the_server(services, world):
    run(sign_in(services, world))
    known = run(services.privacy.set_notifications(email_on_first_access=False))
    assert known.choices.email_on_first_access is False and known.choices.email_on_new_document is True
    assert known.choices.email_on_emergency_access is True
    assert server_privacy(world)["email_on_first_access"] is False


def test_a_hidden_document_is_listed_and_unhidden_on_the_server(services, world):
    document = world.professional_writes("DocumentReference")
    gp = professional(world.app, profession="general-practitioner")
    gp_headers = bearer(world.app.state.session_factory, world.app.state.settings, gp)

    def seen_by_the_gp() -> list[str]:
        return [d["id"] for d in world.server_search("DocumentReference", gp_headers)]

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        await services.record.write(lambda cache: cache.documents.hide(document["id"]))
        await eventually(lambda: _pushed(services), "the hiding to be pushed")
        hidden, while_hidden = await services.privacy.hidden_documents(), seen_by_the_gp()
        await services.privacy.unhide(document["id"])
        with pytest.raises(PrivacyRefusal):
            await services.privacy.unhide("no-such-document")
        await eventually(lambda: _pushed(services), "the unhiding to be pushed")
        return hidden, while_hidden, await services.privacy.hidden_documents()

    hidden, while_hidden, after = run(scenario())
    assert [d.id for d in hidden] == [document["id"]] and while_hidden == []
    assert after == [] and seen_by_the_gp() == [document["id"]]


async def _pushed(services):
    services.sync_now()
    return await services.record.read(lambda cache: cache.sync.state().pending_changes == 0 or None)


def test_the_export_archive_is_downloaded_and_opens_as_a_zip(services, world, tmp_path):
    world.professional_writes("AllergyIntolerance")
    run(sign_in(services, world))
    sizes: list[int] = []
    archive = run(services.privacy.export_archive(on_progress=sizes.append))
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert {"record.json", "summary.pdf", "README.txt"} <= set(names)
    assert archive.file_name.startswith("carnet-") and archive.file_name.endswith(".zip")
    assert sizes and sizes[-1] == len(archive.data)
    target = tmp_path / "export" / "mon-dossier.zip"
    target.parent.mkdir()
    written = run(services.privacy.export_archive_to(str(target)))
    assert written == target.stat().st_size and "record.json" in zipfile.ZipFile(target).namelist()
    assert list(target.parent.iterdir()) == [target]  # no partial file left


def test_an_archive_past_the_memory_limit_is_refused(services, world, monkeypatch):
    import app.privacy_service as privacy_service
    monkeypatch.setattr(privacy_service, "MAX_ARCHIVE_IN_MEMORY", 1000)
    run(sign_in(services, world))
    with pytest.raises(PrivacyRefusal) as refused:
        run(services.privacy.export_archive())
    assert refused.value.reason == "too-large"


def test_closing_the_space_wants_the_password_then_erases_this_device(services, world, live_server, tmp_path):
    run(sign_in(services, world))
    with pytest.raises(PrivacyRefusal) as wrong:
        run(services.privacy.close_space("pas le bon mot de passe"))
    assert wrong.value.reason == "wrong-password" and services.unlocked and services.has_offline_copy
    closed = run(services.privacy.close_space(PASSWORD))
    assert closed.purge_after > closed.closed_at
    assert not services.unlocked and not services.has_offline_copy
    again = make_services(world.server_url, tmp_path / "other-device")
    with pytest.raises(Refused):
        run(again.start_sign_in(world.patient_ins, PASSWORD, "email"))
    run(again.close())


def test_a_stopped_server_refuses_the_export_plainly(services, world, live_server):
    run(sign_in(services, world))
    live_server.stop()
    with pytest.raises(PrivacyRefusal) as refused:
        run(services.privacy.export_archive())
    assert refused.value.reason == "offline"


class _CutShortArchives(httpx.HTTPTransport):
    """The real server, but an archive's body ends cleanly halfway (a server failing mid-stream)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if not request.url.path.endswith("/$export-archive") or response.status_code != 200:
            return response
        body = response.read()
        return httpx.Response(200, headers={"Content-Type": "application/zip"}, content=body[:len(body) // 2])


def test_an_archive_cut_short_is_refused_and_leaves_no_file(world, tmp_path):
    from sync.errors import BadServerAnswer

    services = make_services(world.server_url, tmp_path / "device", transport=_CutShortArchives())
    try:
        run(sign_in(services, world))
        with pytest.raises(BadServerAnswer, match="incomplete"):
            run(services.privacy.export_archive())
        target = tmp_path / "export" / "mon-dossier.zip"
        target.parent.mkdir()
        with pytest.raises(BadServerAnswer):
            run(services.privacy.export_archive_to(str(target)))
        assert list(target.parent.iterdir()) == []
    finally:
        run(services.close())
