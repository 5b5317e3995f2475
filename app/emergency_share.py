"""The emergency card to share: a phone-sized PNG and a one-page A4 PDF, each with a QR code.

The QR code holds the summary as plain text (no URL: whoever scans it may have no network).
All is rendered in memory, as bytes: the card is health data, a temporary file would outlive
the share. Only glyphs the font has are drawn (others become plain letters): no boxes.
"""
from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from health.emergency import SEVERE_ALLERGY, EmergencyField, EmergencySummary, SummaryItem

CARD_SIZE = (1080, 1920)
QR_MAX_VERSION = 25
QR_ERROR = "m"
QR_MAX_BYTES = 900  # below the 997 bytes of a version 25-M code, in UTF-8
_RED, _INK, _GREY, _PAPER = "#B00020", "#000000", "#4A4A4A", "#FFFFFF"
_FONT_DIRECTORIES = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu",
                     "/system/fonts", "/System/Library/Fonts/Supplemental", "C:/Windows/Fonts")
_FONT_FILES = {False: ("DejaVuSans.ttf", "Roboto-Regular.ttf", "Arial.ttf", "arial.ttf"),
               True: ("DejaVuSans-Bold.ttf", "Roboto-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf")}
# Typographic characters some fonts lack, and their plain equivalents.
_PLAIN = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'", "‘": "'", "“": '"', "”": '"',
          "«": '"', "»": '"', "–": "-", "—": "-", "…": "...", "•": "-", "·": ".", "µ": "u", "ø": "o",
          "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"}
Measure = Callable[[str, float, bool], float]  # width of (text, size, bold), in px or pt


@dataclass(frozen=True)
class CardEntry:
    text: str
    detail: str | None = None
    phone: str | None = None  # never shortened, even in the QR code


@dataclass(frozen=True)
class CardSection:
    """One block of the card: French label, English sub-label, and its entries."""
    label_fr: str
    label_en: str
    entries: tuple[CardEntry, ...]
    keep_detail: int = 0  # characters of detail the QR code keeps, however short it must get
    empty_text: str = "Rien d'enregistré / None recorded"

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(entry.text + (f" ({entry.detail})" if entry.detail else "")
                     + (f" - {entry.phone}" if entry.phone else "") for entry in self.entries)


@dataclass(frozen=True)
class PlacedLine:
    """A laid-out line of the sections' area: `y` is its top, from the area's top."""
    y: float
    text: str
    size: float
    kind: str  # "label" (followed by `subtext`), "item" (bulleted), "more" (an item's next line)
    subtext: str = ""


def card_sections(summary: EmergencySummary) -> list[CardSection]:
    """The sections the patient chose to show, in the order a responder needs them."""
    def entries(items: tuple[SummaryItem, ...]) -> tuple[CardEntry, ...]:
        return tuple(CardEntry(item.text, item.detail) for item in items)

    candidates = [
        (EmergencyField.ALLERGIES, CardSection("ALLERGIES", "Allergies", entries(summary.allergies), len(SEVERE_ALLERGY) + len("..."))),
        (EmergencyField.TREATMENTS, CardSection("TRAITEMENTS EN COURS", "Current treatments",
                                                entries(summary.treatments))),
        (EmergencyField.CONDITIONS, CardSection("ANTÉCÉDENTS", "Medical conditions",
                                                tuple(CardEntry(c.text) for c in summary.conditions))),
        (EmergencyField.ADVANCE_DIRECTIVES, CardSection(  # their detail is a date, shown without the time
            "DIRECTIVES ANTICIPÉES", "Advance directives",
            tuple(CardEntry(d.text, french_date(d.detail)) for d in summary.advance_directives))),
        (EmergencyField.CONTACTS, CardSection("PERSONNES À PRÉVENIR", "Emergency contacts", tuple(
            CardEntry(c.name, c.relationship, c.phone) for c in summary.contacts))),
    ]
    return [section for field, section in candidates if field in summary.fields]


