"""Prevention reminders: vaccinations, organised cancer screenings, compulsory child check-ups.

Pure functions, no I/O and no clock (`today` is a parameter; the standard library only, but
for `record_done`, which checks its resource with health.fhir_resources), so the server (to
notify) and the device (offline) compute the same reminders from the same record:

    plan = reminders_for_record(resources, today)      # = compute_reminders(extract_facts(resources), today)
    plan.unavailable                                    # None, or why nothing can be computed (no birth date)
    for reminder in plan.reminders:                     # overdue first, then due, then upcoming
        reminder.id, reminder.status, reminder.title.fr, reminder.reason.en, reminder.window_until
    resource = record_done(reminder, "Patient/123", performed_on, today=today)   # save it through the outbox

Reminder ids are stable ("dtp-booster-45", "flu-2026", "breast-screening-2027", "hexavalent-2"),
so whatever the patient dismissed can be kept by id. Marking one done writes an Immunization
or a Procedure that the rules then count, tagged with the reminder id (identifier system
`urn:carnet:prevention-reminder`), so that reminder stops even when the date falls outside its window.

The rules (numbers and sources in health/prevention_rules.py):

| rule | who | when | reminder ids |
|---|---|---|---|
| DTaP-IPV-Hib-HepB (hexavalent) | infants | 2, 4, 11 months; reminded until 6 | hexavalent-1..3 |
| pneumococcal conjugate | infants | 2, 4, 11 months; until 24 months | pneumococcal-infant-1..3 |
| meningococcal B | infants | 3, 5, 12 months; until 24 months | meningococcal-b-1..3 |
| meningococcal ACWY (a MenC dose counts) | infants | 6, 12 months; until 24 months | meningococcal-acwy-1..2 |
| MMR | children | 12 months, 16-18 months; until 18 | mmr-1..2 |
| DTCaP-IPV booster | children | 6 | dtcap-6y |
| dTcaP-IPV booster | children | 11-13 | dtcap-11y |
| HPV | girls and boys | 11-14 (2 doses), catch-up 15-19 (3 doses) | hpv-1..3 |
| meningococcal ACWY | adolescents | 11-14, catch-up to 24 | meningococcal-acwy-teen |
| dTP (dTcaP at 25) | adults | 25, 45, 65, then every 10 years; see below | dtp-booster-<age> |
| flu, COVID-19 | 65 and over | every season, October to February | flu-<year>, covid-<year> |
| pneumococcal conjugate | 65 and over | once | pneumococcal-65 |
| shingles (recombinant) | 65 and over | 2 doses, 2 to 6 months apart | zoster-1..2 |
| breast screening | women 50-74 | mammogram every 2 years | breast-screening-<year due> |
| colorectal screening | all 50-74 | stool test every 2 years (5 after a colonoscopy) | colorectal-screening-<year> |
| cervical screening, 25-29 | women | smear; again after 1 year, then after 3 years | cervical-cytology-<year> |
| cervical screening, 30-65 | women | HPV test every 5 years, 3 years after the last smear | cervical-hpv-<year> |
| child check-ups | 0-16 | the 20 compulsory examinations (2025 calendar) | checkup-8d … checkup-15-16y |

Adult dTP boosters follow the calendar's rules for late boosters: the next booster is at the
first fixed age at least 5 years after the last one (a booster at 43 moves the next to 65);
when a fixed age passed without a booster, one is due at once and the schedule resumes at the
fixed ages. A dose is "done" when a record holds its valences, whatever the brand.

Statuses: upcoming (shown when its window opens within `upcoming_within`), due (inside the
window), overdue (window closed, still within the rule's age limits). Windows where the sources
give a single age: "at 2 months" lasts a month, "at 6" or "at 45" a year; a screening is
overdue 6 months after it is due; the flu and COVID-19 window is the season itself. Ages count whole months
(health/ages.py): someone born on 29 February has birthdays on 1 March in non-leap years.
Records dated after `today` or before birth are ignored; with no complete birth date, or one in
the future, there are no reminders and `unavailable` says why.

Deliberately left out: vaccines for risk groups, pregnancy, travel or professions (hepatitis A/B
catch-up, BCG, RSV for 75+, spring COVID-19 doses for 80+, pertussis cocooning); the adult MMR
catch-up for people born since 1980; catch-up schedules for children who started late (a
doctor's call: the reminders stop at the ages above); follow-up of an abnormal screening
result (the rules assume earlier results were normal); breast and cervical screening for people
whose administrative gender is not female; vaccines recorded as text or in code systems other
than ATC (they stay reminded until marked done).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from health.prevention_facts import PatientFacts, extract_facts
from health.prevention_record import InvalidDoneDate, record_done
from health.prevention_reminders import RecordAs, Reminder, ReminderKind, ReminderStatus
from health.prevention_rules import Source, Text
from health.prevention_screening import checkup_reminders, screening_reminders
from health.prevention_vaccines import vaccination_reminders

__all__ = ["PreventionPlan", "Reminder", "ReminderKind", "ReminderStatus", "RecordAs", "Source", "Text",
           "PatientFacts", "extract_facts", "compute_reminders", "reminders_for_record", "record_done",
           "InvalidDoneDate"]

UPCOMING_WITHIN = timedelta(days=90)
_STATUS_ORDER = {ReminderStatus.OVERDUE: 0, ReminderStatus.DUE: 1, ReminderStatus.UPCOMING: 2}

NO_BIRTH_DATE = Text("Pas de date de naissance complète : les rappels de prévention ne peuvent pas être calculés.",
                     "No complete birth date: prevention reminders cannot be computed.")
BIRTH_DATE_IN_FUTURE = Text("La date de naissance est dans le futur : les rappels de prévention ne peuvent pas "
                            "être calculés.",
                            "The birth date is in the future: prevention reminders cannot be computed.")


@dataclass(frozen=True)
class PreventionPlan:
    computed_on: date
    reminders: tuple[Reminder, ...]
    unavailable: Text | None = None  # why there are no reminders at all, when that is the case


def reminders_for_record(resources: Iterable[dict], today: date, *,
                         upcoming_within: timedelta = UPCOMING_WITHIN) -> PreventionPlan:
    """The reminders of one patient's record (their FHIR resources, Patient included)."""
    return compute_reminders(extract_facts(resources), today, upcoming_within=upcoming_within)


