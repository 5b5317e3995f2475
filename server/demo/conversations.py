"""The demo patient's secure messaging: conversations opened by her care teams (GP,
hospital, pharmacist, lab), some she answered, one carrying a PDF report, some unread.

Every message is a FHIR Communication as the server stores it: the first message of a
conversation stands alone, each reply names it in `partOf`; `received` is set on the
messages their recipient has read.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from server.demo import letters
from server.demo.cast import Clinician
from server.demo.context import RecordContext
from server.demo.fhir_parts import french_date, paris_datetime, practitioner_ref
from server.demo.pdf_files import PaperDocument, render_pdf


def add_conversations(ctx: RecordContext) -> None:
    _gp_results(ctx)
    _hospital_report(ctx)
    _cardiology_question(ctx)
    _pharmacy_ready(ctx)
    _lab_results(ctx)


class _Conversation:
    """Writes one conversation into the context, message after message."""

    def __init__(self, ctx: RecordContext, subject: str, opener: Clinician, *, sender: dict | None = None):
        self.ctx, self.subject, self.opener = ctx, subject, opener
        self.team_sender = sender or practitioner_ref(opener)
        self.first_id: str | None = None

    def from_team(self, when: datetime, text: str, *, read_after: timedelta | None = None,
                  attachment: dict | None = None) -> dict:
        return self._add(when, text, self.team_sender, [self.ctx.patient_ref], self.opener, read_after, attachment)

    def from_patient(self, when: datetime, text: str, *, read_after: timedelta | None = None) -> dict:
        return self._add(when, text, self.ctx.patient_ref, [self.team_sender], None, read_after, None)

    def _add(self, when: datetime, text: str, sender: dict, recipients: list[dict], author: Clinician | None,
             read_after: timedelta | None, attachment: dict | None) -> dict:
        payload: list[dict] = [{"contentString": text}]
        if attachment:
            payload.append({"contentAttachment": attachment})
        message = {"resourceType": "Communication", "id": self.ctx.new_id(), "status": "completed",
                   "subject": self.ctx.patient_ref, "topic": {"text": self.subject}, "sent": _instant(when),
                   "sender": sender, "recipient": recipients, "payload": payload}
        if self.first_id is not None:
            message["partOf"] = [{"reference": f"Communication/{self.first_id}"}]
        if read_after is not None:
            message["received"] = _instant(when + read_after)
        self.ctx.add(message, author)
        self.first_id = self.first_id or message["id"]
        return message


def _at(ctx: RecordContext, days_ago: int, hour: int, minute: int = 0) -> datetime:
    """A moment `days_ago` days before the demo's today, at a French local time."""
    return datetime.fromisoformat(paris_datetime(ctx.today - timedelta(days=days_ago), hour, minute))


def _gp_results(ctx: RecordContext) -> None:
    gp = ctx.team.role("gp")
    talk = _Conversation(ctx, "Résultats de votre bilan sanguin", gp)
    talk.from_team(_at(ctx, 12, 18, 40), "Bonjour Madame Moreau, vos résultats sont arrivés : le cholestérol LDL "
                   "est revenu à 1,18 g/L, la glycémie et la fonction rénale sont normales. On garde "
                   "l'atorvastatine à la même dose.", read_after=timedelta(hours=2))
    talk.from_patient(_at(ctx, 12, 21, 5), "Merci docteur, bonne nouvelle. Dois-je refaire une prise de sang "
                      "avant notre prochain rendez-vous ?", read_after=timedelta(hours=13))
    talk.from_team(_at(ctx, 11, 12, 30), "Oui, un bilan lipidique une semaine avant, je vous mets l'ordonnance "
                   "dans vos documents.", read_after=timedelta(hours=5))


def _hospital_report(ctx: RecordContext) -> None:
    lung = ctx.team.role("pneumologist")
    service = {"type": "Organization", "display": lung.practice}
    talk = _Conversation(ctx, "Compte rendu de votre consultation de pneumologie", lung, sender=service)
    day = ctx.today - timedelta(days=24)
    report = render_pdf(PaperDocument(
        letterhead=[lung.practice, f"{lung.display_name} — {lung.specialty}", lung.address, f"Tél. {lung.phone}"],
        title="Compte rendu de consultation", place_and_date=f"Lyon, le {french_date(day)}",
        patient_line=f"Mme {ctx.person.given} {ctx.person.family.upper()}",
        paragraphs=letters.pneumology_report(ctx.rng, day, 88), signature=lung.display_name))
    stored = ctx.add_file("application/pdf", report)
    attachment = {"contentType": "application/pdf", "url": f"Binary/{stored.binary_id}", "size": len(report),
                  "title": "Compte rendu de consultation de pneumologie.pdf", "language": "fr-FR"}
    talk.from_team(_at(ctx, 23, 9, 15), "Madame, veuillez trouver ci-joint le compte rendu de votre consultation "
                   "du service de pneumologie. Le Dr Girard vous reverra dans trois mois.",
                   read_after=timedelta(hours=6), attachment=attachment)
    talk.from_patient(_at(ctx, 23, 17, 50), "Bien reçu, merci. Je l'ajoute à mes documents.",
                      read_after=timedelta(days=1))


def _cardiology_question(ctx: RecordContext) -> None:
    cardiologist = ctx.team.role("cardiologist")
    talk = _Conversation(ctx, "Votre holter tensionnel", cardiologist)
    talk.from_team(_at(ctx, 6, 11, 0), "Bonjour, pensez à noter vos activités pendant les 24 heures du holter "
                   "(coucher, lever, effort) sur la fiche qui vous sera remise.", read_after=timedelta(hours=3))
    talk.from_patient(_at(ctx, 6, 19, 20), "D'accord. Puis-je prendre mon amlodipine comme d'habitude le matin "
                      "de la pose ?", read_after=timedelta(hours=15))
    talk.from_team(_at(ctx, 5, 10, 45), "Oui, surtout ne changez rien à votre traitement.")


def _pharmacy_ready(ctx: RecordContext) -> None:
    pharmacist = ctx.team.role("pharmacist")
    talk = _Conversation(ctx, "Votre commande est prête", pharmacist)
    talk.from_team(_at(ctx, 2, 15, 10), "Bonjour, le Seretide commandé pour vous est arrivé à la pharmacie. "
                   "Il vous attend au comptoir jusqu'à samedi.")


def _lab_results(ctx: RecordContext) -> None:
    biologist = ctx.team.role("biologist")
    talk = _Conversation(ctx, "Vos résultats d'analyses sont disponibles", biologist)
    talk.from_team(_at(ctx, 1, 8, 5), "Bonjour, le compte rendu de vos analyses du "
                   f"{french_date(ctx.today - timedelta(days=3))} est déposé dans vos documents. Aucun résultat "
                   "ne nécessite d'action urgente ; votre médecin les commentera.")


def _instant(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
