"""The catalogue's administration: `carnet add-app` (options or JSON), `list-apps`,
`withdraw-app`, and what an app description must hold."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from carnet.cli import main
from server.db import transaction
from server.errors import Conflict, InvalidInput, NotFound
from server.models import CatalogueApp
from server.services import catalogue
from server.services.secrets import same_digest
from tests.server.oauth_flow import GLUCOSE_APP, TELECONSULT_APP, add_app


def _url(app) -> str:
    return app.state.engine.url.render_as_string(hide_password=False)


def test_a_public_app_has_no_secret_a_confidential_one_a_digest(app):
    public = add_app(app)
    assert public.client_secret is None and public.app.client_type == "public"
    confidential = add_app(app, TELECONSULT_APP)
    with app.state.session_factory() as session:
        row = session.get(CatalogueApp, TELECONSULT_APP.id)
    assert row.client_type == "confidential" and row.secret_digest != confidential.client_secret
    assert same_digest(confidential.client_secret, row.secret_digest)


@pytest.mark.parametrize("changes, says", [
    ({"id": "Gluco Suivi"}, "id:"),
    ({"category": "astrology"}, "category:"),
    ({"name": " "}, "name:"),
    ({"homepage": "http://gluco.example.org"}, "homepage:"),
    ({"redirect_uris": ()}, "redirect URIs"),
    ({"redirect_uris": ("http://gluco.example.org/cb",)}, "redirect URI"),  # plain http off the loopback
    ({"redirect_uris": ("https://gluco.example.org/cb#frag",)}, "redirect URI"),
    ({"redirect_uris": ("myapp:/cb",)}, "redirect URI"),  # a private scheme is a reverse domain name
    ({"scopes": "openid"}, "at least one"),
    ({"scopes": "patient/Observation.rs launch/patient"}, "always allowed"),
    ({"scopes": "user/Observation.rs"}, "patient/… scopes only"),
    ({"scopes": "patient/AuditEvent.rs"}, "cannot be granted AuditEvent"),
    ({"scopes": "patient/Observation.rs?status=final"}, "restrictions"),
    ({"scopes": "patient/Observation.xyz"}, "scopes:"),
])
def test_an_app_description_is_checked(app, changes, says):
    with pytest.raises(InvalidInput, match=says), transaction(app.state.session_factory) as session:
        catalogue.add_app(session, replace(GLUCOSE_APP, **changes))


def test_loopback_and_private_scheme_redirects_are_accepted(app):
    added = add_app(app, replace(GLUCOSE_APP, redirect_uris=(
        "http://127.0.0.1:8765/cb", "http://localhost/cb", "https://gluco.example.org/cb?x=1",
        "org.example.gluco:/callback")))
    assert len(added.app.redirect_uris) == 4
    with pytest.raises(Conflict), transaction(app.state.session_factory) as session:
        catalogue.add_app(session, GLUCOSE_APP)


def test_withdrawing_an_unknown_app(app):
    with pytest.raises(NotFound), transaction(app.state.session_factory) as session:
        catalogue.withdraw_app(session, "nobody")


def test_the_commands(app, tmp_path):
    runner, url = CliRunner(), _url(app)
    added = runner.invoke(main, [
        "add-app", "--id", "rdv-test", "--name", "RDV Test", "--publisher", "Agenda SAS", "--category", "booking",
        "--description", "Prenez rendez-vous.", "--homepage", "https://rdv.example.org",
        "--redirect-uri", "https://rdv.example.org/cb", "--redirect-uri", "org.example.rdv:/cb",
        "--scopes", "patient/Appointment.crus", "--database-url", url])
    assert added.exit_code == 0, added.output
    assert "App rdv-test (RDV Test) added: public client" in added.output and "secret" not in added.output
    described = tmp_path / "visio.json"
    described.write_text(json.dumps({
        "id": "visio-json", "name": "Visio", "publisher": "Visio SAS", "category": "teleconsultation",
        "description": "Téléconsultation.", "homepage": "https://visio.example.org",
        "redirect_uris": ["https://visio.example.org/cb"],
        "scopes": ["patient/Condition.rs", "patient/DocumentReference.crs"], "confidential": True}))
    from_json = runner.invoke(main, ["add-app", "--from-json", str(described), "--database-url", url])
    assert from_json.exit_code == 0, from_json.output
    assert "confidential client" in from_json.output and "Client secret (shown once" in from_json.output
    refused = runner.invoke(main, ["add-app", "--from-json", str(described), "--database-url", url])
    assert refused.exit_code != 0 and "already in the catalogue" in refused.output
    missing = runner.invoke(main, ["add-app", "--id", "x-y-z", "--database-url", url])
    assert missing.exit_code != 0 and "Missing:" in missing.output

    listed = runner.invoke(main, ["list-apps", "--database-url", url])
    assert listed.exit_code == 0 and "rdv-test" in listed.output and "visio-json" in listed.output
    withdrawn = runner.invoke(main, ["withdraw-app", "rdv-test", "--database-url", url])
    assert withdrawn.exit_code == 0 and "withdrawn" in withdrawn.output
    assert "withdrawn" in runner.invoke(main, ["list-apps", "--database-url", url]).output
    assert runner.invoke(main, ["withdraw-app", "nobody", "--database-url", url]).exit_code != 0
    with app.state.session_factory() as session:
        statuses = dict(session.execute(select(CatalogueApp.id, CatalogueApp.status)).all())
    assert statuses == {"rdv-test": "withdrawn", "visio-json": "active"}
