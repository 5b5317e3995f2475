"""The session lives in the encrypted cache; refreshed tokens are kept; tokens never print."""
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
