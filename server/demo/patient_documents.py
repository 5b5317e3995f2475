"""Documents the patient added themself: photos of paper documents, their own tables,
and their advance directives."""
from __future__ import annotations

from datetime import timedelta

from server.demo import letters
from server.demo.context import RecordContext
from server.demo.document_plan import DocumentPlan
from server.demo.fhir_parts import french_date

_OWN = "51855-5"


def plan(ctx: RecordContext) -> list[DocumentPlan]:
    plans = [*_photos(ctx), _peak_flow_diary(ctx), _advance_directives(ctx)]
    if "hypertension" in ctx.events:
        plans.append(_blood_pressure_diary(ctx))
    return plans


def _photos(ctx: RecordContext) -> list[DocumentPlan]:
    early = ctx.start + timedelta(days=ctx.rng.randint(30, 200))
    mid = ctx.day_between(ctx.start + timedelta(days=2000), ctx.start + timedelta(days=3000))
    late = ctx.today - timedelta(days=ctx.rng.randint(60, 300))
    return [
        DocumentPlan(day=early, loinc=_OWN, author=None, title="Photo : ancienne ordonnance de dermatologie",
                     description="Ordonnance papier du Dr Vidal, dermatologue (eczéma des mains)", image="photo",
                     photo_lines=["Dr Michel Vidal — Dermatologie", f"Le {french_date(early)}",
                                  "Bétaméthasone crème (Diprosone)", "1 application le soir pendant 10 jours",
                                  "Crème émolliente : matin et soir", "Signature : M. Vidal"]),
        DocumentPlan(day=mid, loinc=_OWN, author=None, title="Photo : carnet de vaccination (pages 4-5)",
                     description="Pages du carnet de santé avec les vaccinations de l'enfance", image="photo",
                     photo_lines=["VACCINATIONS", "DTPolio — 1982 — Dr Arnaud", "ROR — 1980 — Dr Arnaud",
                                  "BCG — 1979 — PMI Lyon 1er", "Hépatite B — 1995 — 3 doses",
                                  "Rappel DTPolio — 1995"]),
        DocumentPlan(day=late, loinc=_OWN, author=None, title="Photo : certificat médical pour le sport",
                     description="Certificat de non contre-indication à la course à pied", image="photo",
                     photo_lines=["Certificat médical", f"Lyon, le {french_date(late)}",
                                  "Absence de contre-indication à la pratique", "de la course à pied en compétition.",
                                  ctx.team.role("gp").display_name]),
    ]


def _peak_flow_diary(ctx: RecordContext) -> DocumentPlan:
    day = ctx.today - timedelta(days=ctx.rng.randint(400, 600))
    rows = [["Date", "Matin (L/min)", "Soir (L/min)", "Remarque"]]
    for n in range(14):
        when = day - timedelta(days=13 - n)
        remark = ctx.rng.choice(["", "", "", "pollen", "footing", "toux"])
        rows.append([french_date(when), str(ctx.rng.randint(390, 460)), str(ctx.rng.randint(400, 470)), remark])
    return DocumentPlan(day=day, loinc=_OWN, author=None, title="Mon suivi du débit expiratoire de pointe",
                        description="Relevé personnel du peak-flow sur deux semaines au printemps",
                        paragraphs=["Relevé fait avec mon débitmètre de pointe, meilleur de trois essais."],
                        table=rows)


def _blood_pressure_diary(ctx: RecordContext) -> DocumentPlan:
    day = ctx.events["hypertension"] + timedelta(days=20)
    rows = [["Date", "Matin", "Soir"]]
    for n in range(3):
        when = day - timedelta(days=2 - n)
        rows.append([french_date(when)] + [
            f"{ctx.rng.randint(138, 152)}/{ctx.rng.randint(88, 96)} — {ctx.rng.randint(64, 80)} bpm" for _ in range(2)])
    return DocumentPlan(day=day, loinc=_OWN, author=None, title="Relevé d'automesure tensionnelle",
                        description="Règle des 3 : trois mesures matin et soir pendant trois jours",
                        paragraphs=["Mesures au bras gauche, assise, après cinq minutes de repos."], table=rows)


def _advance_directives(ctx: RecordContext) -> DocumentPlan:
    day = ctx.today - timedelta(days=ctx.rng.randint(200, 700))
    trusted = next(iter(ctx.of_type("RelatedPerson")), None)
    name = trusted["name"][0] if trusted else {"given": ["mon conjoint"], "family": ""}
    trusted_name = f"{name['given'][0]} {name['family']}".strip()
    return DocumentPlan(day=day, loinc="42348-3", author=None, title="Mes directives anticipées",
                        description="Directives anticipées rédigées selon le modèle du ministère de la Santé",
                        paragraphs=letters.advance_directives(ctx.person.display_name, trusted_name))
