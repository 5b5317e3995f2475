"""OAuth 2.0 + SMART App Launch for the catalogue's apps: discovery, the authorization
endpoint (the patient's consent page), the token and revocation endpoints.

`/oauth/token` and `/oauth/revoke` answer as RFC 6749 and RFC 7009 say (JSON `error`,
`error_description`), which every OAuth client reads; the consent page answers in HTML.
Codes travel only in the redirect to the app; tokens only in bodies.
"""
from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from server.api import consent_pages
from server.api.deps import DeliveryDep, SessionDep, SettingsDep
from server.api.fhir_request import read_limited
from server.services import app_consent, oauth
from server.services.app_consent import ConsentForm
from server.services.binaries import media_type
from server.services.oauth_server import OAuthAnswer, OAuthHttpRequest

router = APIRouter(tags=["OAuth 2.0 and SMART App Launch"])

FORM_LIMIT = 16 * 1024
_TICK = re.compile(r"^(read|write)-(\d{1,3})$")
_HTML = {"content": {"text/html": {}}}
_REDIRECT = {"description": "Back to the app's redirect URI, with `code` and `state` or with `error`"}
_OAUTH_ERROR = {"description": "RFC 6749 error: {error, error_description}", "content": {"application/json": {}}}


def _form_body(fields: dict[str, str], required: list[str], description: str) -> dict:
    schema = {"type": "object", "properties": {name: {"type": "string", "description": text}
                                               for name, text in fields.items()}, "required": required}
    return {"requestBody": {"required": True, "description": description,
                            "content": {"application/x-www-form-urlencoded": {"schema": schema}}}}


_AUTHORIZE_QUERY = {"parameters": [
    {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": "string"}}
    for name, text in {
        "response_type": "code", "client_id": "The app's id in the catalogue.",
        "redirect_uri": "One of the app's registered redirect URIs, exactly.",
        "scope": "SMART v2 scopes, e.g. `launch/patient patient/Observation.rs patient/Observation.c`.",
        "state": "Opaque; returned as it is.", "code_challenge": "PKCE: BASE64URL(SHA-256(code_verifier)).",
        "code_challenge_method": "S256", "aud": "This server's FHIR base URL (`…/fhir`).",
    }.items()]}
_CONSENT_FORM = _form_body(
    {"consent": "The page's hidden handle.", "step": "sign-in, code or choose.",
     "action": "continue, restart or deny.", "identifier": "INS.", "password": "Password.",
     "channel": "email, sms, totp or recovery.", "code": "The one-time code.",
     "read-0": "Ticked: grant reading line 0.", "write-0": "Ticked: grant writing line 0."},
    ["consent", "step"], "The consent page's form (sent by the patient's browser).")
_TOKEN_FORM = _form_body(
    {"grant_type": "authorization_code or refresh_token", "code": "The code from the redirect.",
     "redirect_uri": "The same as in the authorization request.", "code_verifier": "PKCE verifier.",
     "refresh_token": "For grant_type=refresh_token.", "client_id": "The app's id (public apps).",
     "client_secret": "Confidential apps (or HTTP Basic).", "scope": "Optional: a subset, on refresh."},
    ["grant_type"], "RFC 6749 token request.")
_REVOKE_FORM = _form_body(
    {"token": "The access or refresh token to revoke.", "token_type_hint": "access_token or refresh_token",
     "client_id": "The app's id (public apps).", "client_secret": "Confidential apps (or HTTP Basic)."},
    ["token"], "RFC 7009 revocation request.")


async def _form_pairs(request: Request) -> list[tuple[str, str]]:
    """The urlencoded form as (name, value) pairs; anything else reads as an empty form."""
    body = await read_limited(request, FORM_LIMIT, "form")
    if media_type(request.headers.get("content-type")) != "application/x-www-form-urlencoded":
        return []
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
    except (UnicodeDecodeError, ValueError):
        return []


FormPairs = Annotated[list[tuple[str, str]], Depends(_form_pairs)]


def _http(request: Request, parameters: list[tuple[str, str]]) -> OAuthHttpRequest:
    authorization = request.headers.get("authorization")  # HTTP Basic, for confidential apps
    return OAuthHttpRequest(request.method, request.url.path, parameters,
                            {"Authorization": authorization} if authorization else {})


def _json(answer: OAuthAnswer) -> JSONResponse:
    headers = {name: value for name, value in answer.headers if name.lower() != "content-type"}
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)


