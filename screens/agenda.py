"""The health agenda: upcoming appointments, prevention reminders due, past appointments;
adding one, exporting to the device's calendar. Its routes: `/agenda`, `/agenda/new`,
`/agenda/<id>` (screens.appointment), `/agenda/<id>/edit`, `/agenda/reminders/<id>`
(screens.reminder)."""
from __future__ import annotations

import flet as ft

from screens.agenda_items import appointment_tile, export_calendar, reminder_tile
from screens.appointment import appointment_form, appointment_screen
from screens.context import ScreenContext
from screens.record_list import loading_slot, section_title
from screens.reminder import reminder_screen

PAST_SHOWN = 5


def agenda_screen(ctx: ScreenContext, param: str | None = None) -> ft.Control:
    if param == "new":
        return appointment_form(ctx, None)
    if param and param.startswith("reminders/"):
        return reminder_screen(ctx, param.split("/", 1)[1])
    if param and param.endswith("/edit"):
        return appointment_form(ctx, param[: -len("/edit")])
    if param:
        return appointment_screen(ctx, param)
    return loading_slot(ctx, "agenda", ctx.services.agenda.agenda, lambda agenda: _agenda(ctx, agenda))


def _agenda(ctx: ScreenContext, agenda) -> list[ft.Control]:
    actions = ft.Row([
        ft.FilledButton(ctx.t("agenda.add"), icon=ft.Icons.ADD, key="agenda-add", on_click=lambda _: ctx.go("/agenda/new")),
        ft.OutlinedButton(ctx.t("agenda.export"), icon=ft.Icons.CALENDAR_MONTH, key="agenda-export",
                          on_click=lambda event: ctx.page.run_task(export_calendar, ctx, None, event.control)),
    ], wrap=True, spacing=8, run_spacing=8)
    upcoming = [appointment_tile(ctx, appointment) for appointment in agenda.upcoming] or \
        [ft.Text(ctx.t("agenda.no_upcoming"), key="agenda-no-upcoming", color=ft.Colors.ON_SURFACE_VARIANT)]
    reminders = [reminder_tile(ctx, reminder) for reminder in agenda.reminders] or \
        [ft.Text(ctx.t("agenda.no_reminders"), key="agenda-no-reminders", color=ft.Colors.ON_SURFACE_VARIANT)]
    past = _past(ctx, agenda.past)
    return [
        ft.Row([ft.Icon(ft.Icons.EVENT, color=ft.Colors.PRIMARY),
                ft.Text(ctx.t("agenda.title"), theme_style=ft.TextThemeStyle.HEADLINE_SMALL)], wrap=True),
        actions,
        # One column on phones; upcoming and reminders side by side from tablets on.
        ft.ResponsiveRow([
            ft.Column([section_title(ctx.t("agenda.upcoming")), ft.Column(upcoming, key="agenda-upcoming", spacing=4)],
                      col={"xs": 12, "lg": 6}),
            ft.Column([section_title(ctx.t("agenda.reminders")),
                       ft.Text(ctx.t("agenda.reminders_explain"), theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT),
                       ft.Column(reminders, key="agenda-reminders", spacing=4)], col={"xs": 12, "lg": 6}),
            ft.Column([section_title(ctx.t("agenda.past")), past], col={"xs": 12, "lg": 6}),
        ], run_spacing=16, spacing=24),
    ]


def _past(ctx: ScreenContext, appointments) -> ft.Control:
    if not appointments:
        return ft.Text(ctx.t("agenda.no_past"), key="agenda-no-past", color=ft.Colors.ON_SURFACE_VARIANT)
    column = ft.Column([appointment_tile(ctx, a) for a in appointments[:PAST_SHOWN]], key="agenda-past", spacing=4)
    if len(appointments) > PAST_SHOWN:
        def more(_event) -> None:
            column.controls = [appointment_tile(ctx, a) for a in appointments]
            column.update()
        column.controls.append(ft.TextButton(ctx.t("agenda.show_more"), key="agenda-past-more", on_click=more))
    return column
