"""The app's look: Material 3 from one seed colour, light or dark, and the text size the
patient chose (Flet has no text scale of its own: the theme's text styles are scaled)."""
from __future__ import annotations

import flet as ft

SEED = ft.Colors.TEAL
THEMES = ("light", "dark")
# Name → factor. The largest doubles every text, as the accessibility goal asks (200 %).
TEXT_SIZES = {"normal": 1.0, "large": 1.25, "larger": 1.5, "largest": 2.0}
NAVIGATION_LABEL_MAX = 13.0  # logical pixels: Material's 12, a little larger

# Material 3's default sizes of each text style, in logical pixels.
_MATERIAL_SIZES = {
    "display_large": 57, "display_medium": 45, "display_small": 36,
    "headline_large": 32, "headline_medium": 28, "headline_small": 24,
    "title_large": 22, "title_medium": 16, "title_small": 14,
    "label_large": 14, "label_medium": 12, "label_small": 11,
    "body_large": 16, "body_medium": 14, "body_small": 12,
}


def make_theme(text_size: str = "normal") -> ft.Theme:
    factor = TEXT_SIZES.get(text_size, 1.0)
    if factor == 1.0:
        return ft.Theme(color_scheme_seed=SEED)
    styles = {name: ft.TextStyle(size=round(size * factor, 1)) for name, size in _MATERIAL_SIZES.items()}
    # A phone's bottom bar gives each label a fifth of its width: a larger label breaks
    # mid-word ("Document-s"), so its labels stop growing here (larger still, the bar shows
    # icons only: app.shell); every destination keeps its name for screen readers.
    bar = ft.NavigationBarTheme(label_text_style=ft.TextStyle(size=NAVIGATION_LABEL_MAX))
    return ft.Theme(color_scheme_seed=SEED, text_theme=ft.TextTheme(**styles), navigation_bar_theme=bar)


def apply(page: ft.Page, theme: str, text_size: str) -> None:
    page.theme_mode = ft.ThemeMode.DARK if theme == "dark" else ft.ThemeMode.LIGHT
    page.theme = make_theme(text_size)
    page.dark_theme = make_theme(text_size)
