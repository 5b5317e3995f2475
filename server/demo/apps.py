"""The demo's app catalogue: four referenced apps (all fictional), and the glucose meter's
companion app, which the demo patient granted a month ago and which has read her
measurements since (its traces in her access history, what the Catalogue screen shows).

Every app is a public client (PKCE, no secret) whose redirect URI is on the loopback, so
the OAuth walk-through of the README runs against the demo with curl alone.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from health.app_catalogue import granted_scope
from health.smart_scopes import parse_scopes
from server.models import Account, CatalogueApp, Resource
from server.principal import AppAuthorisation, Principal
from server.services import app_grants, audit, catalogue, compartments
from server.services.access import Decision
from server.services.audit import Access
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


# When GlucoSuivi read her measurements since she granted it (days ago, hour UTC).
GLUCO_SUIVI_READS = ((29, 19), (22, 8), (15, 8), (8, 7), (1, 7))


def grant_demo_app(session: Session, patient: Account, today: date) -> int:
    """The demo patient let GlucoSuivi read and add her measurements, a month ago; it has read
    them about once a week since. Returns how many AuditEvents that published."""
    asked = parse_scopes(f"launch/patient offline_access {GLUCO_SUIVI.scopes}")
    granted = granted_scope(asked, {0: (True, True)})  # as the consent page records it: both ticked
    app = session.get(CatalogueApp, GLUCO_SUIVI.id)
    grant = app_grants.record_consent(session, patient, app, granted)
    grant.granted_at = datetime.combine(today - timedelta(days=30), time(18, 30), tzinfo=timezone.utc)
    principal = Principal(patient.id, patient.kind, patient.fhir_id, grant.id, display_name=patient.display_name,
                          app=AppAuthorisation(app.id, app.name, granted))
    measurements = session.scalars(select(Resource.id).where(
        Resource.patient_account_id == patient.id, Resource.resource_type == "Observation",
        Resource.deleted.is_(False)).order_by(Resource.date.desc()).limit(12)).all()
    for days_ago, hour in GLUCO_SUIVI_READS:
        when = datetime.combine(today - timedelta(days=days_ago), time(hour, 12), tzinfo=timezone.utc)
        access = Access("search-type", tuple(f"Observation/{ident}" for ident in measurements), "Observation",
                        f"patient={patient.fhir_id}", len(measurements))
        audit.record(session, principal, compartments.load(session, patient.id, now=when), access, Decision(True),
                     now=when, notify=False)
        grant.last_used_at = when
    return len(GLUCO_SUIVI_READS)
