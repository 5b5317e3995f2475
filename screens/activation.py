"""Activate a provisional space (INS + provisional code + password + e-mail, then the
e-mailed confirmation code), or oppose its creation after a confirmation dialog."""
from __future__ import annotations

import flet as ft

from screens.centred_form import centred_form, feedback_text, say, text_field
from screens.context import ScreenContext, close_dialog


def activation_screen(ctx: ScreenContext) -> ft.Control:
    services = ctx.services
    ins = text_field(ctx.t("activation.ins"), "activation-ins", keyboard=ft.KeyboardType.NUMBER)
    provisional = text_field(ctx.t("activation.provisional_code"), "activation-provisional-code")
    password = text_field(ctx.t("activation.password"), "activation-password", password=True)
    email = text_field(ctx.t("activation.email"), "activation-email", keyboard=ft.KeyboardType.EMAIL)
    code = text_field(ctx.t("activation.code"), "activation-code", keyboard=ft.KeyboardType.NUMBER)
    feedback = feedback_text("activation-feedback")
    code_step = ft.Column([code], visible=False, tight=True)

    async def start(_event=None) -> None:
        if not all(field.value.strip() for field in (ins, provisional, password, email)):
            say(feedback, ctx.t("common.required"))
            return
        attempt = await ctx.attempt(lambda: services.start_activation(ins.value, provisional.value,
                                                                      password.value, email.value),
                                    feedback, busy=start_button)
        if attempt.ok:
            code_step.visible, confirm_button.visible = True, True
            ctx.page.update()  # `attempt` already drew once, so Flet will not redraw by itself

    async def confirm(_event=None) -> None:
        attempt = await ctx.attempt(lambda: services.confirm_activation(code.value), feedback,
                                    busy=confirm_button)
        if attempt.ok:
            ctx.notify(ctx.t("activation.done"))
            ctx.go("/sign-in")

    start_button = ft.FilledButton(ctx.t("activation.start"), key="activation-start", icon=ft.Icons.SEND,
                                   on_click=start)
    confirm_button = ft.FilledButton(ctx.t("activation.confirm"), key="activation-confirm", icon=ft.Icons.CHECK,
                                     on_click=confirm, visible=False)
    oppose_button = ft.TextButton(ctx.t("activation.oppose"), key="activation-oppose", icon=ft.Icons.BLOCK,
                                  on_click=lambda _: _ask_to_oppose(ctx, ins, provisional, feedback))
    return centred_form(
        ctx.t("activation.title"), ins, provisional, password, email, start_button, code_step,
        confirm_button, feedback, oppose_button,
        ft.TextButton(ctx.t("common.back"), key="activation-back", icon=ft.Icons.ARROW_BACK,
                      on_click=lambda _: ctx.go("/welcome")),
        key="activation", icon=ft.Icons.VERIFIED_USER,
    )


def _ask_to_oppose(ctx: ScreenContext, ins: ft.TextField, provisional: ft.TextField, feedback: ft.Text) -> None:
    if not ins.value.strip() or not provisional.value.strip():
        say(feedback, ctx.t("common.required"))
        return

    async def oppose(_event) -> None:
        close_dialog(dialog)
        attempt = await ctx.attempt(lambda: ctx.services.oppose(ins.value, provisional.value), feedback)
        if attempt.ok:
            ctx.notify(ctx.t("activation.opposed"))
            ctx.go("/welcome")

    dialog = ft.AlertDialog(
        modal=True, title=ctx.t("activation.oppose_title"),
        content=ft.Text(ctx.t("activation.oppose_text")),
        actions=[ft.TextButton(ctx.t("common.cancel"), on_click=lambda _: close_dialog(dialog)),
                 ft.FilledButton(ctx.t("common.confirm"), on_click=oppose)],
    )
    ctx.page.show_dialog(dialog)
