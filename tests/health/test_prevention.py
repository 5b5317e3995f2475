"""The whole plan from FHIR resources: facts extraction, refusals, ordering, marking done (pure)."""
from dataclasses import replace
from datetime import date, timedelta

import pytest

from health.codes import ATC, CARNET_PREVENTION_REMINDER, LOINC, SNOMED
from health.fhir_resources import validate
from health.prevention import (
    BIRTH_DATE_IN_FUTURE, NO_BIRTH_DATE, InvalidDoneDate, ReminderStatus, extract_facts, record_done,
    reminders_for_record,
)
from tests.health.prevention_records import d, dose, plan, shown


def patient(birth="1960-01-01", gender="female"):
    return {"resourceType": "Patient", "id": "p1", "birthDate": birth, "gender": gender}


def immunization(day, code, status="completed", system=ATC, **extra):
    return {"resourceType": "Immunization", "status": status, "patient": {"reference": "Patient/p1"},
            "vaccineCode": {"coding": [{"system": system, "code": code}]}, "occurrenceDateTime": day, **extra}


def coded(resource_type, system, code, **extra):
    element = "type" if resource_type == "DocumentReference" else "code"
    return {"resourceType": resource_type, element: {"coding": [{"system": system, "code": code}]}, **extra}


def test_extract_facts_reads_only_what_the_rules_can_trust():
    facts = extract_facts([
        patient(),
        {"resourceType": "Patient", "birthDate": "1999-09-09", "gender": "male"},  # a second one is ignored
        immunization("2024-10-15T00:30:00+02:00", "J07BB02"),  # the local day, not shifted to UTC
        immunization("2024-11-01", "J07BB02", status="not-done"),
        immunization("2024-11-02", "J07BB02", status="entered-in-error"),
        immunization("2024-11-03", "J07XX99"),  # unknown ATC code
        immunization("2024-11-04", "141", system="http://hl7.org/fhir/sid/cvx"),
        {"resourceType": "Immunization", "status": "completed", "vaccineCode": {"text": "Tétanos"},
         "occurrenceDateTime": "2024-11-05"},
        immunization("2010", "J07CA01"),  # a year only: its first day
        coded("Procedure", SNOMED, "24623002", status="completed", performedDateTime="2023-02-01"),
        coded("Procedure", SNOMED, "24623002", status="in-progress", performedDateTime="2023-03-01"),
        coded("Observation", LOINC, "10524-7", status="final", effectiveDateTime="2022-05-05T10:00:00Z"),
        coded("Observation", LOINC, "30167-1", status="preliminary", effectiveDateTime="2022-06-06"),
        coded("DocumentReference", LOINC, "24606-6", status="current", date="2021-02-10T09:00:00+01:00",
              context={"period": {"start": "2021-01-20"}}),
        coded("DocumentReference", LOINC, "11502-2", status="current", date="2021-03-01"),  # a lab report
        coded("Observation", LOINC, "29463-7", status="final", effectiveDateTime="2021-04-01"),  # weight
    ])
    assert (facts.birth_date, facts.sex) == (date(1960, 1, 1), "female")
    assert [(x.given_on.isoformat(), sorted(x.valences)) for x in facts.doses] == [
        ("2010-01-01", ["diphtheria", "polio", "tetanus"]), ("2024-10-15", ["influenza"])]
    assert [(x.exam, x.done_on.isoformat()) for x in facts.exams] == [
        ("mammography", "2021-01-20"), ("cervical-cytology", "2022-05-05"), ("mammography", "2023-02-01")]


@pytest.mark.parametrize("birth_date, gender, expected", [
    ("1960", "female", (None, "female")),  # a partial birth date is no birth date for an age
    ("1960-13-40", "male", (None, "male")),
    (None, "robot", (None, None)),
])
def test_extract_facts_refuses_incomplete_identity(birth_date, gender, expected):
    facts = extract_facts([{"resourceType": "Patient", "birthDate": birth_date, "gender": gender}])
    assert (facts.birth_date, facts.sex) == expected


def test_no_birth_date_means_no_reminders_and_a_reason():
    for resources in ([], [patient(birth="1960")], [immunization("2024-10-15", "J07BB02")]):
        result = reminders_for_record(resources, date(2025, 11, 1))
        assert result.reminders == () and result.unavailable == NO_BIRTH_DATE
    assert "birth date" in NO_BIRTH_DATE.en and "date de naissance" in NO_BIRTH_DATE.fr


