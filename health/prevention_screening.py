"""The organised cancer screenings and the compulsory child check-ups at work.

Each function reads the person's birth date, sex and examinations (already limited to
those done between birth and today) and returns the reminders due, overdue or upcoming.
The screening rules assume earlier results were normal: following up an abnormal result
is the clinician's call, not a reminder's.
"""
from __future__ import annotations

from datetime import date, timedelta

from health.ages import Age, years
from health.codes import PreventiveExam as Exam
from health.codes import exam_code
from health.prevention_facts import ExamDone
from health.prevention_reminders import RecordAs, Reminder, ReminderKind, french_date, status_on, window_end
from health.prevention_rules import (
    BREAST_AGES, BREAST_INTERVAL, BREAST_SCREENING, CERVICAL_AGES, CERVICAL_HPV_FROM, CERVICAL_SCREENING,
    CHILD_CHECKUPS, CHILD_CHECKUPS_TABLE, COLONOSCOPY_DEFERS, COLORECTAL_AGES, COLORECTAL_INTERVAL,
    COLORECTAL_SCREENING, CYTOLOGY_INTERVAL, CYTOLOGY_SECOND_AFTER, HPV_TEST_INTERVAL, SCREENING_LASTS,
    Source, Text,
)

_BREAST = Text("Dépistage du cancer du sein (mammographie)", "Breast cancer screening (mammogram)")
_COLORECTAL = Text("Dépistage du cancer colorectal (test immunologique)",
                   "Colorectal cancer screening (FIT stool test)")
_CYTOLOGY = Text("Dépistage du cancer du col de l'utérus (examen cytologique)",
                 "Cervical cancer screening (smear test)")
_HPV = Text("Dépistage du cancer du col de l'utérus (test HPV)", "Cervical cancer screening (HPV test)")


def screening_reminders(birth: date, sex: str | None, exams: tuple[ExamDone, ...], today: date) -> list[Reminder]:
    found = [_colorectal(birth, exams, today)]
    if sex == "female":  # breast and cervical screening are offered to women only (see prevention.py)
        found += [_breast(birth, exams, today), _cervical(birth, exams, today)]
    return [r for r in found if r]


def _last(exams: tuple[ExamDone, ...], *kinds: str) -> ExamDone | None:
    matching = [e for e in exams if e.exam in kinds]
    return max(matching, key=lambda e: e.done_on) if matching else None


def _record_as(exam: str) -> RecordAs:
    code = exam_code(exam)
    return RecordAs("Procedure", code.system, code.code, code.display)


def _screening(key: str, title: Text, reason: Text, due: date, today: date, source: Source, exam: str) -> Reminder:
    until = window_end(due, SCREENING_LASTS)
    return Reminder(id=f"{key}-{due.year}", kind=ReminderKind.SCREENING, title=title, reason=reason, due=due,
                    window_from=due, window_until=until, status=status_on(today, due, until), source=source,
                    record_as=_record_as(exam))


def _in_age_band(birth: date, ages: tuple[int, int], due: date, today: date) -> bool:
    """Whether a screening due on `due` still falls before the band's upper age limit."""
    stop = years(ages[1]).after(birth)
    return today < stop and due < stop


def _recorded(last: ExamDone | None, when_last: Text, when_none: Text) -> Text:
    """`when_last` with the date of the last exam in place of {}, or `when_none`."""
    if last is None:
        return when_none
    return Text(when_last.fr.format(french_date(last.done_on)), when_last.en.format(last.done_on.isoformat()))


def _breast(birth: date, exams: tuple[ExamDone, ...], today: date) -> Reminder | None:
    last = _last(exams, Exam.MAMMOGRAPHY)
    due = max([years(BREAST_AGES[0]).after(birth), *([BREAST_INTERVAL.after(last.done_on)] if last else [])])
    if not _in_age_band(birth, BREAST_AGES, due, today):
        return None
    reason = Text("Dépistage organisé : une mammographie tous les 2 ans de 50 à 74 ans.",
                  "Organised screening: a mammogram every 2 years from 50 to 74.")
    reason += _recorded(last, Text("Dernière mammographie enregistrée le {}.", "Last mammogram recorded on {}."),
                        Text("Aucune mammographie enregistrée.", "No mammogram recorded."))
    return _screening("breast-screening", _BREAST, reason, due, today, BREAST_SCREENING, Exam.MAMMOGRAPHY)


