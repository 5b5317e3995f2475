"""The OAuth 2.0 authorization server apps use, built on authlib's server components.

authlib does the protocol: the authorization code grant (RFC 6749 §4.1) with PKCE
(RFC 7636, S256 only and always required, as SMART App Launch v2 asks), refresh tokens
(§6), client authentication (public clients: none; confidential: HTTP Basic or POST) and
revocation (RFC 7009). This module supplies what authlib leaves to us, on the catalogue's
SQLAlchemy models: clients, codes and tokens, and SMART's additions (the `aud` check,
`patient` in the token response, scopes cut down to what the grant and the app allow).

Codes are single-use and last `oauth_code_ttl_seconds`; a code used twice, or a rotated
refresh token coming back, revokes every token descending from that code (its family).
Requests come in as `OAuthHttpRequest` values and answers go out as `OAuthAnswer`s, so
no web framework is needed here.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from authlib.oauth2.rfc6749 import (AuthorizationCodeMixin, AuthorizationServer, ClientMixin, InvalidGrantError,
                                    InvalidRequestError, InvalidScopeError, OAuth2Payload, OAuth2Request, TokenMixin)
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant, RefreshTokenGrant
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from sqlalchemy import update
from sqlalchemy.orm import Session

from health.app_catalogue import GRANTABLE_WITHOUT_DATA
from health.smart_scopes import InvalidScope, Scopes, parse_scopes
from server import clock
from server.clock import as_utc
from server.config import Settings
from server.models import Account, AppGrant, AppToken, AuthorizationCode, CatalogueApp
from server.services import app_tokens, catalogue
from server.services.catalogue import CONFIDENTIAL
from server.services.secrets import digest, new_token, same_digest

CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
MAX_PARAMETER_LENGTH = 2000
_ERROR_TEXT = re.compile(r"[^\x20\x21\x23-\x5B\x5D-\x7E]")  # what RFC 6749 lets an error description hold
NO_STORE = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]
# Parameters whose values are all printable ASCII in OAuth (RFC 6749 appendix A) and may be quoted back.
_ECHOED = ("response_type", "client_id", "redirect_uri", "scope", "grant_type", "aud", "code_challenge_method",
           "token_type_hint")


@dataclass(frozen=True)
class OAuthHttpRequest:
    """An HTTP request as the routes hand it over: its parameters as (name, value) pairs."""

    method: str
    path: str
    parameters: list[tuple[str, str]]  # the query string (GET) or the form body (POST)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OAuthAnswer:
    """What to answer: a JSON body, or a redirect (`location`)."""

    status: int
    body: dict
    headers: list[tuple[str, str]]

    @property
    def location(self) -> str | None:
        return next((value for name, value in self.headers if name.lower() == "location"), None)


@dataclass(frozen=True)
class Consented:
    """The patient who said yes, and the grant their consent wrote (authlib's `user`)."""

    account: Account
    grant: AppGrant


def error_text(message: str) -> str:
    """A message as an OAuth error description may carry it (printable ASCII, no quotes)."""
    return _ERROR_TEXT.sub("?", message.replace('"', "'"))[:300]


class _Payload(OAuth2Payload):
    def __init__(self, pairs: list[tuple[str, str]]):
        self._datalist = defaultdict(list)
        for name, value in pairs:
            self._datalist[name].append(value)
        self._data = {name: values[0] for name, values in self._datalist.items()}

    @property
    def data(self):
        return self._data

    @property
    def datalist(self):
        return self._datalist


class _Request(OAuth2Request):
    def __init__(self, uri: str, http: OAuthHttpRequest):
        super().__init__(http.method, uri, headers=http.headers)
        self.payload = _Payload(http.parameters)

    @property
    def args(self):
        return self.payload.data

    @property
    def form(self):
        return self.payload.data


class _Client(ClientMixin):
    """A catalogue app as authlib sees a client."""

    def __init__(self, app: CatalogueApp):
        self.app = app

    def get_client_id(self):
        return self.app.id

    def get_default_redirect_uri(self):
        return None  # SMART apps always name their redirect URI

    def get_allowed_scope(self, scope):
        return _allowed_scope(self.app, scope)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.app.redirect_uris  # exact match, nothing else

    def check_client_secret(self, client_secret):
        return same_digest(client_secret, self.app.secret_digest)

    def check_endpoint_auth_method(self, method, endpoint):
        if self.app.client_type == CONFIDENTIAL:
            return method in ("client_secret_basic", "client_secret_post")
        return method == "none"

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in ("authorization_code", "refresh_token")


class _Code(AuthorizationCodeMixin):
    def __init__(self, row: AuthorizationCode):
        self.row = row
        self.code_challenge = row.code_challenge
        self.code_challenge_method = row.code_challenge_method

    def get_redirect_uri(self):
        return self.row.redirect_uri

    def get_scope(self):
        return self.row.scopes


class _Token(TokenMixin):
    def __init__(self, row: AppToken, app_id: str):
        self.row, self.app_id = row, app_id

    def check_client(self, client):
        return client.get_client_id() == self.app_id

    def get_scope(self):
        return self.row.scopes


class _PkceS256(CodeChallenge):
    """PKCE with S256, required of every authorization request (SMART v2: no `plain`)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge with code_challenge_method=S256.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


class _AuthorizationCodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def validate_authorization_request(self):
        redirect_uri = super().validate_authorization_request()
        audience = (self.request.payload.data.get("aud") or "").rstrip("/")
        if audience != self.server.fhir_base:
            raise InvalidRequestError(f"aud must be this server's FHIR base URL: {self.server.fhir_base}",
                                      redirect_uri=redirect_uri)
        return redirect_uri

    def save_authorization_code(self, code, request):
        data, now = request.payload.data, clock.utcnow()
        self.server.session.add(AuthorizationCode(
            digest=digest(code), grant_id=request.user.grant.id, redirect_uri=data["redirect_uri"],
            scopes=request.scope, code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"], created_at=now,
            expires_at=now + timedelta(seconds=self.server.settings.oauth_code_ttl_seconds)))

    def query_authorization_code(self, code, client):
        session = self.server.session
        row = session.get(AuthorizationCode, digest(code)) if isinstance(code, str) and len(code) <= 128 else None
        grant = session.get(AppGrant, row.grant_id) if row is not None else None
        if grant is None or grant.app_id != client.get_client_id():
            return None
        if row.used_at is not None:
            # Used twice: someone else may hold it. What was issued with it goes too (RFC 6749 §4.1.2).
            app_tokens.revoke_family(session, row.digest)
            return None
        if as_utc(row.expires_at) <= clock.utcnow() or grant.revoked_at is not None:
            return None
        return _Code(row)

    def create_token_response(self):
        # Claimed only now, once client, redirect URI and verifier were checked; one request wins.
        row = self.request.authorization_code.row
        claimed = self.server.session.execute(update(AuthorizationCode).where(
            AuthorizationCode.digest == row.digest, AuthorizationCode.used_at.is_(None)
        ).values(used_at=clock.utcnow()))
        if claimed.rowcount != 1:
            raise InvalidGrantError("This code was already used.")
        return super().create_token_response()

    def delete_authorization_code(self, authorization_code):
        """Kept, marked used: a second use must be recognised as one."""

    def authenticate_user(self, authorization_code):
        return self.server.consented(authorization_code.row.grant_id)


class _RefreshTokenGrant(RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotated at every use

    def authenticate_refresh_token(self, refresh_token):
        session = self.server.session
        row = app_tokens.find(session, refresh_token, "refresh")
        if row is None:
            return None
        if row.revoked_at is not None:
            app_tokens.revoke_family(session, row.family)  # a rotated token replayed: stop the whole chain
            return None
        grant = session.get(AppGrant, row.grant_id)
        if not app_tokens.is_live(row) or grant is None:
            return None
        return _Token(row, grant.app_id)

    def create_token_response(self):
        if not app_tokens.claim(self.server.session, self.request.refresh_token.row):
            raise InvalidGrantError("This refresh token was already used.")
        return super().create_token_response()

    def authenticate_user(self, refresh_token):
        return self.server.consented(refresh_token.row.grant_id)

    def revoke_old_credential(self, refresh_token):
        """Already revoked when it was claimed."""


class _Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        row = app_tokens.find(self.server.session, token_string)
        grant = self.server.session.get(AppGrant, row.grant_id) if row is not None else None
        return _Token(row, grant.app_id) if grant is not None else None

    def revoke_token(self, token, request):
        if token.row.kind == "refresh":
            app_tokens.revoke_family(self.server.session, token.row.family)  # RFC 7009 §2.1
        else:
            app_tokens.revoke_token(self.server.session, token.row)


class CarnetAuthorizationServer(AuthorizationServer):
    """authlib's authorization server on one database session (one per request)."""

    def __init__(self, session: Session, settings: Settings):
        super().__init__()
        self.session, self.settings = session, settings
        self.base_url = settings.public_base_url.rstrip("/")
        self.fhir_base = f"{self.base_url}/fhir"
        self.register_token_generator("default", self._generate_token)
        self.register_grant(_AuthorizationCodeGrant, [_PkceS256(required=True)])
        self.register_grant(_RefreshTokenGrant)
        self.register_endpoint(_Revocation)

    def query_client(self, client_id):
        app = catalogue.active_app(self.session, client_id)
        return _Client(app) if app is not None else None

    def consented(self, grant_id: str) -> Consented | None:
        live = app_tokens.live_grant(self.session, grant_id)
        return Consented(live.account, live.grant) if live is not None else None

    def _generate_token(self, grant_type, client, user=None, scope=None, expires_in=None,
                        include_refresh_token=True):
        """SMART's token response: the scopes actually granted, and the patient in context."""
        live = app_tokens.live_grant(self.session, user.grant.id)
        granted = live.effective(scope or "") if live is not None else Scopes()
        token = {"token_type": "Bearer", "access_token": new_token(),
                 "expires_in": self.settings.app_access_token_ttl_seconds, "scope": granted.text,
                 "patient": user.account.fhir_id}
        if include_refresh_token:
            token["refresh_token"] = new_token()
        return token

    def save_token(self, token, request):
        family = (request.authorization_code.row.digest if request.authorization_code is not None
                  else request.refresh_token.row.family)
        app_tokens.store(self.session, self.settings, request.user.grant.id, family, token["scope"],
                         token["access_token"], token.get("refresh_token"))

    def create_oauth2_request(self, request):
        if isinstance(request, OAuth2Request):
            return request
        if any(_ERROR_TEXT.search(value) for name, value in request.parameters if name in _ECHOED):
            # authlib quotes some of these in its error descriptions, which OAuth keeps to plain ASCII.
            raise InvalidRequestError("A parameter holds characters OAuth does not allow.")
        query = f"?{urlencode(request.parameters)}" if request.method == "GET" and request.parameters else ""
        return _Request(f"{self.base_url}{request.path}{query}", request)

    def create_json_request(self, request):
        raise NotImplementedError("Carnet's OAuth endpoints take forms and queries, not JSON.")

    def handle_response(self, status, body, headers):
        return OAuthAnswer(status, body if isinstance(body, dict) else {}, [*headers, *NO_STORE])

    def send_signal(self, name, *args, **kwargs):
        """authlib's signals: nothing listens."""


def _allowed_scope(app: CatalogueApp, scope: str | None) -> str:
    """The requested scopes if the app may ask for all of them; invalid_scope otherwise.
    Scopes that grant no data and that Carnet does not grant (openid, fhirUser) are dropped."""
    if not scope or not scope.strip():
        raise InvalidScopeError("scope is required: the patient/ scopes the app asks for.")
    try:
        asked = parse_scopes(scope)
    except InvalidScope as invalid:
        raise InvalidScopeError(error_text(str(invalid))) from None
    beyond = asked.beyond(catalogue.allowed_scopes(app))
    if beyond:
        raise InvalidScopeError(error_text(f"Not allowed for this app: {' '.join(beyond)}"[:300]))
    if not asked.resources:
        raise InvalidScopeError("No patient/ data scope was asked for.")
    return Scopes(asked.resources, tuple(o for o in asked.other if o in GRANTABLE_WITHOUT_DATA)).text
