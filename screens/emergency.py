"""The emergency card, unlocked: the whole card from the offline copy, what a locked device
may show of it, and exports (image, PDF, International Patient Summary)."""
from __future__ import annotations

import flet as ft
from health.emergency import EmergencyField

from screens.context import ScreenContext
from screens.emergency_card_view import card_view
from screens.record_list import loading_slot, panel
from screens.saving import save_bytes


def emergency_screen(ctx: ScreenContext) -> ft.Control:
    async def load():
        emergency = ctx.services.emergency
        return await emergency.summary(), await emergency.shown_without_unlock()

    return loading_slot(ctx, "emergency", load, lambda loaded: [
        ft.Row([ft.Icon(ft.Icons.EMERGENCY, color=ft.Colors.ERROR),
                ft.Text(ctx.t("emergency.title"), theme_style=ft.TextThemeStyle.HEADLINE_SMALL)]),
        *card_view(ctx, loaded[0]),
        _lock_screen_choice(ctx, loaded[1]),
        _sharing(ctx),
        ft.TextButton(ctx.t("common.back"), key="emergency-back", icon=ft.Icons.ARROW_BACK,
                      on_click=lambda _: ctx.go("/home")),
    ])


def _lock_screen_choice(ctx: ScreenContext, shown: tuple[EmergencyField, ...]) -> ft.Control:
    """A switch, and which fields: all of them ticked when the switch is first turned on."""
    fields = [field for field in ctx.services.emergency.shareable_fields]
    boxes = {field: ft.Checkbox(label=ctx.t(f"emergency.field.{field.value}"), value=field in shown,
                                key=f"emergency-share-{field.value}") for field in fields}
    column = ft.Column(list(boxes.values()), spacing=0, visible=bool(shown), key="emergency-share-fields")
    switch = ft.Switch(label=ctx.t("emergency.lock_screen_switch"), value=bool(shown),
                       key="emergency-lock-screen")

    async def save(_event=None) -> None:
        if switch.value and not any(box.value for box in boxes.values()):
            for box in boxes.values():
                box.value = True
        column.visible = bool(switch.value)
        chosen = [field for field, box in boxes.items() if box.value] if switch.value else []
        attempt = await ctx.attempt(lambda: ctx.services.emergency.show_without_unlock(chosen))
        if attempt.ok:
            ctx.notify(ctx.t("emergency.lock_screen_saved" if chosen else "emergency.lock_screen_off"))
        ctx.page.update()

    switch.on_change = save
    for box in boxes.values():
        box.on_change = save
    return panel(ft.Icons.LOCK_OPEN, ctx.t("emergency.lock_screen"), [
        ft.Text(ctx.t("emergency.lock_screen_explain")), switch, column])


def _sharing(ctx: ScreenContext) -> ft.Control:
    emergency = ctx.services.emergency

    def exporter(make):
        async def export(event) -> None:
            attempt = await ctx.attempt(make, busy=event.control)
            if attempt.ok:
                saved = await ctx.attempt(lambda: save_bytes(ctx, attempt.value.file_name, attempt.value.data))
                if saved.ok and saved.value:
                    ctx.notify(ctx.t("emergency.saved", name=attempt.value.file_name))
        return export

    buttons = [
        ft.OutlinedButton(ctx.t("emergency.share_image"), icon=ft.Icons.IMAGE, key="emergency-share-image",
                          on_click=exporter(emergency.card_image)),
        ft.OutlinedButton(ctx.t("emergency.share_pdf"), icon=ft.Icons.PICTURE_AS_PDF, key="emergency-share-pdf",
                          on_click=exporter(emergency.card_pdf)),
        ft.OutlinedButton(ctx.t("emergency.share_ips"), icon=ft.Icons.PUBLIC, key="emergency-share-ips",
                          on_click=exporter(emergency.patient_summary)),
    ]
    return panel(ft.Icons.SHARE, ctx.t("emergency.share"), [
        ft.Text(ctx.t("emergency.share_explain")), ft.Row(buttons, wrap=True, spacing=8, run_spacing=8)])