def _colorectal(birth: date, exams: tuple[ExamDone, ...], today: date) -> Reminder | None:
    last = _last(exams, Exam.COLORECTAL_FIT)
    colonoscopy = _last(exams, Exam.COLONOSCOPY)
    due = max([years(COLORECTAL_AGES[0]).after(birth),
               *([COLORECTAL_INTERVAL.after(last.done_on)] if last else []),
               *([COLONOSCOPY_DEFERS.after(colonoscopy.done_on)] if colonoscopy else [])])
    if not _in_age_band(birth, COLORECTAL_AGES, due, today):
        return None
    reason = Text("Dépistage organisé : un test immunologique tous les 2 ans de 50 à 74 ans.",
                  "Organised screening: a stool test (FIT) every 2 years from 50 to 74.")
    reason += _recorded(last, Text("Dernier test enregistré le {}.", "Last stool test recorded on {}."),
                        Text("Aucun test enregistré.", "No stool test recorded."))
    if colonoscopy and due == COLONOSCOPY_DEFERS.after(colonoscopy.done_on):
        reason += Text(f"Une coloscopie faite le {french_date(colonoscopy.done_on)} le reporte de 5 ans.",
                       f"A colonoscopy on {colonoscopy.done_on.isoformat()} postpones it by 5 years.")
    return _screening("colorectal-screening", _COLORECTAL, reason, due, today, COLORECTAL_SCREENING,
                      Exam.COLORECTAL_FIT)


def _cervical(birth: date, exams: tuple[ExamDone, ...], today: date) -> Reminder | None:
    """25-29: two smears a year apart, then 3 years later; 30-65: an HPV test every 5 years,
    the first 3 years after the last smear (at 30 when there was none)."""
    start, hpv_from = years(CERVICAL_AGES[0]).after(birth), years(CERVICAL_HPV_FROM).after(birth)
    tests = [e for e in exams if e.exam in (Exam.CERVICAL_CYTOLOGY, Exam.CERVICAL_HPV_TEST) and e.done_on >= start]
    last = max(tests, key=lambda e: e.done_on) if tests else None
    if last is None:
        hpv, due = today >= hpv_from, hpv_from if today >= hpv_from else start
    elif last.exam == Exam.CERVICAL_HPV_TEST and last.done_on >= hpv_from:
        hpv, due = True, HPV_TEST_INTERVAL.after(last.done_on)
    else:
        after: Age = CYTOLOGY_SECOND_AFTER if len(tests) == 1 else CYTOLOGY_INTERVAL
        hpv = after.after(last.done_on) >= hpv_from
        due = max(hpv_from, CYTOLOGY_INTERVAL.after(last.done_on)) if hpv else after.after(last.done_on)
    if not _in_age_band(birth, CERVICAL_AGES, due, today):
        return None
    reason = Text("Dépistage organisé de 25 à 65 ans : de 25 à 29 ans, deux examens cytologiques à un an "
                  "d'intervalle puis 3 ans après ; de 30 à 65 ans, un test HPV tous les 5 ans, le premier "
                  "3 ans après le dernier examen cytologique.",
                  "Organised screening from 25 to 65: from 25 to 29, two smear tests a year apart then one "
                  "3 years later; from 30 to 65, an HPV test every 5 years, the first 3 years after the last "
                  "smear test.")
    reason += _recorded(last, Text("Dernier dépistage enregistré le {}.", "Last screening test recorded on {}."),
                        Text("Aucun dépistage enregistré.", "No screening test recorded."))
    key, title, exam = ("cervical-hpv", _HPV, Exam.CERVICAL_HPV_TEST) if hpv else \
        ("cervical-cytology", _CYTOLOGY, Exam.CERVICAL_CYTOLOGY)
    return _screening(key, title, reason, due, today, CERVICAL_SCREENING, exam)


def checkup_reminders(birth: date, exams: tuple[ExamDone, ...], today: date) -> list[Reminder]:
    """The compulsory child check-ups whose window is open or about to open and not yet done.

    A check-up is never overdue: once its window has closed the next one takes over.
    """
    visits = [e.done_on for e in exams if e.exam == Exam.CHILD_CHECKUP]
    reminders = []
    for checkup in CHILD_CHECKUPS_TABLE:
        start, until = checkup.starts.after(birth), checkup.ends.after(birth) - timedelta(days=1)
        if today > until or any(start <= visit <= until for visit in visits):
            continue
        reminders.append(Reminder(
            id=f"checkup-{checkup.key}", kind=ReminderKind.CHECKUP,
            title=Text(f"Examen de santé obligatoire {checkup.label.fr}",
                       f"Compulsory child health check-up {checkup.label.en}"),
            reason=Text(f"L'un des 20 examens obligatoires de l'enfant, pris en charge à 100 %, à faire "
                        f"entre le {french_date(start)} et le {french_date(until)}.",
                        f"One of the 20 compulsory child health check-ups, fully reimbursed, to be done "
                        f"between {start.isoformat()} and {until.isoformat()}."),
            due=start, window_from=start, window_until=until, status=status_on(today, start, until),
            source=CHILD_CHECKUPS, record_as=_record_as(Exam.CHILD_CHECKUP)))
    return reminders
