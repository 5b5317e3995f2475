"""The services the screens call, against the real server and a real cache."""
from __future__ import annotations

import asyncio
import threading
import time

import pytest

from app.plain_words import plain_words
from storage.errors import CacheWiped, WeakPin, WrongPin
from sync.errors import Offline, Refused
from tests.app.conftest import PASSPHRASE, make_services, run
from tests.server.auth_flows import PASSWORD, last_code, new_space


async def sign_in(services, world, pin=PASSPHRASE):
    await services.start_sign_in(world.patient_ins, PASSWORD, "email")
    info = await services.finish_sign_in(last_code(world.app, "email"))
    await services.create_pin(pin)
    return info


async def wait_for_sync(services, timeout=10.0):
    """Until the scheduler reports a successful sync (listener called on this loop)."""
    done = asyncio.Event()
    unsubscribe = services.subscribe(lambda line: done.set() if line.last_sync and line.state == "idle" else None)
    try:
        if not (services.sync_line.last_sync and services.sync_line.state == "idle"):
            await asyncio.wait_for(done.wait(), timeout)
    finally:
        unsubscribe()


def test_sign_in_then_pin_then_the_record_arrives_on_home(services, world):
    world.professional_writes("DocumentReference")
    world.professional_writes("AllergyIntolerance")

    async def scenario():
        info = await sign_in(services, world)
        await wait_for_sync(services)
        return info, await services.home(), await services.document_counts(), \
            {summary.section: summary.count for summary in await services.profile.overview()}

    info, home, documents, profile = run(scenario())
    assert info.patient_id == world.patient_id
    assert home.display_name == "Camille Martin"
    assert [d.title for d in home.new_documents] == ["Bilan sanguin"]
    assert [d.category for d in home.results] == ["lab-result"]
    assert documents == {"lab-result": 1}
    assert profile["allergies"] == 1 and profile["treatments"] == 0
    assert services.has_offline_copy and services.unlocked


def test_unlock_offline_shows_the_same_record(world, live_server, tmp_path):
    world.professional_writes("DocumentReference")
    first = make_services(world.server_url, tmp_path / "device")

    async def synced_then_closed():
        await sign_in(first, world)
        await wait_for_sync(first)
        await first.close()
    run(synced_then_closed())
    live_server.stop()

    again = make_services(world.server_url, tmp_path / "device")
    lines = []

    async def offline():
        again.subscribe(lines.append)
        await again.unlock(PASSPHRASE)
        home = await again.home()
        deadline = time.monotonic() + 10
        while not again.sync_line.offline and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await again.close()
        return home

    home = run(offline())
    assert [d.title for d in home.new_documents] == ["Bilan sanguin"]
    assert any(line.offline for line in lines)
    assert lines[0].last_sync is not None  # the last sync is known before any network


def test_status_lines_reach_listeners_on_the_ui_loop(services, world):
    threads = []

    async def scenario():
        services.subscribe(lambda line: threads.append(threading.current_thread()))
        await sign_in(services, world)
        await wait_for_sync(services)
        return threading.current_thread()  # the loop's: the UI's in the app

    ui_thread = run(scenario())
    assert threads and set(threads) == {ui_thread}


def test_a_wrong_pin_counts_down_then_wipes(services, world, tmp_path):
    run(sign_in(services, world))
    run(services.lock())
    with pytest.raises(WrongPin) as wrong:
        run(services.unlock("pas la bonne phrase"))
    assert wrong.value.remaining_attempts == services.remaining_attempts == 9
    assert "Encore 9 essai(s)" in plain_words(wrong.value, services.translator)
    services.device.max_attempts = 2
    with pytest.raises(CacheWiped) as wiped:
        run(services.unlock("pas la bonne phrase"))
    assert "effacées" in plain_words(wiped.value, services.translator)
    assert not services.has_offline_copy


def test_without_secure_storage_a_short_pin_is_refused(services, world):
    assert services.pin_alone_protects_key
    run(services.start_sign_in(world.patient_ins, PASSWORD, "email"))
    run(services.finish_sign_in(last_code(world.app, "email")))
    with pytest.raises(WeakPin) as weak:
        run(services.create_pin("482915"))
    assert plain_words(weak.value, services.translator).startswith("Ce code ne convient pas : il faut au moins 12")
    run(services.create_pin(PASSPHRASE))
    assert services.unlocked


