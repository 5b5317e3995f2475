"""Access and refresh tokens bound to a named device.

Tokens are opaque random strings kept as digests, so revoking a device or signing out
takes effect on the very next request (no self-contained token outlives its revocation).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.clock import as_utc, utcnow
from server.config import Settings
from server.models import Account, AccountStatus, Device, Token
from server.principal import Principal
from server.services.secrets import digest, new_token


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    device_id: str
    token_type: str = "Bearer"


def issue_for_new_device(session: Session, settings: Settings, account: Account, device_name: str) -> IssuedTokens:
    """Register a device for the account and hand it its first pair of tokens."""
    now = utcnow()
    device = Device(
        id=str(uuid.uuid4()),
        account_id=account.id,
        name=(device_name or "").strip()[:100] or "Unnamed device",
        created_at=now,
        last_seen_at=now,
    )
    session.add(device)
    session.flush()
    return _issue(session, settings, account.id, device.id)


def _issue(session: Session, settings: Settings, account_id: str, device_id: str) -> IssuedTokens:
    now = utcnow()
    access, refresh = new_token(), new_token()
    session.add_all([
        Token(digest=digest(access), kind="access", account_id=account_id, device_id=device_id,
              created_at=now, expires_at=now + timedelta(seconds=settings.access_token_ttl_seconds)),
        Token(digest=digest(refresh), kind="refresh", account_id=account_id, device_id=device_id,
              created_at=now, expires_at=now + timedelta(days=settings.refresh_token_ttl_days)),
    ])
    return IssuedTokens(access, refresh, settings.access_token_ttl_seconds, device_id)


def refresh(session: Session, settings: Settings, refresh_token: str) -> IssuedTokens | None:
    """Rotate a refresh token: the old one stops working. None if it is not valid.

    A refresh token that was already rotated coming back means two parties hold it (one
    may have stolen it): the whole device is revoked. The caller must commit that even
    though it refuses the request.
    """
    spent = session.get(Token, digest(refresh_token)) if refresh_token else None
    if spent is not None and spent.kind == "refresh" and spent.revoked_at is not None:
        revoke_device(session, spent.account_id, spent.device_id)
        return None
    row = _live_token(session, refresh_token, "refresh")
    if row is None:
        return None
    row.revoked_at = utcnow()
    device = session.get(Device, row.device_id)
    if device is None or device.revoked_at is not None:
        return None
    device.last_seen_at = utcnow()
    return _issue(session, settings, row.account_id, row.device_id)


def authenticate(session: Session, access_token: str) -> Principal | None:
    """The principal behind a live access token of an active account on a live device."""
    row = _live_token(session, access_token, "access")
    if row is None:
        return None
    account = session.get(Account, row.account_id)
    device = session.get(Device, row.device_id)
    if account is None or account.status != AccountStatus.active or device is None or device.revoked_at:
        return None
    return Principal(account.id, account.kind, account.fhir_id, device.id, account.profession,
                     account.display_name)


def revoke_device(session: Session, account_id: str, device_id: str) -> bool:
    device = session.get(Device, device_id)
    if device is None or device.account_id != account_id:
        return False
    now = utcnow()
    device.revoked_at = device.revoked_at or now
    session.execute(
        update(Token).where(Token.device_id == device_id, Token.revoked_at.is_(None)).values(revoked_at=now)
    )
    return True


def revoke_all(session: Session, account_id: str) -> None:
    for device in session.scalars(select(Device).where(Device.account_id == account_id)):
        revoke_device(session, account_id, device.id)


def _live_token(session: Session, secret: str, kind: str) -> Token | None:
    if not secret:
        return None
    row = session.get(Token, digest(secret))
    if row is None or row.kind != kind or row.revoked_at is not None:
        return None
    if as_utc(row.expires_at) <= utcnow():
        return None
    return row
