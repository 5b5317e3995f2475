"""PDF pages rendered in memory: sizes, bounds, refusals, threads, and no file written."""
from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from reportlab.lib import pdfencrypt

from app import pdf_pages
from app.document_intake import CorruptDocument, ProtectedDocument, UnreadablePage
from app.pdf_pages import (
    MAX_RENDER_PIXELS,
    MAX_RENDER_WIDTH,
    page_count,
    render_page,
    render_thumbnail,
)
from tests.app.test_document_intake import pdf, writes_nothing  # noqa: F401 (fixture)

A4 = (595, 842)


def decoded(png_bytes: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png_bytes))
    assert image.format == "PNG"
    return image


def test_page_count_from_memory(writes_nothing):
    document = pdf(3)
    with writes_nothing():
        assert page_count(document) == 3


def test_a_page_is_rendered_at_the_asked_width_with_the_page_proportions(writes_nothing):
    document = pdf(3)
    with writes_nothing():
        page = render_page(document, 1, width_px=600)

    assert (page.width, page.page_count) == (600, 3)
    assert abs(page.height - 600 * A4[1] / A4[0]) <= 1
    image = decoded(page.png_bytes)
    assert image.size == (page.width, page.height)
    # White paper with black text on it ("Page 2").
    low, high = image.convert("L").getextrema()
    assert high == 255 and low < 50


def test_a_thumbnail_fits_its_long_edge(writes_nothing):
    with writes_nothing():
        landscape = render_thumbnail(pdf(1, pagesize=(842, 595)), long_edge_px=200)
    assert (landscape.width, landscape.page_count) == (200, 1)
    assert landscape.height < 200
    assert decoded(landscape.png_bytes).size == (landscape.width, landscape.height)


def test_the_width_is_clamped_and_the_bitmap_capped():
    huge = render_page(pdf(1), 0, width_px=100_000)
    assert huge.width <= MAX_RENDER_WIDTH
    assert huge.width * huge.height <= MAX_RENDER_PIXELS * 1.01
    tiny = render_page(pdf(1), 0, width_px=0)
    assert tiny.width >= pdf_pages.MIN_RENDER_WIDTH


def test_a_poster_sized_page_is_rendered_within_the_pixel_cap():
    # 5 m × 5 m: at 4096 pixels wide this would be 16.8 MP, past the cap.
    page = render_page(pdf(1, pagesize=(14_000, 14_000)), 0, width_px=4096)
    assert page.width * page.height <= MAX_RENDER_PIXELS * 1.01
    assert page.width < 4096


def test_a_long_receipt_is_rendered():
    page = render_page(pdf(1, pagesize=(227, 2835)), 0, width_px=400)  # 8 cm × 1 m
    assert page.width == 400 and page.height > 4000


def test_a_page_shaped_like_a_thread_is_refused():
    with pytest.raises(UnreadablePage) as refused:
        render_page(pdf(1, pagesize=(3, 3000)), 0)
    assert "dimensions" in refused.value.message_fr


def test_a_page_that_does_not_exist_is_an_index_error():
    with pytest.raises(IndexError):
        render_page(pdf(2), 2)
    with pytest.raises(IndexError):
        render_page(pdf(2), -1)


def test_a_protected_pdf_and_garbage_are_refused_in_words():
    locked = pdf(1, encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    with pytest.raises(ProtectedDocument):
        render_page(locked, 0)
    with pytest.raises(ProtectedDocument):
        page_count(locked)
    with pytest.raises(CorruptDocument):
        page_count(b"%PDF-1.7 this is not a PDF %%EOF")


def test_worker_threads_can_render_at_the_same_time():
    documents = [pdf(3), pdf(2, pagesize=(842, 595))]
    expected = {(index, page): render_page(documents[index], page, width_px=300)
                for index in range(2) for page in range(2)}
    jobs = [key for key in expected for _ in range(6)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda key: render_page(documents[key[0]], key[1], width_px=300),
                                jobs))
    for key, result in zip(jobs, results):
        assert result == expected[key]


def test_pdfium_is_only_called_under_the_lock():
    # pypdfium2 is not thread-safe: a render must wait while another thread holds the lock.
    started, document = threading.Event(), pdf(1)
    with pdf_pages.PDFIUM_LOCK:
        worker = threading.Thread(target=lambda: (started.set(), page_count(document)))
        worker.start()
        started.wait(5)
        worker.join(0.3)
        assert worker.is_alive()
    worker.join(5)
    assert not worker.is_alive()
