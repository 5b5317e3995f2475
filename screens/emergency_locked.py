"""The emergency card on a locked device: only what the patient chose to show without the
code, read from its own file in about the time it takes to open the app."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext
from screens.emergency_card_view import MAX_WIDTH, card_view
from screens.record_list import loading_slot


def emergency_locked_screen(ctx: ScreenContext) -> ft.Control:
    def render(summary) -> list[ft.Control]:
        content = card_view(ctx, summary) if summary else [ft.Text(ctx.t("emergency.locked_missing"))]
        return [
            ft.Row([ft.Icon(ft.Icons.EMERGENCY, color=ft.Colors.ERROR, size=32),
                    ft.Text(ctx.t("emergency.title"), theme_style=ft.TextThemeStyle.HEADLINE_SMALL)]),
            ft.Container(width=MAX_WIDTH, bgcolor=ft.Colors.SECONDARY_CONTAINER, border_radius=8, padding=12,
                         content=ft.Row([ft.Icon(ft.Icons.LOCK_OPEN, color=ft.Colors.ON_SECONDARY_CONTAINER),
                                         ft.Text(ctx.t("emergency.locked_banner"), expand=True,
                                                 color=ft.Colors.ON_SECONDARY_CONTAINER)])),
            *content,
            ft.FilledButton(ctx.t("emergency.unlock"), icon=ft.Icons.LOCK, key="emergency-locked-unlock",
                            on_click=lambda _: ctx.go("/unlock")),
        ]

    return loading_slot(ctx, "emergency-locked", ctx.services.emergency.card_without_unlock, render)


def emergency_entry(ctx: ScreenContext) -> list[ft.Control]:
    """The button the locked screens show when a card can be read without the code."""
    if not ctx.services.emergency.has_card_without_unlock:
        return []
    return [ft.FilledTonalButton(
        ctx.t("emergency.open_locked"), icon=ft.Icons.EMERGENCY, key="open-emergency-card",
        style=ft.ButtonStyle(color=ft.Colors.ON_ERROR_CONTAINER, bgcolor=ft.Colors.ERROR_CONTAINER),
        on_click=lambda _: ctx.go("/emergency-card"))]
