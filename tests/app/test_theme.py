"""The text size the patient chooses: every text style scaled, the phone bar's labels capped."""
from __future__ import annotations

import flet as ft
import pytest

from app.theme import NAVIGATION_LABEL_MAX, TEXT_SIZES, make_theme


@pytest.mark.parametrize("size", [name for name in TEXT_SIZES if name != "normal"])
def test_every_text_grows_but_the_bottom_bars_labels(size):
    theme = make_theme(size)
    assert theme.text_theme.body_medium.size == pytest.approx(14 * TEXT_SIZES[size], abs=0.1)
    assert theme.text_theme.title_large.size == pytest.approx(22 * TEXT_SIZES[size], abs=0.1)
    assert theme.navigation_bar_theme.label_text_style.size == NAVIGATION_LABEL_MAX


def test_the_normal_size_is_materials_own():
    theme = make_theme("normal")
    assert theme.text_theme is None and theme.color_scheme_seed == ft.Colors.TEAL
