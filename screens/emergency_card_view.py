"""The emergency card's content, read by a responder in a hurry: identity and blood group
first, allergies in red, then treatments, conditions, directives and people to call.

Shared by the unlocked card and the one a locked device shows (only the chosen fields:
sections the patient did not share are left out, not shown empty).
"""
from __future__ import annotations

import flet as ft
from health.emergency import SEVERE_ALLERGY, EmergencyField, EmergencySummary, SummaryItem

from screens.context import ScreenContext
from screens.record_list import date_only, section_title

MAX_WIDTH = 720


def card_view(ctx: ScreenContext, summary: EmergencySummary) -> list[ft.Control]:
    shown = set(summary.fields)
    controls: list[ft.Control] = [_identity(ctx, summary, shown)]
    if EmergencyField.ALLERGIES in shown:
        severe_first = sorted(summary.allergies, key=lambda item: SEVERE_ALLERGY not in (item.detail or ""))
        controls += _section(ctx, "allergies", [_allergy(ctx, item) for item in severe_first])
    if EmergencyField.TREATMENTS in shown:
        controls += _section(ctx, "treatments", [
            _item(ft.Icons.MEDICATION, item.text, item.detail) for item in summary.treatments])
    if EmergencyField.CONDITIONS in shown:
        controls += _section(ctx, "conditions", [
            _item(ft.Icons.MEDICAL_INFORMATION, item.text, _since(ctx, item)) for item in summary.conditions])
    if EmergencyField.ADVANCE_DIRECTIVES in shown:
        controls += _section(ctx, "advance_directives", [
            _item(ft.Icons.GAVEL, item.text, date_only(item.detail)) for item in summary.advance_directives])
    if EmergencyField.CONTACTS in shown:
        controls += _section(ctx, "contacts", [_contact(ctx, contact) for contact in summary.contacts])
    return [ft.Container(ft.Column(controls, spacing=8), width=MAX_WIDTH)]


def _identity(ctx: ScreenContext, summary: EmergencySummary, shown: set[EmergencyField]) -> ft.Control:
    who = [ft.Text(summary.name or "", theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600,
                   key="emergency-name")] if summary.name else []
    if summary.birth_date:
        who.append(ft.Text(ctx.t("emergency.born", date=date_only(summary.birth_date))))
    blood = []
    if EmergencyField.BLOOD_GROUP in shown:
        blood = [ft.Container(
            key="emergency-blood-group", bgcolor=ft.Colors.ERROR_CONTAINER, border_radius=12,
            padding=ft.Padding.symmetric(horizontal=16, vertical=8),
            content=ft.Column([
                ft.Text(ctx.t("emergency.blood_group"), theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_ERROR_CONTAINER),
                ft.Text(summary.blood_group or ctx.t("emergency.unknown_blood_group"),
                        theme_style=ft.TextThemeStyle.HEADLINE_SMALL, weight=ft.FontWeight.BOLD,
                        color=ft.Colors.ON_ERROR_CONTAINER),
            ], spacing=0, tight=True, horizontal_alignment=ft.CrossAxisAlignment.CENTER))]
    # Not a wrapping row: an expanding child has no width to fill inside a wrap.
    return ft.Row([ft.Column(who, spacing=2, expand=True), *blood], spacing=16,
                  vertical_alignment=ft.CrossAxisAlignment.CENTER)


def _section(ctx: ScreenContext, key: str, items: list[ft.Control]) -> list[ft.Control]:
    body = items or [ft.Text(ctx.t("emergency.none"), color=ft.Colors.OUTLINE)]
    return [ft.Divider(height=8), section_title(ctx.t(f"emergency.{key}")),
            ft.Column(body, key=f"emergency-{key}", spacing=0)]


def _item(icon: ft.IconData, text: str, detail: str | None, *, color=None, bold: bool = False) -> ft.Control:
    return ft.ListTile(leading=ft.Icon(icon, color=color), dense=True,
                       title=ft.Text(text, weight=ft.FontWeight.W_600 if bold else None, color=color),
                       subtitle=ft.Text(detail) if detail else None)


def _allergy(ctx: ScreenContext, item: SummaryItem) -> ft.Control:
    detail = item.detail or ""
    severe = SEVERE_ALLERGY in detail
    if severe:  # the stored detail says it in both languages; the screen says it in the reader's
        rest = detail.replace(SEVERE_ALLERGY, "").strip(" ,")
        detail = ", ".join(part for part in (ctx.t("emergency.severe"), rest) if part)
    return _item(ft.Icons.WARNING_AMBER if severe else ft.Icons.ERROR_OUTLINE, item.text, detail or None,
                 color=ft.Colors.ERROR, bold=severe)


def _since(ctx: ScreenContext, item: SummaryItem) -> str | None:
    return ctx.t("emergency.since", date=date_only(item.detail)) if item.detail else None


def _contact(ctx: ScreenContext, contact) -> ft.Control:
    details = " · ".join(part for part in (contact.relationship, contact.phone) if part)
    call = None
    if contact.phone:
        number = "".join(ch for ch in contact.phone if ch.isdigit() or ch == "+")

        async def dial(_event) -> None:
            await ft.UrlLauncher().launch_url(f"tel:{number}")

        call = ft.IconButton(ft.Icons.CALL, on_click=dial, tooltip=ctx.t("emergency.call", name=contact.name),
                             key=f"emergency-call-{number}")
    return ft.ListTile(leading=ft.Icon(ft.Icons.CONTACT_PHONE), title=ft.Text(contact.name, weight=ft.FontWeight.W_600),
                       subtitle=ft.Text(details) if details else None, trailing=call)