def french_date(value: str | date | None) -> str | None:
    """'1979-03-14' (or a dateTime) as '14/03/1979'; partial dates as they are."""
    text = value.isoformat() if isinstance(value, date) else value
    parts = (text or "")[:10].split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else text or None


# --- QR code ---------------------------------------------------------------------------
def qr_payload(summary: EmergencySummary, *, patient_name: str | None, birth_date: str | date | None) -> str:
    """The text the QR code holds, shortened step by step until it fits QR_MAX_BYTES."""
    # Details (criticality, dosage) go before whole entries; phone numbers are never cut.
    for detail_chars, item_chars, max_items in ((60, 80, 8), (30, 60, 8), (20, 50, 8), (0, 50, 8),
                                                (0, 40, 5), (0, 30, 3), (0, 24, 1)):
        text = _payload_text(summary, patient_name, birth_date, detail_chars, item_chars, max_items)
        if len(text.encode("utf-8")) <= QR_MAX_BYTES:
            return text
    # Whole lines only: half a phone number is worse than none.
    return text.encode("utf-8")[:QR_MAX_BYTES].decode("utf-8", errors="ignore").rsplit("\n", 1)[0]


def _payload_text(summary: EmergencySummary, patient_name: str | None, birth_date: str | date | None,
                  detail_chars: int, item_chars: int, max_items: int) -> str:
    lines = ["CARNET URGENCE / EMERGENCY", f"Nom: {_shorten(patient_name or '?', 80)}",
             f"Né(e) le: {french_date(birth_date) or '?'}"]
    if EmergencyField.BLOOD_GROUP in summary.fields:
        lines.append(f"Groupe sanguin: {summary.blood_group or '?'}")
    for section in card_sections(summary):
        chars = max(detail_chars, section.keep_detail)
        texts = [_shorten(e.text, item_chars) + (f" ({_shorten(e.detail, chars)})" if chars and e.detail else "")
                 + (f" tel {e.phone}" if e.phone else "") for e in section.entries]
        extra = len(texts) - max_items
        listed = "; ".join(texts[:max_items] + ([f"+{extra}"] if extra > 0 else []))
        lines.append(f"{section.label_fr.capitalize()}: {listed or '(rien enregistré)'}")
    return "\n".join(lines)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:max(1, limit - 3)].rstrip() + "..."


def make_qr(payload: str) -> segno.QRCode:
    """The QR code of `payload` (qr_payload keeps it within version 25-M)."""
    qr = segno.make(payload, error=QR_ERROR, micro=False, boost_error=False, mode="byte", encoding="utf-8")
    if qr.version > QR_MAX_VERSION:  # denser codes are hard to scan from a phone screen
        raise ValueError(f"QR payload too long ({len(payload.encode('utf-8'))} bytes)")
    return qr


# --- Layout of the sections, in card units (the PNG's pixels) --------------------------
def layout_sections(sections: list[CardSection], *, width: float, height: float, sizes: tuple[float, ...],
                    measure: Measure) -> list[PlacedLine]:
    """The lines at the largest size that fits; at the smallest, long lists are cut (with
    '+ N autre(s)': the QR code and the IPS still hold everything) rather than overflowing."""
    def fits(placed: list[PlacedLine]) -> bool:
        return not placed or placed[-1].y + placed[-1].size * 1.3 <= height

    for size in sizes:
        placed = _flow(sections, width, size, measure, max_items=None)
        if fits(placed):
            return placed
    for max_items in range(max(len(s.lines) for s in sections) - 1, 0, -1):
        placed = _flow(sections, width, sizes[-1], measure, max_items)
        if fits(placed):
            return placed
    return [line for line in placed if fits([line])]


def _flow(sections: list[CardSection], width: float, size: float, measure: Measure,
          max_items: int | None) -> list[PlacedLine]:
    placed: list[PlacedLine] = []
    y = 0.0
    for section in sections:
        placed.append(PlacedLine(y, section.label_fr, size * 1.05, "label", f"/ {section.label_en}"))
        y += size * 1.55
        lines = list(section.lines[:max_items] if max_items else section.lines)
        if len(section.lines) > len(lines):
            lines.append(f"+ {len(section.lines) - len(lines)} autre(s) / more")
        for line in lines or [section.empty_text]:
            for index, part in enumerate(wrap(line, width - size * 1.1, size, measure)):
                placed.append(PlacedLine(y, part, size, "item" if index == 0 else "more"))
                y += size * 1.3
        y += size * 0.7
    return placed


