"""Home: the emergency card entry, what is new (documents, results), what is coming up."""
from __future__ import annotations

import flet as ft

from screens.agenda_items import reminder_title
from screens.context import ScreenContext
from screens.dates import day_and_time
from screens.record_list import date_only, loading_slot, section_title


def home_screen(ctx: ScreenContext) -> ft.Control:
    return loading_slot(ctx, "home", ctx.services.home, lambda summary: _home(ctx, summary))


def _home(ctx: ScreenContext, summary) -> list[ft.Control]:
    greeting = ctx.t("home.hello", name=summary.display_name) if summary.display_name else ctx.t("nav.home")
    sections = [
        (ctx.t("home.new_documents"), _documents(ctx, summary.new_documents, "home-new-documents")),
        (ctx.t("home.results"), _documents(ctx, summary.results, "home-results")),
        (ctx.t("home.upcoming"), _upcoming(ctx, summary)),
    ]
    # One column on phones, two on tablets, three side by side on wide screens.
    return [
        ft.Text(greeting, key="home-greeting", theme_style=ft.TextThemeStyle.HEADLINE_SMALL),
        _emergency_entry(ctx),
        ft.ResponsiveRow([ft.Column([section_title(title), *content], col={"xs": 12, "md": 6, "xl": 4})
                          for title, content in sections], run_spacing=8),
    ]


def _emergency_entry(ctx: ScreenContext) -> ft.Control:
    return ft.Card(
        key="home-emergency-card",
        content=ft.ListTile(
            leading=ft.Icon(ft.Icons.EMERGENCY, color=ft.Colors.ERROR),
            title=ft.Text(ctx.t("home.emergency"), weight=ft.FontWeight.W_600),
            subtitle=ft.Text(ctx.t("home.emergency_hint")),
            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
            on_click=lambda _: ctx.go("/emergency"),
        ),
    )


def _documents(ctx: ScreenContext, documents, key: str) -> list[ft.Control]:
    if not documents:
        return [ft.Text(ctx.t("home.nothing"), key=f"{key}-empty", color=ft.Colors.OUTLINE)]
    return [ft.Column(key=key, spacing=0, controls=[
        ft.ListTile(
            key=f"{key}-{document.id}", on_click=lambda _, document=document: ctx.go(f"/documents/{document.id}"),
            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
            leading=ft.Icon(ft.Icons.DESCRIPTION),
            title=ft.Text(document.title or document.description or ctx.services.translator.document_category(
                document.category)),
            subtitle=ft.Text(" · ".join(part for part in (
                ctx.services.translator.document_category(document.category), date_only(document.date),
                document.author) if part)),
        ) for document in documents])]


def _upcoming(ctx: ScreenContext, summary) -> list[ft.Control]:
    tiles = [ft.ListTile(leading=ft.Icon(ft.Icons.EVENT), key=f"home-appointment-{appointment.id}",
                         title=ft.Text(appointment.description or appointment.practitioner or ""),
                         subtitle=ft.Text(day_and_time(ctx, appointment.start)),
                         on_click=_opens(ctx, f"/agenda/{appointment.id}"))
             for appointment in summary.upcoming]
    tiles += [ft.ListTile(leading=ft.Icon(ft.Icons.NOTIFICATIONS_ACTIVE), key=f"home-reminder-{reminder.id}",
                          title=ft.Text(reminder_title(ctx, reminder)),
                          subtitle=ft.Text(f"{ctx.t('home.reminder')} · {date_only(reminder.due_date)}"),
                          on_click=_opens(ctx, f"/agenda/reminders/{reminder.id}"))
              for reminder in summary.reminders]
    if not tiles:
        return [ft.Text(ctx.t("home.nothing"), key="home-upcoming-empty", color=ft.Colors.OUTLINE)]
    return [ft.Column(tiles, key="home-upcoming", spacing=0)]


def _opens(ctx: ScreenContext, route: str):
    return lambda _event: ctx.go(route)
