"""One prevention reminder: what, when, why it is shown to this person and the recommendation
it comes from; marking it done (with the date, recorded in the record) or hiding it."""
from __future__ import annotations

from datetime import date

import flet as ft

from screens.agenda_items import REMINDER_ICONS, reminder_reason, reminder_title, timing_text
from screens.centred_form import feedback_text
from screens.context import ScreenContext
from screens.dates import plain_day
from screens.record_list import PANEL_WIDTH, loading_slot, section_title


def reminder_screen(ctx: ScreenContext, reminder_id: str) -> ft.Control:
    return loading_slot(ctx, "reminder", lambda: ctx.services.agenda.reminder(reminder_id),
                        lambda reminder: _detail(ctx, reminder))


def _detail(ctx: ScreenContext, reminder) -> list[ft.Control]:
    overdue = reminder.timing == "overdue"
    window = ctx.t("reminder.window", start=plain_day(reminder.window_from), end=plain_day(reminder.window_until)) \
        if reminder.window_until else ctx.t("reminder.window_open", start=plain_day(reminder.window_from))
    parts: list[ft.Control] = [
        ft.Row([ft.Icon(REMINDER_ICONS.get(reminder.kind, ft.Icons.NOTIFICATIONS_ACTIVE), color=ft.Colors.PRIMARY),
                ft.Text(ctx.t(f"reminder.kind.{reminder.kind}"), color=ft.Colors.PRIMARY)]),
        ft.Text(reminder_title(ctx, reminder), key="reminder-title", theme_style=ft.TextThemeStyle.HEADLINE_SMALL,
                weight=ft.FontWeight.W_600),
        ft.Text(timing_text(ctx, reminder), key="reminder-timing", weight=ft.FontWeight.W_600,
                color=ft.Colors.ERROR if overdue else None),
        ft.Text(window, color=ft.Colors.ON_SURFACE_VARIANT),
        section_title(ctx.t("reminder.why")),
        ft.Text(reminder_reason(ctx, reminder), key="reminder-reason"),
    ]
    if reminder.source:
        parts += [section_title(ctx.t("reminder.source")),
                  ft.Text(reminder.source, key="reminder-source", color=ft.Colors.ON_SURFACE_VARIANT)]
        if reminder.source_url:
            parts.append(ft.TextButton(ctx.t("reminder.see_source"), icon=ft.Icons.OPEN_IN_NEW,
                                       key="reminder-source-link", url=reminder.source_url))
    parts.append(ft.Divider())
    parts += _actions(ctx, reminder)
    return [ft.TextButton(ctx.t("reminder.back"), key="reminder-back", icon=ft.Icons.ARROW_BACK,
                          on_click=lambda _: ctx.go("/agenda")),
            ft.Container(width=PANEL_WIDTH, content=ft.Card(content=ft.Container(
                padding=16, content=ft.Column(parts, spacing=10))))]


def _actions(ctx: ScreenContext, reminder) -> list[ft.Control]:
    agenda = ctx.services.agenda
    if reminder.status != "due":
        words = ft.Text(ctx.t(f"reminder.status.{reminder.status}"), key="reminder-status", weight=ft.FontWeight.W_600)
        if reminder.status != "dismissed":
            return [words]

        async def reopen(event) -> None:
            if (await ctx.attempt(lambda: agenda.reopen(reminder.id), busy=event.control)).ok:
                ctx.go(f"/agenda/reminders/{reminder.id}")
        return [words, ft.OutlinedButton(ctx.t("reminder.reopen"), key="reminder-reopen", on_click=reopen)]

    done_on = ft.TextField(label=ctx.t("reminder.done_date"), key="reminder-done-date",
                           value=f"{date.today():%d/%m/%Y}", keyboard_type=ft.KeyboardType.DATETIME, width=240)
    feedback = feedback_text("reminder-feedback")

    async def done(event) -> None:
        attempt = await ctx.attempt(lambda: agenda.mark_done(reminder.id, done_on.value or ""), feedback,
                                    busy=event.control)
        if attempt.ok:
            ctx.notify(ctx.t("reminder.done_now", name=reminder_title(ctx, reminder)))
            ctx.go("/agenda")

    async def dismiss(event) -> None:
        if (await ctx.attempt(lambda: agenda.dismiss(reminder.id), feedback, busy=event.control)).ok:
            ctx.notify(ctx.t("reminder.dismissed_now"))
            ctx.go("/agenda")

    return [ft.Text(ctx.t("reminder.done_explain"), color=ft.Colors.ON_SURFACE_VARIANT), done_on, feedback,
            ft.Row([ft.FilledButton(ctx.t("reminder.mark_done"), icon=ft.Icons.TASK_ALT, key="reminder-done",
                                    on_click=done),
                    ft.TextButton(ctx.t("reminder.dismiss"), icon=ft.Icons.VISIBILITY_OFF, key="reminder-dismiss",
                                  on_click=dismiss)], wrap=True, spacing=8)]
