"""Who opened the record: the AuditEvent resources of the patient's compartment."""
from __future__ import annotations

import json

from storage.database import Database
from storage.records import AccessEvent


def _event(row: tuple) -> AccessEvent:
    ident, recorded, who, category, text = row
    resource = json.loads(text)
    entity = (resource.get("entity") or [{}])[0] or {}
    what = entity.get("what") if isinstance(entity.get("what"), dict) else {}
    action_type = resource.get("type") if isinstance(resource.get("type"), dict) else {}
    return AccessEvent(ident, recorded, who, action_type.get("display") or resource.get("action"),
                       what.get("display") or what.get("reference"), category == "emergency")


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
