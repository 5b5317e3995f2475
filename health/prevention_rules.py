"""The table of prevention rules: what is recommended, at which age, how often, and who says so.

Data only (plus the small types that describe it); `health/prevention.py` explains the
rules as a whole and runs them. Each rule names its source. Where a source leaves a
detail open (how long "at 2 months" lasts, when a late act becomes overdue), the choice
Carnet made is written "Carnet:" beside it.
"""
from __future__ import annotations

from dataclasses import dataclass

from health.ages import Age, days, months, years
from health.codes import Valence as V


@dataclass(frozen=True)
class Text:
    """A sentence in French (the app's default) and English."""

    fr: str
    en: str

    def __add__(self, other: "Text") -> "Text":
        return Text(f"{self.fr} {other.fr}".strip(), f"{self.en} {other.en}".strip())


@dataclass(frozen=True)
class Source:
    citation: str
    url: str


VACCINATION_CALENDAR_URL = ("https://sante.gouv.fr/prevention-en-sante/preserver-sa-sante/vaccination/"
                            "calendrier-vaccinal")
CALENDAR_2025 = Source("Ministère chargé de la santé, « Calendrier des vaccinations et recommandations "
                       "vaccinales 2025 »", VACCINATION_CALENDAR_URL)
MENINGOCOCCAL_2025 = Source("Calendrier des vaccinations 2025 ; décret n° 2024-694 du 5 juillet 2024 "
                            "(méningocoques ACWY et B obligatoires pour les nourrissons à partir de 2025)",
                            VACCINATION_CALENDAR_URL)
ADULT_DTP = Source("Calendrier des vaccinations 2025, rappels dTP de l'adulte à âges fixes (25, 45, 65 ans puis "
                   "tous les 10 ans) et règles de passage en cas de retard, en vigueur depuis le calendrier 2013 : "
                   "au moins 5 ans après le dernier rappel, au plus 25 ans entre deux rappels (15 ans après 65 ans)",
                   VACCINATION_CALENDAR_URL)
CHILD_CHECKUPS = Source("Code de la santé publique, art. R2132-1 ; calendrier des 20 examens médicaux obligatoires "
                        "de l'enfant (arrêté du 26 février 2019, modifié au 1er janvier 2025)",
                        "https://www.service-public.fr/particuliers/vosdroits/F967")
BREAST_SCREENING = Source("Institut national du cancer, dépistage organisé du cancer du sein : femmes de 50 à 74 ans, "
                          "une mammographie tous les 2 ans (arrêté du 29 septembre 2006 modifié)",
                          "https://www.e-cancer.fr/Professionnels-de-sante/Depistage-et-detection-precoce/"
                          "Depistage-du-cancer-du-sein")
COLORECTAL_SCREENING = Source("Institut national du cancer, dépistage organisé du cancer colorectal : de 50 à 74 ans, "
                              "un test immunologique tous les 2 ans ; pas d'invitation dans les 5 ans qui suivent "
                              "une coloscopie (arrêté du 29 septembre 2006 modifié)",
                              "https://www.e-cancer.fr/Professionnels-de-sante/Depistage-et-detection-precoce/"
                              "Depistage-du-cancer-colorectal")
CERVICAL_SCREENING = Source("HAS, recommandation de juillet 2019 (test HPV-HR en dépistage primaire à partir de "
                            "30 ans) ; Institut national du cancer, programme de dépistage organisé du cancer du col "
                            "de l'utérus (arrêté du 30 juillet 2020)",
                            "https://e-cancer.fr/Professionnels-de-sante/Depistage-et-detection-precoce/"
                            "Depistage-du-cancer-du-col-de-l-uterus/Le-programme-de-depistage-organise")


# --- Vaccines given as a series of doses --------------------------------------------------

@dataclass(frozen=True)
class Dose:
    """One dose of a series: due at an age, or an interval after the previous dose (the later wins)."""

    at: Age | None = None
    after_previous: Age | None = None
    lasts: Age | None = months(1)  # the recommended window from the due date; None: open-ended


@dataclass(frozen=True)
class VaccineSeries:
    key: str  # reminder ids: "<key>-<dose number>", or "<key>" for a single dose
    title: Text
    why: Text
    counts: tuple[frozenset[str], ...]  # a dose counts when it holds all valences of one of these
    doses: tuple[Dose, ...]
    record_with: str  # ATC code written when the patient marks a dose done
    shown_until: Age | None  # no reminder from this age on (catch-up limit)
    source: Source
    counts_from: Age = Age()  # doses given younger than this do not count
    # A series begun late (first dose at or after `late_start`) goes on with `late_doses`.
    late_start: Age | None = None
    late_doses: tuple[Dose, ...] = ()


