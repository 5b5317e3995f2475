"""A file the patient adds (photo, scan, PDF), checked and cleaned before it is stored.

`prepare_upload` turns the bytes of a picked file or a camera shot into what
`DocumentRepository.add_own(document, content_type, data)` stores: the type is read
from the bytes (never from the name), photos are turned upright, stripped of every
piece of metadata (EXIF with GPS position and camera serial, XMP, comments, ICC
profile after conversion to sRGB), downscaled and re-encoded; PDFs are checked and
kept byte for byte. Anything else is refused with a `DocumentRefused` whose
`message_fr` and `message_en` can be shown as they are.

In-memory rule (storage/SECURITY.md): nothing of the record reaches disk in clear.
Everything here works on `bytes` and `io.BytesIO` (Pillow and, through
`app.pdf_pages`, PDFium read from memory): no temporary file, no thumbnail cache, and
no log. The caller stores `data` and `thumbnail` only through the encrypted store.
"""
from __future__ import annotations

import io
import math
import re
import struct
import unicodedata
from dataclasses import dataclass, field

from PIL import Image, ImageCms, ImageOps

from storage.documents import DEFAULT_MAX_FILE_BYTES

# The storage refuses files above DEFAULT_MAX_FILE_BYTES (20 MB), so refuse them here
# first, where the message can say why.
DEFAULT_MAX_PIXELS = 50_000_000  # a 48-50 MP phone photo at full resolution
DEFAULT_TARGET_LONG_EDGE = 2400  # an A4 page at ~200 dpi: small print stays readable
DEFAULT_JPEG_QUALITY = 85
THUMBNAIL_LONG_EDGE = 320
THUMBNAIL_JPEG_QUALITY = 70
# HEIF/AVIF files are ISO-BMFF boxes whose `ftyp` brand says what they hold.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
                b"avif", b"avis"}
# What Pillow raises on malformed input besides DecompressionBombError: decoders
# report damage as OSError (truncated), SyntaxError (bad header) or one of the others.
_PILLOW_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError,
                         struct.error)


class DocumentRefused(Exception):
    """A file that cannot be added, with the reason in words the patient understands."""

    def __init__(self, message_fr: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_fr = message_fr
        self.message_en = message_en


class DocumentTooLarge(DocumentRefused):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"Ce fichier est trop volumineux ({_megabytes(size, ',')} Mo) : "
            f"la limite est de {_megabytes(limit, ',')} Mo.",
            f"This file is too large ({_megabytes(size, '.')} MB): "
            f"the limit is {_megabytes(limit, '.')} MB.")
        self.size = size
        self.limit = limit


class UnsupportedDocument(DocumentRefused):
    def __init__(
            self,
            message_fr: str = ("Ce type de fichier n'est pas pris en charge. "
                               "Ajoutez une photo (JPEG, PNG ou WebP) ou un PDF."),
            message_en: str = ("This type of file is not supported. "
                               "Add a photo (JPEG, PNG or WebP) or a PDF.")) -> None:
        super().__init__(message_fr, message_en)

    @classmethod
    def heic(cls) -> UnsupportedDocument:
        return cls(
            "Les photos HEIC ne peuvent pas être lues sur cet appareil. Sur iPhone, choisissez "
            "Réglages > Appareil photo > Formats > « Le plus compatible », ou partagez la "
            "photo en JPEG.",
            "HEIC photos cannot be read on this device. On an iPhone, choose Settings > "
            "Camera > Formats > \"Most Compatible\", or share the photo as a JPEG.")


class CorruptDocument(DocumentRefused):
    def __init__(
            self,
            message_fr: str = "Cette image est endommagée ou incomplète et ne peut pas être lue.",
            message_en: str = "This image is damaged or incomplete and cannot be read.") -> None:
        super().__init__(message_fr, message_en)

    @classmethod
    def pdf(cls) -> CorruptDocument:
        return cls("Ce PDF est endommagé ou incomplet et ne peut pas être lu.",
                   "This PDF is damaged or incomplete and cannot be read.")

    @classmethod
    def empty(cls) -> CorruptDocument:
        return cls("Ce fichier est vide.", "This file is empty.")


class ImageTooLarge(DocumentRefused):
    """An image whose pixel count exceeds the limit: a decompression bomb or a huge scan."""

    def __init__(self, width: int | None, height: int | None, max_pixels: int) -> None:
        millions = f"{max_pixels / 1_000_000:g}"
        size_fr = f" ({_thousands(width)} × {_thousands(height)} pixels)" if width and height else ""
        size_en = f" ({width:,} × {height:,} pixels)" if width and height else ""
        super().__init__(
            f"Cette image est trop grande{size_fr} : la limite est de {millions} millions "
            "de pixels.",
            f"This image is too large{size_en}: the limit is {millions} million pixels.")


