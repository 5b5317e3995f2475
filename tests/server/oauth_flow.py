"""An app's side of OAuth 2.0 + PKCE against Carnet, and a patient's browser on the consent
page: a real verifier, the page's real form (hidden fields and checkboxes read from its
HTML), codes read back from the delivery box."""
from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from server.db import transaction
from server.services import catalogue
from server.services.catalogue import AppDescription
from tests.server.auth_flows import PASSWORD, last_code

REDIRECT_URI = "http://127.0.0.1:8765/callback"
AUDIENCE = "http://127.0.0.1:8000/fhir"  # the default public_base_url's FHIR base

GLUCOSE_APP = AppDescription(
    id="gluco-test", name="GlucoTest", publisher="Glycemia Labs", category="diabetes",
    description="Vos glycémies dans votre dossier.", homepage="https://gluco.example.org",
    redirect_uris=(REDIRECT_URI, "org.example.gluco:/callback"),
    scopes="patient/Observation.rs patient/Observation.c")
TELECONSULT_APP = AppDescription(
    id="visio-test", name="VisioTest", publisher="Visio SAS", category="teleconsultation",
    description="Téléconsultation.", homepage="https://visio.example.org", redirect_uris=(REDIRECT_URI,),
    scopes="patient/Condition.rs patient/Observation.rs patient/DocumentReference.cruds", confidential=True)


def add_app(app, described: AppDescription = GLUCOSE_APP) -> catalogue.AddedApp:
    with transaction(app.state.session_factory) as session:
        return catalogue.add_app(session, described)


def pkce() -> tuple[str, str]:
    """(verifier, S256 challenge), as RFC 7636 §4 builds them."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@dataclass
class Authorization:
    """What an app sends the browser to /oauth/authorize with."""

    client_id: str
    scope: str
    challenge: str
    verifier: str
    state: str = field(default_factory=lambda: secrets.token_urlsafe(8))
    redirect_uri: str = REDIRECT_URI
    aud: str = AUDIENCE

    def query(self, **changes) -> dict:
        params = {"response_type": "code", "client_id": self.client_id, "redirect_uri": self.redirect_uri,
                  "scope": self.scope, "state": self.state, "code_challenge": self.challenge,
                  "code_challenge_method": "S256", "aud": self.aud, **changes}
        return {name: value for name, value in params.items() if value is not None}


def authorization(client_id: str, scope: str) -> Authorization:
    verifier, challenge = pkce()
    return Authorization(client_id, scope, challenge, verifier)


class PageForm(HTMLParser):
    """The consent page's form as a browser would submit it."""

    def __init__(self, html: str):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.checkboxes: list[str] = []
        self.texts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "input" or "name" not in attrs:
            return
        if attrs.get("type") == "checkbox":
            self.checkboxes.append(attrs["name"])
            if "checked" in attrs:
                self.fields[attrs["name"]] = "on"
        elif attrs.get("type") != "radio" or "checked" in attrs:
            self.fields.setdefault(attrs["name"], attrs.get("value", ""))

    def handle_data(self, data):
        if data.strip():
            self.texts.append(data.strip())

    @property
    def text(self) -> str:
        return " ".join(self.texts)


def submit(client, page, **fields):
    form = PageForm(page.text)
    return client.post("/oauth/authorize", data={**form.fields, **fields}, follow_redirects=False)


def redirect_parameters(response) -> dict[str, str]:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?"), location
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def consent(client, app, identifier: str, request: Authorization, *, untick: tuple[str, ...] = (),
            password: str = PASSWORD) -> dict[str, str]:
    """The patient's browser through the whole page: the parameters the app gets back."""
    page = client.get("/oauth/authorize", params=request.query(), follow_redirects=False)
    assert page.status_code == 200, page.text
    page = submit(client, page, identifier=identifier, password=password, action="continue")
    assert page.status_code == 200 and 'name="code"' in page.text, page.text
    page = submit(client, page, code=last_code(app, "email"), action="continue")
    assert page.status_code == 200 and 'type="checkbox"' in page.text, page.text
    form = PageForm(page.text)
    chosen = {name: value for name, value in form.fields.items() if name not in untick}
    answer = client.post("/oauth/authorize", data=chosen, follow_redirects=False)
    return redirect_parameters(answer)


def exchange(client, request: Authorization, code: str, **changes):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": request.redirect_uri,
            "client_id": request.client_id, "code_verifier": request.verifier, **changes}
    return client.post("/oauth/token", data={k: v for k, v in data.items() if v is not None})


def tokens_for(client, app, identifier: str, client_id: str, scope: str, *, secret: str | None = None,
               **consent_options) -> dict:
    """The app's token response after the patient consented (`secret`: a confidential app's)."""
    request = authorization(client_id, scope)
    answer = consent(client, app, identifier, request, **consent_options)
    assert answer["state"] == request.state
    response = exchange(client, request, answer["code"], client_secret=secret)
    assert response.status_code == 200, response.text
    return response.json()


def with_redirect(request: Authorization, redirect_uri: str) -> Authorization:
    return replace(request, redirect_uri=redirect_uri)