def test_a_birth_date_in_the_future_is_refused():
    result = plan("2030-01-01", "2025-11-01")
    assert result.reminders == () and result.unavailable == BIRTH_DATE_IN_FUTURE
    assert plan("2025-11-01", "2025-11-01").unavailable is None  # born today: the first check-up is due


def test_records_dated_in_the_future_or_before_birth_count_for_nothing():
    assert shown(plan("1960-01-01", "2025-11-01", doses=[dose("2025-12-01", "J07BB02")]), "flu") == [
        ("flu-2025", "due")]
    assert shown(plan("1960-01-01", "2025-11-01", marked=[("flu-2025", "2025-12-01")]), "flu") == [
        ("flu-2025", "due")]
    baby = plan("2025-01-10", "2025-03-20", doses=[dose("2024-12-01", "J07CA09")])
    assert shown(baby, "hexavalent") == [("hexavalent-1", "due")]


def test_plan_order_ids_and_look_ahead():
    result = plan("1960-01-01", "2025-11-01", sex="female")
    statuses = [r.status for r in result.reminders]
    order = [ReminderStatus.OVERDUE, ReminderStatus.DUE, ReminderStatus.UPCOMING]
    assert statuses == sorted(statuses, key=order.index)
    assert len({r.id for r in result.reminders}) == len(result.reminders)
    assert {r.id for r in result.reminders} >= {"flu-2025", "covid-2025", "pneumococcal-65", "zoster-1",
                                                "dtp-booster-65", "breast-screening-2010",
                                                "colorectal-screening-2010"}
    assert all(r.title.fr and r.title.en and r.reason.fr and r.reason.en and r.source.citation
               for r in result.reminders)
    assert shown(plan("1960-01-01", "2024-10-01", upcoming_days=92), "pneumococcal") == [
        ("pneumococcal-65", "upcoming")]
    assert shown(plan("1960-01-01", "2024-10-01", upcoming_days=91), "pneumococcal") == []


def test_a_reminder_marked_done_by_id_stops_even_outside_its_window():
    visit_early = [("checkup-9m", "2025-12-01")]  # before the window of the 9-month check-up
    assert shown(plan("2025-03-10", "2025-12-15", marked=visit_early), "checkup-9m") == []
    assert shown(plan("2025-03-10", "2025-12-15"), "checkup-9m") == [("checkup-9m", "due")]


RECORD_TODAY = date(2025, 11, 1)


@pytest.mark.parametrize("birth, sex, reminder_id, performed_on", [
    ("1960-01-01", "female", "flu-2025", "2025-10-20"),
    ("1960-01-01", "female", "zoster-1", "2025-10-20"),
    ("1960-01-01", "female", "breast-screening-2010", "2025-10-20"),
    ("1960-01-01", "female", "colorectal-screening-2010", "2025-10-20"),
    ("1960-01-01", "male", "dtp-booster-65", "2025-10-20"),
    ("1980-06-15", "male", "dtp-booster-45", "2025-07-01"),
    ("1990-04-01", "female", "cervical-hpv-2020", "2025-10-20"),
    ("2000-04-01", "female", "cervical-cytology-2025", "2025-10-20"),
    ("2025-01-10", "male", "hexavalent-3", "2025-10-20"),  # given a bit early: the id still closes it
    ("2025-01-10", "male", "meningococcal-acwy-2", "2025-10-20"),
    ("2025-02-10", "female", "checkup-9m", "2025-10-25"),  # after its window
])
def test_marking_done_writes_a_valid_resource_that_stops_the_reminder(birth, sex, reminder_id, performed_on):
    record = [patient(birth, sex)]
    if reminder_id.startswith(("hexavalent-3", "meningococcal-acwy-2")):
        record += [immunization("2025-03-10", code) for code in ("J07CA09", "J07AH08")]
        record += [immunization("2025-05-10", "J07CA09")]
    before = reminders_for_record(record, RECORD_TODAY, upcoming_within=timedelta(days=90))
    reminder = next(r for r in before.reminders if r.id == reminder_id)
    resource = record_done(reminder, "Patient/p1", d(performed_on), today=RECORD_TODAY)
    assert validate(resource, reminder.record_as.resource_type) is resource
    assert resource["status"] == "completed"
    assert resource["identifier"] == [{"system": CARNET_PREVENTION_REMINDER, "value": reminder_id}]
    after = reminders_for_record([*record, resource], RECORD_TODAY, upcoming_within=timedelta(days=90))
    assert reminder_id not in {r.id for r in after.reminders}
    # Without the identifier the act itself still counts (another software recorded it).
    anonymous = {k: v for k, v in resource.items() if k != "identifier"}
    if reminder_id != "checkup-9m":
        again = reminders_for_record([*record, anonymous], RECORD_TODAY, upcoming_within=timedelta(days=90))
        assert reminder_id not in {r.id for r in again.reminders}


