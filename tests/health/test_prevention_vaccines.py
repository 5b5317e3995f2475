"""The vaccination rules, table-driven: infant series, childhood boosters, adult dTP, seasons, 65+."""
import pytest

from tests.health.prevention_records import d, dose, only, plan, shown

HEXA, PENTA, DTCAP, DTP = "J07CA09", "J07CA06", "J07CA02", "J07CA01"
PCV, PPSV, MENC, MENACWY, MENB, MMR = "J07AL02", "J07AL01", "J07AH07", "J07AH08", "J07AH09", "J07BD52"
HPV, FLU, COVID, SHINGRIX, ZOSTAVAX = "J07BM03", "J07BB02", "J07BX03", "J07BK03", "J07BK02"

INFANT = "2025-01-10"  # 2 months: 2025-03-10, 4 months: 05-10, 11 months: 12-10, 12 months: 2026-01-10

# (today, doses, expected (id, status) of the series, its due date or None)
HEXAVALENT_CASES = [
    ("2025-01-10", [], [("hexavalent-1", "upcoming")], "2025-03-10"),  # at birth: 59 days ahead
    ("2025-03-20", [], [("hexavalent-1", "due")], "2025-03-10"),
    ("2025-04-09", [], [("hexavalent-1", "due")], "2025-03-10"),  # "at 2 months" lasts a month
    ("2025-04-10", [], [("hexavalent-1", "overdue")], "2025-03-10"),
    ("2025-05-12", [("2025-03-10", HEXA)], [("hexavalent-2", "due")], "2025-05-10"),
    # A late first dose pushes the second: 2 months apart at least.
    ("2025-06-01", [("2025-04-20", HEXA)], [("hexavalent-2", "upcoming")], "2025-06-20"),
    ("2025-12-15", [("2025-03-10", HEXA), ("2025-05-10", HEXA)], [("hexavalent-3", "due")], "2025-12-10"),
    # The booster comes at least 6 months after the second dose.
    ("2025-12-15", [("2025-03-10", HEXA), ("2025-08-01", HEXA)], [("hexavalent-3", "upcoming")], "2026-02-01"),
    ("2026-03-01", [("2025-03-10", HEXA), ("2025-05-10", HEXA), ("2025-12-11", HEXA)], [], None),
    # The same injection recorded twice counts once.
    ("2025-05-12", [("2025-03-10", HEXA), ("2025-03-10", HEXA)], [("hexavalent-2", "due")], "2025-05-10"),
    # A pentavalent vaccine lacks hepatitis B: it does not count for the hexavalent series.
    ("2025-03-20", [("2025-03-10", PENTA)], [("hexavalent-1", "due")], "2025-03-10"),
    ("2031-01-09", [], [("hexavalent-1", "overdue")], "2025-03-10"),
    ("2031-01-10", [], [], None),  # reminded until 6: then the doctor's catch-up takes over
]


@pytest.mark.parametrize("today, doses, expected, due", HEXAVALENT_CASES)
def test_hexavalent_series(today, doses, expected, due):
    result = plan(INFANT, today, doses=[dose(*x) for x in doses])
    assert shown(result, "hexavalent") == expected
    if due:
        assert only(result, "hexavalent").due == d(due)