_HEXAVALENT = frozenset({V.DIPHTHERIA, V.TETANUS, V.PERTUSSIS, V.POLIO, V.HIB, V.HEPATITIS_B})
_DTCAP = frozenset({V.DIPHTHERIA, V.TETANUS, V.PERTUSSIS, V.POLIO})

VACCINE_SERIES: tuple[VaccineSeries, ...] = (
    # Calendar 2025, §2 (compulsory since 2018): DTCaP-Hib-HepB at 2, 4 and 11 months, 2 months
    # apart then a booster at least 6 months later. Carnet: reminded until 6 (the 6-year booster).
    VaccineSeries(
        "hexavalent",
        Text("Vaccin diphtérie, tétanos, coqueluche, polio, Hib, hépatite B (hexavalent)",
             "Diphtheria, tetanus, pertussis, polio, Hib, hepatitis B vaccine (hexavalent)"),
        Text("Obligatoire : 3 doses, à 2, 4 et 11 mois.", "Compulsory: 3 doses, at 2, 4 and 11 months."),
        (_HEXAVALENT,), (Dose(at=months(2)), Dose(at=months(4), after_previous=months(2)),
                         Dose(at=months(11), after_previous=months(6))),
        "J07CA09", years(6), CALENDAR_2025),
    # Calendar 2025 (compulsory): pneumococcal conjugate at 2, 4 and 11 months; catch-up to 24 months.
    VaccineSeries(
        "pneumococcal-infant",
        Text("Vaccin pneumococcique conjugué", "Pneumococcal conjugate vaccine"),
        Text("Obligatoire : 3 doses, à 2, 4 et 11 mois.", "Compulsory: 3 doses, at 2, 4 and 11 months."),
        (frozenset({V.PNEUMOCOCCAL_CONJUGATE}),),
        (Dose(at=months(2)), Dose(at=months(4), after_previous=months(2)),
         Dose(at=months(11), after_previous=months(6))),
        "J07AL02", months(24), CALENDAR_2025),
    # Compulsory from 2025: MenB at 3, 5 and 12 months (2 months apart, booster >= 6 months
    # later), catch-up to 24 months.
    VaccineSeries(
        "meningococcal-b",
        Text("Vaccin méningocoque B", "Meningococcal B vaccine"),
        Text("Obligatoire depuis 2025 : 3 doses, à 3, 5 et 12 mois.",
             "Compulsory since 2025: 3 doses, at 3, 5 and 12 months."),
        (frozenset({V.MENINGOCOCCAL_B}),),
        (Dose(at=months(3)), Dose(at=months(5), after_previous=months(2)),
         Dose(at=months(12), after_previous=months(6))),
        "J07AH09", months(24), MENINGOCOCCAL_2025),
    # Compulsory from 2025: MenACWY at 6 and 12 months, catch-up to 24 months; a MenC dose given
    # under the former calendar counts (the calendar completes it with an ACWY dose).
    # Carnet: at least 2 months between the two doses.
    VaccineSeries(
        "meningococcal-acwy",
        Text("Vaccin méningocoques ACWY", "Meningococcal ACWY vaccine"),
        Text("Obligatoire depuis 2025 : 2 doses, à 6 et 12 mois.",
             "Compulsory since 2025: 2 doses, at 6 and 12 months."),
        (frozenset({V.MENINGOCOCCAL_ACWY}), frozenset({V.MENINGOCOCCAL_C})),
        (Dose(at=months(6)), Dose(at=months(12), after_previous=months(2))),
        "J07AH08", months(24), MENINGOCOCCAL_2025),
    # Calendar 2025 (compulsory): MMR at 12 months and between 16 and 18 months, at least one
    # month apart. Carnet: reminded until 18 (the adult catch-up is left out, see prevention.py).
    VaccineSeries(
        "mmr",
        Text("Vaccin rougeole, oreillons, rubéole (ROR)", "Measles, mumps, rubella vaccine (MMR)"),
        Text("Obligatoire : 2 doses, à 12 mois et entre 16 et 18 mois.",
             "Compulsory: 2 doses, at 12 months and between 16 and 18 months."),
        (frozenset({V.MEASLES, V.MUMPS, V.RUBELLA}),),
        (Dose(at=months(12)), Dose(at=months(16), after_previous=months(1), lasts=months(3))),
        "J07BD52", years(18), CALENDAR_2025),
    # Calendar 2025: DTCaP booster at 6. Carnet: a dose from age 5 counts; reminded until 11.
    VaccineSeries(
        "dtcap-6y",
        Text("Rappel diphtérie, tétanos, coqueluche, polio de 6 ans",
             "Diphtheria, tetanus, pertussis, polio booster at 6"),
        Text("Rappel recommandé à 6 ans.", "Booster recommended at age 6."),
        (_DTCAP,), (Dose(at=years(6), lasts=years(1)),), "J07CA02", years(11), CALENDAR_2025,
        counts_from=years(5)),
    # Calendar 2025: dTcaP booster between 11 and 13. Carnet: a dose from age 10 counts; reminded until 16.
    VaccineSeries(
        "dtcap-11y",
        Text("Rappel diphtérie, tétanos, coqueluche, polio de 11-13 ans",
             "Diphtheria, tetanus, pertussis, polio booster at 11-13"),
        Text("Rappel recommandé entre 11 et 13 ans.", "Booster recommended between 11 and 13."),
        (_DTCAP,), (Dose(at=years(11), lasts=years(3)),), "J07CA02", years(16), CALENDAR_2025,
        counts_from=years(10)),
    # Calendar 2025: HPV for girls and boys at 11-14, two doses 6 to 13 months apart; catch-up
    # from 15 to 19 with three doses (0, 2, 6 months). Carnet: reminded until 21, so that a
    # series begun at 19 can be finished.
    VaccineSeries(
        "hpv",
        Text("Vaccin papillomavirus (HPV)", "Human papillomavirus (HPV) vaccine"),
        Text("Recommandé aux filles et aux garçons de 11 à 14 ans (2 doses) ; rattrapage de 15 à 19 ans (3 doses).",
             "Recommended for girls and boys aged 11 to 14 (2 doses); catch-up from 15 to 19 (3 doses)."),
        (frozenset({V.HPV}),),
        (Dose(at=years(11), lasts=years(4)), Dose(after_previous=months(6), lasts=months(7))),
        "J07BM03", years(21), CALENDAR_2025, counts_from=years(9),
        late_start=years(15),
        late_doses=(Dose(after_previous=months(2)), Dose(after_previous=months(4)))),
    # Calendar 2025 (HAS 2024): one MenACWY dose for every adolescent aged 11 to 14, whatever was
    # given in infancy; catch-up from 15 to 24.
    VaccineSeries(
        "meningococcal-acwy-teen",
        Text("Vaccin méningocoques ACWY de l'adolescent", "Adolescent meningococcal ACWY vaccine"),
        Text("Recommandé à tous les adolescents de 11 à 14 ans ; rattrapage jusqu'à 24 ans.",
             "Recommended for every adolescent aged 11 to 14; catch-up until 24."),
        (frozenset({V.MENINGOCOCCAL_ACWY}),), (Dose(at=years(11), lasts=years(4)),),
        "J07AH08", years(25), MENINGOCOCCAL_2025, counts_from=years(11)),
    # Calendar 2025 (HAS 2025): one conjugate pneumococcal dose for everyone aged 65 or more.
    # Carnet: any conjugate dose given as an adult counts (ATC does not tell PCV13 from PCV20).
    VaccineSeries(
        "pneumococcal-65",
        Text("Vaccin pneumococcique conjugué (65 ans et plus)", "Pneumococcal conjugate vaccine (65 and over)"),
        Text("Recommandé à partir de 65 ans : une dose.", "Recommended from 65: one dose."),
        (frozenset({V.PNEUMOCOCCAL_CONJUGATE}),), (Dose(at=years(65), lasts=None),),
        "J07AL02", None, CALENDAR_2025, counts_from=years(18)),
    # Calendar 2025 (HAS 2024): recombinant zoster vaccine from 65, two doses 2 to 6 months apart.
    VaccineSeries(
        "zoster",
        Text("Vaccin contre le zona", "Shingles (zoster) vaccine"),
        Text("Recommandé à partir de 65 ans : 2 doses, à 2 à 6 mois d'intervalle.",
             "Recommended from 65: 2 doses, 2 to 6 months apart."),
        (frozenset({V.ZOSTER_RECOMBINANT}),),
        (Dose(at=years(65), lasts=None), Dose(after_previous=months(2), lasts=months(4))),
        "J07BK03", None, CALENDAR_2025, counts_from=years(18)),
)


