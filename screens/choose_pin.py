"""Choose the code that unlocks this device (twice); a passphrase where no keystore helps."""
from __future__ import annotations

import flet as ft

from screens.centred_form import centred_form, feedback_text, say, text_field
from screens.context import ScreenContext


def choose_pin_screen(ctx: ScreenContext) -> ft.Control:
    services = ctx.services
    passphrase = services.pin_alone_protects_key
    explain = ctx.t("pin.explain_passphrase" if passphrase else "pin.explain_pin")
    first = text_field(ctx.t("pin.first_passphrase" if passphrase else "pin.first"), "pin-first", password=True,
                       keyboard=None if passphrase else ft.KeyboardType.NUMBER)
    second = text_field(ctx.t("pin.second"), "pin-second", password=True,
                        keyboard=None if passphrase else ft.KeyboardType.NUMBER)
    feedback = feedback_text("pin-feedback")

    async def save(_event=None) -> None:
        if first.value != second.value:
            say(feedback, ctx.t("pin.mismatch"))
            return
        attempt = await ctx.attempt(lambda: services.create_pin(first.value), feedback, busy=save_button)
        if attempt.ok:
            ctx.go("/home")

    second.on_submit = save
    save_button = ft.FilledButton(ctx.t("pin.create"), key="pin-save", icon=ft.Icons.LOCK, on_click=save)
    return centred_form(ctx.t("pin.title"), ft.Text(explain), first, second, save_button, feedback,
                        key="choose-pin", icon=ft.Icons.PIN)
