"""Small builders for the prevention tests: doses, exams, a person's facts, a plan's reminders."""
from __future__ import annotations

from datetime import date, timedelta

from health.codes import VACCINES
from health.prevention import PreventionPlan, compute_reminders
from health.prevention_facts import ExamDone, MarkedDone, PatientFacts, VaccineDose


def d(text: str) -> date:
    return date.fromisoformat(text)


def dose(day: str, atc: str) -> VaccineDose:
    return VaccineDose(d(day), VACCINES[atc].valences)


def exam(day: str, kind: str) -> ExamDone:
    return ExamDone(kind, d(day))


def plan(birth: str | None, today: str, *, sex: str | None = "female", doses=(), exams=(), marked=(),
         upcoming_days: int = 90) -> PreventionPlan:
    facts = PatientFacts(d(birth) if birth else None, sex, tuple(doses), tuple(exams),
                         tuple(MarkedDone(reminder_id, d(day)) for reminder_id, day in marked))
    return compute_reminders(facts, d(today), upcoming_within=timedelta(days=upcoming_days))


def shown(result: PreventionPlan, prefix: str) -> list[tuple[str, str]]:
    """(id, status) of the reminders whose id starts with `prefix`."""
    return [(r.id, r.status.value) for r in result.reminders if r.id.startswith(prefix)]


def only(result: PreventionPlan, prefix: str):
    found = [r for r in result.reminders if r.id.startswith(prefix)]
    assert len(found) == 1, [r.id for r in result.reminders]
    return found[0]
