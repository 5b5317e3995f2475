"""PDF pages as images for the document viewer, rendered in memory with pypdfium2.

In-memory rule (storage/SECURITY.md, "While the cache is unlocked"): a document's bytes
come from `DocumentRepository.read_file` and must never reach disk in clear. Every
function here takes the PDF as `bytes` (PDFium reads it with `FPDF_LoadMemDocument64`)
and returns PNG bytes built in an `io.BytesIO`: no temporary file, no cache, no log of
the content.

PDFium is not thread-safe and the app renders from worker threads, so every call into
it holds `PDFIUM_LOCK`, including closing documents and pages (closing them explicitly
inside the lock keeps pypdfium2's garbage-collection finalisers from calling PDFium
later from another thread).

Memory is bounded: the requested width is clamped, the bitmap is capped at
`MAX_RENDER_PIXELS` (a 4-byte-per-pixel buffer of ~64 MB at most), and pages whose
shape is not a document's (non-positive, non-finite or extremely elongated) are refused.
"""
from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image

from app.document_intake import CorruptDocument, ProtectedDocument, UnreadablePage

PDFIUM_LOCK = threading.Lock()

MIN_RENDER_WIDTH = 16
MAX_RENDER_WIDTH = 4096
MAX_RENDER_PIXELS = 16_000_000
# A till receipt is ~8 cm by ~1 m (1:12); past 1:100 a "page" is a trap, not a document.
MAX_PAGE_ASPECT_RATIO = 100.0
DEFAULT_THUMBNAIL_LONG_EDGE = 320


@dataclass(frozen=True)
class RenderedPage:
    """One page as a PNG image, plus the document's page count for the viewer's pager."""
    png_bytes: bytes
    width: int
    height: int
    page_count: int


@contextmanager
def open_pdf(pdf_bytes: bytes) -> Iterator[pdfium.PdfDocument]:
    """The document opened from memory under the PDFium lock; closed on exit.

    Raises `ProtectedDocument` when a password is needed to read it and
    `CorruptDocument` when PDFium cannot read it at all.
    """
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(bytes(pdf_bytes))
        except pdfium.PdfiumError as error:
            if error.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
                raise ProtectedDocument() from None
            raise CorruptDocument.pdf() from None
        try:
            yield document
        finally:
            document.close()


def page_count(pdf_bytes: bytes) -> int:
    with open_pdf(pdf_bytes) as document:
        return len(document)


def render_page(pdf_bytes: bytes, page_index: int, *, width_px: int = 1200) -> RenderedPage:
    """Page `page_index` (0-based) rendered `width_px` wide (clamped to 16–4096 pixels).

    The height follows the page's proportions; if the bitmap would exceed
    `MAX_RENDER_PIXELS` the whole page is rendered smaller instead.
    Raises `IndexError` for a page that does not exist.
    """
    width_px = max(MIN_RENDER_WIDTH, min(int(width_px), MAX_RENDER_WIDTH))
    return _render(pdf_bytes, page_index, lambda w, h: width_px / w)


def render_thumbnail(pdf_bytes: bytes, page_index: int = 0, *,
                     long_edge_px: int = DEFAULT_THUMBNAIL_LONG_EDGE) -> RenderedPage:
    """A small PNG of one page whose long edge is `long_edge_px` (for lists and tiles)."""
    long_edge_px = max(MIN_RENDER_WIDTH, min(int(long_edge_px), MAX_RENDER_WIDTH))
    return _render(pdf_bytes, page_index, lambda w, h: long_edge_px / max(w, h))


def _render(pdf_bytes: bytes, page_index: int, scale_for_size) -> RenderedPage:
    with open_pdf(pdf_bytes) as document:
        count = len(document)
        if not 0 <= page_index < count:
            raise IndexError(f"page {page_index} of a {count}-page document")
        page = document[page_index]
        try:
            width_pt, height_pt = _checked_page_size(page)
            scale = _capped_scale(scale_for_size(width_pt, height_pt), width_pt, height_pt)
            # Forms are not drawn: that would need PDFium's form environment (and with it
            # the document's JavaScript); annotations such as stamps still are.
            bitmap = page.render(scale=scale, may_draw_forms=False)
            try:
                image = bitmap.to_pil().convert("RGB")
            finally:
                bitmap.close()
        finally:
            page.close()
    return RenderedPage(_png(image), image.width, image.height, count)


def _checked_page_size(page: pdfium.PdfPage) -> tuple[float, float]:
    width_pt, height_pt = page.get_size()
    if not (math.isfinite(width_pt) and math.isfinite(height_pt)) or min(width_pt, height_pt) <= 0:
        raise UnreadablePage()
    if max(width_pt, height_pt) / min(width_pt, height_pt) > MAX_PAGE_ASPECT_RATIO:
        raise UnreadablePage()
    return width_pt, height_pt


def _capped_scale(scale: float, width_pt: float, height_pt: float) -> float:
    """`scale`, reduced so that the bitmap holds at most `MAX_RENDER_PIXELS` pixels."""
    pixels = width_pt * height_pt * scale * scale
    if pixels > MAX_RENDER_PIXELS:
        scale *= math.sqrt(MAX_RENDER_PIXELS / pixels)
    # Never below one pixel on the short side, whatever the page's proportions.
    return max(scale, 1.0 / min(width_pt, height_pt))


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # Level 6 rather than optimize=True: rendering is interactive, a 2x slower encode
    # for ~5% fewer bytes held in memory is not worth it.
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
