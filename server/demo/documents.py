"""Health documents: about a hundred DocumentReferences over the record's twenty years,
each with its file (a small PDF, or a JPEG for photos and X-rays) when files are rendered.

Which documents exist follows the story told by the other sections: a prescription at most
GP visits, a yearly blood test, reports around each operation, the patient's own papers.
"""
from __future__ import annotations

import base64
import hashlib

from health.codes import CARNET_DOCUMENT_CATEGORY, DOCUMENT_CATEGORIES, DOCUMENT_TYPES, LOINC
from server.demo import clinical_documents, hospital_documents, patient_documents
from server.demo.context import RecordContext
from server.demo.document_plan import DocumentPlan
from server.demo.fhir_parts import concept, french_date, paris_datetime, practitioner_ref
from server.demo.image_files import render_paper_photo, render_xray
from server.demo.pdf_files import PaperDocument, render_pdf


def add_documents(ctx: RecordContext) -> None:
    plans = clinical_documents.plan(ctx) + hospital_documents.plan(ctx) + patient_documents.plan(ctx)
    for plan in sorted(plans, key=lambda p: p.day):
        deposit(ctx, plan)


def deposit(ctx: RecordContext, plan: DocumentPlan) -> dict:
    """Add the DocumentReference of `plan` (and render its file if the context wants files)."""
    document_type = DOCUMENT_TYPES[plan.loinc]
    category = plan.category or document_type.category
    author_ref = practitioner_ref(plan.author) if plan.author else ctx.patient_ref
    content_type = "image/jpeg" if plan.image else "application/pdf"
    attachment: dict = {"contentType": content_type, "language": "fr-FR", "title": plan.title,
                        "creation": paris_datetime(plan.day, 11)}
    if ctx.should_render_file():
        data = _render(ctx, plan)
        stored = ctx.add_file(content_type, data)
        attachment.update(url=f"Binary/{stored.binary_id}", size=len(data),
                          hash=base64.b64encode(hashlib.sha1(data).digest()).decode())
    reference = {
        "resourceType": "DocumentReference", "status": "current", "docStatus": "final",
        "type": concept(LOINC, plan.loinc, document_type.label_fr),
        "category": [concept(CARNET_DOCUMENT_CATEGORY, category, DOCUMENT_CATEGORIES[category].label_fr)],
        "subject": ctx.patient_ref, "date": paris_datetime(plan.day, 11, 30),
        "author": [author_ref], "description": plan.description,
        "content": [{"attachment": attachment}],
        "context": {"period": {"start": plan.day.isoformat()}},
    }
    return ctx.add(reference, plan.author)


def _render(ctx: RecordContext, plan: DocumentPlan) -> bytes:
    if plan.image == "xray":
        return render_xray(ctx.rng)
    if plan.image == "photo":
        return render_paper_photo(plan.photo_lines or [plan.title, *plan.paragraphs], ctx.rng)
    return render_pdf(_paper(ctx, plan))


def _paper(ctx: RecordContext, plan: DocumentPlan) -> PaperDocument:
    person = ctx.person
    civility = "Mme" if person.gender == "female" else "M."
    born = "née" if person.gender == "female" else "né"
    patient_line = (f"{civility} {person.given} {person.family.upper()}, {born} le {french_date(person.birth_date)}"
                    f" — INS {person.ins}")
    if plan.author:
        who = plan.author
        letterhead = [who.practice, f"{who.display_name} — {who.specialty}", who.address,
                      f"Tél. {who.phone} — RPPS {who.rpps}"]
        city = who.address.rsplit(" ", 1)[-1]
        signature = who.display_name
    else:
        letterhead = [person.display_name, f"{person.address_line}, {person.postal_code} {person.city}"]
        city, signature = person.city, person.display_name
    return PaperDocument(letterhead=letterhead, title=plan.title,
                         place_and_date=f"{city}, le {french_date(plan.day)}", patient_line=patient_line,
                         paragraphs=plan.paragraphs, table=plan.table, signature=signature)

