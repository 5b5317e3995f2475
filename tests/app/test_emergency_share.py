"""The emergency card to share: PNG and PDF rendered in memory, with a QR code that holds the text."""
from __future__ import annotations

import builtins
import io
import os

import pypdfium2
import pytest
import segno
from PIL import Image

import app.emergency_share as share
from app.emergency_share import (CARD_SIZE, QR_MAX_BYTES, CardSection, drawable, layout_sections, make_qr,
                                 qr_payload, render_card_pdf, render_card_png)
from health.emergency import EmergencyContact, EmergencyField, EmergencySummary, SummaryItem, build_summary

LOINC = "http://loinc.org"
RECORD = [
    {"resourceType": "Patient", "id": "p", "name": [{"given": ["Camille"], "family": "Martin"}],
     "birthDate": "1970-05-17"},
    {"resourceType": "AllergyIntolerance", "id": "a1", "code": {"text": "Pénicilline"}, "criticality": "high",
     "reaction": [{"manifestation": [{"text": "Œdème de Quincke"}]}], "recordedDate": "2010-01-01"},
    {"resourceType": "MedicationStatement", "id": "m1", "status": "active",
     "medicationCodeableConcept": {"text": "Metformine 1000 mg"}, "dosage": [{"text": "1 matin et soir"}]},
    {"resourceType": "Condition", "id": "c1", "code": {"text": "Diabète de type 2"},
     "clinicalStatus": {"coding": [{"code": "active"}]}},
    {"resourceType": "Observation", "id": "bg", "status": "final", "effectiveDateTime": "2001-01-01",
     "code": {"coding": [{"system": LOINC, "code": "882-1"}]}, "valueString": "A+"},
    {"resourceType": "DocumentReference", "id": "ad", "status": "current", "date": "2022-02-02T10:00:00+01:00",
     "type": {"coding": [{"system": LOINC, "code": "42348-3"}]}, "description": "Pas d'acharnement"},
    {"resourceType": "RelatedPerson", "id": "r1", "name": [{"given": ["Alex"], "family": "Martin"}],
     "relationship": [{"text": "Conjoint"}], "telecom": [{"system": "phone", "value": "+33612345678"}]},
]
SUMMARY = build_summary(RECORD, list(EmergencyField))
WHO = {"patient_name": "Camille Martin", "birth_date": "1970-05-17"}


@pytest.fixture(autouse=True)
def fresh_fonts():
    """Fonts are looked up once per process: each test starts (and leaves) with a clean slate."""
    share._font.cache_clear(), share._pdf_fonts.cache_clear()
    yield
    share._font.cache_clear(), share._pdf_fonts.cache_clear()


def test_qr_payload_is_a_readable_summary():
    payload = qr_payload(SUMMARY, **WHO)
    assert payload.splitlines() == [
        "CARNET URGENCE / EMERGENCY", "Nom: Camille Martin", "Né(e) le: 17/05/1970", "Groupe sanguin: A+",
        "Allergies: Pénicilline (allergie grave / severe, Œdème de Quincke)",
        "Traitements en cours: Metformine 1000 mg (1 matin et soir)", "Antécédents: Diabète de type 2",
        "Directives anticipées: Pas d'acharnement (02/02/2022)",
        "Personnes à prévenir: Alex Martin (Conjoint) tel +33612345678"]
    qr = make_qr(payload)
    assert qr.version <= 25 and qr.error == "M"
    assert segno.make(payload, error="m", boost_error=False).version <= 25


def test_qr_payload_holds_only_the_chosen_fields():
    chosen = build_summary(RECORD, [EmergencyField.ALLERGIES])
    payload = qr_payload(chosen, patient_name=None, birth_date=None)
    assert "Pénicilline" in payload and "Groupe" not in payload and "Alex" not in payload
    assert "Nom: ?" in payload


def test_a_long_record_is_shortened_to_fit_a_scannable_code():
    many = EmergencySummary(
        fields=tuple(EmergencyField),
        allergies=(SummaryItem("Pénicilline", "allergie grave / severe, choc anaphylactique sévère avec œdème"),),
        treatments=tuple(SummaryItem(f"Médicament au nom très très long numéro {n}", "matin, midi et soir "
                                     "pendant les repas, sans interruption") for n in range(120)),
        conditions=tuple(SummaryItem(f"Maladie chronique au nom interminable {n}") for n in range(30)),
        contacts=tuple(EmergencyContact(f"Contact numéro {n} au nom long", "Ami de la famille", f"+3361234560{n}")
                       for n in range(3)))
    payload = qr_payload(many, **WHO)
    assert len(payload.encode("utf-8")) <= QR_MAX_BYTES
    assert make_qr(payload).version <= 25
    assert "Pénicilline (allergie grave / severe" in payload  # the allergy's severity is kept
    assert all(f"+3361234560{n}" in payload for n in range(3))  # phone numbers are never cut
    assert "+" in payload.split("Traitements en cours:")[1].splitlines()[0]  # the count of what was left out


