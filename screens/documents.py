"""Health documents, for now as their categories and how many documents each holds."""
from __future__ import annotations

import flet as ft

from health.codes import DOCUMENT_CATEGORIES

from screens.context import ScreenContext
from screens.record_list import loading_slot, section_title


def documents_screen(ctx: ScreenContext) -> ft.Control:
    return loading_slot(ctx, "documents", ctx.services.document_counts, lambda counts: _categories(ctx, counts))


def _categories(ctx: ScreenContext, counts: dict[str, int]) -> list[ft.Control]:
    translator = ctx.services.translator
    order = [code for code in DOCUMENT_CATEGORIES if code in counts] + \
        [code for code in counts if code not in DOCUMENT_CATEGORIES]
    return [
        section_title(ctx.t("documents.title")),
        ft.Text(ctx.t("documents.total", count=sum(counts.values())), key="documents-total"),
        *[ft.ListTile(key=f"documents-{code}", leading=ft.Icon(ft.Icons.FOLDER),
                      title=ft.Text(translator.document_category(code)),
                      trailing=ft.Text(str(counts[code]), weight=ft.FontWeight.W_600))
          for code in order],
    ]
