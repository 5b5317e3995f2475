"""Small pieces the profile builders share: the resource being built, concepts, quantities,
and keeping what the patient did not change exactly as it was stored."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from health.fhir_text import concept_text
from health.profile_forms import MeasurementKind, typed_date

UCUM = "http://unitsofmeasure.org"


@dataclass
class Build:
    """The resource being built (a copy of `base` when editing) and what it is built for."""

    resource: dict
    base: dict
    patient_id: str
    now: datetime
    zone: tzinfo | None

    @property
    def patient_ref(self) -> dict:
        return {"reference": f"Patient/{self.patient_id}"}

    @property
    def today(self) -> str:
        return self.now.date().isoformat()

    def set(self, **elements) -> None:
        self.resource.update(elements)

    def keep(self, element: str, default) -> None:
        """The stored value of `element` if it has one, else `default` (a new entry)."""
        if element not in self.base:
            self.resource[element] = default

    def drop(self, *elements: str) -> None:
        for element in elements:
            self.resource.pop(element, None)

    def set_or_drop(self, element: str, value) -> None:
        if value:
            self.resource[element] = value
        else:
            self.resource.pop(element, None)


def concept(system: str, code: str, display: str, text: str | None = None) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": text or display}


def keep_concept(stored, text: str) -> dict:
    """The stored concept while its text is unchanged (its codings stay), else the typed text."""
    if isinstance(stored, dict) and concept_text(stored) == text:
        return stored
    return {"text": text}


def keep_date(stored: str | None, typed: str, new: str | None) -> str | None:
    """The stored date (with its time of day) while the patient left it as shown, else `new`."""
    if new is None:
        return None
    if stored and typed_date(stored) == typed.strip():
        return stored
    return new


def quantity(value: float, kind: MeasurementKind) -> dict:
    number = int(value) if float(value).is_integer() else value
    return {"value": number, "unit": kind.unit, "system": UCUM, "code": kind.unit}