def test_png_is_a_phone_sized_card():
    png = render_card_png(SUMMARY, **WHO)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == CARD_SIZE == (1080, 1920)
    red = image.convert("RGB").getpixel((5, 5))
    assert red[0] > 150 and red[1] < 40  # the red header band


def test_png_holds_the_qr_code_of_the_payload():
    image = Image.open(io.BytesIO(render_card_png(SUMMARY, **WHO))).convert("L")
    qr = make_qr(qr_payload(SUMMARY, **WHO))
    count = qr.symbol_size(scale=1, border=4)[0]
    module = 440 // count
    left, top = CARD_SIZE[0] - 60 - count * module, CARD_SIZE[1] - 60 - count * module
    for row_index, row in enumerate(qr.matrix_iter(scale=1, border=4)):
        for column, dark in enumerate(row):
            pixel = image.getpixel((left + column * module + module // 2, top + row_index * module + module // 2))
            assert (pixel < 128) == bool(dark), (row_index, column)


def test_pdf_is_one_a4_page_with_the_patient_and_the_summary():
    pdf = render_card_pdf(SUMMARY, **WHO)
    assert pdf.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1
    page = document[0]
    assert [round(v) for v in page.get_size()] == [595, 842]
    text = page.get_textpage().get_text_range()
    for expected in ("URGENCE MÉDICALE", "Camille Martin", "17/05/1970", "Pénicilline", "Metformine 1000 mg",
                     "+33612345678", "A+", "Scannez pour lire"):
        assert expected in text


def test_rendering_is_deterministic():
    assert render_card_png(SUMMARY, **WHO) == render_card_png(SUMMARY, **WHO)
    assert render_card_pdf(SUMMARY, **WHO) == render_card_pdf(SUMMARY, **WHO)


def test_rendering_writes_no_file(monkeypatch, tmp_path):
    real_open, real_os_open = builtins.open, os.open

    def reading_only(file, mode="r", *args, **kwargs):
        assert not set(mode) & set("wax+"), f"opened {file} with mode {mode}"
        return real_open(file, mode, *args, **kwargs)

    def os_reading_only(path, flags, *args, **kwargs):
        assert not flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT), f"opened {path} for writing"
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(builtins, "open", reading_only)
    monkeypatch.setattr(io, "open", reading_only)
    monkeypatch.setattr(os, "open", os_reading_only)
    assert render_card_png(SUMMARY, **WHO) and render_card_pdf(SUMMARY, **WHO)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_characters_a_font_lacks_become_plain_ones():
    ascii_only = str.isascii
    assert drawable("Œdème → 💊 ✓ «Zoë» Łódź", ascii_only) == 'OEdeme ? ? ? "Zoe" Lodz'
    assert drawable("Pénicilline", lambda char: True) == "Pénicilline"


def test_without_any_system_font_pillow_s_own_font_is_used_and_nothing_is_a_box(monkeypatch):
    monkeypatch.setattr(share, "_FONT_DIRECTORIES", ())
    odd = EmergencySummary(fields=tuple(EmergencyField), name="Zoë",
                           allergies=(SummaryItem("Œufs 💊 → ✓", "“œdème”"),), blood_group="AB Rh négatif")
    image = Image.open(io.BytesIO(render_card_png(odd, patient_name="Zoë Ærø", birth_date=None)))
    assert image.size == CARD_SIZE
    font = share._font(40, False)
    shown = drawable("Œufs 💊 → ✓ “œdème” Zoë Ærø URGENCE MÉDICALE", lambda c: share._pil_has_glyph(font, c))
    assert all(char == " " or share._pil_has_glyph(font, char) for char in shown)
    assert render_card_pdf(odd, patient_name="Zoë Łukasiewicz", birth_date=None).startswith(b"%PDF")


def test_long_lists_are_cut_with_a_count_rather_than_overflowing():
    sections = [CardSection("TRAITEMENTS", "Treatments", ()), CardSection("ALLERGIES", "Allergies", ())]
    sections = [CardSection(s.label_fr, s.label_en, tuple(share.CardEntry(f"Entrée {n}") for n in range(40)))
                for s in sections]
    placed = layout_sections(sections, width=1000, height=600, sizes=(40, 30),
                             measure=lambda text, size, bold: len(text) * size * 0.5)
    assert placed and all(line.y + line.size * 1.3 <= 600 for line in placed)
    assert any(line.text.startswith("+ ") and "autre(s)" in line.text for line in placed)


def test_only_chosen_sections_are_drawn():
    chosen = build_summary(RECORD, [EmergencyField.ALLERGIES, EmergencyField.CONTACTS])
    assert [s.label_en for s in share.card_sections(chosen)] == ["Allergies", "Emergency contacts"]
    text = pypdfium2.PdfDocument(render_card_pdf(chosen, **WHO))[0].get_textpage().get_text_range()
    assert "Pénicilline" in text and "Metformine" not in text and "GROUPE SANGUIN" not in text
