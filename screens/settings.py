"""Settings: language, theme, sign out (revokes this device, erases its copy), forget this device."""
from __future__ import annotations

from typing import Awaitable, Callable

import flet as ft

from screens.context import ScreenContext, close_dialog
from screens.record_list import section_title


def settings_screen(ctx: ScreenContext) -> ft.Control:
    services = ctx.services

    async def change_language(event) -> None:
        await services.set_language(event.control.value)
        ctx.go("/settings")

    async def change_theme(event) -> None:
        await services.set_theme(event.control.value)
        ctx.page.theme_mode = ft.ThemeMode.DARK if event.control.value == "dark" else ft.ThemeMode.LIGHT
        ctx.page.update()

    language = ft.RadioGroup(key="settings-language", value=services.translator.language, on_change=change_language,
                             content=ft.Row([ft.Radio(value="fr", label="Français", key="settings-language-fr"),
                                             ft.Radio(value="en", label="English", key="settings-language-en")]))
    theme = ft.RadioGroup(key="settings-theme", value="dark" if ctx.page.theme_mode == ft.ThemeMode.DARK else "light",
                          on_change=change_theme,
                          content=ft.Row([ft.Radio(value="light", label=ctx.t("settings.theme.light"),
                                                   key="settings-theme-light"),
                                          ft.Radio(value="dark", label=ctx.t("settings.theme.dark"),
                                                   key="settings-theme-dark")]))
    return ft.Container(key="settings", padding=16, expand=True, content=ft.Column(scroll=ft.ScrollMode.AUTO, spacing=16,
                                                                                  controls=[
        section_title(ctx.t("settings.title")),
        ft.Text(ctx.t("settings.language")), language,
        ft.Text(ctx.t("settings.theme")), theme,
        ft.Divider(),
        ft.OutlinedButton(ctx.t("settings.sign_out"), key="settings-sign-out", icon=ft.Icons.LOGOUT,
                          on_click=lambda _: _confirm(ctx, "settings.sign_out", "settings.sign_out_text",
                                                      services.sign_out)),
        ft.TextButton(ctx.t("settings.forget"), key="settings-forget", icon=ft.Icons.DELETE_FOREVER,
                      on_click=lambda _: _confirm(ctx, "settings.forget", "settings.forget_text",
                                                  services.forget_device)),
    ]))


def _confirm(ctx: ScreenContext, title: str, text: str, action: Callable[[], Awaitable[None]]) -> None:
    async def confirmed(_event) -> None:
        close_dialog(dialog)
        attempt = await ctx.attempt(action)
        if attempt.ok:
            ctx.notify(ctx.t("settings.signed_out"))
            ctx.go("/welcome")

    dialog = ft.AlertDialog(
        modal=True, title=ctx.t(title), content=ft.Text(ctx.t(text)),
        actions=[ft.TextButton(ctx.t("common.cancel"), on_click=lambda _: close_dialog(dialog)),
                 ft.FilledButton(ctx.t("common.confirm"), on_click=confirmed)],
    )
    ctx.page.show_dialog(dialog)
