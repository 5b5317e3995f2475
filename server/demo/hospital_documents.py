"""Documents from hospital stays, imaging, vaccination and organised screening."""
from __future__ import annotations

from datetime import date, timedelta

from server.demo import letters
from server.demo.context import RecordContext
from server.demo.document_plan import DocumentPlan
from server.demo.fhir_parts import french_date


def plan(ctx: RecordContext) -> list[DocumentPlan]:
    return [*_hospital_stays(ctx), *_imaging(ctx), *_vaccination(ctx), *_screening(ctx)]


def _hospital_stays(ctx: RecordContext) -> list[DocumentPlan]:
    surgeon, gp, midwife = ctx.team.role("surgeon"), ctx.team.role("gp"), ctx.team.role("midwife")
    plans = []
    if day := ctx.events.get("appendicitis"):
        plans += [
            DocumentPlan(day=day + timedelta(days=1), loinc="11504-8", author=surgeon,
                         title="Compte rendu opératoire", description="Appendicectomie par cœlioscopie",
                         paragraphs=letters.operative_report()),
            DocumentPlan(day=day + timedelta(days=3), loinc="18842-5", author=surgeon,
                         title="Lettre de liaison à la sortie", description="Sortie après appendicectomie",
                         paragraphs=letters.discharge_letter(
                             "une appendicite aiguë opérée par cœlioscopie", 3,
                             "pas de port de charges lourdes pendant un mois, "
                             "ablation des fils à J10 par l'infirmière.")),
        ]
    if day := ctx.events.get("fracture"):
        plans.append(DocumentPlan(day=day, loinc="34133-9", author=gp, title="Synthèse de passage aux urgences",
                                  description="Fracture du poignet gauche : réduction et plâtre",
                                  paragraphs=letters.emergency_summary()))
    if day := ctx.events.get("delivery"):
        plans += [
            DocumentPlan(day=day, loinc="57832-8", author=midwife, title="Compte rendu d'accouchement",
                         description="Accouchement par voie basse, naissance d'un garçon",
                         paragraphs=letters.delivery_report(day, ctx.rng.randint(3100, 3600))),
            DocumentPlan(day=day + timedelta(days=3), loinc="18842-5", author=midwife,
                         title="Lettre de liaison à la sortie de maternité", description="Sortie de maternité",
                         paragraphs=letters.discharge_letter("un accouchement par voie basse", 3,
                                                             "consultation post-natale à six semaines.")),
        ]
    return plans


def _imaging(ctx: RecordContext) -> list[DocumentPlan]:
    radiologist = ctx.team.role("radiologist")
    exams = [  # event, days after, exam, conclusion, with a radiograph image
        ("asthma", None, "Radiographie thoracique de face", "pas d'anomalie pleuro-parenchymateuse.", False),
        ("appendicitis", 0, "Échographie abdomino-pelvienne",
         "appendice augmenté de taille (9 mm), non compressible, infiltration de la graisse : "
         "appendicite aiguë.", False),
        ("fracture", 0, "Radiographie du poignet gauche face et profil",
         "fracture extra-articulaire de l'extrémité distale du radius, peu déplacée.", True),
        ("fracture", 42, "Radiographie de contrôle du poignet gauche",
         "consolidation en bonne voie, pas de déplacement secondaire.", True),
        ("back-pain", 20, "Radiographie du rachis lombaire",
         "discopathie L5-S1 débutante, pas de lyse isthmique.", False),
        ("hypertension", 60, "Échographie-doppler des artères rénales", "pas de sténose des artères rénales.", False),
        ("delivery", -150, "Échographie obstétricale du 2e trimestre",
         "morphologie fœtale normale, biométrie au 50e percentile.", False),
        ("delivery", -60, "Échographie obstétricale du 3e trimestre",
         "présentation céphalique, croissance harmonieuse.", False),
    ]
    plans = []
    for event, days_after, exam, conclusion, with_film in exams:
        if event not in ctx.events:
            continue
        day = ctx.events[event] + timedelta(days=days_after) if days_after is not None else \
            ctx.start + timedelta(days=ctx.rng.randint(500, 900))
        if not ctx.start <= day <= ctx.today:
            continue
        plans.append(DocumentPlan(day=day, loinc="18748-4", author=radiologist, title=exam,
                                  description=f"{exam} : {conclusion}",
                                  paragraphs=letters.imaging_report(exam, conclusion)))
        if with_film:
            plans.append(DocumentPlan(day=day, loinc="18748-4", author=radiologist, title=f"{exam} — cliché",
                                      description=f"Image radiographique : {exam.lower()}", image="xray"))
    return plans


def _vaccination(ctx: RecordContext) -> list[DocumentPlan]:
    gp = ctx.team.role("gp")
    shots = sorted((i["occurrenceDateTime"], i["vaccineCode"]["text"]) for i in ctx.of_type("Immunization"))
    plans = []
    covid = [day for day, text in shots if "COVID" in text]
    if len(covid) >= 2:
        day = date.fromisoformat(covid[1]) + timedelta(days=7)
        plans.append(DocumentPlan(day=day, loinc="11369-6", author=ctx.team.role("pharmacist"),
                                  title="Certificat de vaccination COVID-19",
                                  description="Schéma vaccinal complet contre la COVID-19",
                                  paragraphs=["Certificat de vaccination contre la COVID-19 : schéma complet."],
                                  table=_shots_table([s for s in shots if "COVID" in s[1]])))
    if shots:
        day = ctx.today - timedelta(days=ctx.rng.randint(30, 120))
        plans.append(DocumentPlan(day=day, loinc="11369-6", author=gp, title="Historique des vaccinations",
                                  description="Récapitulatif des vaccinations enregistrées",
                                  paragraphs=["Récapitulatif des vaccinations réalisées, établi pour le patient."],
                                  table=_shots_table([s for s in shots if s[0] <= day.isoformat()])))
    dtp = [day for day, text in shots if "Revaxis" in text]
    if dtp:
        day = date.fromisoformat(dtp[-1])
        plans.append(DocumentPlan(day=day, loinc="11369-6", author=gp, title="Certificat de vaccination dTP",
                                  description="Rappel diphtérie-tétanos-poliomyélite",
                                  paragraphs=[f"Je certifie avoir réalisé le {french_date(day)} le rappel "
                                              "diphtérie-tétanos-poliomyélite (Revaxis)."]))
    return plans


def _screening(ctx: RecordContext) -> list[DocumentPlan]:
    if ctx.person.gender != "female":
        return []
    plans = []
    age = 25
    while age <= 65:
        day = ctx.at_age(age, 200)
        if day:
            # Cytology before 30, an HPV test from 30 (the organised screening's rule).
            plans.append(DocumentPlan(day=day, loinc="47528-5" if age < 30 else "30167-1",
                                      author=ctx.team.role("biologist"),
                                      title="Dépistage du cancer du col de l'utérus", category="prevention",
                                      description="Dépistage organisé : résultat normal",
                                      paragraphs=letters.cervical_screening(normal=age < 30)))
        age += 3 if age < 30 else 5
    return plans


def _shots_table(shots: list[tuple[str, str]]) -> list[list[str]]:
    return [["Date", "Vaccin"]] + [[french_date(date.fromisoformat(day)), text] for day, text in shots]