class ProtectedDocument(DocumentRefused):
    def __init__(self) -> None:
        super().__init__(
            "Ce PDF est protégé par un mot de passe. Enregistrez-en une copie sans mot de "
            "passe, puis ajoutez-la.",
            "This PDF is protected by a password. Save a copy without the password, "
            "then add it.")


class UnreadablePage(DocumentRefused):
    def __init__(self) -> None:
        super().__init__(
            "Une page de ce PDF a des dimensions anormales et ne peut pas être affichée.",
            "A page of this PDF has abnormal dimensions and cannot be displayed.")


@dataclass(frozen=True)
class PreparedDocument:
    """What to store: `data` as `content_type`, plus a thumbnail for lists.

    Bytes are left out of the repr so that a log line never carries the document.
    """
    content_type: str
    data: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)
    thumbnail_content_type: str
    width: int | None  # pixels of `data` for images; None for PDFs
    height: int | None
    pages: int  # 1 for an image
    original_size: int
    original_content_type: str
    title: str  # a suggestion from the file name; "" when the name says nothing


def prepare_upload(data: bytes, filename: str | None, *,
                   max_bytes: int = DEFAULT_MAX_FILE_BYTES,
                   max_pixels: int = DEFAULT_MAX_PIXELS,
                   target_long_edge: int = DEFAULT_TARGET_LONG_EDGE,
                   jpeg_quality: int = DEFAULT_JPEG_QUALITY) -> PreparedDocument:
    """Check and clean an added file, in memory; raises a `DocumentRefused` subclass."""
    if len(data) > max_bytes:
        raise DocumentTooLarge(len(data), max_bytes)
    if not data:
        raise CorruptDocument.empty()
    kind = detect_content_type(data)
    title = title_from_filename(filename)
    if kind == "application/pdf":
        return _prepare_pdf(bytes(data), title)
    if kind is None:
        raise UnsupportedDocument()
    image = _open_image(data, kind, max_pixels, target_long_edge)
    return _prepare_image(image, kind, len(data), title, target_long_edge, jpeg_quality)


def detect_content_type(data: bytes) -> str | None:
    """The MIME type read from the file's first bytes, or None if not one we accept."""
    head = bytes(data[:32])
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/avif" if head[8:12] in (b"avif", b"avis") else "image/heic"
    # The PDF header may follow a few bytes of junk; readers accept it within 1 KiB.
    if b"%PDF-" in bytes(data[:1024]):
        return "application/pdf"
    return None


def title_from_filename(filename: str | None) -> str:
    """'ordonnance_dr_martin.pdf' → 'Ordonnance dr martin'; 'IMG_2041.JPG' → ''."""
    if not filename:
        return ""
    stem = re.split(r"[\\/]", filename)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    words = re.sub(r"[\s_.\-]+", " ", unicodedata.normalize("NFC", stem)).strip().split()
    # "Capture d’écran": elided articles are generated words too.
    if all(_is_generated_word(part) for word in words for part in re.split(r"['’]", word)):
        return ""
    title = " ".join(words)[:120].strip()
    return title[:1].upper() + title[1:]


_GENERATED_WORD = re.compile(
    r"(?i)(img|pxl|dsc[nf]?|mvimg|image|photo|scan|screenshot|capture|whatsapp|at|à|d|"
    r"écran|ecran|de|du|am|pm|sans|titre|untitled|document)?\d*")


def _is_generated_word(word: str) -> bool:
    """Part of a name a camera, a scanner or a screenshot tool makes up (no meaning)."""
    return bool(_GENERATED_WORD.fullmatch(word))


def _prepare_pdf(data: bytes, title: str) -> PreparedDocument:
    # Deferred: app.pdf_pages raises this module's refusals, so it imports this module.
    from app import pdf_pages

    # A PDF ends with %%EOF (possibly followed by a little whitespace or junk): without
    # it the download or copy was cut short.
    if b"%%EOF" not in data[-2048:]:
        raise CorruptDocument.pdf()
    thumbnail = pdf_pages.render_thumbnail(data, 0, long_edge_px=THUMBNAIL_LONG_EDGE)
    return PreparedDocument("application/pdf", data, thumbnail.png_bytes, "image/png",
                            None, None, thumbnail.page_count, len(data), "application/pdf",
                            title)


