"""The session lives in the encrypted cache; refreshed tokens are kept; tokens never print."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from sync.errors import SessionExpired
from sync.session import connect, describe_account, save_session
from tests.sync.conftest import signed_in_api


def test_session_round_trip_and_refreshed_tokens_are_saved(world, cache):
    api = signed_in_api(world)
    info = describe_account(api, world.server_url)
    assert info.patient_id == world.patient_id
    save_session(cache, info, api.tokens)
    restored_info, restored = connect(cache)
    assert restored_info == info
    old_refresh = restored.tokens.refresh_token
    assert restored._refresh()
    _, again = connect(cache)
    assert again.tokens.refresh_token != old_refresh  # the rotated token was written back
    assert again.me()["account_id"] == info.account_id


def test_tokens_never_appear_in_their_repr(world):
    api = signed_in_api(world)
    assert api.tokens.access_token not in repr(api.tokens)
    assert api.tokens.refresh_token not in repr(api.tokens)


def test_after_sign_out_connecting_asks_to_sign_in_again(world, cache):
    api = signed_in_api(world)
    info = describe_account(api, world.server_url)
    save_session(cache, info, api.tokens)
    _, connected = connect(cache)
    connected.sign_out()
    with pytest.raises(SessionExpired):
        connect(cache)
    with pytest.raises(SessionExpired):
        api.me()


def test_threads_meeting_an_expired_token_at_once_refresh_it_once(world, app):
    """The sync, the server watch and the viewer share one API: a second refresh with the
    rotated token would make the server revoke the device."""
    from server.clock import utcnow
    from server.db import transaction
    from server.models import Token
    from server.services.secrets import digest

    api = signed_in_api(world)
    with transaction(app.state.session_factory) as session:
        session.get(Token, digest(api.tokens.access_token)).revoked_at = utcnow()  # as if expired
    start = threading.Barrier(6)

    def ask(_: int) -> str:
        start.wait()
        return api.me()["account_id"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(ask, range(6)))
    assert len(set(answers)) == 1
    assert api.me()["account_id"] == answers[0]  # the device is still signed in
