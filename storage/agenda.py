"""The health agenda: appointments (FHIR Appointment) and locally computed reminders."""
from __future__ import annotations

import json

from health.calendar import is_place, practitioner_name
from health.codes import EXAM_CODES
from health.server_meta import author_kind
from storage.database import Database
from storage.records import Appointment, Reminder

_APPOINTMENT = """SELECT r.id, r.date, r.status, r.version_id, r.json,
    EXISTS (SELECT 1 FROM outbox o WHERE o.resource_type = 'Appointment' AND o.resource_id = r.id)
    FROM resources r WHERE r.resource_type = 'Appointment'"""
_REMINDER = "SELECT id, kind, title, due_date, status, details FROM reminders"
_DETAILS = ("title_en", "reason_fr", "reason_en", "source", "source_url", "window_from", "window_until",
            "timing")
# What the prevention rules read (health.prevention_facts): the patient, every vaccination
# and procedure, and the observations and documents naming a preventive examination.
_PREVENTION_SOURCES = ("Patient", "Immunization", "Procedure")
_EXAM_CODE_VALUES = sorted({code for _system, code in EXAM_CODES})


def _appointment(row: tuple) -> Appointment:
    ident, start, status, version, text, pending = row
    resource = json.loads(text)
    minutes = resource.get("minutesDuration")
    return Appointment(ident, start, resource.get("end"), status, practitioner_name(resource),
                       _text(resource.get("description")), place=_place(resource),
                       comment=_text(resource.get("comment")), author_kind=author_kind(resource),
                       version_id=version, pending=bool(pending),
                       minutes=minutes if isinstance(minutes, int) else None)


def _place(appointment: dict) -> str | None:
    """Where it takes place: a Location participant, else the second named non-patient one
    (booking services name the practice after the practitioner)."""
    names = []
    for participant in appointment.get("participant") or []:
        actor = participant.get("actor") if isinstance(participant, dict) else None
        if not isinstance(actor, dict) or str(actor.get("reference", "")).startswith("Patient/"):
            continue
        name = _text(actor.get("display"))
        if name and is_place(actor):
            return name
        if name:
            names.append(name)
    return names[1] if len(names) > 1 else None


def _reminder(row: tuple) -> Reminder:
    ident, kind, title, due, status, details = row
    extra = json.loads(details) if details else {}
    return Reminder(ident, kind, title, due, status, **{name: extra.get(name) for name in _DETAILS})


def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


class AgendaRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def upcoming(self, now: str, *, limit: int = 100) -> list[Appointment]:
        """Appointments starting at or after `now` (ISO UTC), soonest first."""
        rows = self._db.query(f"{_APPOINTMENT} AND r.date >= ? ORDER BY r.date, r.id LIMIT ?", (now, limit))
        return [_appointment(row) for row in rows]

    def past(self, now: str, *, limit: int = 100) -> list[Appointment]:
        rows = self._db.query(f"{_APPOINTMENT} AND r.date < ? ORDER BY r.date DESC, r.id LIMIT ?", (now, limit))
        return [_appointment(row) for row in rows]

    def get(self, appointment_id: str) -> Appointment | None:
        rows = self._db.query(f"{_APPOINTMENT} AND r.id = ?", (appointment_id,))
        return _appointment(rows[0]) if rows else None

    def dated(self, *, limit: int = 1000) -> list[Appointment]:
        """Every appointment with a start, in time order (for a calendar file)."""
        rows = self._db.query(f"{_APPOINTMENT} AND r.date IS NOT NULL ORDER BY r.date, r.id LIMIT ?", (limit,))
        return [_appointment(row) for row in rows]

    # -- reminders ---------------------------------------------------------------------
    def reminders(self, *, include_closed: bool = False) -> list[Reminder]:
        sql = _REMINDER
        if not include_closed:
            sql += " WHERE status = 'due'"
        return [_reminder(row) for row in self._db.query(sql + " ORDER BY due_date, id")]

    def reminder(self, reminder_id: str) -> Reminder | None:
        rows = self._db.query(f"{_REMINDER} WHERE id = ?", (reminder_id,))
        return _reminder(rows[0]) if rows else None

    def replace_reminders(self, reminders: list[Reminder]) -> None:
        """Store freshly computed reminders, keeping what the patient marked done or dismissed."""
        with self._db.transaction() as connection:
            closed = dict(connection.execute(
                "SELECT id, status FROM reminders WHERE status != 'due'").fetchall())
            connection.execute("DELETE FROM reminders")
            connection.executemany(
                "INSERT INTO reminders (id, kind, title, due_date, status, details) VALUES (?, ?, ?, ?, ?, ?)",
                [(r.id, r.kind, r.title, r.due_date, closed.get(r.id, r.status), _details(r)) for r in reminders])

    def close_reminder(self, reminder_id: str, status: str = "done") -> None:
        """Mark a reminder done or dismissed (or 'due' again: shown once more)."""
        with self._db.transaction() as connection:
            connection.execute("UPDATE reminders SET status = ? WHERE id = ?", (status, reminder_id))

    def prevention_sources(self) -> list[dict]:
        """The resources the prevention rules read, Patient first (see health.prevention)."""
        resources = []
        for kind in _PREVENTION_SOURCES:
            resources += [json.loads(row[0]) for row in self._db.query(
                "SELECT json FROM resources WHERE resource_type = ? ORDER BY date, id", (kind,))]
        # Measurements are many: only those whose JSON names an examination's code are read.
        naming = " OR ".join("instr(json, ?) > 0" for _ in _EXAM_CODE_VALUES)
        rows = self._db.query(
            "SELECT json FROM resources WHERE resource_type IN ('Observation', 'DocumentReference') "
            f"AND ({naming}) ORDER BY date, id", tuple(f'"{code}"' for code in _EXAM_CODE_VALUES))
        return resources + [json.loads(row[0]) for row in rows]


def _details(reminder: Reminder) -> str:
    return json.dumps({name: getattr(reminder, name) for name in _DETAILS}, ensure_ascii=False)
