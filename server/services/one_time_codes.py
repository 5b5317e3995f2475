"""The codes people type: 6-digit sign-in codes, authenticator (TOTP) codes, recovery codes
and the provisional code of a new space.

Only digests are stored. A sign-in code's digest is salted with its challenge id, so
one precomputed table of the million 6-digit digests does not open every challenge.
"""
from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime

import pyotp

from server.services.secrets import digest

CODE_DIGITS = 6
TOTP_INTERVAL = 30
# Accept the previous and next 30-second step too: phone clocks drift.
TOTP_WINDOW = 1
# No 0/O, 1/I/L, 5/S, 2/Z: the provisional code is read off a letter and typed by hand.
_HUMAN_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
_NOT_CODE_CHARS = re.compile(r"[\s\-.]")


def new_sign_in_code() -> str:
    """A random 6-digit code (HOTP of a fresh random secret: pyotp pads and truncates it)."""
    return pyotp.HOTP(pyotp.random_base32(), digits=CODE_DIGITS).at(0)


def sign_in_code_digest(challenge_id: str, code: str) -> str:
    return digest(f"{challenge_id}:{normalise_digits(code)}")


def matches_sign_in_code(challenge_id: str, code: str, expected_digest: str | None) -> bool:
    if expected_digest is None:
        return False
    return hmac.compare_digest(sign_in_code_digest(challenge_id, code), expected_digest)


def normalise_digits(code: str) -> str:
    return _NOT_CODE_CHARS.sub("", code or "")


def looks_like_sign_in_code(code: str) -> bool:
    value = normalise_digits(code)
    return len(value) == CODE_DIGITS and value.isdigit()


# Authenticator apps (TOTP, RFC 6238).

def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(secret: str, account_name: str, issuer: str = "Carnet") -> str:
    return pyotp.TOTP(secret, interval=TOTP_INTERVAL).provisioning_uri(name=account_name, issuer_name=issuer)


def totp_step_matching(secret: str, code: str, now: datetime, last_step: int) -> int | None:
    """The time step `code` belongs to, if it is valid now and newer than `last_step`.

    Refusing steps at or before the last accepted one is what stops a code seen over
    someone's shoulder from being replayed within its 30 seconds.
    """
    value = normalise_digits(code)
    if not looks_like_sign_in_code(value):
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_INTERVAL)
    current = totp.timecode(now)
    for step in range(current - TOTP_WINDOW, current + TOTP_WINDOW + 1):
        if step > last_step and hmac.compare_digest(totp.generate_otp(step), value):
            return step
    return None


# Recovery codes and provisional codes: long enough that an unsalted digest is safe.

def new_recovery_code() -> str:
    """Like `K7QW-M4XT-9PRD`: 12 characters, about 57 bits."""
    return _grouped(12)


def new_provisional_code() -> str:
    return _grouped(12)


def human_code_digest(code: str) -> str:
    """Digest of a recovery or provisional code, forgiving case, spaces and dashes."""
    return digest(_NOT_CODE_CHARS.sub("", code or "").upper())


def _grouped(length: int) -> str:
    raw = "".join(secrets.choice(_HUMAN_ALPHABET) for _ in range(length))
    return "-".join(raw[i:i + 4] for i in range(0, length, 4))
