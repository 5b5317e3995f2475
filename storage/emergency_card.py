"""The emergency card: the one part of the record kept readable without the PIN.

Only the fields the patient chose are written, to a file of its own beside the encrypted
cache (like a phone's medical ID). The choice itself is a setting inside the encrypted
database. The card is rebuilt after every change to a resource it is made from. It also
records the *generation* of the record it was built from (a counter bumped in the same
transaction as such changes), so that a card left stale by a crash between the commit
and the card's rewrite is detected, and rebuilt, at the next unlock.
"""
from __future__ import annotations

import json
from pathlib import Path

from health.codes import BLOOD_GROUP_LOINC
from health.emergency import (ADVANCE_DIRECTIVES_LOINC, SOURCE_TYPES, EmergencyField,
                              EmergencySummary, build_summary, is_source)
from storage.database import Database
from storage.keys import write_atomically
from storage.records import Change
from storage.resources import EMERGENCY_GENERATION
from storage.settings import SettingsRepository

CARD_FILE = "emergency-card.json"
_FIELDS_SETTING = "emergency.fields"
# Only these observations and documents feed a summary; loading all of them would not scale.
_SOURCE_CODES = {"Observation": (BLOOD_GROUP_LOINC,), "DocumentReference": (ADVANCE_DIRECTIVES_LOINC,)}
# A card is read in a hurry: the newest entries of each kind, and it is rebuilt after every
# sync page that touches a source, so its cost must not grow with the record.
MAX_ENTRIES_PER_KIND = 50
_CLOSED_STATUSES = ("inactive", "resolved", "remission", "entered-in-error", "refuted",
                    "stopped", "completed", "not-taken", "on-hold")


def _read_file(path: Path) -> tuple[int, EmergencySummary] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return int(data["generation"]), EmergencySummary.from_json(json.dumps(data["summary"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def read_card(directory: Path) -> EmergencySummary | None:
    """The card as last written, without any key; None when the patient shares nothing."""
    card = _read_file(Path(directory) / CARD_FILE)
    return card[1] if card else None


class EmergencyCard:
    def __init__(self, directory: Path, db: Database, settings: SettingsRepository) -> None:
        self.path = Path(directory) / CARD_FILE
        self._db = db
        self._settings = settings

    def fields(self) -> tuple[EmergencyField, ...]:
        return tuple(EmergencyField(value) for value in self._settings.get(_FIELDS_SETTING, []))

    def choose(self, fields: list[EmergencyField]) -> EmergencySummary | None:
        """The patient's choice of what shows without unlocking (empty: nothing)."""
        self._settings.set(_FIELDS_SETTING, [EmergencyField(f).value for f in fields])
        return self.refresh()

    def summary(self) -> EmergencySummary:
        """The full summary with every field, for the unlocked emergency screen."""
        return build_summary(self._sources(), list(EmergencyField))

    def refresh(self) -> EmergencySummary | None:
        """Rebuild the card from the record (or remove it when nothing is chosen)."""
        # Under the database's lock, so that two threads cannot write cards out of order.
        with self._db.reading():
            fields = self.fields()
            if not fields:
                self.path.unlink(missing_ok=True)
                return None
            generation = self._generation()
            card = build_summary(self._sources(), fields)
            text = json.dumps({"generation": generation, "summary": json.loads(card.to_json())},
                              ensure_ascii=False, sort_keys=True).encode("utf-8")
            if not self.path.exists() or self.path.read_bytes() != text:
                write_atomically(self.path, text)
        return card

    def refresh_if_stale(self) -> None:
        """Cheap check at unlock: rebuild only when the card lags behind the record."""
        written = _read_file(self.path)
        with self._db.reading():
            wanted = self.fields()
            current = self._generation()
        if not wanted:
            self.path.unlink(missing_ok=True)
        elif written is None or written[0] != current or written[1].fields != wanted:
            self.refresh()

    def on_change(self, changes: list[Change]) -> None:
        if any(is_source(change.resource_type, change.resource) for change in changes):
            self.refresh()

    def _generation(self) -> int:
        return int(self._settings.get(EMERGENCY_GENERATION, 0))

    def _sources(self) -> list[dict]:
        queries, parameters = [], []
        closed = ",".join("?" * len(_CLOSED_STATUSES))
        for kind in sorted(SOURCE_TYPES):
            codes = _SOURCE_CODES.get(kind, ())
            code_clause = f"AND code IN ({','.join('?' * len(codes))})" if codes else ""
            queries.append(f"SELECT * FROM (SELECT json FROM resources WHERE resource_type = ? "
                           f"{code_clause} AND (status IS NULL OR status NOT IN ({closed})) "
                           "ORDER BY date DESC LIMIT ?)")
            parameters += [kind, *codes, *_CLOSED_STATUSES, MAX_ENTRIES_PER_KIND]
        rows = self._db.query(" UNION ALL ".join(queries), tuple(parameters))
        return [json.loads(row[0]) for row in rows]