@pytest.mark.parametrize("prefix, today, doses, expected, due", [
    ("pneumococcal-infant", "2025-03-20", [], [("pneumococcal-infant-1", "due")], "2025-03-10"),
    ("pneumococcal-infant", "2027-01-09", [], [("pneumococcal-infant-1", "overdue")], "2025-03-10"),
    ("pneumococcal-infant", "2027-01-10", [], [], None),  # catch-up until 24 months
    ("pneumococcal-infant", "2025-12-15", [("2025-03-10", PCV), ("2025-05-10", PCV)],
     [("pneumococcal-infant-3", "due")], "2025-12-10"),
    ("meningococcal-b", "2025-04-15", [], [("meningococcal-b-1", "due")], "2025-04-10"),
    ("meningococcal-b", "2025-06-15", [("2025-04-10", MENB)], [("meningococcal-b-2", "due")], "2025-06-10"),
    ("meningococcal-b", "2026-01-15", [("2025-04-10", MENB), ("2025-06-10", MENB)],
     [("meningococcal-b-3", "due")], "2026-01-10"),
    ("meningococcal-b", "2026-01-15", [("2025-04-10", MENB), ("2025-09-10", MENB)],
     [("meningococcal-b-3", "upcoming")], "2026-03-10"),
    ("meningococcal-b", "2027-01-09", [], [("meningococcal-b-1", "overdue")], "2025-04-10"),
    ("meningococcal-b", "2027-01-10", [], [], None),  # catch-up until 24 months
    ("meningococcal-acwy-", "2025-07-15", [], [("meningococcal-acwy-1", "due")], "2025-07-10"),
    ("meningococcal-acwy-", "2027-01-10", [], [], None),
    # A MenC dose from the former calendar counts; the second dose is ACWY.
    ("meningococcal-acwy-", "2026-01-15", [("2025-06-10", MENC)], [("meningococcal-acwy-2", "due")], "2026-01-10"),
    ("meningococcal-acwy-", "2026-01-15", [("2025-06-10", MENC), ("2026-01-12", MENC)], [], None),
    ("mmr", "2026-01-15", [], [("mmr-1", "due")], "2026-01-10"),
    ("mmr", "2026-05-15", [("2026-01-10", MMR)], [("mmr-2", "due")], "2026-05-10"),
    ("mmr", "2026-08-09", [("2026-01-10", MMR)], [("mmr-2", "due")], "2026-05-10"),  # "between 16 and 18 months"
    ("mmr", "2026-08-10", [("2026-01-10", MMR)], [("mmr-2", "overdue")], "2026-05-10"),
    ("mmr", "2026-05-15", [("2026-05-01", MMR)], [("mmr-2", "upcoming")], "2026-06-01"),  # a month apart
])
def test_other_infant_series(prefix, today, doses, expected, due):
    result = plan(INFANT, today, doses=[dose(*x) for x in doses])
    assert shown(result, prefix) == expected
    if due:
        assert only(result, prefix).due == d(due)


CHILD = "2015-06-02"  # 6: 2021-06-02, 11: 2026-06-02, 15: 2030-06-02, 21: 2036-06-02


@pytest.mark.parametrize("prefix, today, doses, expected", [
    ("dtcap-6y", "2021-07-01", [], [("dtcap-6y", "due")]),
    ("dtcap-6y", "2022-06-01", [], [("dtcap-6y", "due")]),
    ("dtcap-6y", "2022-06-02", [], [("dtcap-6y", "overdue")]),
    ("dtcap-6y", "2021-07-01", [("2020-12-01", DTCAP)], []),  # given at 5 and a half: counts
    ("dtcap-6y", "2021-07-01", [("2019-06-02", HEXA)], [("dtcap-6y", "due")]),  # at 4: too early
    ("dtcap-6y", "2026-06-02", [], []),  # from 11 the adolescent booster takes over
    ("dtcap-11y", "2026-07-01", [], [("dtcap-11y", "due")]),
    ("dtcap-11y", "2029-06-01", [], [("dtcap-11y", "due")]),  # "between 11 and 13" ends at 14
    ("dtcap-11y", "2029-06-02", [], [("dtcap-11y", "overdue")]),
    ("dtcap-11y", "2026-07-01", [("2025-12-01", DTCAP)], []),
    ("dtcap-11y", "2026-07-01", [("2025-12-01", DTP)], [("dtcap-11y", "due")]),  # no pertussis in dTP
    ("dtcap-11y", "2031-06-02", [], []),
    ("hpv", "2026-07-01", [], [("hpv-1", "due")]),
    ("hpv", "2030-06-01", [], [("hpv-1", "due")]),
    ("hpv", "2030-06-02", [], [("hpv-1", "overdue")]),  # catch-up from 15
    ("hpv", "2027-01-05", [("2026-07-01", HPV)], [("hpv-2", "due")]),
    ("hpv", "2027-08-01", [("2026-07-01", HPV)], [("hpv-2", "overdue")]),  # 6 to 13 months apart
    ("hpv", "2027-08-01", [("2026-07-01", HPV), ("2027-01-05", HPV)], []),
    ("hpv", "2031-09-05", [("2031-07-01", HPV)], [("hpv-2", "due")]),  # begun at 16: three doses
    ("hpv", "2032-01-05", [("2031-07-01", HPV), ("2031-09-01", HPV)], [("hpv-3", "due")]),
    ("hpv", "2036-06-01", [], [("hpv-1", "overdue")]),
    ("hpv", "2036-06-02", [], []),
    ("meningococcal-acwy-teen", "2026-07-01", [("2016-06-02", MENACWY)], [("meningococcal-acwy-teen", "due")]),
    ("meningococcal-acwy-teen", "2026-07-01", [("2026-06-20", MENACWY)], []),
    ("meningococcal-acwy-teen", "2040-06-02", [], []),  # catch-up until 24
])
def test_childhood_and_adolescent_vaccines(prefix, today, doses, expected):
    assert shown(plan(CHILD, today, sex="male", doses=[dose(*x) for x in doses]), prefix) == expected


