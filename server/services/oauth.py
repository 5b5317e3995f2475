"""The OAuth 2.0 endpoints apps call directly (token, revocation) and the SMART App Launch
discovery document; the authorization endpoint, where the patient is, is services.app_consent.

Answers follow RFC 6749 (JSON `error` / `error_description`, never an OperationOutcome:
OAuth clients read those), and are never cached.
"""
from __future__ import annotations

from authlib.oauth2.rfc6749 import OAuth2Error
from sqlalchemy.orm import Session

from health.app_catalogue import DATA_WORDS, GRANTABLE_WITHOUT_DATA
from server.config import Settings
from server.services.oauth_server import CarnetAuthorizationServer, OAuthAnswer, OAuthHttpRequest

SCOPES_SUPPORTED = (*GRANTABLE_WITHOUT_DATA, *(f"patient/{kind}.cruds" for kind in DATA_WORDS))


def token(session: Session, settings: Settings, request: OAuthHttpRequest) -> OAuthAnswer:
    """`grant_type=authorization_code` (with the PKCE verifier) or `refresh_token`."""
    server = CarnetAuthorizationServer(session, settings)
    try:
        return server.create_token_response(request)
    except OAuth2Error as error:  # raised before authlib's own handling (e.g. an insecure base URL)
        return server.handle_response(*error())


def revoke(session: Session, settings: Settings, request: OAuthHttpRequest) -> OAuthAnswer:
    """RFC 7009: an app gives back a token (a refresh token takes its whole family with it)."""
    server = CarnetAuthorizationServer(session, settings)
    try:
        answer = server.create_endpoint_response("revocation", request)
    except OAuth2Error as error:
        return server.handle_response(*error())
    return answer


def smart_configuration(settings: Settings) -> dict:
    """SMART App Launch 2.x discovery (`/.well-known/smart-configuration`)."""
    base = settings.public_base_url.rstrip("/")
    return {
        "authorization_endpoint": f"{base}/oauth/authorize",
        "token_endpoint": f"{base}/oauth/token",
        "revocation_endpoint": f"{base}/oauth/revoke",
        "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "response_types_supported": ["code"],
        "scopes_supported": list(SCOPES_SUPPORTED),
        "code_challenge_methods_supported": ["S256"],
        "capabilities": ["launch-standalone", "client-public", "client-confidential-symmetric",
                         "context-standalone-patient", "permission-patient", "permission-v2", "permission-v1"],
    }
