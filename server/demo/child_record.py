"""The record of a child: birth, the infant vaccination series, growth, a few documents."""
from __future__ import annotations

from datetime import timedelta

from health.codes import SNOMED
from server.demo import history, immunizations, measurements
from server.demo.context import RecordContext
from server.demo.document_plan import DocumentPlan
from server.demo.documents import deposit
from server.demo.fhir_parts import CONDITION_CLINICAL, concept, practitioner_ref


def add_child_record(ctx: RecordContext) -> None:
    history.add_patient(ctx)
    immunizations.add_child_immunizations(ctx)
    _add_growth(ctx)
    _add_childhood_illnesses(ctx)
    _add_documents(ctx)


def _add_growth(ctx: RecordContext) -> None:
    """Weight and height at the compulsory child check-ups (examens obligatoires)."""
    gp = ctx.team.role("gp")
    for months in (0, 1, 2, 4, 9, 12, 16, 24, 36, 48, 60, 72, 96, 120, 132):
        day = ctx.person.birth_date + timedelta(days=int(months * 30.4))
        if day > ctx.today:
            break
        years = months / 12
        weight = 3.4 + 6.5 * min(years, 1) + 2.3 * max(0, years - 1) + ctx.rng.gauss(0, 0.2)
        height = 50 + 25 * min(years, 1) + 6.5 * max(0, years - 1) + ctx.rng.gauss(0, 0.8)
        measurements.add_vital(ctx, "29463-7", day, 10, round(weight, 2), "kg", gp)
        measurements.add_vital(ctx, "8302-2", day, 10, round(height, 1), "cm", gp)


def _add_childhood_illnesses(ctx: RecordContext) -> None:
    gp = ctx.team.role("gp")
    for code, label, age_days in (("4120002", "Bronchiolite", 200), ("65363002", "Otite moyenne aiguë", 900)):
        onset = ctx.person.birth_date + timedelta(days=age_days)
        if onset > ctx.today:
            continue
        ctx.add({
            "resourceType": "Condition",
            "clinicalStatus": concept(CONDITION_CLINICAL, "resolved", "Résolu"),
            "code": concept(SNOMED, code, label), "subject": ctx.patient_ref,
            "onsetDateTime": onset.isoformat(), "abatementDateTime": (onset + timedelta(days=12)).isoformat(),
            "recordedDate": onset.isoformat(), "recorder": practitioner_ref(gp),
        }, gp)


def _add_documents(ctx: RecordContext) -> None:
    gp = ctx.team.role("gp")
    born = ctx.person.birth_date
    plans = [
        DocumentPlan(day=born + timedelta(days=8), loinc="11488-4", author=gp, title="Examen du 8e jour",
                     description="Premier examen obligatoire du nourrisson",
                     paragraphs=["Examen clinique complet normal. Poids de naissance repris.",
                                 "Alimentation : allaitement maternel exclusif. Vitamine D prescrite."]),
        DocumentPlan(day=born + timedelta(days=200), loinc="57833-6", author=gp, title="Ordonnance",
                     description="Bronchiolite : lavages de nez et kinésithérapie respiratoire",
                     table=[["Médicament", "Posologie", "Durée"],
                            ["Sérum physiologique, unidoses", "Lavage de nez avant chaque biberon", "8 jours"],
                            ["Paracétamol 2,4 % suspension buvable",
                             "1 dose-poids toutes les 6 heures si fièvre", "5 jours"]]),
        DocumentPlan(day=ctx.today - timedelta(days=60), loinc="11369-6", author=gp,
                     title="Certificat de vaccination", description="Vaccinations à jour pour la rentrée scolaire",
                     paragraphs=["Je certifie que l'enfant est à jour des vaccinations obligatoires."]),
        DocumentPlan(day=ctx.today - timedelta(days=20), loinc="51855-5", author=None,
                     title="Photo : certificat d'aptitude au sport", image="photo",
                     description="Ajouté par le représentant légal",
                     photo_lines=["Certificat médical", "Pas de contre-indication", "à la pratique du football"]),
    ]
    for plan in plans:
        if plan.day <= ctx.today:
            deposit(ctx, plan)
