"""The health agenda as an iCalendar file: FHIR Appointments as calendar events.

Pure (no I/O, no clock: the caller says when each appointment last changed), so the server
(`GET /agenda.ics`) and the device (offline, from its cache) write the same calendar.

What a calendar file shows is what the patient's agenda shows, nothing more: when, what
the appointment is (its description), with whom (the practitioner's name) and whether it
still stands. No reason, no comment, no patient identity: a calendar is often synced to
places a health record is not. Appointments without a start (proposals) and those
entered in error are left out; cancelled ones stay, marked CANCELLED, so a calendar that
imported them earlier drops them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Iterable

from health.fhir_index import parse_fhir_date

if TYPE_CHECKING:
    from icalendar import Event

PRODUCT_ID = "-//Carnet//Agenda santé//FR"
CALENDAR_NAME = "Carnet — rendez-vous"
DEFAULT_TITLE = "Rendez-vous médical"
_STATUS = {"proposed": "TENTATIVE", "pending": "TENTATIVE", "waitlist": "TENTATIVE",
           "booked": "CONFIRMED", "arrived": "CONFIRMED", "checked-in": "CONFIRMED", "fulfilled": "CONFIRMED",
           "cancelled": "CANCELLED", "noshow": "CANCELLED"}


@dataclass(frozen=True)
class CalendarEntry:
    """One appointment to export: its FHIR content, and which version of it this is."""

    id: str
    appointment: dict
    version: int  # 1 for the first version: a calendar replaces an event by one of a higher sequence
    last_updated: datetime  # aware; the event's DTSTAMP


def calendar_of(entries: Iterable[CalendarEntry]) -> bytes:
    """The entries as one iCalendar file (UTF-8 bytes), in the order given."""
    from icalendar import Calendar  # only when a calendar is written: the app's agenda reads this module

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    for entry in entries:
        event = _event(entry)
        if event is not None:
            calendar.add_component(event)
    return calendar.to_ical()


def practitioner_name(appointment: dict) -> str | None:
    """Whom the appointment is with, as the agenda shows it: the first participant that is
    neither the patient nor a place, by its display name."""
    for participant in appointment.get("participant") or []:
        actor = participant.get("actor") if isinstance(participant, dict) else None
        if not isinstance(actor, dict) or _is_patient(actor) or is_place(actor):
            continue
        name = _text(actor.get("display"))
        if name:
            return name
    return None


def is_place(actor: dict) -> bool:
    """A participant that is where the appointment takes place (a FHIR Location)."""
    return str(actor.get("reference", "")).startswith("Location/") or actor.get("type") == "Location"


def _is_patient(actor: dict) -> bool:
    return str(actor.get("reference", "")).startswith("Patient/")


def end_of(appointment: dict, start: datetime) -> datetime | None:
    """When the appointment ends: its `end`, else its start plus `minutesDuration`."""
    end = parse_fhir_date(appointment.get("end"))
    if end is not None and end > start:
        return end
    minutes = appointment.get("minutesDuration")
    return start + timedelta(minutes=minutes) if isinstance(minutes, int) and minutes > 0 else None


def _event(entry: CalendarEntry) -> Event | None:
    from icalendar import Event

    appointment = entry.appointment or {}
    start = parse_fhir_date(appointment.get("start"))
    status = appointment.get("status")
    if start is None or status == "entered-in-error":
        return None
    event = Event()
    event.add("uid", f"{entry.id}@carnet")
    event.add("dtstamp", entry.last_updated)
    event.add("sequence", max(entry.version - 1, 0))
    event.add("dtstart", start)
    end = end_of(appointment, start)
    if end is not None:
        event.add("dtend", end)
    event.add("summary", _text(appointment.get("description")) or DEFAULT_TITLE)
    practitioner = practitioner_name(appointment)
    if practitioner:
        event.add("description", f"Avec {practitioner}")
    event.add("status", _STATUS.get(status, "CONFIRMED"))
    return event


def _text(value) -> str | None:
    return value.strip()[:300] or None if isinstance(value, str) else None
