"""Random secrets and their digests: tokens, one-time codes, opaque ids."""
from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """SHA-256 of a random secret; enough for high-entropy values looked up by digest."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_digest(secret: str, expected_digest: str | None) -> bool:
    return expected_digest is not None and hmac.compare_digest(digest(secret), expected_digest)