def test_hpv_due_dates_and_dose_counts():
    two = only(plan(CHILD, "2027-01-05", doses=[dose("2026-07-01", HPV)]), "hpv")
    assert (two.due, two.window_until, two.title.en) == (d("2027-01-01"), d("2027-07-31"),
                                                         "Human papillomavirus (HPV) vaccine – dose 2 of 2")
    three = only(plan(CHILD, "2031-09-05", doses=[dose("2031-07-01", HPV)]), "hpv")
    assert (three.due, three.title.en[-11:]) == (d("2031-09-01"), "dose 2 of 3")
    last = only(plan(CHILD, "2032-01-05", doses=[dose("2031-07-01", HPV), dose("2031-09-01", HPV)]), "hpv")
    assert last.due == d("2032-01-01")


ADULT = "1980-06-15"  # 25: 2005-06-15, 45: 2025-06-15, 65: 2045-06-15, 75: 2055-06-15

DTP_CASES = [
    # (today, boosters, expected (id, status), due)
    ("2005-04-01", [], [("dtp-booster-25", "upcoming")], "2005-06-15"),
    ("2005-01-01", [], [], None),
    ("2005-07-01", [], [("dtp-booster-25", "due")], "2005-06-15"),
    ("2006-06-15", [], [("dtp-booster-25", "overdue")], "2005-06-15"),
    ("2030-01-01", [], [("dtp-booster-45", "overdue")], "2025-06-15"),  # nothing recorded: the latest age
    ("2005-07-01", [("1991-09-01", DTCAP)], [("dtp-booster-25", "due")], "2005-06-15"),
    ("2025-07-01", [("2005-07-10", DTCAP)], [("dtp-booster-45", "due")], "2025-06-15"),
    ("2025-07-01", [("2005-07-10", DTCAP), ("2025-06-20", DTP)], [], None),
    # A booster given late at 43 replaces the one at 45: next at 65.
    ("2025-07-01", [("2023-09-01", DTP)], [], None),
    ("2045-05-01", [("2023-09-01", DTP)], [("dtp-booster-65", "upcoming")], "2045-06-15"),
    # Exactly 5 years before a fixed age is enough to keep it; one day less moves it.
    ("2025-07-01", [("2020-06-15", DTP)], [("dtp-booster-45", "due")], "2025-06-15"),
    ("2025-07-01", [("2020-06-16", DTP)], [], None),
    # Old calendar (booster at 18), now 35: the booster of 25 is overdue, to be given at once...
    ("2015-06-15", [("1998-06-20", DTP)], [("dtp-booster-25", "overdue")], "2005-06-15"),
    # ...and once given at 35 the schedule resumes at 45; given at 43, at 65.
    ("2025-07-01", [("1998-06-20", DTP), ("2015-07-01", DTCAP)], [("dtp-booster-45", "due")], "2025-06-15"),
    ("2025-07-01", [("1998-06-20", DTP), ("2023-07-01", DTCAP)], [], None),
    # Missed at 45 and 65: the reminder is the latest appointment.
    ("2046-01-01", [("2005-07-10", DTCAP)], [("dtp-booster-65", "due")], "2045-06-15"),
    ("2046-06-15", [("2005-07-10", DTCAP)], [("dtp-booster-65", "overdue")], "2045-06-15"),
    # After 65, every 10 years, with the same 5-year rule.
    ("2055-07-01", [("2045-07-01", DTP)], [("dtp-booster-75", "due")], "2055-06-15"),
    ("2055-07-01", [("2051-07-01", DTP)], [], None),
    ("2065-07-01", [("2051-07-01", DTP)], [("dtp-booster-85", "due")], "2065-06-15"),
    # Childhood doses count, other vaccines do not.
    ("2005-07-01", [("1991-09-01", HEXA), ("2005-06-20", FLU)], [("dtp-booster-25", "due")], "2005-06-15"),
]


@pytest.mark.parametrize("today, boosters, expected, due", DTP_CASES)
def test_adult_dtp_boosters(today, boosters, expected, due):
    result = plan(ADULT, today, sex="male", doses=[dose(*x) for x in boosters])
    assert shown(result, "dtp-booster") == expected
    if due:
        assert only(result, "dtp-booster").due == d(due)


