"""One appointment: when, with whom, where, who added it; the patient's own can be edited
or cancelled; any can go to the device's calendar. And the form to add or edit one."""
from __future__ import annotations

import flet as ft

from screens.agenda_items import export_calendar
from screens.centred_form import feedback_text
from screens.context import ScreenContext, close_dialog
from screens.dates import day_text, local
from screens.record_list import PANEL_WIDTH, loading_slot


def appointment_screen(ctx: ScreenContext, appointment_id: str) -> ft.Control:
    return loading_slot(ctx, "appointment", lambda: ctx.services.agenda.appointment(appointment_id),
                        lambda appointment: _detail(ctx, appointment))


def _back(ctx: ScreenContext, route: str = "/agenda") -> ft.Control:
    return ft.TextButton(ctx.t("appointment.back"), key="appointment-back", icon=ft.Icons.ARROW_BACK,
                         on_click=lambda _: ctx.go(route))


def _detail(ctx: ScreenContext, appointment) -> list[ft.Control]:
    when = local(appointment.start)
    title = appointment.description or ctx.t("agenda.default_title")
    rows = []
    if when is not None:
        moment = ctx.t("appointment.when", day=day_text(ctx, when.date(), relative=False), time=f"{when:%H:%M}")
        if appointment.minutes:
            moment += f" ({ctx.t('appointment.duration', minutes=appointment.minutes)})"
        rows.append(_row(ft.Icons.SCHEDULE, None, moment, "appointment-when"))
    for icon, label, value, key in (
            (ft.Icons.PERSON, "appointment.with", appointment.practitioner, "appointment-with"),
            (ft.Icons.PLACE, "appointment.place", appointment.place, "appointment-place"),
            (ft.Icons.INFO_OUTLINE, "appointment.status", _status(ctx, appointment.status), "appointment-status"),
            (ft.Icons.NOTES, "appointment.note", appointment.comment, "appointment-comment"),
            (ft.Icons.EDIT_CALENDAR, "appointment.origin",
             ctx.t(f"appointment.origin.{appointment.author_kind or 'patient'}"), "appointment-origin")):
        if value:
            rows.append(_row(icon, ctx.t(label), value, key))
    actions = [ft.OutlinedButton(ctx.t("appointment.add_to_calendar"), icon=ft.Icons.CALENDAR_MONTH,
                                 key="appointment-export",
                                 on_click=lambda event: ctx.page.run_task(export_calendar, ctx, appointment.id,
                                                                          event.control))]
    cancelled = appointment.status == "cancelled"
    if appointment.patient_may_change and not cancelled:
        actions += [ft.FilledTonalButton(ctx.t("appointment.edit"), icon=ft.Icons.EDIT, key="appointment-edit",
                                         on_click=lambda _: ctx.go(f"/agenda/{appointment.id}/edit")),
                    ft.TextButton(ctx.t("appointment.cancel"), icon=ft.Icons.EVENT_BUSY, key="appointment-cancel",
                                  on_click=lambda _: _confirm_cancel(ctx, appointment, title),
                                  style=ft.ButtonStyle(color=ft.Colors.ERROR))]
    note = [] if appointment.patient_may_change else [
        ft.Text(ctx.t("appointment.read_only"), key="appointment-read-only", color=ft.Colors.ON_SURFACE_VARIANT)]
    return [_back(ctx), ft.Container(width=PANEL_WIDTH, content=ft.Card(content=ft.Container(padding=16, content=ft.Column([
        ft.Text(title, key="appointment-title", theme_style=ft.TextThemeStyle.HEADLINE_SMALL,
                weight=ft.FontWeight.W_600),
        *rows, *note, ft.Row(actions, wrap=True, spacing=8, run_spacing=8)], spacing=12))))]


def _row(icon: ft.IconData, label: str | None, value: str, key: str) -> ft.Control:
    texts = [ft.Text(label, theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT)] if label else []
    return ft.Row([ft.Icon(icon, color=ft.Colors.PRIMARY),
                   ft.Column([*texts, ft.Text(value, key=key)], spacing=0, tight=True, expand=True)],
                  vertical_alignment=ft.CrossAxisAlignment.START)


def _status(ctx: ScreenContext, status: str | None) -> str | None:
    if not status:
        return None
    key = f"appointment.status.{status}"
    words = ctx.t(key)
    return words if words != key else status


