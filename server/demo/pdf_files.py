"""Small, real PDF documents drawn with reportlab: a letterhead, the patient, text and tables."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontName="Helvetica", fontSize=10, leading=14)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444"))
_HEAD = ParagraphStyle("head", parent=_BODY, fontName="Helvetica-Bold", fontSize=11.5, leading=15,
                       textColor=colors.HexColor("#1d4e89"))
_TITLE = ParagraphStyle("title", parent=_BODY, fontName="Helvetica-Bold", fontSize=14, leading=20,
                        spaceBefore=6, spaceAfter=6, alignment=1)


@dataclass(frozen=True)
class PaperDocument:
    """What a printed medical document shows, top to bottom."""

    letterhead: list[str]  # first line in bold: who issues the document
    title: str
    place_and_date: str
    patient_line: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None  # first row is the header
    closing: list[str] = field(default_factory=list)  # after the table
    signature: str = ""


def render_pdf(paper: PaperDocument) -> bytes:
    buffer = io.BytesIO()
    # invariant=1 drops the creation date and random file id, so one seed gives one file.
    template = SimpleDocTemplate(buffer, pagesize=A4, invariant=1, title=paper.title, author=paper.letterhead[0],
                                 leftMargin=20 * mm, rightMargin=20 * mm, topMargin=15 * mm, bottomMargin=15 * mm)
    story: list = [Paragraph(_escape(paper.letterhead[0]), _HEAD)]
    story += [Paragraph(_escape(line), _SMALL) for line in paper.letterhead[1:]]
    story += [Spacer(1, 6 * mm), Paragraph(_escape(paper.place_and_date), _BODY),
              Paragraph(_escape(paper.patient_line), _BODY), Paragraph(_escape(paper.title), _TITLE)]
    story += [Paragraph(_escape(text), _BODY) for text in paper.paragraphs]
    if paper.table:
        story += [Spacer(1, 3 * mm), _table(paper.table), Spacer(1, 3 * mm)]
    story += [Paragraph(_escape(text), _BODY) for text in paper.closing]
    if paper.signature:
        story += [Spacer(1, 8 * mm), Paragraph(_escape(paper.signature), _BODY)]
    template.build(story)
    return buffer.getvalue()


def _table(rows: list[list[str]]) -> Table:
    table = Table([[Paragraph(_escape(cell), _SMALL) for cell in row] for row in rows], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa8b8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