def test_errors_in_plain_words(services, world):
    with pytest.raises(Refused) as wrong_password:
        run(services.start_sign_in(world.patient_ins, "not the password", "email"))
    assert plain_words(wrong_password.value, services.translator) == \
        "Identifiant ou mot de passe incorrect, ou espace non activé."
    run(services.start_sign_in(world.patient_ins, PASSWORD, "email"))
    with pytest.raises(Refused) as wrong_code:
        run(services.finish_sign_in("000000"))
    assert plain_words(wrong_code.value, services.translator).startswith("Code incorrect : encore")
    services.translator.language = "en"
    assert plain_words(wrong_code.value, services.translator).startswith("Wrong code:")


def test_no_network_in_plain_words(tmp_path):
    from tests.conftest import free_port

    nowhere = make_services(f"http://127.0.0.1:{free_port()}", tmp_path / "device")
    with pytest.raises(Offline) as offline:
        run(nowhere.start_sign_in("279036912304582", PASSWORD, "email"))
    assert plain_words(offline.value, nowhere.translator) == "Pas de connexion : vérifiez votre réseau puis réessayez."


def test_sign_out_revokes_the_device_and_erases_the_cache(services, world):
    run(sign_in(services, world))
    tokens = services.status.api.tokens
    run(services.sign_out())
    assert not services.has_offline_copy and not services.unlocked
    import httpx
    answer = httpx.get(f"{world.server_url}/auth/me", headers={"Authorization": f"Bearer {tokens.access_token}"})
    assert answer.status_code == 401


def test_forget_this_device_works_offline(services, world, live_server):
    run(sign_in(services, world))
    live_server.stop()
    run(services.forget_device())
    assert not services.has_offline_copy


def test_language_and_preferences_are_kept_in_the_cache(services, world, tmp_path):
    run(sign_in(services, world))
    run(services.set_language("en"))
    run(services.settings.set_theme("dark"))
    run(services.settings.set_text_size("largest"))
    run(services.settings.set_theme("purple"))  # not a theme: ignored
    run(services.settings.set_wifi_only(True))
    run(services.close())
    again = make_services(world.server_url, tmp_path / "device")
    assert again.t("nav.home") == "Accueil"  # French until unlocked
    run(again.unlock(PASSPHRASE))
    assert again.t("nav.home") == "Home"
    preferences = run(again.settings.preferences())
    assert (preferences.theme, preferences.text_size, preferences.files_offline, preferences.wifi_only) == \
        ("dark", "largest", True, True)
    run(again.close())


def test_activation_then_sign_in(services, world):
    account, provisional_code = new_space(world.app, email=None)
    run(services.start_activation(account.identifier, provisional_code, "un mot de passe solide 2026",
                                  "camille@example.org"))
    run(services.confirm_activation(last_code(world.app, "email")))
    run(services.start_sign_in(account.identifier, "un mot de passe solide 2026", "email"))
    info = run(services.finish_sign_in(last_code(world.app, "email")))
    assert info.display_name == "Camille Martin"


def test_opposition_closes_the_provisional_space(services, world):
    account, provisional_code = new_space(world.app, email=None)
    run(services.oppose(account.identifier, provisional_code))
    with pytest.raises(Refused) as refused:
        run(services.start_activation(account.identifier, provisional_code, "un mot de passe solide 2026",
                                      "camille@example.org"))
    assert "aucun espace à activer" in plain_words(refused.value, services.translator)


def test_a_sync_says_whether_it_changed_the_record(services, world):
    world.professional_writes("Condition")
    lines = []

    async def scenario():
        services.subscribe(lines.append)
        await sign_in(services, world)
        await wait_for_sync(services)
        first = [line for line in lines if line.record_changed]
        lines.clear()
        services.sync_now()
        deadline = time.monotonic() + 10
        while not any(line.state == "idle" and line.last_sync for line in lines) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return first

    first = run(scenario())
    assert first and first[0].state == "idle"
    assert not any(line.record_changed for line in lines)
    assert any(line.state == "syncing" for line in lines)
