"""Settings: display (language, theme, text size), offline files, security (the device's
code, signed-in devices) and the account (sign out, forget this device)."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext
from screens.record_list import loading_slot, panel, section_title
from screens.settings_security import account_actions, change_pin_button, devices_panel

TEXT_SIZES = ("normal", "large", "larger", "largest")


def settings_screen(ctx: ScreenContext) -> ft.Control:
    return loading_slot(ctx, "settings", ctx.services.settings.preferences, lambda preferences: [
        section_title(ctx.t("settings.title")),
        panel(ft.Icons.TEXT_FIELDS, ctx.t("settings.display"), _display(ctx, preferences)),
        panel(ft.Icons.CLOUD_OFF, ctx.t("settings.offline"), _offline(ctx, preferences)),
        panel(ft.Icons.SECURITY, ctx.t("settings.security"), [change_pin_button(ctx), *devices_panel(ctx)]),
        panel(ft.Icons.ACCOUNT_CIRCLE, ctx.t("settings.account"), account_actions(ctx)),
    ])


def _display(ctx: ScreenContext, preferences) -> list[ft.Control]:
    services = ctx.services

    async def change_language(event) -> None:
        await services.set_language(event.control.value)
        ctx.go("/settings")

    async def change_look(_event) -> None:
        await services.settings.set_theme(theme.value)
        await services.settings.set_text_size(size.value)
        ctx.apply_look(theme.value, size.value)

    language = ft.RadioGroup(key="settings-language", value=services.translator.language, on_change=change_language,
                             content=ft.Row([ft.Radio(value="fr", label="Français", key="settings-language-fr"),
                                             ft.Radio(value="en", label="English", key="settings-language-en")]))
    theme = ft.RadioGroup(key="settings-theme", value=preferences.theme, on_change=change_look,
                          content=ft.Row([ft.Radio(value=value, label=ctx.t(f"settings.theme.{value}"),
                                                   key=f"settings-theme-{value}") for value in ("light", "dark")]))
    size = ft.RadioGroup(key="settings-text-size", value=preferences.text_size, on_change=change_look,
                         content=ft.Row([ft.Radio(value=value, label=ctx.t(f"settings.text_size.{value}"),
                                                  key=f"settings-text-size-{value}") for value in TEXT_SIZES],
                                        wrap=True))
    return [ft.Text(ctx.t("settings.language")), language, ft.Text(ctx.t("settings.theme")), theme,
            ft.Text(ctx.t("settings.text_size")), size]


def _offline(ctx: ScreenContext, preferences) -> list[ft.Control]:
    settings = ctx.services.settings

    async def files_changed(_event) -> None:
        wifi.disabled = not files.value
        await ctx.attempt(lambda: settings.set_files_offline(bool(files.value)))
        wifi.update()

    async def wifi_changed(_event) -> None:
        await ctx.attempt(lambda: settings.set_wifi_only(bool(wifi.value)))

    files = ft.Switch(label=ctx.t("settings.files_offline"), value=preferences.files_offline,
                      key="settings-files-offline", on_change=files_changed)
    wifi = ft.Switch(label=ctx.t("settings.wifi_only"), value=preferences.wifi_only, key="settings-wifi-only",
                     disabled=not preferences.files_offline, on_change=wifi_changed)
    return [files, ft.Text(ctx.t("settings.files_offline_explain"), color=ft.Colors.ON_SURFACE_VARIANT), wifi]
