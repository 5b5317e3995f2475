"""Pieces shared by the screens that show the record: a section title, a loading slot."""
from __future__ import annotations

from typing import Awaitable, Callable

import flet as ft

from screens.context import ScreenContext


def section_title(text: str) -> ft.Text:
    return ft.Text(text, theme_style=ft.TextThemeStyle.TITLE_MEDIUM, weight=ft.FontWeight.W_600)


PANEL_WIDTH = 720


def panel(icon: ft.IconData, title: str, controls: list[ft.Control], *, key: str | None = None) -> ft.Control:
    """A titled card holding one part of a screen, at most `PANEL_WIDTH` wide."""
    return ft.Container(width=PANEL_WIDTH, key=key, content=ft.Card(content=ft.Container(padding=16, content=ft.Column(
        # The title takes the room left beside its icon: at 200 % text it wraps instead of overflowing.
        [ft.Row([ft.Icon(icon), ft.Container(section_title(title), expand=True)]), *controls], spacing=12))))


def loading_slot(ctx: ScreenContext, key: str, load: Callable[[], Awaitable],
                 render: Callable[[object], list[ft.Control]]) -> ft.Control:
    """A column that shows a spinner, then `render(await load())` (or the error, in words)."""
    feedback = ft.Text("", color=ft.Colors.ERROR)
    column = ft.Column([ft.ProgressRing(width=24, height=24)], key=key, spacing=12,
                       scroll=ft.ScrollMode.AUTO, expand=True)

    async def fill() -> None:
        attempt = await ctx.attempt(load, feedback)
        column.controls = render(attempt.value) if attempt.ok else [feedback]
        try:
            column.update()
        except RuntimeError:  # the user left this screen before it loaded
            pass

    ctx.page.run_task(fill)
    return ft.Container(column, padding=16, expand=True)


def date_only(moment: str | None) -> str:
    """`2023-09-01T10:00:00Z` as `01/09/2023`: the patient reads dates, not timestamps."""
    if not moment or len(moment) < 10:
        return moment or ""
    year, month, day = moment[:10].split("-")
    return f"{day}/{month}/{year}"
