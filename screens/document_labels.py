"""How a document reads on screen: its title, category, type, month, size, and its badges
(hidden from professionals, not on this device yet). Shared by the documents screens."""
from __future__ import annotations

import flet as ft

from health.codes import DOCUMENT_TYPES

from screens.context import ScreenContext
from screens.record_list import date_only

NOT_FETCHED = "not-fetched"  # storage's FileState value for a file still on the server


def title_of(ctx: ScreenContext, document) -> str:
    return document.title or document.description or category_label(ctx, document.category)


def category_label(ctx: ScreenContext, code: str) -> str:
    return ctx.services.translator.document_category(code)


def type_label(ctx: ScreenContext, code: str | None) -> str:
    known = DOCUMENT_TYPES.get(code or "")
    if known is None:
        return code or ""
    return known.label_fr if ctx.services.translator.language == "fr" else known.label_en


def month_label(ctx: ScreenContext, moment: str | None) -> str:
    """'2023-09-01T10:00:00Z' → 'Septembre 2023'; no date → 'Sans date'."""
    if not moment or len(moment) < 7 or not moment[5:7].isdigit():
        return ctx.t("documents.no_date")
    month = ctx.t(f"documents.month.{int(moment[5:7])}")
    return f"{month[:1].upper()}{month[1:]} {moment[:4]}"


def summary_line(ctx: ScreenContext, document) -> str:
    """Category · dd/mm/yyyy · author."""
    return " · ".join(part for part in (category_label(ctx, document.category), date_only(document.date),
                                        document.author) if part)


def size_label(ctx: ScreenContext, size: int | None) -> str:
    if not size:
        return ""
    if size < 1_000_000:
        return ctx.t("documents.size_kb", size=max(1, round(size / 1000)))
    megabytes = f"{size / 1_000_000:.1f}"
    return ctx.t("documents.size_mb", size=megabytes.replace(".", ",") if ctx.services.translator.language == "fr"
                 else megabytes)


def format_label(ctx: ScreenContext, content_type: str | None) -> str:
    kind = (content_type or "").split(";")[0].strip()
    if kind == "application/pdf":
        return "PDF"
    if kind.startswith("image/"):
        return ctx.t("documents.format_image", kind=kind.removeprefix("image/").upper())
    if kind.startswith("text/"):
        return ctx.t("documents.format_text")
    return kind or ctx.t("documents.format_unknown")


def kind_icon(content_type: str | None) -> ft.IconData:
    kind = content_type or ""
    if kind.startswith("application/pdf"):
        return ft.Icons.PICTURE_AS_PDF_OUTLINED
    if kind.startswith("image/"):
        return ft.Icons.IMAGE_OUTLINED
    return ft.Icons.DESCRIPTION_OUTLINED


def hidden_badge(ctx: ScreenContext, key: str | None = None, visible: bool = True) -> ft.Control:
    return _badge(ft.Icons.VISIBILITY_OFF, ctx.t("documents.hidden_badge"), ft.Colors.TERTIARY_CONTAINER,
                  ft.Colors.ON_TERTIARY_CONTAINER, key, visible)


def not_fetched_badge(ctx: ScreenContext, key: str | None = None) -> ft.Control:
    return _badge(ft.Icons.CLOUD_DOWNLOAD_OUTLINED, ctx.t("documents.not_fetched"),
                  ft.Colors.SURFACE_CONTAINER_HIGHEST, ft.Colors.ON_SURFACE_VARIANT, key, True)


def _badge(icon: ft.IconData, text: str, background: str, colour: str, key: str | None,
           visible: bool) -> ft.Control:
    return ft.Container(
        key=key, visible=visible, bgcolor=background, border_radius=12,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
        content=ft.Row([ft.Icon(icon, size=16, color=colour), ft.Text(text, theme_style=ft.TextThemeStyle.BODY_SMALL, color=colour)],
                       tight=True, spacing=4, wrap=True))
