"""Who opened the record: the AuditEvent resources of the patient's compartment."""
from __future__ import annotations

import json
from dataclasses import dataclass

from storage.database import Database
from storage.records import AccessEvent, StoredResource
from storage.resources import COLUMNS, stored_resource

# Where an AuditEvent names who acted (health.audit_events): not a column, read from the JSON.
_AGENT_REFERENCE = "json_extract(json, '$.agent[0].who.reference')"
_AGENT_APP = "json_extract(json, '$.agent[0].who.identifier.value')"
_AGENT_PROFESSION = "json_extract(json, '$.agent[0].type.coding[0].code')"
_AGENT_ROLE = "json_extract(json, '$.purposeOfEvent[0].coding[0].code')"


@dataclass(frozen=True)
class HistoryAgent:
    """Someone who appears in the access history: a professional, a representative, an app."""

    key: str  # "Practitioner/<id>", "Patient/<id>", "app:<id>" or "name:<display>": what `page(agent=…)` takes
    name: str
    profession: str | None  # a code of health.codes.PROFESSIONS
    role: str | None  # the event's purpose: TREAT or ETREAT (professional), FAMRQT, PATRQT
    accesses: int
    last: str | None  # ISO instant of their latest access


def _event(row: tuple) -> AccessEvent:
    ident, recorded, who, category, text = row
    resource = json.loads(text)
    entity = (resource.get("entity") or [{}])[0] or {}
    what = entity.get("what") if isinstance(entity.get("what"), dict) else {}
    action_type = resource.get("type") if isinstance(resource.get("type"), dict) else {}
    return AccessEvent(ident, recorded, who, action_type.get("display") or resource.get("action"),
                       what.get("display") or what.get("reference"), category == "emergency")


def _agent_key_sql() -> str:
    return (f"coalesce({_AGENT_REFERENCE}, 'app:' || {_AGENT_APP}, 'name:' || coalesce(author, '?'))")


class AccessHistoryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def events(self, *, emergency_only: bool = False, limit: int = 100,
               offset: int = 0) -> list[AccessEvent]:
        """Accesses, most recent first."""
        sql = ("SELECT id, date, author, category, json FROM resources WHERE resource_type = 'AuditEvent'"
               + (" AND category = 'emergency'" if emergency_only else "")
               + " ORDER BY date DESC, id LIMIT ? OFFSET ?")
        return [_event(row) for row in self._db.query(sql, (limit, offset))]

    def page(self, *, agent: str | None = None, since: str | None = None, until: str | None = None,
             emergency_only: bool = False, limit: int = 100) -> list[StoredResource]:
        """AuditEvents newest first, recorded in [since, until) (ISO instants in UTC), by one
        agent (a `HistoryAgent.key`), or under an emergency access only."""
        clauses, parameters = ["resource_type = 'AuditEvent'"], []
        for clause, value in (("date >= ?", since), ("date < ?", until), (f"{_agent_key_sql()} = ?", agent)):
            if value is not None:
                clauses.append(clause)
                parameters.append(value)
        if emergency_only:
            clauses.append("category = 'emergency'")
        sql = f"SELECT {COLUMNS} FROM resources WHERE {' AND '.join(clauses)} ORDER BY date DESC, id LIMIT ?"
        return [stored_resource(row) for row in self._db.query(sql, (*parameters, limit))]

    def agents(self) -> list[HistoryAgent]:
        """Everyone in the history, the most recent first."""
        sql = (f"SELECT {_agent_key_sql()} AS who, max(coalesce(author, '?')), max({_AGENT_PROFESSION}), "
               f"max({_AGENT_ROLE}), count(*), max(date) FROM resources WHERE resource_type = 'AuditEvent' "
               "GROUP BY who ORDER BY max(date) DESC")
        return [HistoryAgent(*row) for row in self._db.query(sql)]
