"""prepare_upload: photos cleaned and shrunk, PDFs checked, everything else refused, in memory."""
from __future__ import annotations

import builtins
import io
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image, ImageCms, features
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from app.document_intake import (
    CorruptDocument,
    DocumentRefused,
    DocumentTooLarge,
    ImageTooLarge,
    ProtectedDocument,
    UnreadablePage,
    UnsupportedDocument,
    detect_content_type,
    prepare_upload,
    title_from_filename,
)

ORIENTATION = 0x0112
GPS_IFD = 0x8825
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
       b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.5N"/>'
       b'</rdf:RDF></x:xmpmeta>')


# --- inputs, made here -----------------------------------------------------------------

def camera_jpeg(size=(400, 200), orientation=6) -> bytes:
    """A landscape-stored shot, red in its stored top-left quarter, with EXIF, GPS, XMP."""
    width, height = size
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, width // 2, height // 2))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-1234"  # BodySerialNumber
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 21.0, 5.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, exif=exif, xmp=XMP, comment=b"Dr Martin",
               icc_profile=icc)
    return buffer.getvalue()


def noisy_jpeg(size=(4000, 3000)) -> bytes:
    """A big photo that compresses badly (noise), like a 12 MP camera shot."""
    channels = [Image.effect_noise(size, 60 + 10 * i) for i in range(3)]
    buffer = io.BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def encoded(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload)))


def png_bomb(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A grayscale PNG declaring width × height, its zero rows streamed through zlib so
    that neither the bytes (a few dozen KB) nor this function use much memory."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + one byte per pixel
    idat = b"".join(compressor.compress(row) for _ in range(height if rows is None else rows))
    idat += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def pdf(pages: int = 3, *, encrypt=None, pagesize=(595, 842)) -> bytes:
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=pagesize, encrypt=encrypt)
    for number in range(1, pages + 1):
        document.setFont("Helvetica", 40)
        document.drawString(40, pagesize[1] / 2, f"Page {number}")
        document.showPage()
    document.save()
    return buffer.getvalue()


# --- nothing written ---------------------------------------------------------------------

@pytest.fixture
def writes_nothing(tmp_path, monkeypatch):
    """A context in which creating or writing any file fails, and which checks that the
    temporary directory and the working directory are still empty afterwards (native
    code such as libjpeg or PDFium bypasses Python's `open`)."""
    private_tmp, working_dir = tmp_path / "tmp", tmp_path / "cwd"
    private_tmp.mkdir()
    working_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    monkeypatch.chdir(working_dir)
    real_open, real_os_open = builtins.open, os.open

    def guarded_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            raise AssertionError(f"a file was opened for writing: {file!r}")
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise AssertionError(f"a file was opened for writing: {path!r}")
        return real_os_open(path, flags, *args, **kwargs)

    @contextmanager
    def guard():
        with monkeypatch.context() as patch:
            patch.setattr(builtins, "open", guarded_open)
            patch.setattr(io, "open", guarded_open)
            patch.setattr(os, "open", guarded_os_open)
            yield
        assert os.listdir(private_tmp) == []
        assert os.listdir(working_dir) == []

    return guard


def test_the_guard_sees_a_temporary_file(writes_nothing):
    with pytest.raises(AssertionError):
        with writes_nothing():
            tempfile.TemporaryFile()


# --- photos ------------------------------------------------------------------------------

