"""What a prevention rule produces: a reminder, its status on a given day, what marking it done records."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from health.ages import Age
from health.prevention_rules import Source, Text


class ReminderKind(str, Enum):
    VACCINATION = "vaccination"
    SCREENING = "screening"
    CHECKUP = "check-up"


class ReminderStatus(str, Enum):
    UPCOMING = "upcoming"  # its window has not opened yet
    DUE = "due"  # within its window
    OVERDUE = "overdue"  # the window has closed and it still is not done


@dataclass(frozen=True)
class RecordAs:
    """The FHIR resource that marking the reminder done creates (see prevention_record.record_done)."""

    resource_type: str  # "Immunization" or "Procedure"
    system: str
    code: str
    display: str


@dataclass(frozen=True)
class Reminder:
    """One thing to do. `id` is stable across recomputations, so "dismissed" can be kept by id."""

    id: str  # e.g. "dtp-booster-45", "flu-2026", "breast-screening-2027", "hexavalent-2"
    kind: ReminderKind
    title: Text
    reason: Text  # why it is shown to this person, today
    due: date
    window_from: date
    window_until: date | None  # last day of the recommended window; None: no end
    status: ReminderStatus
    source: Source
    record_as: RecordAs


def window_end(start: date, lasts: Age | None) -> date | None:
    """The last day of a window that opens on `start` and lasts `lasts` (None: open-ended)."""
    return lasts.after(start) - timedelta(days=1) if lasts is not None else None


def status_on(today: date, window_from: date, window_until: date | None) -> ReminderStatus:
    if today < window_from:
        return ReminderStatus.UPCOMING
    if window_until is not None and today > window_until:
        return ReminderStatus.OVERDUE
    return ReminderStatus.DUE


def french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def ordinal(n: int) -> Text:
    return Text("1re" if n == 1 else f"{n}e", {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th"))

