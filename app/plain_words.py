"""Errors from `sync` and `storage` as sentences a patient understands, in their language.

The server's messages are English; the ones a patient meets while signing in are
recognised and translated, any other refusal is shown in the server's own words.
"""
from __future__ import annotations

import re

from app.catalogue_service import CatalogueRefusal
from app.i18n import Translator
from app.privacy_service import PrivacyRefusal
from app.profile_service import ProfileRefusal
from storage.errors import CacheWiped, StorageError, WeakPin, WrongPin
from sync.errors import (BadServerAnswer, InsecureServerUrl, Offline, Refused, ServerUnavailable,
                         SessionExpired, SyncError)

# Fragments of the server's sign-in refusals (server/services/challenges.py, sign_in.py,
# accounts.py), matched case-insensitively, and the key of the sentence shown instead.
_KNOWN_REFUSALS = (
    ("too many wrong codes", "error.too_many_codes"),
    ("wrong code, and too many", "error.too_many_codes"),
    ("too many failed attempts", "error.too_many_tries"),
    ("has expired", "error.expired_code"),
    ("already been used", "error.used_code"),
    ("unknown or finished", "error.unknown_challenge"),
    ("identifier or the password is wrong", "error.wrong_credentials"),
    ("provisional code do not match", "error.activation_refused"),
    ("wrong code", "error.wrong_code"),
    ("code is wrong", "error.wrong_code"),
    ("this app is for patients", "error.not_patient"),
)


def plain_words(error: BaseException, translator: Translator) -> str:
    """One sentence for the user; never a traceback, never a token."""
    t = translator.t
    own_words = _own_words(error, translator.language)
    if own_words:
        return own_words
    if isinstance(error, Offline):
        return t("error.offline")
    if isinstance(error, ServerUnavailable):
        return t("error.server_busy")
    if isinstance(error, SessionExpired):
        return t("error.session_expired")
    if isinstance(error, (Refused, BadServerAnswer)):
        left = re.search(r"wrong code: (\d+) tr", error.message, flags=re.IGNORECASE)
        if left:
            return t("error.wrong_code_left", left=int(left.group(1)))
        known = _known_refusal(error.message)
        if known:
            return t(known)
        if isinstance(error, Refused) and error.status == 429:
            return t("error.too_many_tries")
        return error.message if isinstance(error, Refused) else t("error.bad_answer")
    if isinstance(error, (InsecureServerUrl, SyncError)):
        return error.message
    if isinstance(error, ProfileRefusal):
        return t(f"profile.refused.{error.reason}")
    if isinstance(error, PrivacyRefusal):
        return t(f"privacy.refused.{error.reason}")
    if isinstance(error, CatalogueRefusal):
        return t(f"catalogue.refused.{error.reason}")
    return _storage_words(error, translator)


def _own_words(error: BaseException, language: str) -> str | None:
    """The sentence of an error that carries its own in both languages (`message_fr` and
    `message_en`: a refused document, an action the app refuses before the server would)."""
    french, english = getattr(error, "message_fr", None), getattr(error, "message_en", None)
    if isinstance(french, str) and isinstance(english, str):
        return french if language == "fr" else english
    return None


def _known_refusal(message: str) -> str | None:
    lowered = message.lower()
    return next((key for fragment, key in _KNOWN_REFUSALS if fragment in lowered), None)


def _storage_words(error: BaseException, translator: Translator) -> str:
    t = translator.t
    if isinstance(error, WrongPin):
        return t("unlock.wrong", remaining=error.remaining_attempts)
    if isinstance(error, CacheWiped):
        return t("unlock.wiped")
    if isinstance(error, WeakPin):
        return str(error) if translator.language == "en" else t("pin.weak", minimum=_minimum(error))
    if isinstance(error, StorageError):
        return str(error) if translator.language == "en" else t("error.storage")
    return t("error.unexpected")


def _minimum(error: WeakPin) -> int:
    digits = [int(word) for word in str(error).split() if word.isdigit()]
    return digits[0] if digits else 6
