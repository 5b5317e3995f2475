"""The app catalogue: apps referenced by the platform's administrators (`carnet add-app`,
`list-apps`, `withdraw-app`) and shown to patients with what each may read and write.

An app is an OAuth 2.0 client (its id is the `client_id`): public (a phone or browser app:
PKCE, no secret) or confidential (a server holding a secret, shown once when it is added).
It lists the `patient/` SMART scopes it may ask for; patients grant some or all of them
(services.app_grants). A withdrawn app's grants stop working at once: its tokens are
revoked and the token endpoint no longer knows it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from health.app_catalogue import APP_CATEGORIES, DATA_WORDS, GRANTABLE_WITHOUT_DATA, AccessLine, access_lines, \
    category_label
from health.smart_scopes import InvalidScope, Scopes, parse_scopes
from server.clock import utcnow
from server.errors import Conflict, InvalidInput, NotFound
from server.models import AppGrant, AppToken, CatalogueApp
from server.services.secrets import digest, new_token

ACTIVE, WITHDRAWN = "active", "withdrawn"
PUBLIC, CONFIDENTIAL = "public", "confidential"
_APP_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
_PRIVATE_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+$")  # reverse domain, RFC 8252 §7.1
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_REDIRECT_URIS = 10


@dataclass(frozen=True)
class AppDescription:
    """An app as an administrator describes it (`carnet add-app`)."""

    id: str
    name: str
    publisher: str
    category: str
    description: str
    homepage: str
    redirect_uris: tuple[str, ...]
    scopes: str
    confidential: bool = False


@dataclass(frozen=True)
class AppView:
    """An app as the catalogue shows it."""

    id: str
    name: str
    publisher: str
    category: str
    category_label: str
    description: str
    homepage: str
    redirect_uris: tuple[str, ...]
    scopes: str
    client_type: str
    status: str
    access: list[AccessLine] = field(default_factory=list)


@dataclass(frozen=True)
class AddedApp:
    app: AppView
    client_secret: str | None  # confidential apps only; shown once, kept as a digest


def allowed_scopes(app: CatalogueApp) -> Scopes:
    """What the app may ask for: its data scopes, and the scopes that grant no data."""
    return Scopes(parse_scopes(app.scopes).resources, GRANTABLE_WITHOUT_DATA)


def view(app: CatalogueApp) -> AppView:
    return AppView(app.id, app.name, app.publisher, app.category, category_label(app.category), app.description,
                   app.homepage, tuple(app.redirect_uris), app.scopes, app.client_type, app.status,
                   access_lines(parse_scopes(app.scopes)))


def add_app(session: Session, described: AppDescription) -> AddedApp:
    """Reference a new app; InvalidInput says what is wrong with the description."""
    checked = _checked(described)
    if session.get(CatalogueApp, checked.id) is not None:
        raise Conflict(f"An app with the id {checked.id!r} is already in the catalogue.")
    secret = new_token() if checked.confidential else None
    app = CatalogueApp(
        id=checked.id, name=checked.name, publisher=checked.publisher, category=checked.category,
        description=checked.description, homepage=checked.homepage, redirect_uris=list(checked.redirect_uris),
        scopes=checked.scopes, client_type=CONFIDENTIAL if checked.confidential else PUBLIC,
        secret_digest=digest(secret) if secret else None, status=ACTIVE, created_at=utcnow())
    session.add(app)
    session.flush()
    return AddedApp(view(app), secret)


def list_apps(session: Session, *, include_withdrawn: bool = True) -> list[AppView]:
    query = select(CatalogueApp).order_by(CatalogueApp.category, CatalogueApp.name)
    if not include_withdrawn:
        query = query.where(CatalogueApp.status == ACTIVE)
    return [view(app) for app in session.scalars(query)]


def withdraw_app(session: Session, app_id: str) -> AppView:
    """Take an app out of the catalogue: every token of every grant stops working at once."""
    app = session.get(CatalogueApp, app_id)
    if app is None:
        raise NotFound(f"No app with the id {app_id!r} in the catalogue.")
    now = utcnow()
    if app.status != WITHDRAWN:
        app.status, app.withdrawn_at = WITHDRAWN, now
    grants = select(AppGrant.id).where(AppGrant.app_id == app.id).scalar_subquery()
    session.execute(update(AppToken).where(AppToken.grant_id.in_(grants), AppToken.revoked_at.is_(None))
                    .values(revoked_at=now))
    return view(app)


def active_app(session: Session, app_id: str) -> CatalogueApp | None:
    app = session.get(CatalogueApp, app_id) if isinstance(app_id, str) and len(app_id) <= 64 else None
    return app if app is not None and app.status == ACTIVE else None


def _checked(described: AppDescription) -> AppDescription:
    problems = []
    if not _APP_ID.match(described.id or ""):
        problems.append("id: 3 to 64 lowercase letters, digits and dashes (it is the OAuth client_id).")
    for name, value, longest in (("name", described.name, 100), ("publisher", described.publisher, 200),
                                 ("description", described.description, 2000)):
        if not (value or "").strip() or len(value.strip()) > longest:
            problems.append(f"{name}: 1 to {longest} characters.")
    if described.category not in APP_CATEGORIES:
        problems.append(f"category: one of {', '.join(APP_CATEGORIES)}.")
    if not _is_web_address(described.homepage):
        problems.append("homepage: an https:// address.")
    problems += _redirect_problems(described.redirect_uris)
    scopes, scope_problems = _scope_problems(described.scopes)
    problems += scope_problems
    if problems:
        raise InvalidInput("This app cannot be added: " + " ".join(problems))
    return AppDescription(described.id, described.name.strip(), described.publisher.strip(), described.category,
                          described.description.strip(), described.homepage, tuple(described.redirect_uris),
                          scopes.text, described.confidential)


def _redirect_problems(uris: tuple[str, ...]) -> list[str]:
    if not uris or len(uris) > MAX_REDIRECT_URIS:
        return [f"redirect URIs: 1 to {MAX_REDIRECT_URIS}."]
    return [f"redirect URI {uri[:80]!r}: https://…, http:// on the loopback (127.0.0.1, localhost), or a "
            "reverse-domain scheme (com.example.app:/callback), with no fragment."
            for uri in uris if not _is_redirect_uri(uri)]


def _scope_problems(text: str) -> tuple[Scopes, list[str]]:
    try:
        scopes = parse_scopes(text or "")
    except InvalidScope as invalid:
        return Scopes(), [f"scopes: {invalid}"]
    problems = []
    if not scopes.resources:
        problems.append("scopes: at least one patient/<type>.<permissions> scope.")
    if scopes.other:
        problems.append(f"scopes: only patient/ data scopes are listed ({', '.join(GRANTABLE_WITHOUT_DATA)} "
                        "are always allowed).")
    for scope in scopes.resources:
        if scope.context != "patient":
            problems.append(f"scope {scope.text}: apps act for one patient: patient/… scopes only.")
        elif scope.resource_type not in DATA_WORDS:
            problems.append(f"scope {scope.text}: apps cannot be granted {scope.resource_type} resources.")
        elif not scope.checked:
            problems.append(f"scope {scope.text}: only category and code restrictions can be checked.")
    return scopes, problems


def _is_web_address(uri: str) -> bool:
    parts = _split(uri)
    if parts is None or not parts.hostname or parts.fragment:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)


def _is_redirect_uri(uri: str) -> bool:
    if not isinstance(uri, str) or len(uri) > 500 or any(c.isspace() for c in uri):
        return False
    parts = _split(uri)
    if parts is None or parts.fragment:
        return False
    return _is_web_address(uri) or bool(_PRIVATE_SCHEME.match(parts.scheme) and parts.path)


def _split(uri: str):
    try:
        return urlsplit(uri) if isinstance(uri, str) and len(uri) <= 500 else None
    except ValueError:
        return None
