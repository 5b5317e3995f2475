"""Small images drawn with Pillow: a phone photo of a paper document, an X-ray-looking film.

Noise comes from the generator's random source (not Pillow's), so images are reproducible.
"""
from __future__ import annotations

import io
import random
from functools import lru_cache
from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Pillow's built-in font has no accents; reportlab (already a dependency) ships Bitstream Vera.
_VERA = Path(reportlab.__file__).parent / "fonts" / "VeraIt.ttf"


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_VERA), size)


def render_paper_photo(lines: list[str], rng: random.Random) -> bytes:
    """A JPEG "photo" of a handwritten-looking page, slightly tilted on a dark table."""
    width, height = 720, 960
    page = Image.new("L", (width, height), 244)
    draw = ImageDraw.Draw(page)
    font = _font(24)
    y = 60
    for n, line in enumerate(lines):
        draw.text((50 + rng.randint(-3, 3), y), line, fill=40 if n else 10, font=font)
        y += 44 if n else 70
    draw.line((50, 40, width - 50, 40), fill=90, width=2)
    page = Image.blend(page, _noise(width, height, rng), 0.06)
    page = page.resize((width * 3 // 4, height * 3 // 4))
    rgb = Image.merge("RGB", (page, page.point(lambda v: v * 0.98), page.point(lambda v: v * 0.92)))
    tilted = rgb.rotate(rng.uniform(-4, 4), resample=Image.BILINEAR, expand=True, fillcolor=(60, 52, 45))
    return _jpeg(tilted, quality=72)


def render_xray(rng: random.Random, bones: int = 2) -> bytes:
    """A JPEG that looks like a radiograph: dark film, blurred bright bone shapes, grain."""
    width, height = 640, 800
    film = Image.new("L", (width, height), 18)
    draw = ImageDraw.Draw(film)
    draw.ellipse((60, 40, width - 60, height - 20), fill=70)  # soft tissue
    for n in range(bones):
        x = width // 2 + (n - (bones - 1) / 2) * 110 + rng.randint(-15, 15)
        draw.rounded_rectangle((x - 32, 90, x + 32, height - 90), radius=30, fill=200 - 20 * n)
        draw.ellipse((x - 55, 60, x + 55, 170), fill=215)
    if rng.random() < 0.5:  # a fracture line
        y = rng.randint(height // 2, height - 200)
        draw.line((width // 2 - 120, y, width // 2 + 120, y + 12), fill=40, width=4)
    film = film.filter(ImageFilter.GaussianBlur(6))
    film = Image.blend(film, _noise(width, height, rng), 0.1)
    return _jpeg(film, quality=80)


def _noise(width: int, height: int, rng: random.Random) -> Image.Image:
    return Image.frombytes("L", (width, height), rng.randbytes(width * height))


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