def wrap(text: str, width: float, size: float, measure: Measure, bold: bool = False) -> list[str]:
    """`text` in lines no wider than `width` (a word wider than that is cut)."""
    lines, current = [], ""
    for word in text.split():
        while measure(word, size, bold) > width and len(word) > 1:
            cut = next((n for n in range(len(word) - 1, 0, -1) if measure(word[:n], size, bold) <= width), 1)
            lines, current, word = lines + ([current] if current else []) + [word[:cut]], "", word[cut:]
        if current and measure(f"{current} {word}", size, bold) > width:
            lines, current = lines + [current], word
        else:
            current = f"{current} {word}".strip()
    return lines + [current] if current or not lines else lines


def _ellipsize(text: str, width: float, size: float, measure: Measure, bold: bool = True) -> str:
    """`text`, cut with '...' to fit `width` on one line."""
    while measure(text, size, bold) > width and len(text) > 1:
        text = text[:-4].rstrip() + "..." if len(text) > 4 else text[:-1]
    return text


def drawable(text: str, has_glyph: Callable[[str], bool]) -> str:
    """`text` with every character the font lacks replaced by a plain one (or '?')."""
    out = []
    for char in text:
        if char.isspace() or has_glyph(char):
            out.append(" " if char.isspace() else char)
            continue
        plain = _PLAIN.get(char) or "".join(c for c in unicodedata.normalize("NFKD", char)
                                            if not unicodedata.combining(c))
        out.append(plain if plain and all(has_glyph(c) for c in plain) else "?")
    return "".join(out)


def _font_file(bold: bool) -> str | None:
    return next((f"{folder}/{name}" for folder in _FONT_DIRECTORIES for name in _FONT_FILES[bold]
                 if Path(folder, name).is_file()), None)


# --- Painting, the same for the PNG and the PDF ----------------------------------------
def _paint_card(painter: _ImagePainter | _PdfPainter, summary: EmergencySummary, patient_name: str | None,
                birth_date: str | date | None, width: float, height: float) -> None:
    """Header, identity and blood group, the sections, and the QR code with its caption."""
    margin = 60
    painter.box(0, 0, width, 230, fill=_RED)
    painter.text(margin, 40, "URGENCE MÉDICALE", 84, bold=True, fill=_PAPER)
    painter.text(margin, 150, "Medical emergency - Carnet", 44, fill=_PAPER)
    sections_top = _paint_identity(painter, summary, patient_name, birth_date, width, margin) + 40
    qr = make_qr(qr_payload(summary, patient_name=patient_name, birth_date=birth_date))
    qr_top = height - margin - (qr_side := painter.qr(qr, width - margin, height - margin, 440))
    painter.box(margin, qr_top - 32, width - margin, qr_top - 29, fill=_GREY)
    y = qr_top + 10
    for sentence, size, bold, fill in (("Scannez pour lire ce résumé, même sans réseau.", 36, True, _INK),
                                       ("Scan to read this summary, even offline.", 32, False, _GREY)):
        for part in wrap(sentence, width - 2 * margin - qr_side - 30, size, painter.measure, bold):
            painter.text(margin, y, part, size, bold, fill)
            y += size * 1.3
        y += 16
    placed = layout_sections(card_sections(summary), width=width - 2 * margin,
                             height=qr_top - 70 - sections_top, sizes=(40, 36, 32, 28, 26, 24),
                             measure=painter.measure)
    for line in placed:
        _paint_line(painter, line, margin, sections_top + line.y)