# --- Adult dTP boosters (calendar 2025; rules of the 2013 reform) -------------------------
DTP_FIXED_AGES = (25, 45, 65)  # then every DTP_INTERVAL_AFTER_65 years
DTP_INTERVAL_AFTER_65 = 10
DTP_MIN_GAP = years(5)  # a booster less than 5 years old moves the next one to the following fixed age
DTP_COUNTS = (frozenset({V.DIPHTHERIA, V.TETANUS, V.POLIO}),)
DTP_RECORD_WITH = "J07CA01"
DTCAP_RECORD_WITH = "J07CA02"  # the booster at 25 also protects against pertussis
DTP_LASTS = years(1)  # Carnet: "at 45" means during the 46th year; overdue afterwards


# --- Seasonal vaccines from 65 (calendar 2025) --------------------------------------------
@dataclass(frozen=True)
class SeasonalVaccine:
    key: str  # reminder ids: "<key>-<year the season begins>"
    title: Text
    why: Text
    counts: frozenset[str]
    from_age: int
    record_with: str
    source: Source


SEASON_START = (10, 1)  # Carnet: the campaigns run from October to February
SEASON_END_MONTH = 2  # (to the last day of February)
SEASON_COUNTS_FROM = (9, 1)  # a dose from 1 September counts for the coming season
SEASONAL_VACCINES: tuple[SeasonalVaccine, ...] = (
    SeasonalVaccine("flu", Text("Vaccination contre la grippe", "Flu vaccination"),
                    Text("Recommandée chaque année à partir de 65 ans, d'octobre à février.",
                         "Recommended every year from 65, from October to February."),
                    frozenset({V.INFLUENZA}), 65, "J07BB02", CALENDAR_2025),
    # Calendar 2025 (HAS): a yearly autumn COVID-19 dose from 65, alongside the flu campaign.
    SeasonalVaccine("covid", Text("Vaccination contre le Covid-19", "COVID-19 vaccination"),
                    Text("Recommandée chaque automne à partir de 65 ans, en même temps que la grippe.",
                         "Recommended every autumn from 65, together with the flu shot."),
                    frozenset({V.COVID_19}), 65, "J07BN01", CALENDAR_2025),
)


