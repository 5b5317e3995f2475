"""Vaccinations, roughly following the French calendar (calendrier des vaccinations).

Adults: dTP boosters at 25, 45 and 65 then every ten years, a yearly flu shot (asthma
makes it recommended at any age), the COVID-19 campaigns. Children: the infant series
(hexavalent, pneumococcus, meningococcus C, MMR) and the boosters at 6 and 11.
"""
from __future__ import annotations

from datetime import date, timedelta

from server.demo.cast import Clinician
from server.demo.context import RecordContext
from server.demo.fhir_parts import ATC, concept, practitioner_ref

# name → (ATC code, generic label, brand shown to the patient)
VACCINES = {
    "dtp": ("J07CA01", "Vaccin diphtérie-tétanos-poliomyélite", "Revaxis"),
    "dtcap": ("J07CA02", "Vaccin diphtérie-tétanos-coqueluche-poliomyélite", "Repevax"),
    "flu": ("J07BB02", "Vaccin grippal inactivé", "Vaxigrip Tetra"),
    "covid": ("J07BX03", "Vaccin COVID-19 à ARNm", "Comirnaty"),
    "pneumo-adult": ("J07AL02", "Vaccin pneumococcique conjugué", "Prevenar 20"),
    "hexa": ("J07CA09", "Vaccin diphtérie-tétanos-coqueluche-poliomyélite-Hib-hépatite B", "Hexyon"),
    "pneumo-child": ("J07AL02", "Vaccin pneumococcique conjugué", "Prevenar 13"),
    "menc": ("J07AH07", "Vaccin méningococcique C conjugué", "Neisvac"),
    "mmr": ("J07BD52", "Vaccin rougeole-oreillons-rubéole", "M-M-RVaxPro"),
    "tetra": ("J07CA02", "Vaccin diphtérie-tétanos-coqueluche-poliomyélite", "Tetravac"),
}

_COVID_CAMPAIGN = (date(2021, 4, 17), date(2021, 5, 29), date(2021, 12, 11), date(2022, 10, 22),
                   date(2023, 10, 28))


def add_adult_immunizations(ctx: RecordContext) -> None:
    for age in (25, 45, 65, 75, 85, 95):
        day = ctx.at_age(age, ctx.rng.randint(10, 200))
        # Like many adults, the patient is late for a booster whose age came less than three
        # years ago: the agenda then reminds them (health.prevention).
        if day and (ctx.today - day).days > 3 * 365:
            _vaccinate(ctx, "dtp", day, ctx.team.role("gp"), dose=None)
    delivery = ctx.events.get("delivery")
    if delivery and ctx.start <= delivery - timedelta(days=60):
        _vaccinate(ctx, "dtcap", delivery - timedelta(days=60), ctx.team.role("midwife"), dose=None)
    _add_flu_seasons(ctx)
    for dose, day in enumerate(_COVID_CAMPAIGN, start=1):
        if ctx.start <= day <= ctx.today and ctx.age_on(day) >= 18 and (dose <= 3 or ctx.age_on(day) >= 40):
            who = ctx.team.role("pharmacist" if dose > 2 else "nurse")
            _vaccinate(ctx, "covid", day + timedelta(days=ctx.rng.randint(0, 20)), who, dose=dose)
    pneumo = ctx.at_age(65, 300)
    if pneumo:
        _vaccinate(ctx, "pneumo-adult", pneumo, ctx.team.role("gp"), dose=1)


def _add_flu_seasons(ctx: RecordContext) -> None:
    for year in range(ctx.start.year + 1, ctx.today.year + 1):
        day = date(year, 10, 15) + timedelta(days=ctx.rng.randint(0, 50))
        if day > ctx.today or ctx.rng.random() < 0.15:  # a few seasons are missed, as in real life
            continue
        # Pharmacists have vaccinated against flu in France since 2019.
        who = ctx.team.role("pharmacist" if year >= 2019 else "gp")
        _vaccinate(ctx, "flu", day, who, dose=None)


def add_child_immunizations(ctx: RecordContext) -> None:
    schedule = [  # vaccine, age in days, dose number
        ("hexa", 61, 1), ("pneumo-child", 61, 1), ("hexa", 122, 2), ("pneumo-child", 122, 2),
        ("menc", 152, 1), ("hexa", 335, 3), ("pneumo-child", 335, 3), ("mmr", 366, 1),
        ("menc", 366, 2), ("mmr", 500, 2), ("tetra", 6 * 365 + 30, 4), ("dtcap", 11 * 365 + 40, 5),
    ]
    for vaccine, age_days, dose in schedule:
        day = ctx.person.birth_date + timedelta(days=age_days + ctx.rng.randint(0, 10))
        if day <= ctx.today:
            _vaccinate(ctx, vaccine, day, ctx.team.role("gp"), dose=dose)


def _vaccinate(ctx: RecordContext, vaccine: str, day: date, who: Clinician, dose: int | None) -> None:
    code, label, brand = VACCINES[vaccine]
    immunization = {
        "resourceType": "Immunization", "status": "completed",
        "vaccineCode": concept(ATC, code, label, text=f"{brand} — {label}"),
        "patient": ctx.patient_ref,
        "occurrenceDateTime": day.isoformat(), "recorded": day.isoformat(), "primarySource": True,
        "lotNumber": f"{brand[:2].upper()}{ctx.rng.randint(10000, 99999)}",
        "performer": [{"actor": practitioner_ref(who)}],
        "route": concept("http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration", "IM",
                         "Injection intramusculaire"),
    }
    if dose is not None:
        immunization["protocolApplied"] = [{"doseNumberPositiveInt": dose}]
    ctx.add(immunization, who)
