"""Dependencies shared by routes: the database session, settings and who is asking."""
from __future__ import annotations

from typing import Annotated, Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from server.config import Settings
from server.errors import Forbidden, Unauthorised
from server.principal import Principal
from server.services import app_tokens, tokens
from server.services.delivery import Delivery, build_delivery


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed if the handler returns, rolled back if it raises."""
    factory = request.app.state.session_factory
    with factory() as session, session.begin():
        yield session


# scope="function": commit before the response is sent, so a client that got 200 can rely
# on the write (FastAPI's default for yield dependencies ends them after the response).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def delivery_of(app) -> Delivery:
    """The app's delivery (tests may set `app.state.delivery`), built from the settings otherwise."""
    delivery = getattr(app.state, "delivery", None)
    if delivery is None:
        delivery = build_delivery(app.state.settings, app.state.session_factory)
        app.state.delivery = delivery
    return delivery


def get_delivery(request: Request) -> Delivery:
    return delivery_of(request.app)


class AppDelivery:
    """The app's delivery, looked up when a message leaves: what services find in a
    session's info to notify patients (server/app.py puts it there)."""

    def __init__(self, app) -> None:
        self.app = app

    def send(self, channel: str, recipient: str, subject: str, body: str) -> None:
        delivery_of(self.app).send(channel, recipient, subject, body)


DeliveryDep = Annotated[Delivery, Depends(get_delivery)]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


# An app's token is for the FHIR API (its `aud`): not for accounts, privacy choices or grants.
APP_AUDIENCE_PREFIX = "/fhir/"


def authenticate(request: Request, session: Session) -> Principal:
    """Who sent this request (a signed-in device, or an app a patient granted); Unauthorised
    if nobody valid did."""
    token = bearer_token(request)
    principal = (tokens.authenticate(session, token) or app_tokens.authenticate(session, token)) if token else None
    if principal is None:
        raise Unauthorised("Sign in first: the access token is missing, expired or revoked.",
                           headers={"WWW-Authenticate": "Bearer"})
    if principal.is_app and not request.url.path.startswith(APP_AUDIENCE_PREFIX):
        raise Forbidden("An app's token opens the FHIR API (/fhir) only.")
    return principal


def current_principal(request: Request, session: SessionDep) -> Principal:
    return authenticate(request, session)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def current_patient(principal: CurrentPrincipal) -> Principal:
    if not principal.is_patient:
        raise Forbidden("This action is for patients.")
    return principal


def current_professional(principal: CurrentPrincipal) -> Principal:
    if not principal.is_professional:
        raise Forbidden("This action is for health professionals.")
    return principal


CurrentPatient = Annotated[Principal, Depends(current_patient)]
CurrentProfessional = Annotated[Principal, Depends(current_professional)]
