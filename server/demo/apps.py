"""The demo's app catalogue: four referenced apps (all fictional), and the glucose meter's
companion app, which the demo patient granted a month ago.

Every app is a public client (PKCE, no secret) whose redirect URI is on the loopback, so
the OAuth walk-through of the README runs against the demo with curl alone.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy.orm import Session

from health.app_catalogue import granted_scope
from health.smart_scopes import parse_scopes
from server.models import Account, CatalogueApp
from server.services import app_grants, catalogue
from server.services.catalogue import AppDescription

DEMO_REDIRECT_URI = "http://127.0.0.1:8765/callback"

GLUCO_SUIVI = AppDescription(
    id="gluco-suivi", name="GlucoSuivi", publisher="Glycemia Connect SAS", category="diabetes",
    description="L'application compagnon de votre lecteur de glycémie : elle ajoute vos mesures à votre "
                "dossier et vous montre leur évolution.",
    homepage="https://glucosuivi.demo.carnet.example",
    redirect_uris=(DEMO_REDIRECT_URI, "fr.glucosuivi.app:/oauth/callback"),
    scopes="patient/Observation.rs patient/Observation.c")
TELECONSULTATION = AppDescription(
    id="teleconsult-plus", name="TéléConsult+", publisher="MédiVisio", category="teleconsultation",
    description="Consultez un médecin en vidéo. Le médecin lit votre dossier pendant la consultation et y "
                "dépose son compte rendu.",
    homepage="https://teleconsult-plus.demo.carnet.example", redirect_uris=(DEMO_REDIRECT_URI,),
    scopes="patient/Patient.rs patient/Condition.rs patient/AllergyIntolerance.rs "
           "patient/MedicationStatement.rs patient/Observation.rs patient/DocumentReference.crs")
BOOKING = AppDescription(
    id="rdv-sante", name="RDV Santé", publisher="Agenda Soins SAS", category="booking",
    description="Prenez rendez-vous chez vos soignants : vos rendez-vous arrivent dans l'agenda de Carnet.",
    homepage="https://rdv-sante.demo.carnet.example", redirect_uris=(DEMO_REDIRECT_URI,),
    scopes="patient/Appointment.crus")
FITNESS = AppDescription(
    id="foulee", name="Foulée", publisher="Foulée Labs", category="fitness",
    description="Votre activité physique au quotidien, à la lumière de votre poids et de votre tension "
                "(lecture seule).",
    homepage="https://foulee.demo.carnet.example", redirect_uris=(DEMO_REDIRECT_URI,),
    scopes="patient/Observation.rs?category=vital-signs")

DEMO_APPS = (GLUCO_SUIVI, TELECONSULTATION, BOOKING, FITNESS)


def add_demo_apps(session: Session) -> int:
    """Reference the demo apps that are not in the catalogue yet; returns how many were added."""
    added = 0
    for app in DEMO_APPS:
        if session.get(CatalogueApp, app.id) is None:
            catalogue.add_app(session, app)
            added += 1
    return added


def grant_demo_app(session: Session, patient: Account, today: date) -> None:
    """The demo patient let GlucoSuivi read and add her measurements, a month ago."""
    asked = parse_scopes(f"launch/patient offline_access {GLUCO_SUIVI.scopes}")
    granted = granted_scope(asked, {0: (True, True)})  # as the consent page records it: both ticked
    grant = app_grants.record_consent(session, patient, session.get(CatalogueApp, GLUCO_SUIVI.id), granted)
    grant.granted_at = datetime.combine(today - timedelta(days=30), time(18, 30), tzinfo=timezone.utc)