def test_a_camera_photo_is_turned_upright_and_loses_every_metadata(writes_nothing):
    original = camera_jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the input has GPS

    with writes_nothing():
        prepared = prepare_upload(original, "IMG_20261123_101500.jpg")

    assert prepared.content_type == "image/jpeg"
    assert prepared.original_content_type == "image/jpeg"
    output = Image.open(io.BytesIO(prepared.data))
    # Orientation 6 = rotate 90° clockwise: the stored top-left red quarter ends top right.
    assert output.size == (200, 400) == (prepared.width, prepared.height)
    red, blue = output.convert("RGB").getpixel((150, 50)), output.convert("RGB").getpixel((50, 50))
    assert red[0] > 200 and red[2] < 60
    assert blue[2] > 200 and blue[0] < 60
    assert len(output.getexif()) == 0
    assert not output.getexif().get_ifd(GPS_IFD)
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"):
        assert key not in output.info
    for marker in (b"Exif", b"PhoneMaker", b"SERIAL-1234", b"adobe:ns:meta", b"Dr Martin"):
        assert marker not in prepared.data
    assert prepared.title == ""  # a camera's name says nothing


def test_a_large_photo_is_downscaled_and_much_smaller(writes_nothing):
    original = noisy_jpeg()
    with writes_nothing():
        prepared = prepare_upload(original, "scan ordonnance.jpg", target_long_edge=2400)

    output = Image.open(io.BytesIO(prepared.data))
    assert output.size == (2400, 1800)
    assert len(prepared.data) < len(original) / 2
    assert prepared.original_size == len(original)
    thumbnail = Image.open(io.BytesIO(prepared.thumbnail))
    assert thumbnail.format == "JPEG" and max(thumbnail.size) == 320
    assert len(prepared.thumbnail) < 60_000
    assert "data=" not in repr(prepared) and " thumbnail=" not in repr(prepared)  # no bytes in logs


def test_a_transparent_png_is_flattened_on_white():
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((20, 20, 20, 255), (100, 50, 200, 150))
    prepared = prepare_upload(encoded(image, "PNG"), "schéma.png")

    output = Image.open(io.BytesIO(prepared.data))
    assert output.mode in ("RGB", "L")
    assert output.convert("RGB").getpixel((5, 5)) == (255, 255, 255)
    assert max(output.convert("RGB").getpixel((150, 100))) < 40
    # Flat colours: PNG is smaller (and sharper) than JPEG, so it is kept.
    assert prepared.content_type == "image/png"
    assert prepared.title == "Schéma"


def test_a_photo_saved_as_png_becomes_a_jpeg():
    photo = Image.merge("RGB", [Image.effect_noise((800, 600), 40)] * 3)
    prepared = prepare_upload(encoded(photo, "PNG"), None)
    assert prepared.content_type == "image/jpeg"
    assert prepared.original_content_type == "image/png"


def test_a_webp_becomes_a_jpeg():
    image = Image.new("RGB", (640, 480), (10, 120, 10))
    prepared = prepare_upload(encoded(image, "WEBP", quality=80), "photo.webp")
    assert prepared.content_type == "image/jpeg"
    assert prepared.original_content_type == "image/webp"
    assert Image.open(io.BytesIO(prepared.data)).size == (640, 480)


def test_a_cmyk_jpeg_becomes_rgb():
    prepared = prepare_upload(encoded(Image.new("CMYK", (200, 100), (0, 255, 255, 0)), "JPEG"), None)
    output = Image.open(io.BytesIO(prepared.data))
    assert output.mode == "RGB"
    assert output.getpixel((100, 50))[0] > 200 and output.getpixel((100, 50))[1] < 60  # red


