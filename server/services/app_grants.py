"""What a patient let apps do: the grants they gave on the consent page, their revocation,
and what each app did (its traces in the access history).

The patient alone manages their grants (patient principals only: not an app, not a
professional), on the consent page or from the Carnet app (`set_grant`). Revoking is effective at once: every token of the grant is revoked in the
same transaction, and the token check (services.app_tokens) reads the grant at every
request anyway.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from health.app_catalogue import GRANTABLE_WITHOUT_DATA, AccessLine, access_lines
from health.smart_scopes import InvalidScope, Scopes, parse_scopes
from server import clock
from server.clock import as_utc
from server.errors import CarnetError, InvalidInput, NotFound
from server.models import Account, AppGrant, AuditEntry, AuthorizationCode, CatalogueApp
from server.principal import Principal
from server.services import app_tokens
from server.services.catalogue import ACTIVE, AppView, active_app, allowed_scopes, view

NO_GRANT = "You have not granted this app access to your record (or you already revoked it)."
NO_APP = "No app with this id in the catalogue (or it was withdrawn: it can no longer be granted access)."
NOTHING_GRANTED = ("Grant at least one kind of data (patient/<type>.<permissions>); to take back the app's "
                   "access, revoke it (DELETE /catalogue/grants/{app_id}).")
MAX_HISTORY_PAGE = 200


@dataclass(frozen=True)
class GrantView:
    """One app the patient let in, and what it may do now."""

    app: AppView
    scopes: str  # what the grant gives today (cut down to what the app may still ask for)
    access: list[AccessLine]
    granted_at: datetime
    last_used_at: datetime | None
    active: bool  # False once the app was withdrawn from the catalogue: its access stopped


@dataclass(frozen=True)
class HistoryPage:
    """An app's traces in the patient's access history, newest first."""

    app_id: str
    events: list[dict]  # AuditEvent resources
    total: int
    before: int | None  # pass as `before` for the next (older) page; None when there is none


def record_consent(session: Session, account: Account, app: CatalogueApp, granted: Scopes) -> AppGrant:
    """The patient's decision on the consent page: the grant now gives exactly `granted`."""
    now = clock.utcnow()
    grant = session.execute(select(AppGrant).where(AppGrant.app_id == app.id,
                                                   AppGrant.patient_account_id == account.id)
                            .with_for_update()).scalar_one_or_none()
    if grant is None:
        grant = AppGrant(id=str(uuid.uuid4()), app_id=app.id, patient_account_id=account.id, scopes=granted.text,
                         granted_at=now)
        session.add(grant)
    else:
        if grant.revoked_at is not None:  # allowed again after a revocation: a new grant from now
            grant.revoked_at, grant.last_used_at, grant.granted_at = None, None, now
        # A change of what an active grant gives keeps its date: "allowed since" stays true.
        grant.scopes = granted.text
    session.flush()
    return grant


class Unprocessable(CarnetError):
    """A well-formed grant the patient may not give (nothing, or more than the app may ask for)."""

    status, code = 422, "business-rule"


def set_grant(session: Session, principal: Principal, app_id: str, scopes: str) -> GrantView:
    """The patient's decision from the Carnet app: the grant now gives exactly `scopes` (within
    what the app may ask for). The app's tokens are narrowed to it from their next request
    (services.app_tokens); when the app runs the OAuth flow, the consent page is shown anyway."""
    app = active_app(session, app_id)
    if app is None:
        raise NotFound(NO_APP)
    try:
        granted = parse_scopes(scopes)
    except InvalidScope as invalid:
        raise InvalidInput(f"scopes: {invalid}") from None
    _check_grantable(granted, allowed_scopes(app))
    account = session.get(Account, principal.account_id)
    previous = session.scalar(select(AppGrant.scopes).where(AppGrant.app_id == app.id,
                                                            AppGrant.patient_account_id == account.id,
                                                            AppGrant.revoked_at.is_(None)))
    # Scopes granting no data the app already held (offline_access…) are kept: narrowing what it
    # reads should not sign it out.
    kept = tuple(other for other in parse_scopes(previous or "").other if other not in granted.other)
    record_consent(session, account, app, Scopes(granted.resources, granted.other + kept))
    return next(g for g in grants(session, principal) if g.app.id == app.id)


