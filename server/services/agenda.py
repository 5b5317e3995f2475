"""The health agenda exported to a calendar: appointments (FHIR Appointment) as iCalendar.

What a calendar file shows is what the patient's agenda shows, nothing more: when, what
the appointment is (its description), with whom (the practitioner's name) and whether it
still stands. No reason, no comment, no patient identity: a calendar is often synced to
places a health record is not. Appointments without a start (proposals) and those
entered in error are left out; cancelled ones stay, marked CANCELLED, so a calendar that
imported them earlier drops them.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from health.fhir_index import parse_fhir_date
from server.models import Resource
from server.principal import Principal
from server.services import record

PRODUCT_ID = "-//Carnet//Agenda santé//FR"
DEFAULT_TITLE = "Rendez-vous médical"
_STATUS = {"proposed": "TENTATIVE", "pending": "TENTATIVE", "waitlist": "TENTATIVE",
           "booked": "CONFIRMED", "arrived": "CONFIRMED", "checked-in": "CONFIRMED", "fulfilled": "CONFIRMED",
           "cancelled": "CANCELLED", "noshow": "CANCELLED"}


def patient_calendar(session: Session, principal: Principal) -> bytes:
    """The signed-in patient's whole agenda, past and upcoming, as one calendar."""
    rows = session.execute(select(Resource).where(
        Resource.resource_type == "Appointment", Resource.patient_account_id == principal.account_id,
        Resource.deleted.is_(False),
    ).order_by(Resource.date, Resource.id)).scalars().all()
    return calendar_of([record.StoredResource.of(row) for row in rows])


def appointment_calendar(session: Session, principal: Principal, appointment_id: str) -> bytes:
    """One appointment the principal may read, as a calendar of one event."""
    return calendar_of([record.read(session, principal, "Appointment", appointment_id)])


def calendar_of(appointments: list[record.StoredResource]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Carnet — rendez-vous")
    for stored in appointments:
        event = _event(stored)
        if event is not None:
            calendar.add_component(event)
    return calendar.to_ical()


def _event(stored: record.StoredResource) -> Event | None:
    appointment = stored.content or {}
    start = parse_fhir_date(appointment.get("start"))
    status = appointment.get("status")
    if start is None or status == "entered-in-error":
        return None
    event = Event()
    event.add("uid", f"{stored.id}@carnet")
    event.add("dtstamp", stored.last_updated)
    event.add("sequence", stored.version - 1)  # a calendar replaces an event by a higher one
    event.add("dtstart", start)
    end = _end(appointment, start)
    if end is not None:
        event.add("dtend", end)
    event.add("summary", _text(appointment.get("description")) or DEFAULT_TITLE)
    practitioner = practitioner_name(appointment)
    if practitioner:
        event.add("description", f"Avec {practitioner}")
    event.add("status", _STATUS.get(status, "CONFIRMED"))
    return event


def _end(appointment: dict, start: datetime) -> datetime | None:
    end = parse_fhir_date(appointment.get("end"))
    if end is not None and end > start:
        return end
    minutes = appointment.get("minutesDuration")
    return start + timedelta(minutes=minutes) if isinstance(minutes, int) and minutes > 0 else None


def practitioner_name(appointment: dict) -> str | None:
    """Whom the appointment is with, as the device's agenda shows it: the first participant
    that is not the patient, by its display name."""
    for participant in appointment.get("participant") or []:
        actor = participant.get("actor") if isinstance(participant, dict) else None
        if not isinstance(actor, dict) or str(actor.get("reference", "")).startswith("Patient/"):
            continue
        name = _text(actor.get("display"))
        if name:
            return name
    return None


def _text(value) -> str | None:
    return value.strip()[:300] or None if isinstance(value, str) else None
