"""The medical profile, for now as its sections and how many entries each holds."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext
from screens.record_list import loading_slot, section_title

SECTION_ICONS = {
    "conditions": ft.Icons.MEDICAL_INFORMATION, "operations": ft.Icons.HEALING,
    "hospital-stays": ft.Icons.LOCAL_HOSPITAL, "allergies": ft.Icons.WARNING_AMBER,
    "treatments": ft.Icons.MEDICATION, "vaccinations": ft.Icons.VACCINES,
    "measurements": ft.Icons.MONITOR_HEART, "blood-group": ft.Icons.BLOODTYPE,
    "advance-directives": ft.Icons.GAVEL, "contacts": ft.Icons.CONTACT_PHONE,
}


def profile_screen(ctx: ScreenContext) -> ft.Control:
    return loading_slot(ctx, "profile", ctx.services.profile_counts, lambda counts: [
        section_title(ctx.t("profile.title")),
        *[ft.ListTile(key=f"profile-{section}", leading=ft.Icon(SECTION_ICONS.get(section, ft.Icons.FOLDER)),
                      title=ft.Text(ctx.t(f"profile.section.{section}")),
                      trailing=ft.Text(str(count), weight=ft.FontWeight.W_600))
          for section, count in counts.items()],
    ])