def test_a_16_bit_grayscale_scan_is_scaled_not_clipped():
    prepared = prepare_upload(encoded(Image.new("I;16", (200, 100), 40_000), "PNG"), None)
    gray = Image.open(io.BytesIO(prepared.data)).convert("L").getpixel((100, 50))
    assert abs(gray - 40_000 // 256) <= 3


def test_a_webp_is_read_even_as_the_first_image_of_the_process():
    # Pillow registers most plugins lazily: the first file picked must not find WebP missing.
    webp = encoded(Image.new("RGB", (64, 48), (10, 120, 10)), "WEBP")
    script = ("import sys; from app.document_intake import prepare_upload; "
              "print(prepare_upload(sys.stdin.buffer.read(), None).content_type)")
    result = subprocess.run([sys.executable, "-c", script], input=webp, capture_output=True,
                            cwd=Path(__file__).parents[2], timeout=60, check=True)
    assert result.stdout.strip() == b"image/jpeg"


@pytest.mark.skipif(not features.check("avif"), reason="Pillow built without AVIF")
def test_an_avif_photo_becomes_a_jpeg():
    prepared = prepare_upload(encoded(Image.new("RGB", (320, 240), (200, 50, 50)), "AVIF"), None)
    assert prepared.content_type == "image/jpeg"
    assert prepared.original_content_type == "image/avif"


def test_a_heic_photo_pillow_cannot_read_is_refused_with_advice():
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + b"\x00" * 200
    assert detect_content_type(heic) == "image/heic"
    with pytest.raises(UnsupportedDocument) as refused:
        prepare_upload(heic, "IMG_0001.HEIC")
    assert "HEIC" in refused.value.message_fr and "JPEG" in refused.value.message_en


# --- refusals ----------------------------------------------------------------------------

def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = png_bomb(8000, 8000)  # 64 megapixels of zeros
    assert len(bomb) < 200_000
    with pytest.raises(ImageTooLarge) as refused:
        prepare_upload(bomb, "bomb.png")
    assert refused.value.message_fr == ("Cette image est trop grande (8 000 × 8 000 pixels) : "
                                        "la limite est de 50 millions de pixels.")
    assert refused.value.message_en == ("This image is too large (8,000 × 8,000 pixels): "
                                        "the limit is 50 million pixels.")


def test_the_pixel_limit_holds_even_when_pillows_global_one_is_disabled(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    with pytest.raises(ImageTooLarge):
        prepare_upload(png_bomb(3000, 3000), None, max_pixels=5_000_000)


def test_a_header_declaring_50000_by_50000_pixels_is_refused():
    # Only 10 rows of data behind the header: the size alone must refuse it.
    with pytest.raises(ImageTooLarge):
        prepare_upload(png_bomb(50_000, 50_000, rows=10), "huge.png")


def test_a_truncated_jpeg_is_corrupt():
    original = noisy_jpeg((800, 600))
    with pytest.raises(CorruptDocument) as refused:
        prepare_upload(original[: len(original) // 2], "photo.jpg")
    assert refused.value.message_fr.startswith("Cette image est endommagée")


def test_a_text_file_named_jpg_is_unsupported():
    with pytest.raises(UnsupportedDocument) as refused:
        prepare_upload("Rendez-vous lundi 9 h\n".encode() * 10, "photo.jpg")
    assert "PDF" in refused.value.message_fr and "PDF" in refused.value.message_en


@pytest.mark.parametrize("content", [encoded(Image.new("RGB", (8, 8)), "GIF"),
                                     encoded(Image.new("RGB", (8, 8)), "TIFF"),
                                     encoded(Image.new("RGB", (8, 8)), "BMP"),
                                     b"PK\x03\x04" + b"\x00" * 100])
def test_other_formats_are_unsupported(content):
    with pytest.raises(UnsupportedDocument):
        prepare_upload(content, "document.pdf")


def test_an_empty_file_is_refused():
    with pytest.raises(CorruptDocument) as refused:
        prepare_upload(b"", "vide.pdf")
    assert refused.value.message_fr == "Ce fichier est vide."


def test_an_oversized_file_is_refused_before_it_is_read():
    with pytest.raises(DocumentTooLarge) as refused:
        prepare_upload(b"%PDF-" + b"\x00" * 31_999_995, "compte rendu.pdf")
    assert refused.value.message_fr == "Ce fichier est trop volumineux (32 Mo) : la limite est de 20 Mo."
    assert refused.value.message_en == "This file is too large (32 MB): the limit is 20 MB."
    with pytest.raises(DocumentTooLarge) as just_over:
        prepare_upload(b"%PDF-" + b"\x00" * 19_999_996, "compte rendu.pdf")
    # Rounded up, so that a file just over the limit never reads as "20 Mo".
    assert just_over.value.message_fr == ("Ce fichier est trop volumineux (20,1 Mo) : "
                                          "la limite est de 20 Mo.")


def test_every_refusal_is_a_document_refused_with_both_languages():
    for refusal in (DocumentTooLarge(21_000_000, 20_000_000), UnsupportedDocument(),
                    UnsupportedDocument.heic(), CorruptDocument(), CorruptDocument.pdf(),
                    CorruptDocument.empty(), ImageTooLarge(1, 2, 3), ImageTooLarge(None, None, 3),
                    ProtectedDocument(), UnreadablePage()):
        assert isinstance(refusal, DocumentRefused)
        assert refusal.message_fr and refusal.message_en and refusal.message_fr != refusal.message_en
        assert str(refusal) == refusal.message_en


# --- PDFs --------------------------------------------------------------------------------

def test_a_pdf_passes_through_unchanged_with_its_page_count_and_a_thumbnail(writes_nothing):
    original = pdf(3)
    with writes_nothing():
        prepared = prepare_upload(original, "Compte-rendu_IRM_genou.pdf")

    assert prepared.data == original
    assert (prepared.content_type, prepared.pages) == ("application/pdf", 3)
    assert prepared.width is None and prepared.height is None
    thumbnail = Image.open(io.BytesIO(prepared.thumbnail))
    assert prepared.thumbnail_content_type == "image/png" and thumbnail.format == "PNG"
    assert max(thumbnail.size) == 320
    assert prepared.title == "Compte rendu IRM genou"


def test_a_pdf_needing_a_password_is_refused():
    locked = pdf(1, encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    with pytest.raises(ProtectedDocument) as refused:
        prepare_upload(locked, "résultats.pdf")
    assert "mot de passe" in refused.value.message_fr


def test_a_pdf_with_only_owner_restrictions_is_accepted():
    # Labs often forbid printing or editing with an owner password; anyone can read it.
    restricted = pdf(2, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner",
                                                               canPrint=0, canModify=0))
    assert prepare_upload(restricted, None).pages == 2


def test_a_truncated_pdf_is_corrupt():
    original = pdf(3)
    with pytest.raises(CorruptDocument) as refused:
        prepare_upload(original[: len(original) // 2], "coupé.pdf")
    assert refused.value.message_fr.startswith("Ce PDF est endommagé")


def test_a_pdf_whose_first_page_is_not_a_page_is_refused():
    with pytest.raises(UnreadablePage):
        prepare_upload(pdf(1, pagesize=(3, 3000)), None)


def test_a_pdf_header_on_garbage_is_corrupt():
    with pytest.raises(CorruptDocument):
        prepare_upload(b"%PDF-1.7\n" + os.urandom(5000) + b"\n%%EOF\n", "faux.pdf")


# --- titles ------------------------------------------------------------------------------

@pytest.mark.parametrize("filename, title", [
    ("ordonnance_dr_martin.pdf", "Ordonnance dr martin"),
    ("/storage/emulated/0/Download/Bilan sanguin 2026.PDF", "Bilan sanguin 2026"),
    ("C:\\Users\\moi\\radio-thorax.jpeg", "Radio thorax"),
    ("IMG_2041.JPG", ""),
    ("PXL_20261123_101500123.jpg", ""),
    ("Screenshot_20261123-101500.png", ""),
    ("Capture d’écran 2026-11-23 à 10.15.00.png", ""),
    ("Lettre d'hospitalisation.pdf", "Lettre d'hospitalisation"),
    ("e\u0301chographie.pdf", "Échographie"),  # NFD names from macOS, composed
    (None, ""),
])
def test_a_title_is_suggested_from_a_meaningful_file_name(filename, title):
    assert title_from_filename(filename) == title