def _paint_identity(painter: _ImagePainter | _PdfPainter, summary: EmergencySummary, patient_name: str | None,
                    birth_date: str | date | None, width: float, margin: float) -> float:
    """Name, birth date and blood group; the bottom of what was drawn."""
    box_left = width - margin - 330
    name = patient_name or "Nom non renseigné / Name not recorded"
    name_lines = wrap(name, box_left - 2 * margin, 64, painter.measure, bold=True)
    if len(name_lines) > 2:
        name_lines = [name_lines[0], _ellipsize(" ".join(name_lines[1:]), box_left - 2 * margin, 64, painter.measure)]
    for index, line in enumerate(name_lines):
        painter.text(margin, 270 + index * 78, line, 64, bold=True)
    born_top = 270 + 78 * len(name_lines) + 20
    painter.text(margin, born_top, f"Né(e) le / Born: {french_date(birth_date) or '?'}", 42, fill=_GREY)
    if EmergencyField.BLOOD_GROUP not in summary.fields:
        return born_top + 50
    painter.box(box_left, 270, width - margin, 500, fill=_RED)  # a red frame: two filled boxes
    painter.box(box_left + 8, 278, width - margin - 8, 492, fill=_PAPER)
    painter.text(box_left + 26, 290, "GROUPE SANGUIN", 27, bold=True, fill=_RED)
    painter.text(box_left + 26, 326, "Blood group", 27, fill=_GREY)
    value = summary.blood_group or "?"
    size = next((size for size in (88, 56, 40) if painter.measure(value, size, True) <= 270), 32)
    painter.text(box_left + 26, 430 - size * 0.55, _ellipsize(value, 270, size, painter.measure), size, bold=True)
    return max(500, born_top + 50)


def _paint_line(painter: _ImagePainter | _PdfPainter, line: PlacedLine, left: float, y: float) -> None:
    if line.kind == "label":
        drawn = painter.text(left, y, line.text, line.size, bold=True, fill=_RED)
        painter.text(left + drawn + 14, y + line.size * 0.12, line.subtext, line.size * 0.8, fill=_GREY)
        return
    if line.kind == "item":  # a drawn dot: a bullet character could be missing from the font
        painter.dot(left + line.size * 0.46, y + line.size * 0.6, line.size * 0.16)
    painter.text(left + line.size * 1.1, y, line.text, line.size)


# --- PNG -------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    path = _font_file(bold) or _font_file(False)
    # Pillow's own scalable font when the system has none of ours (it lacks accents: see drawable).
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


@lru_cache(maxsize=4096)
def _pil_has_glyph(font: ImageFont.FreeTypeFont, char: str) -> bool:
    return bytes(font.getmask(char)) != bytes(font.getmask("\U0010FFFD"))  # a missing glyph draws as that


