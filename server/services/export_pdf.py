"""The readable PDF summary of the export (French, as the patient space is): identity, medical
profile, latest measurements, contacts and the list of documents, with page numbers.

Drawn with reportlab's standard Helvetica, so no font file is needed: text is reduced to
the characters that font has (Windows-1252), others become '?'.
"""
from __future__ import annotations

import io
import unicodedata
from datetime import datetime, timezone
from functools import partial
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from health.emergency import SummaryItem
from health.record_summary import DatedLine, RecordSummary

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontName="Helvetica", fontSize=9.5, leading=13)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=8.5, leading=10.5)
_ITEM = ParagraphStyle("item", parent=_BODY, leftIndent=10, bulletIndent=0)
_MUTED = ParagraphStyle("muted", parent=_BODY, textColor=colors.HexColor("#555555"))
_SECTION = ParagraphStyle("section", parent=_BODY, fontName="Helvetica-Bold", fontSize=12, leading=16,
                          spaceBefore=9, spaceAfter=3, textColor=colors.HexColor("#1d4e89"), keepWithNext=1)
_TITLE = ParagraphStyle("title", parent=_BODY, fontName="Helvetica-Bold", fontSize=16, leading=21)
_NOTHING = "Rien n'est enregistré."
_MARGIN = 18 * mm


def render_summary(summary: RecordSummary, *, exported_at: datetime) -> bytes:
    """The summary as a PDF document (bytes)."""
    local, zone = _local_time(exported_at)
    name = summary.identity.name or "Patient"
    footer = f"Carnet - synthèse du dossier de {name}, exportée le {local:%d/%m/%Y}"
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=_clean(f"Synthèse du dossier de santé - {name}"),
                                 author="Carnet", leftMargin=_MARGIN, rightMargin=_MARGIN,
                                 topMargin=_MARGIN, bottomMargin=_MARGIN + 4 * mm)
    story = [_paragraph("Synthèse de mon dossier de santé", _TITLE),
             _paragraph(f"{name} - export du {local:%d/%m/%Y à %H:%M} ({zone})", _MUTED),
             _paragraph("Le dossier complet (au format FHIR) est dans le fichier record.json de l'archive, "
                        "les documents dans le dossier files/.", _MUTED)]
    story += _identity(summary)
    story += _section("Allergies et intolérances", [_item(a) for a in summary.allergies])
    story += _section("Traitements en cours", [_item(t) for t in summary.treatments])
    story += _section("Maladies en cours", [_since_line(c) for c in summary.conditions])
    story += _section("Antécédents", [_period_line(c) for c in summary.history])
    story += _section("Opérations et actes", [_dated_line(p) for p in summary.operations])
    story += _section("Vaccinations", [_dated_line(v) for v in summary.vaccinations])
    story += _measurements(summary)
    story += _section("Groupe sanguin", [summary.blood_group] if summary.blood_group else [], bullets=False)
    story += _section("Directives anticipées", [_directive(d) for d in summary.advance_directives])
    story += _section("Personnes de confiance et contacts", [
        " - ".join(p for p in (c.name, c.relationship, c.phone) if p) for c in summary.contacts])
    story += _documents(summary)
    document.build(story, canvasmaker=partial(_NumberedCanvas, footer=_clean(footer)))
    return buffer.getvalue()


def french_date(value: str | None) -> str:
    """A FHIR date or dateTime as written in France: 05/03/2024, 03/2024 or 2024 ('-' if none)."""
    if not isinstance(value, str) or len(value) < 4:
        return "-"
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    if len(value) == 7:
        return f"{value[5:7]}/{value[:4]}"
    return value[:4]


class _NumberedCanvas(canvas.Canvas):
    """Draws the footer, with "page N / total", once every page is known."""

    def __init__(self, *args, footer: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(_MARGIN, 10 * mm, self._footer)
            self.drawRightString(A4[0] - _MARGIN, 10 * mm, f"page {number} / {len(self._pages)}")
            super().showPage()
        super().save()


def _identity(summary: RecordSummary) -> list:
    who = summary.identity
    rows = [("Nom", who.name), ("Date de naissance", who.birth_date and french_date(who.birth_date)),
            ("Sexe", who.gender), ("INS", who.ins), ("Adresse", who.address), ("Téléphone", who.phone),
            ("E-mail", who.email)]
    table = _table([[label, value] for label, value in rows if value], widths=[40 * mm, None], header=False)
    return [_paragraph("Identité", _SECTION), table]


def _measurements(summary: RecordSummary) -> list:
    if not summary.measurements:
        return _section("Dernières mesures", [])
    rows = [["Mesure", "Valeur", "Date"]] + [[m.label, m.value, french_date(m.date)] for m in summary.measurements]
    return [_paragraph("Dernières mesures", _SECTION), _table(rows, widths=[70 * mm, 50 * mm, None])]


def _documents(summary: RecordSummary) -> list:
    heading = f"Documents ({len(summary.documents)})"
    if not summary.documents:
        return _section(heading, [])
    rows = [["Date", "Type", "Auteur", "Titre"]] + [
        [french_date(d.date), d.type_label, d.author, d.title] for d in summary.documents]
    return [_paragraph(heading, _SECTION), _table(rows, widths=[22 * mm, 42 * mm, 40 * mm, None])]


def _section(title: str, lines: list[str], *, bullets: bool = True) -> list:
    if not lines:
        return [_paragraph(title, _SECTION), _paragraph(_NOTHING, _MUTED)]
    style = _ITEM if bullets else _BODY
    return [_paragraph(title, _SECTION), *(_paragraph(line, style, bullet=bullets) for line in lines)]


def _item(item: SummaryItem) -> str:
    return f"{item.text} - {item.detail}" if item.detail else item.text


def _directive(item: SummaryItem) -> str:
    return f"{item.text} ({french_date(item.detail)})" if item.detail else item.text


def _since_line(line: DatedLine) -> str:
    return f"{line.text} - depuis le {french_date(line.date)}" if line.date else line.text


def _period_line(line: DatedLine) -> str:
    if line.date and line.end_date:
        return f"{line.text} - du {french_date(line.date)} au {french_date(line.end_date)}"
    return _since_line(line) if line.date else line.text


def _dated_line(line: DatedLine) -> str:
    parts = [french_date(line.date) if line.date else None, line.text, line.detail]
    return " - ".join(p for p in parts if p)


def _table(rows: list[list[str]], *, widths: list, header: bool = True) -> Table:
    table = Table([[_paragraph(cell or "", _CELL) for cell in row] for row in rows], colWidths=widths,
                  repeatRows=1 if header else 0, hAlign="LEFT")
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa8b8")), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")))
    table.setStyle(TableStyle(style))
    return table


def _paragraph(text: str, style: ParagraphStyle, *, bullet: bool = False) -> Paragraph:
    escaped = _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped, style, bulletText="-" if bullet else None)


def _clean(text: str) -> str:
    """Only what Helvetica can draw: text the patient typed may hold anything."""
    printable = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in unicodedata.normalize("NFC", text))
    return printable.encode("cp1252", "replace").decode("cp1252")


def _local_time(moment: datetime) -> tuple[datetime, str]:
    """The moment in Paris time, and the name of that time zone for the reader."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(ZoneInfo("Europe/Paris")), "heure de Paris"
    except ZoneInfoNotFoundError:  # a system without the time zone database: say it in UTC
        return moment.astimezone(timezone.utc), "UTC"
