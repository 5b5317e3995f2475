"""Telling the patient what happened to their record: by e-mail, with no health data in it.

The notification itself is in the record: the AuditEvent of the access carries it as a
`meta.tag` (health.audit_events: first-access, emergency-access, new-document, new-message), and the
device, which gets every AuditEvent through the change feed, shows it. This module only
sends the e-mail that makes the patient open the app: never a name, a profession, a
document title or type, just that something happened.

- emergency access: always e-mailed (the patient cannot turn it off);
- a professional's first access, a new document or message: unless the patient turned it
  off (services.privacy; messages follow the documents' choice); e-mails about new
  documents and messages at most one an hour (a hospital may deposit ten documents at once).
One traced request sends at most one e-mail, the most important. Without an e-mail
address (a minor), it goes to the legal representatives.

The e-mail leaves after the transaction commits (services.delivery.send_after_commit),
through the Delivery the app puts in each session's `info` (server/app.py); a session
without one (command-line tools) sends nothing.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from health.audit_events import EMERGENCY_ACCESS, FIRST_ACCESS, NEW_DOCUMENT, NEW_MESSAGE
from server.clock import as_utc
from server.models import Account, LegalRepresentation, PrivacySettings
from server.services.delivery import Delivery, send_after_commit

DELIVERY_INFO_KEY = "carnet_delivery"
DOCUMENT_EMAIL_INTERVAL = timedelta(hours=1)
_SUBJECT = "Carnet : du nouveau dans votre dossier / news in your record"

_BODIES = {
    EMERGENCY_ACCESS: ("Quelqu'un a ouvert {fr} en urgence. Ouvrez l'application Carnet pour voir qui, et pourquoi.",
                       "Someone opened {en} in an emergency. Open the Carnet app to see who, and why."),
    FIRST_ACCESS: ("Quelqu'un a ouvert {fr} pour la première fois. Ouvrez l'application Carnet pour voir qui.",
                   "Someone accessed {en} for the first time. Open the Carnet app to see who."),
    NEW_DOCUMENT: ("Un nouveau document a été ajouté à {fr}. Ouvrez l'application Carnet pour le consulter.",
                   "A new document was added to {en}. Open the Carnet app to read it."),
    NEW_MESSAGE: ("Un nouveau message est arrivé dans {fr}. Ouvrez l'application Carnet pour le lire.",
                  "A new message arrived in {en}. Open the Carnet app to read it."),
}
_WHOSE = {"own": ("votre dossier Carnet", "your Carnet record"),
          "managed": ("un dossier Carnet dont vous avez la charge", "a Carnet record you manage")}


def notify(session: Session, patient_account_id: str, kinds: set[str] | frozenset[str], now: datetime) -> None:
    """E-mail the patient (or their representatives) about the most important of `kinds`."""
    delivery: Delivery | None = session.info.get(DELIVERY_INFO_KEY)
    settings = session.get(PrivacySettings, patient_account_id)
    kind = _worth_an_email(kinds, settings, now)
    if delivery is None or kind is None:
        return
    sent = False
    for recipient, whose in _recipients(session, patient_account_id):
        french, english = _BODIES[kind]
        where_fr, where_en = _WHOSE[whose]
        body = f"{french.format(fr=where_fr)}\n\n{english.format(en=where_en)}\n"
        send_after_commit(session, delivery, "email", recipient, _SUBJECT, body)
        sent = True
    if sent and kind in (NEW_DOCUMENT, NEW_MESSAGE):
        _remember_document_email(session, patient_account_id, settings, now)


def _worth_an_email(kinds, settings: PrivacySettings | None, now: datetime) -> str | None:
    if EMERGENCY_ACCESS in kinds:
        return EMERGENCY_ACCESS
    if FIRST_ACCESS in kinds and (settings is None or settings.email_on_first_access):
        return FIRST_ACCESS
    news = [kind for kind in (NEW_DOCUMENT, NEW_MESSAGE) if kind in kinds]
    if news and (settings is None or settings.email_on_new_document):
        last = settings.last_document_email_at if settings is not None else None
        if last is None or now - as_utc(last) >= DOCUMENT_EMAIL_INTERVAL:
            return news[0]
    return None


def _recipients(session: Session, patient_account_id: str) -> list[tuple[str, str]]:
    patient = session.get(Account, patient_account_id)
    if patient is not None and patient.email and patient.email_confirmed:
        return [(patient.email, "own")]
    representatives = session.scalars(select(Account).join(
        LegalRepresentation, LegalRepresentation.representative_account_id == Account.id).where(
        LegalRepresentation.represented_account_id == patient_account_id))
    return [(account.email, "managed") for account in representatives if account.email and account.email_confirmed]


def _remember_document_email(session: Session, patient_account_id: str, settings: PrivacySettings | None,
                             now: datetime) -> None:
    if settings is None:
        settings = PrivacySettings(patient_account_id=patient_account_id, emergency_access_allowed=True,
                                   email_on_first_access=True, email_on_new_document=True, updated_at=now)
        session.add(settings)
    settings.last_document_email_at = now
