"""The consent page as HTML: server-rendered, in French, no script, nothing from elsewhere.

Jinja2 escapes everything it prints (an app's name or description cannot inject markup).
Every answer forbids caching and framing (no clickjacking of the "Autoriser" button), and
carries the browser's consent cookie (services.app_consent).
"""
from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from server.config import Settings
from server.services.app_consent import AUTHORIZE_PATH, ConsentOutcome, ConsentPage, ConsentRedirect
from server.services.secrets import new_token

BROWSER_COOKIE = "carnet_consent"
_PAGES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                     autoescape=select_autoescape(["html"]))
_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                               "frame-ancestors 'none'",
}


def browser_secret(request: Request) -> str | None:
    value = request.cookies.get(BROWSER_COOKIE)
    return value if value and len(value) <= 128 else None


def new_browser_secret(request: Request) -> str:
    """The browser's secret, kept if it has one (two tabs may each wait for a consent)."""
    return browser_secret(request) or new_token()


def respond(outcome: ConsentOutcome, settings: Settings, secret: str | None) -> Response:
    """The page, the redirect back to the app, or the page saying why it cannot go on."""
    if isinstance(outcome, ConsentRedirect):
        # 303: the browser follows with a GET, whether it came with a GET or a POST.
        response: Response = RedirectResponse(outcome.location, status_code=303, headers=_HEADERS)
    elif isinstance(outcome, ConsentPage):
        response = HTMLResponse(_PAGES.get_template("consent.html").render(page=outcome),
                                status_code=outcome.status, headers=_HEADERS)
    else:
        response = HTMLResponse(_PAGES.get_template("consent_refused.html").render(message=outcome.message),
                                status_code=outcome.status, headers=_HEADERS)
    if secret is not None:
        response.set_cookie(BROWSER_COOKIE, secret, max_age=settings.oauth_consent_ttl_seconds, path=AUTHORIZE_PATH,
                            httponly=True, samesite="strict",
                            secure=settings.public_base_url.startswith("https://"))
    return response
