"""Passwords: the policy people are held to, and Argon2id hashing.

The cost parameters come from the settings (strong by default, cheaper in tests). A
dummy verification is run for unknown identifiers so that the time a sign-in takes does
not tell whether the account exists.
"""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from server.config import Settings
from server.errors import InvalidInput

MIN_LENGTH = 10
# Argon2 accepts any length; a cap keeps one request from costing the server much.
MAX_LENGTH = 256
_COMMON = {"motdepasse", "password", "azertyuiop", "qwertyuiop", "1234567890", "0123456789",
           "carnetsante", "motdepasse1", "password123", "azerty1234"}


def check_policy(password: str, *, identifier: str | None = None) -> None:
    """Raise InvalidInput with a message the person can act on if the password is too weak."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"The password must have at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"The password must have at most {MAX_LENGTH} characters.")
    if len(set(password)) < 4:
        raise InvalidInput("The password must use at least 4 different characters.")
    if password.lower() in _COMMON:
        raise InvalidInput("This password is too common; choose another one.")
    if identifier and identifier.lower() in password.lower():
        raise InvalidInput("The password must not contain your identifier.")


def hash_password(settings: Settings, password: str) -> str:
    return _hasher(*_cost(settings)).hash(password)


def verify(settings: Settings, password_hash: str | None, password: str) -> bool:
    """True if `password` matches; with no hash, burn the same time and answer False."""
    hasher = _hasher(*_cost(settings))
    if not password_hash:
        _verify_quietly(hasher, _dummy_hash(*_cost(settings)), password)
        return False
    return _verify_quietly(hasher, password_hash, password)


def needs_rehash(settings: Settings, password_hash: str) -> bool:
    """True when the stored hash was made with other parameters than today's."""
    return _hasher(*_cost(settings)).check_needs_rehash(password_hash)


def _verify_quietly(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _cost(settings: Settings) -> tuple[int, int, int]:
    return settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism,
                          type=Type.ID)


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_kib, parallelism).hash("not a password of anyone")