def test_dtp_reasons_and_what_marking_done_records():
    late = only(plan(ADULT, "2045-05-01", sex="male", doses=[dose("2023-09-01", DTP)]), "dtp-booster")
    assert "replaces it" in late.reason.en and "le remplace" in late.reason.fr
    assert late.record_as.code == DTP
    missed = only(plan(ADULT, "2046-01-01", doses=[dose("2005-07-10", DTCAP)]), "dtp-booster")
    assert "booster due at 45 was not given" in missed.reason.en
    first = only(plan(ADULT, "2005-07-01"), "dtp-booster")
    assert (first.record_as.code, first.title.fr) == (
        DTCAP, "Rappel diphtérie, tétanos, coqueluche, polio (dTcaP) de 25 ans")
    assert "No booster recorded" in first.reason.en


@pytest.mark.parametrize("today, expected_status, due", [
    ("2029-02-28", "upcoming", "2029-03-01"),  # born 29 February: still 24 on 28 February 2029
    ("2029-03-01", "due", "2029-03-01"),
])
def test_dtp_booster_of_someone_born_on_29_february(today, expected_status, due):
    booster = only(plan("2004-02-29", today), "dtp-booster")
    assert (booster.id, booster.status.value, booster.due) == ("dtp-booster-25", expected_status, d(due))


SENIOR = "1960-01-01"  # 65 on 2025-01-01


@pytest.mark.parametrize("birth, today, doses, expected", [
    (SENIOR, "2025-11-01", [], [("flu-2025", "due")]),
    (SENIOR, "2026-02-28", [], [("flu-2025", "due")]),
    (SENIOR, "2026-03-01", [], []),  # the season is over, the next one is far
    (SENIOR, "2026-07-10", [], [("flu-2026", "upcoming")]),
    (SENIOR, "2025-11-01", [("2025-09-15", FLU)], []),  # an early shot counts for the coming season
    (SENIOR, "2025-11-01", [("2025-08-20", FLU)], [("flu-2025", "due")]),
    (SENIOR, "2025-11-01", [("2024-11-01", FLU)], [("flu-2025", "due")]),  # last season's shot
    ("1960-12-15", "2025-11-01", [], [("flu-2025", "upcoming")]),  # turns 65 during the season
    ("1961-03-15", "2025-11-01", [], []),  # 65 only after the season
    (SENIOR, "2023-11-01", [], []),  # 63
])
def test_flu_every_season_from_65(birth, today, doses, expected):
    assert shown(plan(birth, today, doses=[dose(*x) for x in doses]), "flu") == expected


def test_seasons_windows_and_covid():
    flu = only(plan(SENIOR, "2027-11-01"), "flu")
    assert (flu.window_from, flu.window_until) == (d("2027-10-01"), d("2028-02-29"))  # a leap year
    late = only(plan("1960-12-15", "2025-11-01"), "flu")
    assert late.window_from == d("2025-12-15")
    assert shown(plan(SENIOR, "2025-11-01", doses=[dose("2025-10-20", FLU)]), "covid") == [("covid-2025", "due")]
    assert shown(plan(SENIOR, "2025-11-01", doses=[dose("2025-10-20", COVID)]), "covid") == []


@pytest.mark.parametrize("prefix, today, doses, expected", [
    ("pneumococcal-65", "2024-10-01", [], []),  # more than 90 days ahead
    ("pneumococcal-65", "2024-12-31", [], [("pneumococcal-65", "upcoming")]),
    ("pneumococcal-65", "2025-01-01", [], [("pneumococcal-65", "due")]),
    ("pneumococcal-65", "2040-01-01", [], [("pneumococcal-65", "due")]),  # no upper age, never overdue
    ("pneumococcal-65", "2025-06-01", [("2020-03-01", PCV)], []),  # a conjugate dose as an adult counts
    ("pneumococcal-65", "2025-06-01", [("2020-03-01", PPSV)], [("pneumococcal-65", "due")]),
    ("zoster", "2025-01-01", [], [("zoster-1", "due")]),
    ("zoster", "2025-04-01", [("2025-02-01", SHINGRIX)], [("zoster-2", "due")]),
    ("zoster", "2025-07-31", [("2025-02-01", SHINGRIX)], [("zoster-2", "due")]),
    ("zoster", "2025-08-01", [("2025-02-01", SHINGRIX)], [("zoster-2", "overdue")]),  # 2 to 6 months apart
    ("zoster", "2025-04-01", [("2025-02-01", SHINGRIX), ("2025-03-20", SHINGRIX)], []),
    ("zoster", "2025-04-01", [("2024-02-01", ZOSTAVAX)], [("zoster-1", "due")]),  # the live vaccine does not count
])
def test_pneumococcus_and_shingles_from_65(prefix, today, doses, expected):
    assert shown(plan(SENIOR, today, sex="male", doses=[dose(*x) for x in doses]), prefix) == expected