def compute_reminders(facts: PatientFacts, today: date, *,
                      upcoming_within: timedelta = UPCOMING_WITHIN) -> PreventionPlan:
    """Every reminder due or overdue on `today`, and those whose window opens within `upcoming_within`."""
    birth = facts.birth_date
    if birth is None:
        return PreventionPlan(today, (), NO_BIRTH_DATE)
    if birth > today:
        return PreventionPlan(today, (), BIRTH_DATE_IN_FUTURE)
    known = _known_on(facts, today)
    found = [*vaccination_reminders(birth, known.doses, today),
             *screening_reminders(birth, known.sex, known.exams, today),
             *checkup_reminders(birth, known.exams, today)]
    closed = {mark.reminder_id for mark in known.marked_done}
    shown = [r for r in found if r.id not in closed
             and (r.status is not ReminderStatus.UPCOMING or r.window_from <= today + upcoming_within)]
    shown.sort(key=lambda r: (_STATUS_ORDER[r.status], r.due, r.id))
    return PreventionPlan(today, tuple(shown))


def _known_on(facts: PatientFacts, today: date) -> PatientFacts:
    """The facts dated between birth and today: a future or pre-birth date is a typing error, not history."""
    def plausible(day: date) -> bool:
        return facts.birth_date <= day <= today
    return replace(facts, doses=tuple(d for d in facts.doses if plausible(d.given_on)),
                   exams=tuple(e for e in facts.exams if plausible(e.done_on)),
                   marked_done=tuple(m for m in facts.marked_done if plausible(m.done_on)))
