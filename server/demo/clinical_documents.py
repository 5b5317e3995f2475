"""Documents from day-to-day care: prescriptions, lab reports, consultation letters, summaries."""
from __future__ import annotations

from datetime import date, timedelta

from server.demo import letters
from server.demo.context import RecordContext
from server.demo.document_plan import DocumentPlan
from server.demo.measurements import LabRow, add_lab_panel

_BLOOD_TEST = ["718-7", "6690-2", "777-3", "2339-0", "2093-3", "13457-7", "2085-9", "2571-8",
               "14682-9", "2823-3", "2951-2"]
_PRINTED_UNITS = {"10*3/uL": "10³/µL", "umol/L": "µmol/L", "m[IU]/L": "mUI/L"}


def plan(ctx: RecordContext) -> list[DocumentPlan]:
    return [*_prescriptions(ctx), *_lab_reports(ctx), *_gp_letters(ctx), *_specialist_letters(ctx)]


def treatments_on(ctx: RecordContext, day: date, prescribed_only: bool = True) -> list[tuple[str, str]]:
    """(label, dosage) of the treatments running on `day`, from the record's MedicationStatements."""
    running = []
    for generated in ctx.resources:
        statement = generated.resource
        if statement["resourceType"] != "MedicationStatement" or (prescribed_only and generated.by_patient):
            continue
        period = statement["effectivePeriod"]
        if period["start"] <= day.isoformat() <= period.get("end", "9999"):
            running.append((statement["medicationCodeableConcept"]["text"], statement["dosage"][0]["text"]))
    return running


def _prescriptions(ctx: RecordContext) -> list[DocumentPlan]:
    gp = ctx.team.role("gp")
    plans = []
    for day in ctx.visits:
        if ctx.rng.random() > 0.85:
            continue
        treatments = treatments_on(ctx, day) or [("Salbutamol 100 µg/dose (Ventoline)", "2 bouffées si besoin")]
        rows = [["Médicament", "Posologie", "Durée"]]
        rows += [[label, dosage, ctx.rng.choice(["3 mois", "3 mois, à renouveler 1 fois", "6 mois"])]
                 for label, dosage in treatments]
        names = ", ".join(label.split(" ")[0] for label, _ in treatments)
        plans.append(DocumentPlan(
            day=day, loinc="57833-6", author=gp, title="Ordonnance",
            description=f"Ordonnance du {gp.display_name} : {names}",
            paragraphs=["Renouvellement du traitement habituel."], table=rows,
        ))
    return plans


def _lab_reports(ctx: RecordContext) -> list[DocumentPlan]:
    biologist = ctx.team.role("biologist")
    plans = []
    for year in range(ctx.start.year + 1, ctx.today.year + 1):
        day = date(year, ctx.rng.choice((2, 3)), ctx.rng.randint(1, 28))
        if not ctx.start <= day <= ctx.today or ctx.age_on(day) < 16:
            continue
        tests = list(_BLOOD_TEST)
        if year % 3 == 0:
            tests.append("3016-3")
        if ctx.age_on(day) >= 40:
            tests.append("4548-4")
        if "cholesterol" in ctx.events and day > ctx.events["cholesterol"]:
            tests.append("1742-6")
        rows = add_lab_panel(ctx, day, tests)
        flagged = [row.label for row in rows if row.flag]
        plans.append(DocumentPlan(
            day=day + timedelta(days=1), loinc="11502-2", author=biologist,
            title="Compte rendu d'analyses de biologie médicale",
            description="Bilan sanguin : NFS, glycémie, bilan lipidique, créatinine, ionogramme"
                        + (f" — à surveiller : {', '.join(flagged)}" if flagged else ""),
            paragraphs=[f"Prélèvement du {day.strftime('%d/%m/%Y')} à 8 h, à jeun. Prescripteur : "
                        f"{ctx.team.role('gp').display_name}."],
            table=_lab_table(rows),
        ))
    return plans


def _lab_table(rows: list[LabRow]) -> list[list[str]]:
    table = [["Analyse", "Résultat", "Unité", "Valeurs de référence", ""]]
    for row in rows:
        value = f"{row.value}".replace(".", ",")
        flag = {"H": "élevé", "L": "bas"}.get(row.flag, "")
        table.append([row.label, value, _PRINTED_UNITS.get(row.unit, row.unit), row.reference_range, flag])
    return table


def _gp_letters(ctx: RecordContext) -> list[DocumentPlan]:
    gp = ctx.team.role("gp")
    plans = []
    for day in ctx.visits[2::7]:
        hypertensive = "hypertension" in ctx.events and day > ctx.events["hypertension"]
        plans.append(DocumentPlan(
            day=day, loinc="11488-4", author=gp, title="Compte rendu de consultation",
            description="Consultation de suivi chez le médecin traitant",
            paragraphs=letters.gp_consultation(ctx.rng, hypertensive, ctx.rng.uniform(58, 70)),
        ))
    for day in (ctx.start + timedelta(days=400), ctx.today - timedelta(days=200)):
        conditions = [c["code"]["text"] for c in ctx.of_type("Condition") if c["onsetDateTime"] <= day.isoformat()]
        allergies = [a["code"]["text"] for a in ctx.of_type("AllergyIntolerance")]
        treatments = [label for label, _ in treatments_on(ctx, day, prescribed_only=False)]
        plans.append(DocumentPlan(
            day=day, loinc="60591-5", author=gp, title="Synthèse médicale",
            description="Synthèse médicale du médecin traitant (antécédents, traitements, allergies)",
            paragraphs=letters.summary_note(conditions, treatments, allergies),
        ))
    return plans


def _specialist_letters(ctx: RecordContext) -> list[DocumentPlan]:
    pneumologist, cardiologist = ctx.team.role("pneumologist"), ctx.team.role("cardiologist")
    plans = []
    day = ctx.start + timedelta(days=ctx.rng.randint(100, 300))
    while day < ctx.today:
        plans.append(DocumentPlan(
            day=day, loinc="11488-4", author=pneumologist, title="Consultation de pneumologie",
            description="Suivi de l'asthme : EFR et adaptation du traitement de fond",
            paragraphs=letters.pneumology_report(ctx.rng, day, ctx.rng.randint(82, 97)),
        ))
        day += timedelta(days=ctx.rng.randint(600, 800))
    onset = ctx.events.get("hypertension")
    if onset:
        plans.append(DocumentPlan(
            day=onset + timedelta(days=40), loinc="11488-4", author=cardiologist,
            title="Consultation de cardiologie",
            description="Avis cardiologique : hypertension artérielle essentielle",
            paragraphs=letters.cardiology_report(ctx.rng.randint(145, 155), ctx.rng.randint(90, 98)),
        ))
    physio = ctx.team.role("physiotherapist")
    for key, reason in (("fracture", "rééducation du poignet gauche après fracture"),
                        ("back-pain", "lombalgie commune")):
        if key in ctx.events:
            plans.append(DocumentPlan(
                day=ctx.events[key] + timedelta(days=100), loinc="11488-4", author=physio,
                title="Bilan de kinésithérapie", description=f"Bilan de fin de rééducation : {reason}",
                paragraphs=letters.physiotherapy_report(reason, ctx.rng.choice((10, 12, 15))),
            ))
    return plans

