"""The organised screenings and the child check-ups, table-driven over ages, sexes and histories."""
import pytest

from health.codes import PreventiveExam as Exam
from health.prevention_rules import CHILD_CHECKUPS_TABLE
from tests.health.prevention_records import d, exam, only, plan, shown

WOMAN = "1970-05-10"  # 50: 2020-05-10, 75: 2045-05-10

BREAST_CASES = [
    # (sex, today, mammograms, expected (id, status), due)
    ("female", "2020-01-01", [], [], None),  # 49, not yet shown
    ("female", "2020-03-01", [], [("breast-screening-2020", "upcoming")], "2020-05-10"),
    ("female", "2020-06-01", [], [("breast-screening-2020", "due")], "2020-05-10"),
    ("female", "2020-11-09", [], [("breast-screening-2020", "due")], "2020-05-10"),
    ("female", "2020-11-10", [], [("breast-screening-2020", "overdue")], "2020-05-10"),
    ("female", "2023-03-05", ["2021-03-01"], [("breast-screening-2023", "due")], "2023-03-01"),
    # Every 2 years to the day: not 18 months, not 3 years.
    ("female", "2023-12-31", ["2022-01-10"], [("breast-screening-2024", "upcoming")], "2024-01-10"),
    ("female", "2024-01-10", ["2022-01-10"], [("breast-screening-2024", "due")], "2024-01-10"),
    ("female", "2023-07-10", ["2022-01-10"], [], None),
    ("female", "2020-05-31", ["2018-06-01"], [("breast-screening-2020", "upcoming")], "2020-06-01"),  # done at 48
    ("female", "2045-05-09", [], [("breast-screening-2020", "overdue")], "2020-05-10"),
    ("female", "2045-05-10", [], [], None),  # 75: past the upper age limit
    ("female", "2044-06-01", ["2043-06-01"], [], None),  # next one would fall after 74
    ("male", "2030-01-01", [], [], None),
    (None, "2030-01-01", [], [], None),
    ("other", "2030-01-01", [], [], None),
]


@pytest.mark.parametrize("sex, today, mammograms, expected, due", BREAST_CASES)
def test_breast_screening(sex, today, mammograms, expected, due):
    result = plan(WOMAN, today, sex=sex, exams=[exam(day, Exam.MAMMOGRAPHY) for day in mammograms])
    assert shown(result, "breast") == expected
    if due:
        assert only(result, "breast").due == d(due)


LEAP_MAN = "1960-02-29"  # 50 on 2010-03-01 (2010 is not a leap year), 75 on 2035-03-01

COLORECTAL_CASES = [
    # (sex, today, exams, expected, due)
    ("male", "2010-02-28", [], [("colorectal-screening-2010", "upcoming")], "2010-03-01"),
    ("male", "2010-03-01", [], [("colorectal-screening-2010", "due")], "2010-03-01"),
    ("female", "2022-06-01", [("2020-05-05", Exam.COLORECTAL_FIT)], [("colorectal-screening-2022", "due")],
     "2022-05-05"),
    (None, "2022-06-01", [("2020-05-05", Exam.COLORECTAL_FIT)], [("colorectal-screening-2022", "due")],
     "2022-05-05"),
    ("male", "2021-06-01", [("2020-05-05", Exam.COLORECTAL_FIT)], [], None),
    # A colonoscopy postpones the stool test by 5 years.
    ("male", "2022-06-01", [("2020-05-05", Exam.COLORECTAL_FIT), ("2021-01-01", Exam.COLONOSCOPY)], [], None),
    ("male", "2026-01-01", [("2020-05-05", Exam.COLORECTAL_FIT), ("2021-01-01", Exam.COLONOSCOPY)],
     [("colorectal-screening-2026", "due")], "2026-01-01"),
    ("male", "2035-02-28", [], [("colorectal-screening-2010", "overdue")], "2010-03-01"),
    ("male", "2035-03-01", [], [], None),
    # A mammogram is not a colorectal screening.
    ("female", "2010-03-01", [("2010-01-01", Exam.MAMMOGRAPHY)], [("colorectal-screening-2010", "due")],
     "2010-03-01"),
]


@pytest.mark.parametrize("sex, today, exams, expected, due", COLORECTAL_CASES)
def test_colorectal_screening(sex, today, exams, expected, due):
    result = plan(LEAP_MAN, today, sex=sex, exams=[exam(*x) for x in exams])
    assert shown(result, "colorectal") == expected
    if due:
        assert only(result, "colorectal").due == d(due)


def test_colonoscopy_is_named_in_the_reason():
    reminder = only(plan(LEAP_MAN, "2026-01-01", sex="male", exams=[exam("2021-01-01", Exam.COLONOSCOPY)]),
                    "colorectal")
    assert "colonoscopy on 2021-01-01" in reminder.reason.en and "coloscopie" in reminder.reason.fr


CERVIX = "1990-04-01"  # 25: 2015-04-01, 30: 2020-04-01, 66: 2056-04-01
CYTO, HPV = Exam.CERVICAL_CYTOLOGY, Exam.CERVICAL_HPV_TEST

