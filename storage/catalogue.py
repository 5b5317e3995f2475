"""The app catalogue and the patient's grants to those apps, as last seen from the server."""
from __future__ import annotations

import json
from dataclasses import asdict

from storage.database import Database
from storage.records import AppAccess, CatalogueApp, Grant

_APP_COLUMNS = "id, name, publisher, description, scopes, category, category_label, homepage, access, granted"
_GRANT_COLUMNS = ("app_id, can_read, can_write, scopes, granted_at, app_name, publisher, category, category_label, "
                  "homepage, access, last_used_at, active")


class CatalogueRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def apps(self) -> list[CatalogueApp]:
        """By category, then name (as the server lists them)."""
        rows = self._db.query(f"SELECT {_APP_COLUMNS} FROM catalogue_apps ORDER BY category, name")
        return [CatalogueApp(i, n, p, d, tuple(json.loads(s)), c, label, home, _access(a), bool(g))
                for i, n, p, d, s, c, label, home, a, g in rows]

    def replace_apps(self, apps: list[CatalogueApp]) -> None:
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM catalogue_apps")
            connection.executemany(
                f"INSERT INTO catalogue_apps ({_APP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.id, a.name, a.publisher, a.description, json.dumps(list(a.scopes)), a.category, a.category_label,
                  a.homepage, _access_json(a.access), int(a.granted)) for a in apps])

    def grants(self) -> list[Grant]:
        """The most recent first."""
        rows = self._db.query(f"SELECT {_GRANT_COLUMNS} FROM grants ORDER BY granted_at DESC, app_id")
        return [Grant(a, bool(r), bool(w), tuple(json.loads(s)), g, name, p, c, label, home, _access(access),
                      used, bool(active))
                for a, r, w, s, g, name, p, c, label, home, access, used, active in rows]

    def replace_grants(self, grants: list[Grant]) -> None:
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM grants")
            connection.executemany(
                f"INSERT INTO grants ({_GRANT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(g.app_id, int(g.can_read), int(g.can_write), json.dumps(list(g.scopes)), g.granted_at, g.app_name,
                  g.publisher, g.category, g.category_label, g.homepage, _access_json(g.access), g.last_used_at,
                  int(g.active)) for g in grants])


def _access(text: str) -> tuple[AppAccess, ...]:
    return tuple(AppAccess(**line) for line in json.loads(text or "[]"))


def _access_json(access: tuple[AppAccess, ...]) -> str:
    return json.dumps([asdict(line) for line in access], ensure_ascii=False)
