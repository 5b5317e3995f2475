"""Apps' access and refresh tokens: opaque, stored as digests, checked at every request.

A token opens the record only while everything behind it still holds: the token is live
(not expired, not revoked), its grant is not revoked, the app is still in the catalogue,
the patient's space is active. Its scopes are cut down, at every request, to what the
grant still gives and what the app may still ask for, so a narrower consent or a change
in the catalogue applies from the next request on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from health.smart_scopes import Scopes, parse_scopes
from server import clock
from server.clock import as_utc
from server.config import Settings
from server.models import Account, AccountStatus, AppGrant, AppToken, CatalogueApp
from server.principal import AppAuthorisation, Principal
from server.services.catalogue import ACTIVE, allowed_scopes
from server.services.secrets import digest

# "Last used" is written at most this often per grant: not a write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class LiveGrant:
    """A grant that still holds, with its app and patient."""

    grant: AppGrant
    app: CatalogueApp
    account: Account

    def effective(self, scopes: str) -> Scopes:
        """`scopes` (a token's) cut down to what the grant and the app still allow."""
        return parse_scopes(scopes).narrowed_to(parse_scopes(self.grant.scopes)).narrowed_to(
            allowed_scopes(self.app))


def live_grant(session: Session, grant_id: str) -> LiveGrant | None:
    grant = session.get(AppGrant, grant_id)
    if grant is None or grant.revoked_at is not None:
        return None
    app = session.get(CatalogueApp, grant.app_id)
    account = session.get(Account, grant.patient_account_id)
    if app is None or app.status != ACTIVE or account is None or account.status != AccountStatus.active:
        return None
    return LiveGrant(grant, app, account)


def store(session: Session, settings: Settings, grant_id: str, family: str, scopes: str, access_token: str,
          refresh_token: str | None) -> None:
    now = clock.utcnow()
    session.add(AppToken(digest=digest(access_token), kind="access", grant_id=grant_id, family=family,
                         scopes=scopes, created_at=now,
                         expires_at=now + timedelta(seconds=settings.app_access_token_ttl_seconds)))
    if refresh_token:
        session.add(AppToken(digest=digest(refresh_token), kind="refresh", grant_id=grant_id, family=family,
                             scopes=scopes, created_at=now,
                             expires_at=now + timedelta(days=settings.app_refresh_token_ttl_days)))
    session.flush()


def find(session: Session, secret: str, kind: str | None = None) -> AppToken | None:
    """The token row of this secret, live or not (None if unknown or of another kind)."""
    if not isinstance(secret, str) or not secret or len(secret) > 512:
        return None
    row = session.get(AppToken, digest(secret))
    return row if row is not None and kind in (None, row.kind) else None


def is_live(row: AppToken) -> bool:
    return row.revoked_at is None and as_utc(row.expires_at) > clock.utcnow()


def claim(session: Session, row: AppToken) -> bool:
    """Revoke a refresh token as it is exchanged; False if another request got there first."""
    claimed = session.execute(update(AppToken).where(AppToken.digest == row.digest, AppToken.revoked_at.is_(None))
                              .values(revoked_at=clock.utcnow()))
    return claimed.rowcount == 1


def authenticate(session: Session, access_token: str) -> Principal | None:
    """The app principal behind a live access token, acting for the patient who granted it."""
    row = find(session, access_token, "access")
    if row is None or not is_live(row):
        return None
    live = live_grant(session, row.grant_id)
    if live is None:
        return None
    _note_use(session, live.grant)
    account = live.account
    return Principal(account.id, account.kind, account.fhir_id, live.grant.id, display_name=account.display_name,
                     app=AppAuthorisation(live.app.id, live.app.name, live.effective(row.scopes)))


def revoke_token(session: Session, row: AppToken) -> None:
    row.revoked_at = row.revoked_at or clock.utcnow()


def revoke_family(session: Session, family: str) -> None:
    """Every token descending from one authorization code."""
    session.execute(update(AppToken).where(AppToken.family == family, AppToken.revoked_at.is_(None))
                    .values(revoked_at=clock.utcnow()))


def revoke_grant(session: Session, grant_id: str) -> None:
    session.execute(update(AppToken).where(AppToken.grant_id == grant_id, AppToken.revoked_at.is_(None))
                    .values(revoked_at=clock.utcnow()))


def _note_use(session: Session, grant: AppGrant) -> None:
    now = clock.utcnow()
    if grant.last_used_at is not None and as_utc(grant.last_used_at) > now - LAST_USED_RESOLUTION:
        return
    # Conditional: of two requests at once, one writes; neither waits on the other's row lock long.
    session.execute(update(AppGrant).where(AppGrant.id == grant.id, (AppGrant.last_used_at.is_(None))
                                           | (AppGrant.last_used_at < now - LAST_USED_RESOLUTION))
                    .values(last_used_at=now))