def _check_grantable(granted: Scopes, allowed: Scopes) -> None:
    if not granted.resources:
        raise Unprocessable(NOTHING_GRANTED)
    unchecked = [scope.text for scope in granted.resources if not scope.checked]
    beyond = granted.beyond(allowed)
    others = [other for other in granted.other if other not in GRANTABLE_WITHOUT_DATA]
    if unchecked:
        raise Unprocessable(f"Only category and code restrictions can be granted: {' '.join(unchecked)}.")
    if beyond or others:
        raise Unprocessable("This app may not ask for: " + " ".join([*beyond, *others])
                            + f". It may ask for: {allowed.text}.")


def grants(session: Session, principal: Principal) -> list[GrantView]:
    """The patient's live grants, most recent first."""
    rows = session.execute(select(AppGrant, CatalogueApp).join(CatalogueApp, CatalogueApp.id == AppGrant.app_id)
                           .where(AppGrant.patient_account_id == principal.account_id, AppGrant.revoked_at.is_(None))
                           .order_by(AppGrant.granted_at.desc())).all()
    views = []
    for grant, app in rows:
        scopes = parse_scopes(grant.scopes).narrowed_to(allowed_scopes(app))
        views.append(GrantView(view(app), scopes.text, access_lines(scopes), as_utc(grant.granted_at),
                               as_utc(grant.last_used_at) if grant.last_used_at else None, app.status == ACTIVE))
    return views


def granted_app_ids(session: Session, principal: Principal) -> set[str]:
    return set(session.scalars(select(AppGrant.app_id).where(AppGrant.patient_account_id == principal.account_id,
                                                             AppGrant.revoked_at.is_(None))))


def revoke(session: Session, principal: Principal, app_id: str) -> None:
    """Take back what the patient granted the app: its tokens and unused codes stop working now."""
    grant = session.execute(select(AppGrant).where(
        AppGrant.app_id == app_id, AppGrant.patient_account_id == principal.account_id,
        AppGrant.revoked_at.is_(None)).with_for_update()).scalar_one_or_none()
    if grant is None:
        raise NotFound(NO_GRANT)
    now = clock.utcnow()
    grant.revoked_at = now
    app_tokens.revoke_grant(session, grant.id)
    session.execute(update(AuthorizationCode).where(AuthorizationCode.grant_id == grant.id,
                                                    AuthorizationCode.used_at.is_(None)).values(used_at=now))


def history(session: Session, principal: Principal, app_id: str, count: int = 50,
            before: int | None = None) -> HistoryPage:
    """What the app did in the patient's record (allowed and refused), newest first.

    Any app the patient ever granted has a history, revoked or withdrawn ones included; an
    app they never granted has none (404, as for an app that does not exist)."""
    ever_granted = session.scalar(select(AppGrant.id).where(AppGrant.app_id == app_id,
                                                            AppGrant.patient_account_id == principal.account_id))
    if ever_granted is None:
        raise NotFound(NO_GRANT)
    count = max(0, min(count, MAX_HISTORY_PAGE))
    mine = (AuditEntry.patient_account_id == principal.account_id, AuditEntry.agent_app_id == app_id)
    total = session.scalar(select(func.count(AuditEntry.id)).where(*mine))
    query = select(AuditEntry.position, AuditEntry.event).where(*mine)
    if before is not None:
        query = query.where(AuditEntry.position < before)
    rows = session.execute(query.order_by(AuditEntry.position.desc()).limit(count + 1)).all()
    page = rows[:count]
    older = page[-1].position if len(rows) > count and page else None
    return HistoryPage(app_id, [event for _, event in page], total or 0, older)
