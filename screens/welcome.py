"""The first screen: sign in, activate a new space, or unlock the copy kept on this device."""
from __future__ import annotations

import flet as ft

from screens.centred_form import centred_form
from screens.context import ScreenContext
from screens.emergency_locked import emergency_entry


def welcome_screen(ctx: ScreenContext) -> ft.Control:
    services = ctx.services
    actions: list[ft.Control] = []
    if services.has_offline_copy:
        actions.append(ft.FilledButton(ctx.t("welcome.unlock"), key="welcome-unlock", icon=ft.Icons.LOCK_OPEN,
                                       on_click=lambda _: ctx.go("/unlock")))
    sign_in_button = ft.OutlinedButton if services.has_offline_copy else ft.FilledButton
    actions += [
        sign_in_button(ctx.t("welcome.sign_in"), key="welcome-sign-in", icon=ft.Icons.LOGIN,
                       on_click=lambda _: ctx.go("/sign-in")),
        ft.OutlinedButton(ctx.t("welcome.activate"), key="welcome-activate", icon=ft.Icons.VERIFIED_USER,
                          on_click=lambda _: ctx.go("/activate")),
        *emergency_entry(ctx),
    ]

    async def switch_language(_event) -> None:
        await services.set_language("en" if services.translator.language == "fr" else "fr")
        ctx.go("/welcome")

    other_language = "English" if services.translator.language == "fr" else "Français"
    return centred_form(
        ctx.t("app.title"),
        ft.Text(ctx.t("app.tagline"), theme_style=ft.TextThemeStyle.BODY_LARGE, text_align=ft.TextAlign.CENTER),
        *actions,
        ft.Row([ft.TextButton(other_language, key="welcome-language", icon=ft.Icons.LANGUAGE,
                              on_click=switch_language)], alignment=ft.MainAxisAlignment.CENTER),
        ft.Text(ctx.t("welcome.server", server=services.server_url), theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.OUTLINE,
                text_align=ft.TextAlign.CENTER),
        key="welcome", icon=ft.Icons.HEALTH_AND_SAFETY,
    )