CERVICAL_CASES = [
    # (today, tests, expected, due)
    ("2015-01-15", [], [("cervical-cytology-2015", "upcoming")], "2015-04-01"),
    ("2015-05-01", [], [("cervical-cytology-2015", "due")], "2015-04-01"),
    ("2016-05-15", [("2015-05-01", CYTO)], [("cervical-cytology-2016", "due")], "2016-05-01"),  # 2nd after 1 year
    ("2018-04-01", [("2015-05-01", CYTO), ("2016-05-01", CYTO)], [], None),
    ("2019-05-15", [("2015-05-01", CYTO), ("2016-05-01", CYTO)], [("cervical-cytology-2019", "due")], "2019-05-01"),
    # 29, with normal smears at 26 and 27: nothing now, an HPV test 3 years after the last one, at 30.
    ("2019-06-01", [("2016-06-01", CYTO), ("2017-06-01", CYTO)], [], None),
    ("2020-03-15", [("2016-06-01", CYTO), ("2017-06-01", CYTO)], [("cervical-hpv-2020", "upcoming")], "2020-06-01"),
    ("2020-06-01", [("2016-06-01", CYTO), ("2017-06-01", CYTO)], [("cervical-hpv-2020", "due")], "2020-06-01"),
    # A single smear just before 30: the HPV test 3 years after it, not a second smear after 1 year.
    ("2022-10-01", [("2019-10-01", CYTO)], [("cervical-hpv-2022", "due")], "2022-10-01"),
    ("2019-04-15", [("2018-04-01", CYTO)], [("cervical-cytology-2019", "due")], "2019-04-01"),
    ("2020-05-01", [], [("cervical-hpv-2020", "due")], "2020-04-01"),  # never screened: HPV test at 30
    ("2040-05-01", [], [("cervical-hpv-2020", "overdue")], "2020-04-01"),
    # From 30, every 5 years after an HPV test: not 3.
    ("2024-05-01", [("2021-05-01", HPV)], [], None),
    ("2026-05-01", [("2021-05-01", HPV)], [("cervical-hpv-2026", "due")], "2026-05-01"),
    ("2055-05-01", [("2050-05-01", HPV)], [("cervical-hpv-2055", "due")], "2055-05-01"),  # at 65, still
    ("2056-03-01", [("2052-05-01", HPV)], [], None),  # the next one would be after 65
    ("2056-04-01", [], [], None),  # 66: past the upper age limit
    ("2015-05-01", [("2014-01-01", CYTO)], [("cervical-cytology-2015", "due")], "2015-04-01"),  # before 25
]


@pytest.mark.parametrize("today, tests, expected, due", CERVICAL_CASES)
def test_cervical_screening(today, tests, expected, due):
    result = plan(CERVIX, today, exams=[exam(*x) for x in tests])
    assert shown(result, "cervical") == expected
    if due:
        assert only(result, "cervical").due == d(due)


@pytest.mark.parametrize("sex", ["male", None, "unknown"])
def test_men_and_unknown_sex_get_no_breast_or_cervical_screening(sex):
    for today in ("2016-01-01", "2021-01-01", "2045-01-01"):
        result = plan(CERVIX, today, sex=sex)
        assert shown(result, "cervical") == [] and shown(result, "breast") == []
        colorectal = [("colorectal-screening-2040", "overdue")] if today == "2045-01-01" else []
        assert shown(result, "colorectal") == colorectal


def test_screening_reminders_keep_their_id_while_overdue():
    ids = {only(plan(WOMAN, day), "breast").id for day in ("2020-06-01", "2021-06-01", "2030-01-01")}
    assert ids == {"breast-screening-2020"}
    reminder = only(plan(WOMAN, "2020-06-01"), "breast")
    assert (reminder.kind.value, reminder.record_as.resource_type, reminder.record_as.code) == (
        "screening", "Procedure", "24623002")
    assert "e-cancer.fr" in reminder.source.url


BABY = "2025-03-10"


def test_there_are_twenty_child_checkups():
    assert len(CHILD_CHECKUPS_TABLE) == 20
    assert len({c.key for c in CHILD_CHECKUPS_TABLE}) == 20


@pytest.mark.parametrize("today, visits, expected", [
    ("2025-03-10", [], [("checkup-8d", "due"), ("checkup-2w", "upcoming"), ("checkup-2m", "upcoming")]),
    ("2025-03-18", [], [("checkup-2w", "due"), ("checkup-2m", "upcoming"), ("checkup-3m", "upcoming")]),
    ("2025-03-25", ["2025-03-20"], [("checkup-2m", "upcoming"), ("checkup-3m", "upcoming")]),
    ("2025-03-20", [], [("checkup-2w", "due"), ("checkup-2m", "upcoming"), ("checkup-3m", "upcoming")]),
    ("2025-12-15", [], [("checkup-9m", "due"), ("checkup-12m", "upcoming")]),
    ("2025-12-15", ["2025-12-11"], [("checkup-12m", "upcoming")]),
    ("2025-12-15", ["2025-11-30"], [("checkup-9m", "due"), ("checkup-12m", "upcoming")]),  # before the window
    ("2026-08-01", [], [("checkup-16-18m", "due")]),
    ("2027-03-10", [], [("checkup-24m", "due")]),  # 24 or 25 months
    ("2034-06-01", [], [("checkup-8-9y", "due")]),
    ("2042-03-09", [], [("checkup-15-16y", "due")]),
    ("2042-03-10", [], []),  # 17
])
def test_child_checkups(today, visits, expected):
    result = plan(BABY, today, sex="male", exams=[exam(day, Exam.CHILD_CHECKUP) for day in visits])
    assert shown(result, "checkup") == expected


def test_checkup_window_and_record():
    reminder = only(plan(BABY, "2025-12-15", upcoming_days=0), "checkup")
    assert (reminder.window_from, reminder.window_until) == (d("2025-12-10"), d("2026-01-09"))
    assert (reminder.kind.value, reminder.record_as.code) == ("check-up", "410620009")
    assert reminder.title.fr == "Examen de santé obligatoire du 9e mois"
