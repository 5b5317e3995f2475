"""The health agenda as iCalendar files, for the device's calendar.

Signed in with the bearer header like every other route: never a token in the URL (a
calendar subscription URL would leak it to logs and sync services).
"""
from __future__ import annotations

from fastapi import APIRouter, Response

from server.api.deps import CurrentPatient, CurrentPrincipal, SessionDep
from server.api.outcome import FHIR_JSON
from server.services import agenda

CALENDAR = "text/calendar"

router = APIRouter(tags=["Agenda"], responses={
    "4XX": {"description": "OperationOutcome saying what is wrong", "content": {FHIR_JSON: {}}},
    200: {"content": {CALENDAR: {}}}})


def _calendar(data: bytes, filename: str) -> Response:
    return Response(data, media_type=f"{CALENDAR}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@router.get("/agenda.ics", summary="The signed-in patient's appointments as an iCalendar file",
            response_class=Response)
def patient_agenda(session: SessionDep, principal: CurrentPatient) -> Response:
    return _calendar(agenda.patient_calendar(session, principal), "carnet-agenda.ics")


@router.get("/agenda/{appointment_id}.ics", summary="One appointment as an iCalendar file",
            response_class=Response)
def one_appointment(appointment_id: str, session: SessionDep, principal: CurrentPrincipal) -> Response:
    return _calendar(agenda.appointment_calendar(session, principal, appointment_id), "rendez-vous.ics")