def _consent_form(pairs: list[tuple[str, str]]) -> ConsentForm:
    fields = dict(pairs)
    ticks: dict[int, tuple[bool, bool]] = {}
    for name, _ in pairs:
        tick = _TICK.match(name)
        if tick:
            read, write = ticks.get(int(tick[2]), (False, False))
            ticks[int(tick[2])] = (read or tick[1] == "read", write or tick[1] == "write")
    return ConsentForm(
        handle=fields.get("consent", ""), step=fields.get("step", ""),
        action=fields.get("action", app_consent.CONTINUE), identifier=fields.get("identifier", "")[:40],
        password=fields.get("password", "")[:256], channel=fields.get("channel", "email")[:16],
        code=fields.get("code", "")[:32], ticks=ticks)


@router.get("/.well-known/smart-configuration", summary="SMART App Launch discovery")
@router.get("/fhir/.well-known/smart-configuration", include_in_schema=False)
def smart_configuration(settings: SettingsDep) -> JSONResponse:
    """Where apps find the authorization, token and revocation endpoints, and what Carnet supports."""
    return JSONResponse(oauth.smart_configuration(settings))


@router.get("/oauth/authorize", summary="Authorization endpoint: the patient's consent page",
            response_class=Response, openapi_extra=_AUTHORIZE_QUERY,
            responses={200: _HTML, 303: _REDIRECT, 400: _HTML})
def authorize(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """An app sends the patient's browser here (authorization code + PKCE S256). The page says
    what the app asks to read and write, signs the patient in and lets them choose."""
    secret = consent_pages.new_browser_secret(request)
    outcome = app_consent.start(session, settings, request.query_params.multi_items(), secret)
    return consent_pages.respond(outcome, settings, secret)


@router.post("/oauth/authorize", summary="The consent page's form", response_class=Response,
             openapi_extra=_CONSENT_FORM, responses={200: _HTML, 303: _REDIRECT, 400: _HTML, 401: _HTML})
def consent(request: Request, pairs: FormPairs, session: SessionDep, settings: SettingsDep,
            delivery: DeliveryDep) -> Response:
    secret = consent_pages.browser_secret(request)
    outcome = app_consent.proceed(session, settings, delivery, _consent_form(pairs), secret)
    return consent_pages.respond(outcome, settings, secret)


@router.post("/oauth/token", summary="Token endpoint (authorization_code with PKCE, refresh_token)",
             openapi_extra=_TOKEN_FORM, responses={400: _OAUTH_ERROR, 401: _OAUTH_ERROR})
def token(request: Request, pairs: FormPairs, session: SessionDep, settings: SettingsDep) -> JSONResponse:
    """Answers `access_token`, `refresh_token`, `expires_in`, `scope` (what was granted) and
    `patient` (the Patient id the app acts for)."""
    return _json(oauth.token(session, settings, _http(request, pairs)))


@router.post("/oauth/revoke", summary="Revocation endpoint (RFC 7009)", openapi_extra=_REVOKE_FORM,
             responses={400: _OAUTH_ERROR, 401: _OAUTH_ERROR})
def revoke(request: Request, pairs: FormPairs, session: SessionDep, settings: SettingsDep) -> JSONResponse:
    """An app gives back a token; a refresh token takes every token of its chain with it."""
    return _json(oauth.revoke(session, settings, _http(request, pairs)))
