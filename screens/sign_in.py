"""Sign-in: identifier + password + channel, then the one-time code that was sent."""
from __future__ import annotations

import flet as ft

from screens.centred_form import centred_form, feedback_text, say, text_field
from screens.context import ScreenContext


def sign_in_screen(ctx: ScreenContext) -> ft.Control:
    services = ctx.services
    identifier = text_field(ctx.t("sign_in.identifier"), "sign-in-identifier")
    password = text_field(ctx.t("sign_in.password"), "sign-in-password", password=True)
    channel = ft.RadioGroup(key="sign-in-channel", value="email", content=ft.Row([
        ft.Radio(value="email", label=ctx.t("sign_in.channel.email"), key="sign-in-channel-email"),
        ft.Radio(value="sms", label=ctx.t("sign_in.channel.sms"), key="sign-in-channel-sms"),
    ]))
    code = text_field(ctx.t("sign_in.code"), "sign-in-code", keyboard=ft.KeyboardType.NUMBER)
    sent = ft.Text("", key="sign-in-code-sent")
    feedback = feedback_text("sign-in-feedback")
    code_step = ft.Column([sent, code], visible=False, spacing=16, tight=True)

    async def send_code(_event=None) -> None:
        if not identifier.value.strip() or not password.value:
            say(feedback, ctx.t("common.required"))
            return
        attempt = await ctx.attempt(lambda: services.start_sign_in(identifier.value, password.value,
                                                                   channel.value or "email"),
                                    feedback, busy=send_button)
        if attempt.ok:
            challenge = attempt.value
            sent_to = f" : {challenge.sent_to}" if challenge.sent_to else ""
            sent.value = ctx.t("sign_in.code_sent", channel=ctx.t(f"sign_in.channel.{challenge.channel}"),
                               sent_to=sent_to)
            code_step.visible, verify_button.visible = True, True
            ctx.page.update()  # `attempt` already drew once, so Flet will not redraw by itself

    async def verify(_event=None) -> None:
        if not code.value.strip():
            say(feedback, ctx.t("common.required"))
            return
        attempt = await ctx.attempt(lambda: services.finish_sign_in(code.value), feedback, busy=verify_button)
        if attempt.ok:
            ctx.go("/choose-pin")

    password.on_submit = send_code
    code.on_submit = verify
    send_button = ft.FilledButton(ctx.t("sign_in.send_code"), key="sign-in-send-code", icon=ft.Icons.SEND,
                                  on_click=send_code)
    verify_button = ft.FilledButton(ctx.t("sign_in.verify"), key="sign-in-verify", icon=ft.Icons.CHECK,
                                    on_click=verify, visible=False)
    return centred_form(
        ctx.t("sign_in.title"),
        identifier, password, ft.Text(ctx.t("sign_in.channel")), channel, send_button,
        code_step, verify_button, feedback,
        ft.TextButton(ctx.t("common.back"), key="sign-in-back", icon=ft.Icons.ARROW_BACK,
                      on_click=lambda _: ctx.go("/welcome")),
        key="sign-in", icon=ft.Icons.LOGIN,
    )
