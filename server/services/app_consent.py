"""The consent page behind `/oauth/authorize`: an app sends the patient's browser here, the
patient signs in (identifier + password, then a one-time code: the sign-in services, with
their throttle) and ticks what the app may read and write; the browser goes back to the
app with a code (or with `error=access_denied`).

Steps, each a POST of the same form: `sign-in` → `code` → `choose`. The request waits in
`oauth_consents`, reached by the handle in the form's hidden field *and* the cookie of the
browser that opened it: another site cannot post the form for the patient (CSRF), and a
leaked handle alone is worth nothing. Until the app's redirect URI is known to be the
app's, errors are shown on the page, never sent there (RFC 6749 §4.1.2.1).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

from authlib.oauth2.rfc6749 import OAuth2Error
from sqlalchemy import delete
from sqlalchemy.orm import Session

from health.app_catalogue import AccessLine, access_lines, granted_scope
from health.smart_scopes import parse_scopes
from server import clock
from server.clock import as_utc
from server.config import Settings
from server.errors import CarnetError
from server.models import Account, AccountKind, AccountStatus, AuthorizationCode, ConsentRequest
from server.services import app_grants, catalogue, challenges, login_throttle, sign_in
from server.services.catalogue import AppView
from server.services.delivery import Delivery
from server.services.oauth_server import (MAX_PARAMETER_LENGTH, CarnetAuthorizationServer, Consented,
                                          OAuthHttpRequest)
from server.services.secrets import digest, new_token, same_digest

AUTHORIZE_PATH = "/oauth/authorize"
SIGN_IN, CODE, CHOOSE = "sign-in", "code", "choose"
CONTINUE, DENY, RESTART = "continue", "deny", "restart"
KEPT_PARAMETERS = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
                   "code_challenge_method", "aud")
# Codes are kept a day past their expiry, so a late second use is still recognised as one.
KEEP_SPENT_CODES = timedelta(days=1)

EXPIRED = ("Cette demande d'autorisation a expiré ou a été ouverte dans un autre navigateur. "
           "Retournez dans l'application pour recommencer.")
NOT_A_PATIENT = "Seul le titulaire d'un espace patient actif peut autoriser une application sur son dossier."
WITHDRAWN = "Cette application n'est plus référencée par Carnet : elle ne peut plus accéder à votre dossier."


@dataclass(frozen=True)
class ConsentPage:
    """What the consent page shows at one step."""

    step: str  # SIGN_IN, CODE or CHOOSE
    handle: str  # the hidden field that brings the patient back to this request
    app: AppView
    lines: list[AccessLine]  # what the app asks for, one line per kind of data
    status: int = 200
    error: str | None = None  # in French, for the patient
    channel: str | None = None  # where the one-time code went (CODE)
    sent_to: str | None = None  # masked address (CODE)
    patient_name: str | None = None  # who signed in (CHOOSE)


@dataclass(frozen=True)
class ConsentRedirect:
    """Back to the app: its redirect URI with `code` and `state`, or with an error."""

    location: str


@dataclass(frozen=True)
class ConsentRefused:
    """A request that cannot go back to the app (unknown app, bad redirect URI, expired page)."""

    message: str
    status: int = 400


ConsentOutcome = ConsentPage | ConsentRedirect | ConsentRefused


@dataclass(frozen=True)
class ConsentForm:
    """One POST of the consent page."""

    handle: str
    step: str
    action: str = CONTINUE
    identifier: str = ""
    password: str = ""
    channel: str = "email"
    code: str = ""
    ticks: dict[int, tuple[bool, bool]] = field(default_factory=dict)  # line → (read, write)


def start(session: Session, settings: Settings, parameters: list[tuple[str, str]],
          browser_secret: str) -> ConsentOutcome:
    """Check the app's authorization request; keep it and show the sign-in step."""
    if any(len(value) > MAX_PARAMETER_LENGTH for _, value in parameters):
        return ConsentRefused("Cette demande d'autorisation n'est pas valable (paramètre trop long).")
    server = CarnetAuthorizationServer(session, settings)
    try:
        request = server.create_oauth2_request(OAuthHttpRequest("GET", AUTHORIZE_PATH, parameters))
        server.get_consent_grant(request)
    except OAuth2Error as error:
        return _refusal(server, error)
    kept = {name: request.payload.data.get(name) for name in KEPT_PARAMETERS}
    kept["scope"] = request.scope  # as validated: the scopes Carnet grants at all
    now = clock.utcnow()
    session.execute(delete(ConsentRequest).where(ConsentRequest.expires_at < now))
    session.execute(delete(AuthorizationCode).where(AuthorizationCode.expires_at < now - KEEP_SPENT_CODES))
    handle = new_token()
    session.add(ConsentRequest(digest=digest(handle), browser_digest=digest(browser_secret),
                               app_id=request.client.app.id, parameters=kept, created_at=now,
                               expires_at=now + timedelta(seconds=settings.oauth_consent_ttl_seconds)))
    return ConsentPage(SIGN_IN, handle, catalogue.view(request.client.app), _lines(kept))


