"""The medical profile, by section: which resources each section of the screen shows."""
from __future__ import annotations

from enum import Enum

from health.codes import BLOOD_GROUP_LOINC, MEASUREMENTS
from storage.database import Database
from storage.records import StoredResource
from storage.resources import COLUMNS, stored_resource


class ProfileSection(str, Enum):
    CONDITIONS = "conditions"
    OPERATIONS = "operations"
    HOSPITAL_STAYS = "hospital-stays"
    ALLERGIES = "allergies"
    TREATMENTS = "treatments"
    VACCINATIONS = "vaccinations"
    MEASUREMENTS = "measurements"
    BLOOD_GROUP = "blood-group"
    ADVANCE_DIRECTIVES = "advance-directives"
    CONTACTS = "contacts"


ADVANCE_DIRECTIVES_LOINC = "42348-3"

# Each section as (resource type, extra SQL condition, its parameters).
_SECTIONS: dict[ProfileSection, tuple[str, str, tuple]] = {
    ProfileSection.CONDITIONS: ("Condition", "", ()),
    ProfileSection.OPERATIONS: ("Procedure", "", ()),
    ProfileSection.HOSPITAL_STAYS: ("Encounter", "", ()),
    ProfileSection.ALLERGIES: ("AllergyIntolerance", "", ()),
    ProfileSection.TREATMENTS: ("MedicationStatement", "", ()),
    ProfileSection.VACCINATIONS: ("Immunization", "", ()),
    ProfileSection.MEASUREMENTS: ("Observation", f"AND code IN ({','.join('?' * len(MEASUREMENTS))})",
                                  tuple(MEASUREMENTS)),
    ProfileSection.BLOOD_GROUP: ("Observation", "AND code = ?", (BLOOD_GROUP_LOINC,)),
    ProfileSection.ADVANCE_DIRECTIVES: ("DocumentReference", "AND code = ?", (ADVANCE_DIRECTIVES_LOINC,)),
    ProfileSection.CONTACTS: ("RelatedPerson", "", ()),
}


class ProfileRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def section(self, section: ProfileSection, *, limit: int = 500, offset: int = 0) -> list[StoredResource]:
        """The section's entries, newest clinical date first (a page of them: `limit`, `offset`)."""
        kind, condition, parameters = _SECTIONS[ProfileSection(section)]
        rows = self._db.query(f"SELECT {COLUMNS} FROM resources WHERE resource_type = ? {condition} "
                              "ORDER BY date DESC, id LIMIT ? OFFSET ?", (kind, *parameters, limit, offset))
        return [stored_resource(row) for row in rows]

    def counts(self) -> dict[ProfileSection, int]:
        """How many entries each section holds, counted without reading them."""
        counts = {}
        for section, (kind, condition, parameters) in _SECTIONS.items():
            counts[section] = self._db.query(f"SELECT count(*) FROM resources WHERE resource_type = ? {condition}",
                                             (kind, *parameters))[0][0]
        return counts

    def measurement_counts(self) -> dict[str, int]:
        """How many readings of each measurement (LOINC code) the record holds."""
        rows = self._db.query(f"SELECT code, count(*) FROM resources WHERE resource_type = 'Observation' "
                              f"AND code IN ({','.join('?' * len(MEASUREMENTS))}) GROUP BY code",
                              tuple(MEASUREMENTS))
        return dict(rows)

    def measurements(self, code: str, *, since: str | None = None) -> list[StoredResource]:
        """One measurement's series (a LOINC code of `health.codes.MEASUREMENTS`), oldest first."""
        rows = self._db.query(f"SELECT {COLUMNS} FROM resources WHERE resource_type = 'Observation' "
                              "AND code = ? AND (? IS NULL OR date >= ?) ORDER BY date",
                              (code, since, since))
        return [stored_resource(row) for row in rows]
