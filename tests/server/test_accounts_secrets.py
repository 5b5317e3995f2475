"""Passwords, codes and throttle delays, without a database."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from server.config import Settings
from server.errors import InvalidInput
from server.services import login_throttle, one_time_codes, passwords
from tests.server.auth_flows import CHEAP_ARGON2


def test_default_argon2_parameters_are_strong():
    settings = Settings(database_url="sqlite://")
    assert (settings.argon2_time_cost, settings.argon2_memory_kib) == (3, 65536)
    cheap = Settings(database_url="sqlite://", **CHEAP_ARGON2)
    hashed = passwords.hash_password(cheap, "correct horse battery")
    assert hashed.startswith("$argon2id$") and "m=8,t=1" in hashed
    assert passwords.verify(cheap, hashed, "correct horse battery")
    assert not passwords.verify(cheap, hashed, "correct horse batterY")
    assert not passwords.verify(cheap, None, "anything at all")
    assert not passwords.verify(cheap, "not a hash", "anything at all")
    assert passwords.needs_rehash(settings, hashed)


@pytest.mark.parametrize("password, message", [
    ("short", "at least 10"),
    ("x" * 257, "at most 256"),
    ("abababababab", "4 different"),
    ("motdepasse1", "too common"),
    ("my 180057512345678 pw", "identifier"),
])
def test_password_policy_explains_itself(password, message):
    with pytest.raises(InvalidInput, match=message):
        passwords.check_policy(password, identifier="180057512345678")
    passwords.check_policy("a long enough passphrase", identifier="180057512345678")


def test_sign_in_codes_are_six_digits_and_salted_by_challenge():
    codes = {one_time_codes.new_sign_in_code() for _ in range(50)}
    assert all(len(code) == 6 and code.isdigit() for code in codes) and len(codes) > 40
    digest = one_time_codes.sign_in_code_digest("challenge-a", "123456")
    assert one_time_codes.matches_sign_in_code("challenge-a", "123 456", digest)
    assert not one_time_codes.matches_sign_in_code("challenge-b", "123456", digest)
    assert not one_time_codes.matches_sign_in_code("challenge-a", "123456", None)


def test_totp_accepts_a_step_once_and_tolerates_clock_drift():
    secret = one_time_codes.new_totp_secret()
    now = datetime(2026, 11, 23, 4, 0, 10, tzinfo=timezone.utc)
    totp = pyotp.TOTP(secret)
    step = one_time_codes.totp_step_matching(secret, totp.at(now), now, last_step=0)
    assert step == totp.timecode(now)
    assert one_time_codes.totp_step_matching(secret, totp.at(now), now, last_step=step) is None
    assert one_time_codes.totp_step_matching(secret, totp.at(now - timedelta(seconds=30)), now, last_step=0) == step - 1
    assert one_time_codes.totp_step_matching(secret, totp.at(now - timedelta(seconds=90)), now, last_step=0) is None
    assert one_time_codes.totp_step_matching(secret, "abcdef", now, last_step=0) is None


def test_human_codes_forgive_case_and_separators():
    code = one_time_codes.new_recovery_code()
    assert len(code) == 14 and code.count("-") == 2
    assert one_time_codes.human_code_digest(code) == one_time_codes.human_code_digest(
        code.lower().replace("-", " "))


def test_throttle_delays_double_up_to_the_cap():
    settings = Settings(database_url="sqlite://")
    delays = [login_throttle.delay_after(settings, failures) for failures in range(1, 10)]
    assert delays == [0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert login_throttle.delay_after(settings, 10_000) == 900
