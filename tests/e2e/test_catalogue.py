"""In a real browser: sign in, open Applications, allow an app to read one kind of data
(confirmed), see it among the allowed apps, revoke it (confirmed); the server holds the grant,
then no longer."""
from __future__ import annotations

import re

from sqlalchemy import select

from server.models import AppGrant
from tests.e2e.flutter_page import STEP_TIMEOUT_MS, button, click, navigate, open_app, see, sign_in
from tests.server.oauth_flow import GLUCOSE_APP, TELECONSULT_APP, add_app


def live_grants(world) -> list[str]:
    with world.app.state.session_factory() as session:
        return list(session.scalars(select(AppGrant.scopes).where(AppGrant.revoked_at.is_(None))))


def test_allow_an_app_to_read_then_revoke_it(browser, world, start_app, opened_pages):
    add_app(world.app)
    add_app(world.app, TELECONSULT_APP)
    app = start_app(world.server_url)
    page = open_app(browser, app.url, 1440, 900)
    opened_pages.append(page)

    sign_in(page, world)

    navigate(page, "Applications")
    see(page, "Vous n'avez autorisé aucune application.")
    page.get_by_role("button", name=re.compile(rf"^{GLUCOSE_APP.name}")).first.click(timeout=STEP_TIMEOUT_MS)
    see(page, "Vous n'avez pas autorisé cette application.")
    # The line reads as one switch named by its words (the tile flips it when tapped).
    page.get_by_role("switch", name=re.compile(r"^Lire vos mesures et résultats")).or_(
        page.get_by_role("checkbox", name=re.compile(r"^Lire vos mesures et résultats"))).or_(
        page.get_by_role("button", name=re.compile(r"^Lire vos mesures et résultats"))).first \
        .click(timeout=STEP_TIMEOUT_MS)
    click(page, "Autoriser")
    see(page, "GlucoTest pourra, dès sa prochaine demande")
    button(page, "Autoriser").last.click()
    see(page, "Autorisée depuis le")
    assert live_grants(world) == ["patient/Observation.rs"]

    click(page, "Retour aux applications")
    page.get_by_role("button", name=re.compile(rf"^{GLUCOSE_APP.name}.*Autorisée depuis", re.S)).first \
        .click(timeout=STEP_TIMEOUT_MS)
    click(page, "Retirer l'accès")
    see(page, "ne pourra plus rien lire ni écrire dans votre dossier")
    button(page, "Retirer l'accès").last.click()
    see(page, "Vous n'avez autorisé aucune application.")
    assert live_grants(world) == []
    page.close()
