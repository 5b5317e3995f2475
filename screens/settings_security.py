"""The security and account parts of the settings: the device's code, the account's
signed-in devices, signing out and forgetting this device."""
from __future__ import annotations

from typing import Awaitable, Callable

import flet as ft

from screens.centred_form import feedback_text, say, text_field
from screens.context import ScreenContext, close_dialog
from screens.record_list import date_only


def change_pin_button(ctx: ScreenContext) -> ft.Control:
    return ft.OutlinedButton(ctx.t("settings.change_pin"), icon=ft.Icons.PIN, key="settings-change-pin",
                             on_click=lambda _: _change_pin_dialog(ctx))


def _change_pin_dialog(ctx: ScreenContext) -> None:
    services = ctx.services
    numeric = None if services.pin_alone_protects_key else ft.KeyboardType.NUMBER
    current = text_field(ctx.t("settings.current_pin"), "settings-current-pin", password=True, keyboard=numeric)
    new = text_field(ctx.t("settings.new_pin"), "settings-new-pin", password=True, keyboard=numeric)
    again = text_field(ctx.t("settings.confirm_pin"), "settings-confirm-pin", password=True, keyboard=numeric)
    feedback = feedback_text("settings-pin-feedback")

    async def save(_event=None) -> None:
        if not current.value or not new.value:
            say(feedback, ctx.t("common.required"))
            feedback.update()
            return
        if new.value != again.value:
            say(feedback, ctx.t("pin.mismatch"))
            feedback.update()
            return
        attempt = await ctx.attempt(lambda: services.settings.change_pin(current.value, new.value), feedback,
                                    busy=save_button)
        if attempt.ok:
            close_dialog(dialog)
            ctx.notify(ctx.t("settings.pin_changed"))
        elif not services.has_offline_copy:  # too many wrong codes: the copy was erased
            close_dialog(dialog)
            await services.lock()
            ctx.notify(feedback.value, error=True)
            ctx.go("/welcome")

    again.on_submit = save
    save_button = ft.FilledButton(ctx.t("pin.create"), key="settings-save-pin", on_click=save)
    dialog = ft.AlertDialog(
        modal=True, title=ctx.t("settings.change_pin"),
        content=ft.Column([current, new, again, feedback], tight=True, spacing=12, width=400),
        actions=[ft.TextButton(ctx.t("common.cancel"), on_click=lambda _: close_dialog(dialog)), save_button],
    )
    ctx.page.show_dialog(dialog)


def devices_panel(ctx: ScreenContext) -> list[ft.Control]:
    """The devices, listed on demand (it needs the network, the rest of the screen does not)."""
    feedback = feedback_text("settings-devices-feedback")
    listing = ft.Column(key="settings-devices", spacing=0)

    async def show(_event=None) -> None:
        attempt = await ctx.attempt(ctx.services.settings.devices, feedback, busy=show_button)
        if attempt.ok:
            listing.controls = [_device_row(ctx, device, show) for device in attempt.value]
            listing.update()

    show_button = ft.OutlinedButton(ctx.t("settings.show_devices"), icon=ft.Icons.DEVICES,
                                    key="settings-show-devices", on_click=show)
    return [ft.Text(ctx.t("settings.devices"), weight=ft.FontWeight.W_600),
            ft.Text(ctx.t("settings.devices_explain"), color=ft.Colors.ON_SURFACE_VARIANT),
            show_button, listing, feedback]


def _device_row(ctx: ScreenContext, device, refresh: Callable[[], Awaitable[None]]) -> ft.Control:
    seen = ctx.t("settings.device_seen", created=date_only(device.created_at), seen=date_only(device.last_seen_at))
    if device.current:
        return ft.ListTile(leading=ft.Icon(ft.Icons.SMARTPHONE), title=ft.Text(device.name),
                           subtitle=ft.Text(f"{ctx.t('settings.this_device')} · {seen}"))

    async def revoke() -> None:
        attempt = await ctx.attempt(lambda: ctx.services.settings.revoke_device(device.id))
        if attempt.ok:
            ctx.notify(ctx.t("settings.revoked", name=device.name))
            await refresh()

    return ft.ListTile(
        leading=ft.Icon(ft.Icons.DEVICES_OTHER), title=ft.Text(device.name), subtitle=ft.Text(seen),
        trailing=ft.IconButton(ft.Icons.LOGOUT, tooltip=ctx.t("settings.revoke", name=device.name),
                               key=f"settings-revoke-{device.id}",
                               on_click=lambda _: confirm(ctx, ctx.t("settings.revoke_title"),
                                                          ctx.t("settings.revoke_text", name=device.name), revoke)))


def account_actions(ctx: ScreenContext) -> list[ft.Control]:
    services = ctx.services

    def leave(action: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
        async def left() -> None:
            attempt = await ctx.attempt(action)
            if attempt.ok:
                ctx.notify(ctx.t("settings.signed_out"))
                ctx.go("/welcome")
        return left

    return [
        ft.OutlinedButton(ctx.t("settings.sign_out"), key="settings-sign-out", icon=ft.Icons.LOGOUT,
                          on_click=lambda _: confirm(ctx, ctx.t("settings.sign_out"), ctx.t("settings.sign_out_text"),
                                                     leave(services.sign_out))),
        ft.TextButton(ctx.t("settings.forget"), key="settings-forget", icon=ft.Icons.DELETE_FOREVER,
                      on_click=lambda _: confirm(ctx, ctx.t("settings.forget"), ctx.t("settings.forget_text"),
                                                 leave(services.forget_device))),
    ]


def confirm(ctx: ScreenContext, title: str, text: str, action: Callable[[], Awaitable[None]]) -> None:
    """Ask first; `action` runs once confirmed."""
    async def confirmed(_event) -> None:
        close_dialog(dialog)
        await action()

    dialog = ft.AlertDialog(
        modal=True, title=title, content=ft.Text(text),
        actions=[ft.TextButton(ctx.t("common.cancel"), key="confirm-cancel", on_click=lambda _: close_dialog(dialog)),
                 ft.FilledButton(ctx.t("common.confirm"), key="confirm-ok", on_click=confirmed)],
    )
    ctx.page.show_dialog(dialog)
