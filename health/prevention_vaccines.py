"""The vaccination rules at work: dose series, adult dTP boosters, seasonal vaccines from 65.

Each function reads the person's birth date and counted doses (already limited to doses
given between birth and today) and returns the reminders due, overdue or upcoming.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from health.ages import age_in_years, years
from health.codes import ATC, VACCINES
from health.prevention_facts import VaccineDose
from health.prevention_reminders import (
    RecordAs, Reminder, ReminderKind, french_date, ordinal, status_on, window_end,
)
from health.prevention_rules import (
    ADULT_DTP, DTCAP_RECORD_WITH, DTP_COUNTS, DTP_FIXED_AGES, DTP_INTERVAL_AFTER_65, DTP_LASTS,
    DTP_MIN_GAP, DTP_RECORD_WITH, SEASON_COUNTS_FROM, SEASON_END_MONTH, SEASON_START, SEASONAL_VACCINES,
    VACCINE_SERIES, Dose, SeasonalVaccine, Text, VaccineSeries,
)


def vaccination_reminders(birth: date, doses: tuple[VaccineDose, ...], today: date) -> list[Reminder]:
    reminders = [r for series in VACCINE_SERIES if (r := _next_dose(series, birth, doses, today))]
    booster = _dtp_booster(birth, doses, today)
    if booster:
        reminders.append(booster)
    reminders += [r for vaccine in SEASONAL_VACCINES if (r := _season(vaccine, birth, doses, today))]
    return reminders


def _counted(counts: tuple[frozenset[str], ...], doses: tuple[VaccineDose, ...], since: date) -> list[date]:
    """The distinct days a counting dose was given on or after `since` (a record kept twice counts once)."""
    return sorted({d.given_on for d in doses if d.given_on >= since and any(c <= d.valences for c in counts)})


def _record_as(atc: str) -> RecordAs:
    return RecordAs("Immunization", ATC, atc, VACCINES[atc].label_fr)


def _next_dose(series: VaccineSeries, birth: date, doses: tuple[VaccineDose, ...], today: date) -> Reminder | None:
    limit = series.shown_until.after(birth) if series.shown_until else None
    if limit and today >= limit:
        return None
    given = _counted(series.counts, doses, series.counts_from.after(birth))
    plan: tuple[Dose, ...] = series.doses
    if given and series.late_start and given[0] >= series.late_start.after(birth):
        plan = series.doses[:1] + series.late_doses
    if len(given) >= len(plan):
        return None
    number, dose = len(given) + 1, plan[len(given)]
    candidates = [dose.at.after(birth)] if dose.at else []
    if dose.after_previous and given:
        candidates.append(dose.after_previous.after(given[-1]))
    due = max(candidates)
    if limit and due >= limit:
        return None
    until = window_end(due, dose.lasts)
    single = len(plan) == 1
    title = series.title if single else series.title + Text(
        f"– {ordinal(number).fr} dose", f"– dose {number} of {len(plan)}")
    recorded = Text(f"Dernière dose enregistrée le {french_date(given[-1])}.",
                    f"Last dose recorded on {given[-1].isoformat()}.") if given else \
        Text("Aucune dose enregistrée.", "No dose recorded.")
    return Reminder(
        id=series.key if single else f"{series.key}-{number}", kind=ReminderKind.VACCINATION,
        title=title, reason=series.why + recorded, due=due, window_from=due, window_until=until,
        status=status_on(today, due, until), source=series.source, record_as=_record_as(series.record_with))


def _dtp_appointments(birth: date) -> Iterator[tuple[int, date]]:
    """The fixed ages of adult dTP boosters (25, 45, 65, 75, 85…) and the day each is reached."""
    age = DTP_FIXED_AGES[0]
    while age <= 130:
        yield age, years(age).after(birth)
        age = next((a for a in DTP_FIXED_AGES if a > age), age + DTP_INTERVAL_AFTER_65)


def _dtp_booster(birth: date, doses: tuple[VaccineDose, ...], today: date) -> Reminder | None:
    """The adult dTP booster: at fixed ages, a late booster moving the next one (calendar rules)."""
    given = _counted(DTP_COUNTS, doses, birth)
    last = given[-1] if given else None
    appointments = list(_dtp_appointments(birth))
    # The next fixed age at least 5 years after the last booster ("n+1" rule of the calendar).
    pending = next(((age, day) for age, day in appointments if last is None or day >= DTP_MIN_GAP.after(last)),
                   None)
    if pending is None:
        return None
    passed = [(age, day) for age, day in appointments if day <= today]
    # Several appointments missed: remind the latest one (an immediate booster), not the first.
    age, day = passed[-1] if passed and passed[-1][0] >= pending[0] else pending
    until = window_end(day, DTP_LASTS)
    with_pertussis = age == DTP_FIXED_AGES[0]
    title = Text(f"Rappel diphtérie, tétanos, coqueluche, polio (dTcaP) de {age} ans",
                 f"Diphtheria, tetanus, pertussis, polio booster (Tdap-IPV) at {age}") if with_pertussis else \
        Text(f"Rappel diphtérie, tétanos, polio (dTP) de {age} ans",
             f"Diphtheria, tetanus, polio booster (Td-IPV) at {age}")
    return Reminder(
        id=f"dtp-booster-{age}", kind=ReminderKind.VACCINATION, title=title,
        reason=_dtp_reason(birth, last, pending[0], age), due=day, window_from=day, window_until=until,
        status=status_on(today, day, until), source=ADULT_DTP,
        record_as=_record_as(DTCAP_RECORD_WITH if with_pertussis else DTP_RECORD_WITH))


def _dtp_reason(birth: date, last: date | None, pending_age: int, age: int) -> Text:
    reason = Text("Rappels recommandés à 25, 45 et 65 ans, puis tous les 10 ans.",
                  "Boosters are recommended at 25, 45 and 65, then every 10 years.")
    if last is None:
        return reason + Text("Aucun rappel enregistré.", "No booster recorded.")
    at = age_in_years(birth, last)
    reason += Text(f"Dernier rappel enregistré le {french_date(last)} (à {at} ans).",
                   f"Last booster recorded on {last.isoformat()} (aged {at}).")
    skipped = [a for a, _ in _dtp_appointments(birth) if at < a < pending_age]
    if skipped:
        reason += Text(f"Fait moins de 5 ans avant le rendez-vous de {skipped[-1]} ans, il le remplace.",
                       f"Given less than 5 years before the appointment at {skipped[-1]}, it replaces it.")
    if pending_age < age:
        reason += Text(f"Le rappel de {pending_age} ans n'a pas été fait : à faire dès que possible.",
                       f"The booster due at {pending_age} was not given: it should be given now.")
    return reason


def _season(vaccine: SeasonalVaccine, birth: date, doses: tuple[VaccineDose, ...], today: date) -> Reminder | None:
    """This season's dose (October to February), or the coming season's from March on."""
    year = today.year if today.month > SEASON_END_MONTH else today.year - 1
    start = date(year, *SEASON_START)
    end = date(year + 1, SEASON_END_MONTH + 1, 1) - timedelta(days=1)  # the last day of February
    eligible = years(vaccine.from_age).after(birth)
    if eligible > end:
        return None
    counted = _counted((vaccine.counts,), doses, date(year, *SEASON_COUNTS_FROM))
    if any(day <= end for day in counted):
        return None
    window_from = max(start, eligible)
    return Reminder(
        id=f"{vaccine.key}-{year}", kind=ReminderKind.VACCINATION,
        title=vaccine.title + Text(f"{year}-{year + 1}", f"{year}-{year + 1}"), reason=vaccine.why,
        due=window_from, window_from=window_from, window_until=end,
        status=status_on(today, window_from, end), source=vaccine.source, record_as=_record_as(vaccine.record_with))