def proceed(session: Session, settings: Settings, delivery: Delivery, form: ConsentForm,
            browser_secret: str | None) -> ConsentOutcome:
    """One step of the page: sign in, answer the code, or decide."""
    consent = _open(session, form.handle, browser_secret)
    if consent is None:
        return ConsentRefused(EXPIRED)
    app = catalogue.active_app(session, consent.app_id)
    if app is None:
        session.delete(consent)
        return ConsentRefused(WITHDRAWN)
    page = ConsentPage(SIGN_IN, form.handle, catalogue.view(app), _lines(consent.parameters))
    if form.action == DENY:
        return _answer_app(session, settings, consent, None)
    if form.action == RESTART or form.step == SIGN_IN:
        return _sign_in(session, settings, delivery, consent, form, page) if form.action == CONTINUE else page
    if form.step == CODE and consent.challenge_id is not None:
        return _check_code(session, settings, consent, form, page)
    if form.step == CHOOSE and consent.account_id is not None:
        return _choose(session, settings, consent, form, page)
    return page


def _sign_in(session: Session, settings: Settings, delivery: Delivery, consent: ConsentRequest, form: ConsentForm,
             page: ConsentPage) -> ConsentOutcome:
    try:
        sent = sign_in.start_sign_in(session, settings, delivery, identifier=form.identifier, password=form.password,
                                     channel=form.channel, device_name=f"Autorisation : {page.app.name}"[:100])
    except CarnetError as refused:  # the session may be committed and closed: only values from here on
        return replace(page, status=refused.status, error=_sign_in_error(refused))
    consent.challenge_id, consent.account_id = sent.challenge_id, None
    return replace(page, step=CODE, channel=sent.channel, sent_to=sent.sent_to)


def _check_code(session: Session, settings: Settings, consent: ConsentRequest, form: ConsentForm,
                page: ConsentPage) -> ConsentOutcome:
    try:
        _, account = challenges.verify_code(session, settings, consent.challenge_id, form.code, purpose="login",
                                            accept_recovery_code=True)
    except CarnetError as refused:
        return replace(page, step=CODE, status=refused.status, error=_code_error(refused))
    if account.kind != AccountKind.patient or account.status != AccountStatus.active:
        session.delete(consent)
        return ConsentRefused(NOT_A_PATIENT, 403)
    login_throttle.reset(session, account.identifier)
    consent.account_id = account.id
    return replace(page, step=CHOOSE, patient_name=account.display_name)


def _choose(session: Session, settings: Settings, consent: ConsentRequest, form: ConsentForm,
            page: ConsentPage) -> ConsentOutcome:
    account = session.get(Account, consent.account_id)
    if account is None or account.status != AccountStatus.active:
        session.delete(consent)
        return ConsentRefused(NOT_A_PATIENT, 403)
    granted = granted_scope(parse_scopes(consent.parameters["scope"]), form.ticks)
    if not granted.resources:
        return _answer_app(session, settings, consent, None)  # nothing ticked: a refusal
    grant = app_grants.record_consent(session, account, catalogue.active_app(session, consent.app_id), granted)
    consent.parameters = {**consent.parameters, "scope": granted.text}
    return _answer_app(session, settings, consent, Consented(account, grant))


def _answer_app(session: Session, settings: Settings, consent: ConsentRequest,
                consented: Consented | None) -> ConsentOutcome:
    """Back to the app through authlib: a code bound to the app, redirect URI and PKCE
    challenge if the patient consented, `access_denied` otherwise; `state` either way."""
    server = CarnetAuthorizationServer(session, settings)
    parameters = [(name, value) for name, value in consent.parameters.items() if value is not None]
    session.delete(consent)
    try:
        request = server.create_oauth2_request(OAuthHttpRequest("GET", AUTHORIZE_PATH, parameters))
        handler = server.get_consent_grant(request)
        answer = server.create_authorization_response(request, grant_user=consented, grant=handler)
    except OAuth2Error as error:
        return _refusal(server, error)
    return ConsentRedirect(answer.location) if answer.location else ConsentRefused(EXPIRED)


def _refusal(server: CarnetAuthorizationServer, error: OAuth2Error) -> ConsentOutcome:
    if error.redirect_uri:
        answer = server.handle_response(*error())
        if answer.location:
            return ConsentRedirect(answer.location)
    reason = error.description or error.error
    return ConsentRefused(f"Cette demande d'autorisation n'est pas valable ({reason}). "
                          "Retournez dans l'application pour recommencer.")


def _open(session: Session, handle: str, browser_secret: str | None) -> ConsentRequest | None:
    if not handle or len(handle) > 128 or not browser_secret or len(browser_secret) > 128:
        return None
    consent = session.get(ConsentRequest, digest(handle))
    if consent is None or not same_digest(browser_secret, consent.browser_digest):
        return None
    return consent if as_utc(consent.expires_at) > clock.utcnow() else None


def _lines(parameters: dict) -> list[AccessLine]:
    return access_lines(parse_scopes(parameters.get("scope") or ""))


def _sign_in_error(refused: CarnetError) -> str:
    if refused.status == 429:
        return _throttled(refused)
    if refused.status == 401:
        return "Identifiant ou mot de passe incorrect, ou espace non activé."
    return ("Vérifiez votre identifiant (votre INS, 15 caractères) et le moyen de recevoir le code : "
            "celui choisi n'est peut-être pas disponible pour votre compte.")


def _code_error(refused: CarnetError) -> str:
    if refused.status == 429:
        return _throttled(refused)
    return "Code incorrect ou expiré. Réessayez, ou demandez un nouveau code."


def _throttled(refused: CarnetError) -> str:
    wait = refused.headers.get("Retry-After", "quelques")
    return f"Trop de tentatives. Réessayez dans {wait} secondes."
