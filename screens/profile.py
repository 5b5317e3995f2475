"""The medical profile: its sections with their counts and a one-line preview, each opening
its own screen (`/profile/<section>`; measurements: `/profile/measurements/<code>/...`)."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext
from screens.measurements import measurements_screen
from screens.profile_section import section_screen
from screens.record_list import loading_slot, section_title

SECTION_ICONS = {
    "conditions": ft.Icons.MEDICAL_INFORMATION, "operations": ft.Icons.HEALING,
    "hospital-stays": ft.Icons.LOCAL_HOSPITAL, "allergies": ft.Icons.WARNING_AMBER,
    "treatments": ft.Icons.MEDICATION, "vaccinations": ft.Icons.VACCINES,
    "measurements": ft.Icons.MONITOR_HEART, "blood-group": ft.Icons.BLOODTYPE,
    "advance-directives": ft.Icons.GAVEL, "contacts": ft.Icons.CONTACT_PHONE,
}


# A title and two lines of preview: cards side by side share one height (larger text grows them).
CARD_MIN_HEIGHT = 80


def profile_screen(ctx: ScreenContext, param: str | None = None) -> ft.Control:
    section, _, rest = (param or "").partition("/")
    if section == "measurements":
        return measurements_screen(ctx, rest)
    if section in SECTION_ICONS:
        return section_screen(ctx, section, SECTION_ICONS[section])
    return loading_slot(ctx, "profile", ctx.services.profile.overview, lambda summaries: _home(ctx, summaries))


def _home(ctx: ScreenContext, summaries) -> list[ft.Control]:
    # One column on phones, two on tablets, three on wide screens.
    return [
        section_title(ctx.t("profile.title")),
        ft.ResponsiveRow([ft.Container(_section_card(ctx, summary), col={"xs": 12, "md": 6, "xl": 4})
                          for summary in summaries], run_spacing=4, spacing=8),
    ]


def _section_card(ctx: ScreenContext, summary) -> ft.Control:
    name = ctx.t(f"profile.section.{summary.section}")
    preview = ", ".join(summary.preview) if summary.preview else ctx.t("profile.empty")
    return ft.Card(margin=0, content=ft.ListTile(
        key=f"profile-{summary.section}",
        min_height=CARD_MIN_HEIGHT,
        leading=ft.Icon(SECTION_ICONS.get(summary.section, ft.Icons.FOLDER), color=ft.Colors.PRIMARY),
        title=ft.Text(name, weight=ft.FontWeight.W_600),
        subtitle=ft.Text(preview, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS,
                         color=ft.Colors.ON_SURFACE_VARIANT),
        trailing=ft.Text(str(summary.count), weight=ft.FontWeight.W_600),
        on_click=lambda _: ctx.go(f"/profile/{summary.section}"),
    ))
