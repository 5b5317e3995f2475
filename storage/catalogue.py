"""The app catalogue and the patient's grants to those apps, as last seen from the server."""
from __future__ import annotations

import json

from storage.database import Database
from storage.records import CatalogueApp, Grant


class CatalogueRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def apps(self) -> list[CatalogueApp]:
        rows = self._db.query("SELECT id, name, publisher, description, scopes FROM catalogue_apps "
                              "ORDER BY name")
        return [CatalogueApp(i, n, p, d, tuple(json.loads(s))) for i, n, p, d, s in rows]

    def replace_apps(self, apps: list[CatalogueApp]) -> None:
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM catalogue_apps")
            connection.executemany(
                "INSERT INTO catalogue_apps (id, name, publisher, description, scopes) VALUES (?, ?, ?, ?, ?)",
                [(a.id, a.name, a.publisher, a.description, json.dumps(list(a.scopes))) for a in apps])

    def grants(self) -> list[Grant]:
        rows = self._db.query("SELECT app_id, can_read, can_write, scopes, granted_at FROM grants "
                              "ORDER BY app_id")
        return [Grant(a, bool(r), bool(w), tuple(json.loads(s)), g) for a, r, w, s, g in rows]

    def replace_grants(self, grants: list[Grant]) -> None:
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM grants")
            connection.executemany(
                "INSERT INTO grants (app_id, can_read, can_write, scopes, granted_at) VALUES (?, ?, ?, ?, ?)",
                [(g.app_id, int(g.can_read), int(g.can_write), json.dumps(list(g.scopes)), g.granted_at)
                 for g in grants])
