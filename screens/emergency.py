"""The emergency card, unlocked: what matters first (allergies, treatments, conditions,
blood group, advance directives, people to call), from the offline copy."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext
from screens.record_list import date_only, loading_slot, section_title


def emergency_screen(ctx: ScreenContext) -> ft.Control:
    return loading_slot(ctx, "emergency", ctx.services.emergency_summary, lambda summary: _card(ctx, summary))


def _card(ctx: ScreenContext, summary) -> list[ft.Control]:
    rows: list[ft.Control] = [
        ft.Row([ft.Icon(ft.Icons.EMERGENCY, color=ft.Colors.ERROR),
                ft.Text(ctx.t("home.emergency"), theme_style=ft.TextThemeStyle.HEADLINE_SMALL)]),
        ft.Text(" · ".join(part for part in (summary.name, date_only(summary.birth_date)) if part)),
    ]
    for key, items in (("allergies", summary.allergies), ("treatments", summary.treatments),
                       ("conditions", summary.conditions), ("advance-directives", summary.advance_directives)):
        rows.append(section_title(ctx.t(f"profile.section.{key}")))
        rows += [ft.Text(f"{item.text}" + (f" ({item.detail})" if item.detail else "")) for item in items] or \
            [ft.Text(ctx.t("home.nothing"), color=ft.Colors.OUTLINE)]
    rows.append(section_title(ctx.t("profile.section.blood-group")))
    rows.append(ft.Text(summary.blood_group or ctx.t("home.nothing")))
    rows.append(section_title(ctx.t("profile.section.contacts")))
    rows += [ft.Text(" · ".join(part for part in (contact.name, contact.relationship, contact.phone) if part))
             for contact in summary.contacts] or [ft.Text(ctx.t("home.nothing"), color=ft.Colors.OUTLINE)]
    rows.append(ft.TextButton(ctx.t("common.back"), key="emergency-back", icon=ft.Icons.ARROW_BACK,
                              on_click=lambda _: ctx.go("/home")))
    return rows
