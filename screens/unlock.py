"""Unlock the offline copy with the device's code: works without network."""
from __future__ import annotations

import flet as ft

from screens.centred_form import centred_form, feedback_text, say, text_field
from screens.context import ScreenContext
from screens.emergency_locked import emergency_entry


def unlock_screen(ctx: ScreenContext) -> ft.Control:
    services = ctx.services
    passphrase = services.pin_alone_protects_key
    pin = text_field(ctx.t("unlock.pin"), "unlock-pin", password=True,
                     keyboard=None if passphrase else ft.KeyboardType.NUMBER)
    feedback = feedback_text("unlock-feedback")
    if services.remaining_attempts < services.max_attempts:  # wrong codes typed before this launch
        say(feedback, ctx.t("unlock.attempts_left", remaining=services.remaining_attempts))

    async def unlock(_event=None) -> None:
        attempt = await ctx.attempt(lambda: services.unlock(pin.value), feedback, busy=unlock_button)
        if attempt.ok:
            ctx.go("/home")
        elif not services.has_offline_copy:  # too many wrong codes: the copy was erased
            ctx.notify(feedback.value, error=True)
            ctx.go("/welcome")
        else:
            pin.value = ""
            pin.update()

    pin.on_submit = unlock
    unlock_button = ft.FilledButton(ctx.t("unlock.button"), key="unlock-button", icon=ft.Icons.LOCK_OPEN,
                                    on_click=unlock)
    return centred_form(
        ctx.t("unlock.title"), pin, unlock_button, feedback,
        ft.TextButton(ctx.t("unlock.forgot"), key="unlock-sign-in-again", on_click=lambda _: ctx.go("/sign-in")),
        *emergency_entry(ctx),
        key="unlock", icon=ft.Icons.LOCK,
    )
