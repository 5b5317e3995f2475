"""The generated record's typed parts, and the context every generator section writes through.

A `RecordContext` hands out stable ids (derived from the patient id, so the same seed
gives the same record), dates within the record's span, and authors.
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from health import fhir_resources
from server.demo.cast import CareTeam, Clinician, Person


@dataclass(frozen=True)
class GeneratedFile:
    """The bytes of one document, stored as a FHIR Binary."""

    binary_id: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class GeneratedResource:
    resource: dict
    # The Practitioner who wrote it, or None when the patient (or their representative) did.
    author_practitioner_id: str | None
    # Written by the platform on someone's behalf (an appointment from a booking service).
    by_platform: bool = False

    @property
    def by_patient(self) -> bool:
        return self.author_practitioner_id is None and not self.by_platform

    @property
    def binary_ids(self) -> list[str]:
        """The files (FHIR Binary ids) a DocumentReference or a message points to."""
        return fhir_resources.attachment_binary_ids(self.resource)


@dataclass
class GeneratedRecord:
    patient_id: str
    resources: list[GeneratedResource]
    files: list[GeneratedFile]

    def of_type(self, resource_type: str) -> list[dict]:
        return [g.resource for g in self.resources if g.resource["resourceType"] == resource_type]


@dataclass
class RecordContext:
    """What every section of the generator shares while it writes one record."""

    rng: random.Random
    person: Person
    patient_id: str
    team: CareTeam
    today: date
    # How many documents get real files; None renders every one.
    files_to_render: int | None = None
    resources: list[GeneratedResource] = field(default_factory=list)
    files: list[GeneratedFile] = field(default_factory=list)
    # Dates of the story's landmark events (appendectomy, delivery…), for the documents.
    events: dict[str, date] = field(default_factory=dict)
    # Days the patient saw their GP (measurements taken, prescriptions written).
    visits: list[date] = field(default_factory=list)
    _serial: int = 0

    @property
    def start(self) -> date:
        """The record covers the last twenty years (or the whole life of a younger person)."""
        twenty_years_ago = self.today.replace(year=self.today.year - 20)
        return max(twenty_years_ago, self.person.birth_date)

    @property
    def patient_ref(self) -> dict:
        return {"reference": f"Patient/{self.patient_id}", "display": self.person.display_name}

    def new_id(self) -> str:
        # Derived from the patient id, so two patients generated with one seed never collide.
        self._serial += 1
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:carnet:demo:{self.patient_id}:{self._serial}"))

    def add(self, resource: dict, author: Clinician | None, *, by_platform: bool = False) -> dict:
        resource.setdefault("id", self.new_id())
        self.resources.append(GeneratedResource(resource, author.fhir_id if author else None, by_platform))
        return resource

    def of_type(self, resource_type: str) -> list[dict]:
        return [g.resource for g in self.resources if g.resource["resourceType"] == resource_type]

    def age_on(self, day: date) -> int:
        born = self.person.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def birthday(self, age: int) -> date:
        born = self.person.birth_date
        return born.replace(year=born.year + age, day=min(born.day, 28))

    def at_age(self, age: int, days_after_birthday: int = 0) -> date | None:
        """The day of an event at `age`, or None if it falls outside the record's span."""
        day = self.birthday(age) + timedelta(days=days_after_birthday)
        return day if self.start <= day <= self.today else None

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def should_render_file(self) -> bool:
        if self.files_to_render is None:
            return True
        return len(self.files) < self.files_to_render

    def add_file(self, content_type: str, data: bytes) -> GeneratedFile:
        generated = GeneratedFile(self.new_id(), content_type, data)
        self.files.append(generated)
        return generated