# --- Organised cancer screenings ----------------------------------------------------------
SCREENING_LASTS = months(6)  # Carnet: a screening becomes overdue 6 months after it is due
BREAST_AGES = (50, 75)  # from the 50th birthday to the day before the 75th
BREAST_INTERVAL = years(2)
COLORECTAL_AGES = (50, 75)
COLORECTAL_INTERVAL = years(2)
COLONOSCOPY_DEFERS = years(5)
CERVICAL_AGES = (25, 66)  # 25 to 65 inclusive
CERVICAL_HPV_FROM = 30
CYTOLOGY_SECOND_AFTER = years(1)  # the first two cytologies, one year apart
CYTOLOGY_INTERVAL = years(3)  # then every 3 years; the first HPV test 3 years after the last cytology
HPV_TEST_INTERVAL = years(5)


# --- Compulsory child health check-ups (the 20 examinations, calendar of 1 January 2025) ---
@dataclass(frozen=True)
class Checkup:
    key: str  # reminder id "checkup-<key>"
    label: Text
    starts: Age
    ends: Age  # exclusive


# Carnet: "au cours du Ne mois" is read as the month after the Nth monthly birthday, as the
# carnet de santé does ("examen du 9e mois" at 9 months), and "au cours de la Ne année" as the
# year after the Nth birthday ("examen de 3 ans").
CHILD_CHECKUPS_TABLE: tuple[Checkup, ...] = (
    Checkup("8d", Text("dans les 8 jours après la naissance", "within 8 days of birth"), Age(), days(8)),
    Checkup("2w", Text("au cours de la 2e semaine", "during the 2nd week"), days(8), days(15)),
    *(Checkup(f"{n}m", Text(f"du {n}e mois", f"at {n} months"), months(n), months(n + 1))
      for n in (2, 3, 4, 5, 6, 9, 12, 13)),
    Checkup("16-18m", Text("entre 16 et 18 mois", "between 16 and 18 months"), months(16), months(19)),
    Checkup("24m", Text("du 24e ou 25e mois", "at 24 or 25 months"), months(24), months(26)),
    *(Checkup(f"{n}y", Text(f"de {n} ans", f"at {n} years"), years(n), years(n + 1)) for n in (3, 4, 5, 6, 7)),
    Checkup("8-9y", Text("entre 8 et 9 ans", "between 8 and 9"), years(8), years(10)),
    Checkup("11-13y", Text("entre 11 et 13 ans", "between 11 and 13"), years(11), years(14)),
    Checkup("15-16y", Text("entre 15 et 16 ans", "between 15 and 16"), years(15), years(17)),
)