def _open_image(data: bytes, kind: str, max_pixels: int, target_long_edge: int) -> Image.Image:
    """The image decoded at no more than the size needed, after checking its declared size."""
    formats = {"image/jpeg": ["JPEG"], "image/png": ["PNG"], "image/webp": ["WEBP"],
               "image/heic": ["HEIF", "AVIF"], "image/avif": ["AVIF", "HEIF"]}[kind]
    Image.init()  # registers every plugin, so that Image.OPEN lists them all
    try:
        # Only the detected format's decoder may look at the bytes.
        image = Image.open(io.BytesIO(data), formats=[f for f in formats if f in Image.OPEN])
    except Image.DecompressionBombError:
        raise ImageTooLarge(None, None, max_pixels) from None
    except _PILLOW_DECODE_ERRORS:
        if kind in ("image/heic", "image/avif"):
            raise UnsupportedDocument.heic() from None
        raise CorruptDocument() from None
    width, height = image.size
    # Checked before any pixel is decoded, with our limit rather than Pillow's global
    # MAX_IMAGE_PIXELS (89 MP, a warning only, and changeable by any other module).
    if width <= 0 or height <= 0 or width * height > max_pixels:
        image.close()
        raise ImageTooLarge(width, height, max_pixels)
    if image.format in ("JPEG", "MPO"):  # MPO: the multi-picture JPEG of some phones
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale directly: a 50 MP photo never needs
        # 150 MB of memory to become a 2400-pixel one.
        scale = min(1.0, target_long_edge / max(width, height))
        image.draft(image.mode, (max(1, int(width * scale)), max(1, int(height * scale))))
    try:
        image.load()
    except Image.DecompressionBombError:
        raise ImageTooLarge(width, height, max_pixels) from None
    except _PILLOW_DECODE_ERRORS:
        raise CorruptDocument() from None
    return image


def _prepare_image(image: Image.Image, kind: str, original_size: int, title: str,
                   target_long_edge: int, jpeg_quality: int) -> PreparedDocument:
    icc_profile = image.info.get("icc_profile")
    image = _resizable(image)
    # Downscale first (the box is square, so it commutes with the EXIF rotation), then
    # work on the small image only.
    image.thumbnail((target_long_edge, target_long_edge), Image.Resampling.LANCZOS)
    image = _upright(image)
    image = _without_metadata(_in_srgb(image, icc_profile))
    data, content_type = _encode_jpeg(image, jpeg_quality), "image/jpeg"
    if kind == "image/png":
        # Screenshots and line art are often smaller, and always sharper, as PNG.
        png = _encode_png(image)
        if len(png) <= len(data):
            data, content_type = png, "image/png"
    return PreparedDocument(content_type, data, _thumbnail(image), "image/jpeg",
                            image.width, image.height, 1, original_size, kind, title)


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says; as it is if that tag is unreadable."""
    try:
        return ImageOps.exif_transpose(image)
    except _PILLOW_DECODE_ERRORS:
        # A damaged EXIF block should not cost the patient a readable photo.
        return image


def _resizable(image: Image.Image) -> Image.Image:
    """The image in a mode Pillow resizes with a real filter (not nearest neighbour)."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        # 16-bit scans (some medical images): scale to 8 bits rather than clip to white.
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "1":
        return image.convert("L")
    if image.mode in ("P", "PA"):
        has_alpha = image.mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if has_alpha else "RGB")
    return image


def _in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """RGB (or grayscale) pixels in sRGB, transparency flattened on white."""
    if image.mode == "L":
        return image
    if image.mode in ("LA", "La", "RGBA", "RGBa"):
        image = _flattened_on_white(image)
    if image.mode in ("RGB", "CMYK") and icc_profile:
        converted = _icc_to_srgb(image, icc_profile)
        if converted is not None:
            return converted
    return image.convert("RGB")


def _flattened_on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _icc_to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image | None:
    """The pixels converted from the embedded profile (Display P3, CMYK…) to sRGB."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken profile: the pixels are usually close to sRGB anyway.
        return None


def _without_metadata(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: no EXIF, GPS, XMP, ICC, comment or text chunk.

    Encoders pick metadata from `image.info` (ICC, EXIF, XMP depending on the format
    and Pillow's version); an image built from the raw pixels has none to pick.
    """
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def _encode_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail((THUMBNAIL_LONG_EDGE, THUMBNAIL_LONG_EDGE), Image.Resampling.LANCZOS)
    return _encode_jpeg(small, THUMBNAIL_JPEG_QUALITY)


def _megabytes(size: int, decimal_mark: str) -> str:
    """Decimal megabytes rounded up to 0.1, so 20 000 001 bytes never reads as '20'."""
    tenths = math.ceil(size / 100_000)
    text = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}"
    return text.replace(".", decimal_mark)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")
