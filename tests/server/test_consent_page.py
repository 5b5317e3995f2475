"""The consent page as a patient's browser sees it: French words for what the app asks,
sign-in through the throttled services, ticks, refusal, and a form no other site can post."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from server import clock
from tests.server.auth_flows import active_patient, cheap, last_code, professional
from tests.server.oauth_flow import (
    GLUCOSE_APP, PageForm, add_app, authorization, redirect_parameters, submit,
)

SCOPE = "launch/patient patient/Observation.rs patient/Observation.c"


@pytest.fixture
def settings(settings):
    return cheap(settings)


@pytest.fixture
def patient(app):
    add_app(app)
    return active_patient(app)


def _open(client, request=None):
    request = request or authorization(GLUCOSE_APP.id, SCOPE)
    page = client.get("/oauth/authorize", params=request.query(), follow_redirects=False)
    assert page.status_code == 200, page.text
    return page


def _signed_in(client, app, patient):
    page = submit(client, _open(client), identifier=patient.identifier, password="correct horse battery",
                  action="continue")
    return submit(client, page, code=last_code(app, "email"), action="continue")


def test_the_page_says_in_french_what_the_app_would_read_and_write(client, patient):
    page = _open(client)
    text = PageForm(page.text).text
    assert "GlucoSuivi" not in text and "GlucoTest demande l'accès à votre dossier" in text
    assert "Lire vos mesures et résultats" in text and "Ajouter dans vos mesures et résultats" in text
    assert "Éditée par Glycemia Labs" in text and "Diabète" in text
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert "<script" not in page.text.lower() and "http" not in page.text.split("<main>")[0].replace(
        'name="viewport"', "")  # nothing loaded from elsewhere
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/oauth/authorize" in cookie


def test_an_apps_words_are_shown_as_text(client, app):
    add_app(app, replace(GLUCOSE_APP, id="gluco-html", name="<b>Gluco</b>",
                         description="<script>alert(1)</script>"))
    page = _open(client, authorization("gluco-html", SCOPE))
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_the_patient_chooses_line_by_line(client, app, patient):
    page = _signed_in(client, app, patient)
    form = PageForm(page.text)
    assert form.checkboxes == ["read-0", "write-0"] and form.fields["read-0"] == "on"
    assert "Camille Martin, que permettez-vous à GlucoTest" in form.text
    answer = submit(client, page, **{"write-0": "", "action": "continue"})
    assert "code" in redirect_parameters(answer)


def test_refusing_goes_back_to_the_app_with_access_denied(client, app, patient):
    request = authorization(GLUCOSE_APP.id, SCOPE)
    answer = redirect_parameters(submit(client, _open(client, request), action="deny"))
    assert (answer["error"], answer["state"]) == ("access_denied", request.state) and "code" not in answer
    # Unticking everything is a refusal too.
    page = _signed_in(client, app, patient)
    form = PageForm(page.text)
    kept = {name: value for name, value in form.fields.items() if name not in form.checkboxes}
    answer = redirect_parameters(client.post("/oauth/authorize", data={**kept, "action": "continue"},
                                             follow_redirects=False))
    assert answer["error"] == "access_denied"
    assert client.get("/catalogue/grants", headers={}).status_code == 401


def test_another_site_cannot_post_the_form(client, patient):
    page = _open(client)
    fields = {**PageForm(page.text).fields, "identifier": patient.identifier, "password": "correct horse battery"}
    client.cookies.clear()  # a cross-site post carries no cookie of ours (SameSite=Strict)
    refused = client.post("/oauth/authorize", data=fields, follow_redirects=False)
    assert refused.status_code == 400 and "ouverte dans un autre navigateur" in PageForm(refused.text).text
    client.cookies.set("carnet_consent", "another-browser", path="/oauth/authorize")
    assert client.post("/oauth/authorize", data=fields, follow_redirects=False).status_code == 400
    forged = {**fields, "consent": "guessed"}
    assert client.post("/oauth/authorize", data=forged, follow_redirects=False).status_code == 400


def test_wrong_password_and_wrong_code_are_said_in_french_and_throttled(client, app, patient):
    page = _open(client)
    wrong = submit(client, page, identifier=patient.identifier, password="not it", action="continue")
    assert wrong.status_code == 401 and "Identifiant ou mot de passe incorrect" in wrong.text
    assert 'name="password"' in wrong.text  # the sign-in step again, same request
    for _ in range(2):
        wrong = submit(client, wrong, identifier=patient.identifier, password="not it", action="continue")
    throttled = submit(client, wrong, identifier=patient.identifier, password="correct horse battery",
                       action="continue")
    assert throttled.status_code == 429 and "Trop de tentatives" in throttled.text


def test_a_wrong_code_keeps_the_code_step_and_a_new_code_can_be_asked(client, app, patient):
    page = submit(client, _open(client), identifier=patient.identifier, password="correct horse battery",
                  action="continue")
    assert "Nous venons d'envoyer un code à c•••@example.org" in PageForm(page.text).text
    wrong = submit(client, page, code="000000", action="continue")
    assert wrong.status_code == 401 and "Code incorrect ou expiré" in wrong.text and 'name="code"' in wrong.text
    again = submit(client, wrong, action="restart")
    assert again.status_code == 200 and 'name="password"' in again.text


def test_only_a_patient_grants(client, app, patient):
    pro = professional(app)
    page = submit(client, _open(client), identifier=pro.identifier, password="correct horse battery",
                  action="continue")
    refused = submit(client, page, code=last_code(app, "email"), action="continue")
    assert refused.status_code == 403 and "titulaire d'un espace patient" in PageForm(refused.text).text


def test_the_page_waits_fifteen_minutes(client, app, patient, monkeypatch):
    page = _open(client)
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + timedelta(minutes=16))
    late = submit(client, page, identifier=patient.identifier, password="correct horse battery", action="continue")
    assert late.status_code == 400 and "a expiré" in late.text


def test_steps_cannot_be_skipped(client, app, patient):
    page = _open(client)
    skipped = submit(client, page, step="choose", **{"read-0": "on", "action": "continue"})
    assert skipped.status_code == 200 and 'name="password"' in skipped.text  # still the sign-in step
    assert "location" not in skipped.headers
