"""Settings that change what the device does: the code, the devices, the files kept offline."""
from __future__ import annotations

import asyncio

import pytest

from storage.errors import WeakPin, WrongPin
from sync.errors import SessionExpired
from tests.app.conftest import PASSPHRASE, make_services, run
from tests.app.test_profile_service import eventually
from tests.app.test_services import sign_in, wait_for_sync
from tests.sync.conftest import signed_in_api

NEW_PASSPHRASE = "cinq grands chiens bleus"


def test_change_the_code_then_unlock_with_the_new_one(services, world, tmp_path):
    run(sign_in(services, world))
    with pytest.raises(WrongPin):
        run(services.settings.change_pin("pas le bon code", NEW_PASSPHRASE))
    with pytest.raises(WeakPin):
        run(services.settings.change_pin(PASSPHRASE, "court"))
    run(services.settings.change_pin(PASSPHRASE, NEW_PASSPHRASE))
    run(services.close())
    again = make_services(world.server_url, tmp_path / "device")
    with pytest.raises(WrongPin):
        run(again.unlock(PASSPHRASE))
    run(again.unlock(NEW_PASSPHRASE))
    run(again.close())


def test_devices_listed_and_another_one_signed_out(services, world):
    other = signed_in_api(world, device_name="Vieux téléphone")
    run(sign_in(services, world))
    devices = run(services.settings.devices())
    assert sorted((d.name, d.current) for d in devices) == [("Vieux téléphone", False), ("test device", True)]
    old = next(d for d in devices if not d.current)
    run(services.settings.revoke_device(old.id))
    assert [d.name for d in run(services.settings.devices())] == ["test device"]
    with pytest.raises(SessionExpired):
        other.me()
    other.http.close()


async def sync_again(services, timeout: float = 10.0) -> None:
    """Ask for a sync and wait for that one to end (not one that ended before)."""
    began, ended = asyncio.Event(), asyncio.Event()

    def follow(line) -> None:
        if line.syncing:
            began.set()
        elif began.is_set():
            ended.set()

    unsubscribe = services.subscribe(follow)
    try:
        services.sync_now()
        await asyncio.wait_for(ended.wait(), timeout)
    finally:
        unsubscribe()


def test_files_stay_on_the_server_when_the_patient_says_so(services, world):
    binary = world.professional_deposits_file(b"%PDF-1.4 compte rendu", "application/pdf")
    world.professional_writes("DocumentReference", content=[{"attachment": {
        "contentType": "application/pdf", "url": f"Binary/{binary}", "title": "Compte rendu"}}])

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)  # the first sync fetched the file: start again without it
        await services.settings.set_files_offline(False)
        await services.record.read(lambda cache: cache.documents.remove_file(binary))
        await sync_again(services)
        without = await services.record.read(lambda cache: cache.documents.not_fetched())
        services.network_changed(["mobile"])
        await services.settings.set_wifi_only(True)  # first: turning files on syncs at once
        await services.settings.set_files_offline(True)
        await sync_again(services)
        on_mobile = await services.record.read(lambda cache: cache.documents.not_fetched())
        services.network_changed(["wifi", "mobile"])
        # A sync that began before Wi-Fi came may still end without the file: the next one fetches it.
        on_wifi = await eventually(lambda: _all_fetched_after_a_sync(services), "the file fetched on Wi-Fi")
        return without, on_mobile, on_wifi

    without, on_mobile, on_wifi = run(scenario())
    assert without == [binary] and on_mobile == [binary] and on_wifi


async def _all_fetched_after_a_sync(services) -> bool:
    await sync_again(services)
    return not await services.record.read(lambda cache: cache.documents.not_fetched())
