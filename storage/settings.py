"""The app's settings on this device, stored encrypted with the record."""
from __future__ import annotations

import json

from storage.database import Database


class SettingsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, name: str, default=None):
        rows = self._db.query("SELECT value FROM settings WHERE name = ?", (name,))
        return json.loads(rows[0][0]) if rows else default

    def set(self, name: str, value) -> None:
        """Store any JSON-serialisable value."""
        with self._db.transaction() as connection:
            connection.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)",
                               (name, json.dumps(value)))
