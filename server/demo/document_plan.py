"""What the generator plans for one document, before its DocumentReference and file exist."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from server.demo.cast import Clinician


@dataclass(frozen=True)
class DocumentPlan:
    """One document to deposit: its metadata and what its file shows."""

    day: date
    loinc: str
    author: Clinician | None  # None: the patient added it
    title: str
    description: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None
    image: str | None = None  # "photo" or "xray": a JPEG instead of a PDF
    photo_lines: list[str] = field(default_factory=list)
    category: str | None = None  # when it differs from the type's usual category
