"""Pieces the Catalogue screens share: a category's icon and words, a badge, the offline note,
and what an app asks for in the patient's language."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext

CATEGORY_ICONS = {"teleconsultation": ft.Icons.VIDEO_CALL, "diabetes": ft.Icons.BLOODTYPE,
                  "booking": ft.Icons.EVENT_AVAILABLE, "fitness": ft.Icons.DIRECTIONS_RUN,
                  "medication": ft.Icons.MEDICATION, "pregnancy": ft.Icons.PREGNANT_WOMAN,
                  "mental-health": ft.Icons.SELF_IMPROVEMENT, "other": ft.Icons.APPS}
WRITE_VERBS = "cud"


def category_icon(category: str) -> ft.IconData:
    return CATEGORY_ICONS.get(category, ft.Icons.APPS)


def category_label(ctx: ScreenContext, category: str, label: str) -> str:
    """The category in the patient's language (the server words it in French)."""
    key = f"catalogue.category.{category}"
    said = ctx.t(key)
    return label if said == key else said


def badge(text: str, background: str, colour: str, key: str | None = None) -> ft.Control:
    return ft.Container(ft.Text(text, color=colour, size=12, weight=ft.FontWeight.W_600), bgcolor=background,
                        border_radius=8, padding=ft.Padding.symmetric(horizontal=8, vertical=4), key=key)


def offline_note(ctx: ScreenContext) -> ft.Control:
    """Said where a change needs the network, when the last sync found none."""
    return ft.Container(visible=ctx.services.sync_line.offline, key="catalogue-offline-note", content=ft.Row(
        [ft.Icon(ft.Icons.CLOUD_OFF, color=ft.Colors.ON_SURFACE_VARIANT),
         ft.Text(ctx.t("catalogue.offline_changes"), color=ft.Colors.ON_SURFACE_VARIANT, expand=True)], spacing=8))


def read_words(ctx: ScreenContext, line) -> str | None:
    """"Lire vos allergies" / "Read your allergies" (None: the line is not read)."""
    if not line.read:
        return None
    if ctx.services.translator.language == "fr":
        return line.read_text
    return ctx.t("catalogue.read_line", data=_data(ctx, line))


def write_words(ctx: ScreenContext, line) -> str | None:
    """"Ajouter dans vos mesures…" / "Add to your measurements…" (None: the line is not written)."""
    if not line.write:
        return None
    if ctx.services.translator.language == "fr":
        return line.write_text
    verbs = [ctx.t(f"catalogue.verb.{letter}") for letter in WRITE_VERBS if letter in line.permissions]
    said = verbs[0] if len(verbs) == 1 else ", ".join(verbs[:-1]) + f" {ctx.t('catalogue.and')} " + verbs[-1]
    return ctx.t("catalogue.write_line", verbs=said[:1].upper() + said[1:], data=_data(ctx, line))


def _data(ctx: ScreenContext, line) -> str:
    key = f"catalogue.data.{line.resource_type}"
    said = ctx.t(key)
    data = f"your {line.resource_type} data" if said == key else said
    return f"{data} ({line.restriction})" if line.restriction else data