def test_the_resources_written_when_marking_done():
    reminder = next(r for r in plan("1960-01-01", "2025-11-01").reminders if r.id == "flu-2025")
    immunization_done = record_done(reminder, "Patient/p1", date(2025, 10, 20), today=RECORD_TODAY)
    assert immunization_done["vaccineCode"]["coding"][0] == {
        "system": ATC, "code": "J07BB02", "display": "Vaccin grippal inactivé"}
    assert (immunization_done["patient"], immunization_done["occurrenceDateTime"],
            immunization_done["recorded"], immunization_done["primarySource"]) == (
        {"reference": "Patient/p1"}, "2025-10-20", "2025-11-01", False)
    screening = next(r for r in plan("1960-01-01", "2025-11-01").reminders if r.id.startswith("breast"))
    procedure = record_done(screening, "Patient/p1", date(2025, 10, 20), today=RECORD_TODAY)
    assert (procedure["resourceType"], procedure["subject"], procedure["performedDateTime"],
            procedure["code"]["coding"][0]["code"]) == ("Procedure", {"reference": "Patient/p1"},
                                                        "2025-10-20", "24623002")
    next_one = reminders_for_record([patient(), procedure], RECORD_TODAY, upcoming_within=timedelta(days=800))
    assert [(r.id, r.due) for r in next_one.reminders if r.id.startswith("breast")] == [
        ("breast-screening-2027", date(2027, 10, 20))]


def test_marking_done_refuses_a_future_date_and_a_bad_patient_reference():
    reminder = plan("1960-01-01", "2025-11-01").reminders[0]
    with pytest.raises(InvalidDoneDate) as refused:
        record_done(reminder, "Patient/p1", date(2025, 11, 2), today=RECORD_TODAY)
    assert refused.value.fr == "La date ne peut pas être dans le futur." and "future" in refused.value.en
    with pytest.raises(ValueError):
        record_done(reminder, "Practitioner/x", date(2025, 11, 1), today=RECORD_TODAY)


def test_the_demo_records_use_codes_the_rules_recognise():
    from server.demo.cast import DEMO_CHILD, DEMO_CLINICIANS, PROVISIONAL_PERSON
    from server.demo.record import generate_child_record, generate_record

    clinicians = [replace(c, fhir_id=f"pr-{n}") for n, c in enumerate(DEMO_CLINICIANS)]
    today = date(2026, 11, 3)
    child = generate_child_record(DEMO_CHILD, clinicians, patient_id="child", seed=3, today=today)
    child_plan = reminders_for_record([g.resource for g in child.resources], today)
    assert child_plan.unavailable is None
    assert not {r.id.rsplit("-", 1)[0] for r in child_plan.reminders} & {
        "hexavalent", "pneumococcal-infant", "mmr", "dtcap"}
    senior = generate_record(PROVISIONAL_PERSON, clinicians, patient_id="senior", seed=3, today=today)
    senior_ids = {r.id for r in reminders_for_record([g.resource for g in senior.resources], today).reminders}
    assert "pneumococcal-65" not in senior_ids  # the demo's dose at 65 is recognised
    flu_this_season = any(g.resource["resourceType"] == "Immunization"
                          and g.resource["vaccineCode"]["coding"][0]["code"] == "J07BB02"
                          and g.resource["occurrenceDateTime"] >= "2026-09-01" for g in senior.resources)
    assert ("flu-2026" in senior_ids) is not flu_this_season

