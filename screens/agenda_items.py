"""The agenda's pieces shared by its screens and the home screen: an appointment's and a
reminder's row, a reminder's title and timing in the patient's language, the calendar export."""
from __future__ import annotations

from datetime import date

import flet as ft

from screens.context import ScreenContext
from screens.dates import local, plain_day
from screens.saving import save_bytes

REMINDER_ICONS = {"vaccination": ft.Icons.VACCINES, "screening": ft.Icons.MEDICAL_SERVICES,
                  "check-up": ft.Icons.CHILD_CARE}


def reminder_title(ctx: ScreenContext, reminder) -> str:
    english = ctx.services.translator.language == "en"
    return (reminder.title_en if english and reminder.title_en else reminder.title) or ""


def reminder_reason(ctx: ScreenContext, reminder) -> str:
    english = ctx.services.translator.language == "en"
    return (reminder.reason_en if english and reminder.reason_en else reminder.reason_fr) or ""


def appointment_tile(ctx: ScreenContext, appointment) -> ft.Control:
    when = local(appointment.start)
    cancelled = appointment.status in ("cancelled", "noshow")
    details = [f"{when:%H:%M}" if when else "", appointment.practitioner or ""]
    tags = [ctx.t("agenda.cancelled")] if cancelled else []
    if appointment.pending:
        tags.append(ctx.t("agenda.pending"))
    elif appointment.author_kind in (None, "patient"):
        tags.append(ctx.t("agenda.yours"))
    title = appointment.description or ctx.t("agenda.default_title")
    return ft.Card(key=f"appointment-{appointment.id}", elevation=0 if cancelled else 1, content=ft.ListTile(
        leading=_calendar_leaf(ctx, when, cancelled),
        title=ft.Text(title, weight=ft.FontWeight.W_600, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS,
                      color=ft.Colors.ON_SURFACE_VARIANT if cancelled else None),
        # When, with whom, and whether it is the patient's own: never cut (at 200 % text it
        # takes the lines it needs; a cut would drop the tags silently).
        subtitle=ft.Text(" · ".join(part for part in [*details, *tags] if part)),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: ctx.go(f"/agenda/{appointment.id}")))


def _calendar_leaf(ctx: ScreenContext, when, cancelled: bool) -> ft.Control:
    """The day as a small calendar leaf: weekday, day, month/year."""
    if when is None:
        return ft.Icon(ft.Icons.EVENT)
    colour = ft.Colors.ON_SURFACE_VARIANT if cancelled else ft.Colors.PRIMARY
    return ft.Container(ft.Column([
        ft.Text(ctx.t(f"date.weekday.{when.weekday()}"), theme_style=ft.TextThemeStyle.LABEL_SMALL, color=colour),
        ft.Text(f"{when.day}", theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_700, color=colour),
        ft.Text(ctx.t(f"date.month.{when.month}") + (f" {when:%y}" if when.year != date.today().year else ""),
                theme_style=ft.TextThemeStyle.LABEL_SMALL, color=colour)], spacing=0, tight=True,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER), padding=ft.Padding.symmetric(horizontal=4))


def reminder_tile(ctx: ScreenContext, reminder) -> ft.Control:
    overdue = reminder.timing == "overdue"
    return ft.Card(key=f"reminder-{reminder.id}", elevation=1, content=ft.ListTile(
        leading=ft.Icon(REMINDER_ICONS.get(reminder.kind, ft.Icons.NOTIFICATIONS_ACTIVE),
                        color=ft.Colors.ERROR if overdue else ft.Colors.PRIMARY),
        title=ft.Text(reminder_title(ctx, reminder), weight=ft.FontWeight.W_600, max_lines=3),
        subtitle=ft.Text(f"{ctx.t(f'reminder.kind.{reminder.kind}')} · {timing_text(ctx, reminder)}",
                         color=ft.Colors.ERROR if overdue else None),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: ctx.go(f"/agenda/reminders/{reminder.id}")))


def timing_text(ctx: ScreenContext, reminder) -> str:
    if reminder.timing == "overdue":
        return ctx.t("reminder.timing.overdue", date=plain_day(reminder.due_date))
    if reminder.timing == "upcoming":
        return ctx.t("reminder.timing.upcoming", date=plain_day(reminder.window_from or reminder.due_date))
    if reminder.window_until:
        return ctx.t("reminder.timing.due", date=plain_day(reminder.window_until))
    return ctx.t("reminder.timing.due_open")


async def export_calendar(ctx: ScreenContext, appointment_id: str | None, button: ft.Control | None = None) -> None:
    """The agenda (or one appointment) handed over as an .ics file for the device's calendar."""
    attempt = await ctx.attempt(lambda: ctx.services.agenda.calendar_file(appointment_id), busy=button)
    if attempt.ok:
        saved = await ctx.attempt(lambda: save_bytes(ctx, attempt.value.file_name, attempt.value.data))
        if saved.ok and saved.value:
            ctx.notify(ctx.t("agenda.exported", name=attempt.value.file_name))
