"""The demo patient's health agenda: past and upcoming appointments with her GP, a dentist,
an ophthalmologist and the hospital, and one she noted herself.

Appointments from her care team are theirs (read-only for her); the dentist and the
ophthalmologist were booked through an online booking service, so the platform wrote
them; the osteopath is her own note. Practitioners outside the demo's cast appear by
name only (`actor.display`), as a booking service sends them.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from server.demo.cast import Clinician
from server.demo.context import RecordContext
from server.demo.fhir_parts import paris_datetime, practitioner_ref

# Who wrote an appointment into the record, besides a clinician of the cast.
BOOKING_SERVICE = "booking"
PATIENT = "patient"


def add_appointments(ctx: RecordContext) -> None:
    gp, lung = ctx.team.role("gp"), ctx.team.role("pneumologist")
    _add(ctx, gp, days=-41, hour=17, minutes=20, status="fulfilled", description="Consultation de suivi",
         with_whom=practitioner_ref(gp), place=gp.practice)
    _add(ctx, BOOKING_SERVICE, days=-150, hour=9, minutes=30, status="fulfilled",
         description="Contrôle et détartrage", with_whom={"display": "Dr Sylvie Caron, chirurgien-dentiste"},
         place="Cabinet dentaire Bellecour")
    _add(ctx, lung, days=9, hour=14, minutes=45, status="booked",
         description="Consultation de suivi en pneumologie (EFR)", with_whom=practitioner_ref(lung),
         place=lung.practice)
    _add(ctx, BOOKING_SERVICE, days=23, hour=10, minutes=20, status="booked",
         description="Examen de la vue et fond d'œil",
         with_whom={"display": "Dr Marc Aubert, ophtalmologiste"}, place="Centre ophtalmologique Lyon Presqu'île")
    _add(ctx, gp, days=68, hour=18, minutes=20, status="booked", description="Renouvellement du traitement",
         with_whom=practitioner_ref(gp), place=gp.practice)
    _add(ctx, PATIENT, days=5, hour=12, minutes=45, status="booked", description="Séance d'ostéopathie",
         with_whom={"display": "Julien Perrin, ostéopathe"}, place=None)


def _add(ctx: RecordContext, author: Clinician | str, *, days: int, hour: int, minutes: int, status: str,
         description: str, with_whom: dict, place: str | None) -> dict:
    start = datetime.fromisoformat(paris_datetime(ctx.today + timedelta(days=days), hour, minutes))
    # Whom it is with comes first: the device's agenda shows the first participant's name.
    participants = [{"actor": with_whom, "status": "accepted"},
                    {"actor": ctx.patient_ref, "status": "accepted"}]
    if place:
        participants.append({"actor": {"display": place}, "status": "accepted"})
    appointment = {"resourceType": "Appointment", "id": ctx.new_id(), "status": status,
                   "description": description, "start": start.isoformat(),
                   "end": (start + timedelta(minutes=30)).isoformat(), "minutesDuration": 30,
                   "participant": participants}
    if isinstance(author, Clinician):
        return ctx.add(appointment, author)
    return ctx.add(appointment, None, by_platform=author == BOOKING_SERVICE)