def _confirm_cancel(ctx: ScreenContext, appointment, title: str) -> None:
    async def cancel(event) -> None:
        attempt = await ctx.attempt(lambda: ctx.services.agenda.cancel(appointment.id), busy=event.control)
        close_dialog(dialog)
        if attempt.ok:
            ctx.notify(ctx.t("appointment.cancelled_now"))
            ctx.go(f"/agenda/{appointment.id}")

    dialog = ft.AlertDialog(
        key="appointment-cancel-dialog", modal=True, content=ft.Text(ctx.t("appointment.cancel_confirm", name=title)),
        actions=[ft.TextButton(ctx.t("appointment.keep"), key="appointment-keep", on_click=lambda _: close_dialog(dialog)),
                 ft.FilledButton(ctx.t("common.confirm"), key="appointment-cancel-confirm", on_click=cancel)])
    ctx.page.show_dialog(dialog)


def appointment_form(ctx: ScreenContext, appointment_id: str | None) -> ft.Control:
    """Add an appointment (no id), or edit one of the patient's own."""
    if appointment_id is None:
        return _form(ctx, None)
    return loading_slot(ctx, "appointment-edit", lambda: ctx.services.agenda.appointment(appointment_id),
                        lambda appointment: [_form(ctx, appointment)])


def _form(ctx: ScreenContext, appointment) -> ft.Control:
    when = local(appointment.start) if appointment else None

    def field(key: str, label: str, value: str = "", **options) -> ft.TextField:
        return ft.TextField(label=ctx.t(label), key=f"appointment-{key}", value=value, **options)

    description = field("description", "appointment.description", (appointment.description or "") if appointment else "",
                        hint_text=ctx.t("appointment.description_hint"), autofocus=appointment is None)
    day = field("day", "appointment.day", f"{when:%d/%m/%Y}" if when else "", keyboard_type=ft.KeyboardType.DATETIME,
                col={"xs": 12, "sm": 5})
    time = field("time", "appointment.time", f"{when:%H:%M}" if when else "", keyboard_type=ft.KeyboardType.DATETIME,
                 col={"xs": 6, "sm": 3})
    minutes = field("minutes", "appointment.minutes", str(appointment.minutes or 30) if appointment else "30",
                    keyboard_type=ft.KeyboardType.NUMBER, col={"xs": 6, "sm": 4})
    with_whom = field("with", "appointment.with_field", (appointment.practitioner or "") if appointment else "")
    place = field("place", "appointment.place_field", (appointment.place or "") if appointment else "")
    comment = field("comment", "appointment.comment_field", (appointment.comment or "") if appointment else "",
                    multiline=True, min_lines=2, max_lines=5)
    feedback = feedback_text("appointment-feedback")

    async def save(event) -> None:
        form = ctx.services.agenda.form(description.value or "", day.value or "", time.value or "",
                                        minutes.value or "", with_whom.value or "", place.value or "",
                                        comment.value or "")
        attempt = await ctx.attempt(lambda: ctx.services.agenda.save(form, appointment.id if appointment else None),
                                    feedback, busy=event.control)
        if attempt.ok:
            ctx.notify(ctx.t("appointment.saved"))
            ctx.go(f"/agenda/{attempt.value.id}")

    back = f"/agenda/{appointment.id}" if appointment else "/agenda"
    title = ctx.t("appointment.edit_title" if appointment else "appointment.new_title")
    return ft.Container(padding=16, expand=True, key="appointment-form", content=ft.Column([
        _back(ctx, back),
        ft.Container(width=PANEL_WIDTH, content=ft.Column([
            ft.Text(title, theme_style=ft.TextThemeStyle.HEADLINE_SMALL, weight=ft.FontWeight.W_600),
            ft.Text(ctx.t("appointment.form_explain"), color=ft.Colors.ON_SURFACE_VARIANT),
            description, ft.ResponsiveRow([day, time, minutes], run_spacing=12), with_whom, place, comment,
            feedback,
            ft.Row([ft.FilledButton(ctx.t("appointment.save"), icon=ft.Icons.SAVE, key="appointment-save",
                                    on_click=save),
                    ft.TextButton(ctx.t("common.cancel"), key="appointment-form-cancel",
                                  on_click=lambda _: ctx.go(back))], wrap=True),
        ], spacing=12))], scroll=ft.ScrollMode.AUTO))