@dataclass(frozen=True)
class _ImagePainter:
    draw: ImageDraw.ImageDraw
    image: Image.Image

    def measure(self, text: str, size: float, bold: bool = False) -> float:
        font = _font(int(size), bold)
        return font.getlength(drawable(text, lambda char: _pil_has_glyph(font, char)))

    def text(self, x: float, y: float, text: str, size: float, bold: bool = False, fill: str = _INK) -> float:
        font = _font(int(size), bold)
        self.draw.text((x, y), drawable(text, lambda char: _pil_has_glyph(font, char)), font=font, fill=fill)
        return self.measure(text, size, bold)

    def box(self, x0: float, y0: float, x1: float, y1: float, fill: str) -> None:
        self.draw.rectangle((x0, y0, x1, y1), fill=fill)

    def dot(self, x: float, y: float, radius: float) -> None:
        self.draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=_INK)

    def qr(self, qr: segno.QRCode, right: float, bottom: float, max_side: float) -> float:
        count = qr.symbol_size(scale=1, border=4)[0]
        modules = Image.new("1", (count, count), 1)
        modules.putdata([0 if dark else 1 for row in qr.matrix_iter(scale=1, border=4) for dark in row])
        side = count * max(1, int(max_side) // count)  # whole pixels per module: uneven ones scan badly
        self.image.paste(modules.resize((side, side), Image.NEAREST).convert("RGB"),
                         (int(right) - side, int(bottom) - side))
        return side


def render_card_png(summary: EmergencySummary, *, patient_name: str | None,
                    birth_date: str | date | None) -> bytes:
    """The card as a 1080x1920 PNG: red header, identity and blood group, sections, QR code."""
    image = Image.new("RGB", CARD_SIZE, _PAPER)
    _paint_card(_ImagePainter(ImageDraw.Draw(image), image), summary, patient_name, birth_date, *CARD_SIZE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _pdf_fonts() -> tuple[str, str, Callable[[str], bool]]:
    """The regular and bold fonts' names, and which characters they can draw."""
    regular, bold = _font_file(False), _font_file(True)
    if not regular:  # the standard fonts need no file, but know only the Windows-1252 characters
        return "Helvetica", "Helvetica-Bold", lambda char: char.encode("cp1252", errors="ignore") != b""
    pdfmetrics.registerFont(TTFont("CarnetSans", regular))
    pdfmetrics.registerFont(TTFont("CarnetSans-Bold", bold or regular))
    glyphs = frozenset(pdfmetrics.getFont("CarnetSans").face.charToGlyph)
    return "CarnetSans", "CarnetSans-Bold", lambda char: ord(char) in glyphs


@dataclass(frozen=True)
class _PdfPainter:
    """Card units scaled to points (`scale`), and `y` flipped: a PDF's origin is bottom left."""
    pdf: canvas.Canvas
    scale: float
    page_height: float

    def measure(self, text: str, size: float, bold: bool = False) -> float:
        safe = drawable(text, _pdf_fonts()[2])
        return pdfmetrics.stringWidth(safe, _pdf_fonts()[int(bold)], size * self.scale) / self.scale

    def text(self, x: float, y: float, text: str, size: float, bold: bool = False, fill: str = _INK) -> float:
        self.pdf.setFillColor(fill)
        self.pdf.setFont(_pdf_fonts()[int(bold)], size * self.scale)
        # Pillow places a line by its top, a PDF by its baseline: about 0.93 em lower in these fonts.
        self.pdf.drawString(x * self.scale, self.page_height - (y + size * 0.93) * self.scale,
                            drawable(text, _pdf_fonts()[2]))
        return self.measure(text, size, bold)

    def box(self, x0: float, y0: float, x1: float, y1: float, fill: str) -> None:
        self.pdf.setFillColor(fill)
        self.pdf.rect(x0 * self.scale, self.page_height - y1 * self.scale, (x1 - x0) * self.scale,
                      (y1 - y0) * self.scale, stroke=0, fill=1)

    def dot(self, x: float, y: float, radius: float) -> None:
        self.pdf.setFillColor(_INK)
        self.pdf.circle(x * self.scale, self.page_height - y * self.scale, radius * self.scale, stroke=0, fill=1)

    def qr(self, qr: segno.QRCode, right: float, bottom: float, max_side: float) -> float:
        rows = list(qr.matrix_iter(scale=1, border=4))
        cell = max_side / len(rows)
        for row_index, row in enumerate(rows):
            column = 0
            for dark, run in groupby(row):  # one rectangle per run of dark modules: a smaller file
                length = len(list(run))
                if dark:
                    left, top = right - max_side + column * cell, bottom - max_side + row_index * cell
                    self.box(left, top, left + length * cell, top + cell, fill=_INK)
                column += length
        return max_side


def render_card_pdf(summary: EmergencySummary, *, patient_name: str | None,
                    birth_date: str | date | None) -> bytes:
    """The card as a one-page A4 PDF: the PNG's layout on a wider page, the QR code as vectors."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    pdf.setTitle("Carte d'urgence / Emergency card")
    pdf.setAuthor("Carnet")
    scale = 0.4  # 1 card unit = 0.4 pt: a 1080-unit line is 15 cm, so A4 holds more than the phone card
    _paint_card(_PdfPainter(pdf, scale, A4[1]), summary, patient_name, birth_date, A4[0] / scale, A4[1] / scale)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
