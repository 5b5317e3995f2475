"""The health agenda: appointments (FHIR Appointment) and locally computed reminders."""
from __future__ import annotations

import json

from storage.database import Database
from storage.records import Appointment, Reminder


def _appointment(row: tuple) -> Appointment:
    ident, start, status, practitioner, text = row
    resource = json.loads(text)
    return Appointment(ident, start, resource.get("end"), status, practitioner,
                       resource.get("description"))


class AgendaRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def upcoming(self, now: str, *, limit: int = 100) -> list[Appointment]:
        """Appointments starting at or after `now` (ISO UTC), soonest first."""
        rows = self._db.query("SELECT id, date, status, author, json FROM resources "
                              "WHERE resource_type = 'Appointment' AND date >= ? "
                              "ORDER BY date LIMIT ?", (now, limit))
        return [_appointment(row) for row in rows]

    def past(self, now: str, *, limit: int = 100) -> list[Appointment]:
        rows = self._db.query("SELECT id, date, status, author, json FROM resources "
                              "WHERE resource_type = 'Appointment' AND date < ? "
                              "ORDER BY date DESC LIMIT ?", (now, limit))
        return [_appointment(row) for row in rows]

    def reminders(self, *, include_closed: bool = False) -> list[Reminder]:
        sql = "SELECT id, kind, title, due_date, status FROM reminders"
        if not include_closed:
            sql += " WHERE status = 'due'"
        return [Reminder(*row) for row in self._db.query(sql + " ORDER BY due_date, id")]

    def replace_reminders(self, reminders: list[Reminder]) -> None:
        """Store freshly computed reminders, keeping what the patient marked done or dismissed."""
        with self._db.transaction() as connection:
            closed = dict(connection.execute(
                "SELECT id, status FROM reminders WHERE status != 'due'").fetchall())
            connection.execute("DELETE FROM reminders")
            connection.executemany(
                "INSERT INTO reminders (id, kind, title, due_date, status) VALUES (?, ?, ?, ?, ?)",
                [(r.id, r.kind, r.title, r.due_date, closed.get(r.id, r.status)) for r in reminders])

    def close_reminder(self, reminder_id: str, status: str = "done") -> None:
        with self._db.transaction() as connection:
            connection.execute("UPDATE reminders SET status = ? WHERE id = ?", (status, reminder_id))
