"""The health agenda exported to a calendar: the patient's appointments (FHIR Appointment)
as iCalendar, written by health.calendar (which the device uses offline too); what a
calendar file shows and leaves out is said there.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from health.calendar import CalendarEntry, calendar_of
from server.models import Resource
from server.principal import Principal
from server.services import record


def patient_calendar(session: Session, principal: Principal) -> bytes:
    """The signed-in patient's whole agenda, past and upcoming, as one calendar."""
    rows = session.execute(select(Resource).where(
        Resource.resource_type == "Appointment", Resource.patient_account_id == principal.account_id,
        Resource.deleted.is_(False),
    ).order_by(Resource.date, Resource.id)).scalars().all()
    return calendar_of(_entry(record.StoredResource.of(row)) for row in rows)


def appointment_calendar(session: Session, principal: Principal, appointment_id: str) -> bytes:
    """One appointment the principal may read, as a calendar of one event."""
    return calendar_of([_entry(record.read(session, principal, "Appointment", appointment_id))])


def _entry(stored: record.StoredResource) -> CalendarEntry:
    return CalendarEntry(stored.id, stored.content or {}, stored.version, stored.last_updated)
