"""The filters of the documents list: category (with counts), author, date range, and
"clear". The panel is built once per screen and changed in place (see app/shell.py on
keyed controls); every change hands the new `DocumentFilters` to `on_change`."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Callable

import flet as ft

from health.codes import DOCUMENT_CATEGORIES

from screens.context import ScreenContext
from screens.document_labels import category_label
from screens.record_list import date_only

ALL = "all"  # the dropdowns' "no filter" choice


class DocumentFilterPanel:
    def __init__(self, ctx: ScreenContext, filters, on_change: Callable[[object], None]) -> None:
        self.ctx = ctx
        self.filters = filters
        self._on_change = on_change
        t = ctx.t
        self.category = ft.Dropdown(key="documents-category", label=t("documents.category"), value=ALL,
                                    options=[ft.DropdownOption(key=ALL, text=t("documents.all_categories"))],
                                    on_select=self._category_chosen, expand=True)
        self.author = ft.Dropdown(key="documents-author", label=t("documents.author"), value=ALL,
                                  options=[ft.DropdownOption(key=ALL, text=t("documents.all_authors"))],
                                  on_select=self._author_chosen, expand=True)
        self.since = _DateChoice(ctx, "documents-since", "documents.since", filters.since,
                                 lambda day: self._set(since=day))
        self.until = _DateChoice(ctx, "documents-until", "documents.until", filters.until,
                                 lambda day: self._set(until=day))
        self.category_named = named(ctx, self.category, t("documents.category"))
        self.author_named = named(ctx, self.author, t("documents.author"))
        self.clear_button = ft.TextButton(t("documents.clear_filters"), key="documents-clear",
                                          icon=ft.Icons.FILTER_ALT_OFF, on_click=lambda _: self.clear())
        self._show(filters)

    def controls(self) -> list[ft.Control]:
        return [self.category_named, self.author_named, self.since.control, self.until.control, self.clear_button]

    def fill(self, choices) -> None:
        """The choices found on the device: categories with their counts, the authors."""
        t = self.ctx.t
        order = [code for code in DOCUMENT_CATEGORIES if code in choices.counts] + \
            [code for code in choices.counts if code not in DOCUMENT_CATEGORIES]
        self.category.options = [
            ft.DropdownOption(key=ALL, text=t("documents.all_categories_count", count=choices.total)),
            *[ft.DropdownOption(key=code, text=f"{category_label(self.ctx, code)} ({choices.counts[code]})")
              for code in order]]
        self.author.options = [ft.DropdownOption(key=ALL, text=t("documents.all_authors")),
                               *[ft.DropdownOption(key=author, text=author) for author in choices.authors]]
        self._show(self.filters)

    def clear(self) -> None:
        self._set(category=None, author=None, since=None, until=None)

    def _category_chosen(self, event) -> None:
        self._set(category=None if event.control.value in (None, ALL) else event.control.value)

    def _author_chosen(self, event) -> None:
        self._set(author=None if event.control.value in (None, ALL) else event.control.value)

    def _set(self, **changes) -> None:
        self.filters = replace(self.filters, **changes)
        self._show(self.filters)
        self._on_change(self.filters)

    def _show(self, filters) -> None:
        self.category.value = filters.category or ALL
        self.author.value = filters.author or ALL
        self.category_named.label = spoken(self.ctx, self.category, self.ctx.t("documents.category"))
        self.author_named.label = spoken(self.ctx, self.author, self.ctx.t("documents.author"))
        self.since.show(filters.since)
        self.until.show(filters.until)
        self.clear_button.visible = filters.count > 0


class _DateChoice:
    """A button showing a date (or "any"), a date picker behind it, and a button to clear it."""

    def __init__(self, ctx: ScreenContext, key: str, label: str, day: str | None,
                 on_change: Callable[[str | None], None]) -> None:
        self.ctx = ctx
        self.label = label
        self._on_change = on_change
        self.button = ft.OutlinedButton(key=key, icon=ft.Icons.EVENT, on_click=self._open, expand=True)
        self.clear_button = ft.IconButton(ft.Icons.CLOSE, key=f"{key}-clear", tooltip=ctx.t("documents.clear_date"),
                                          on_click=lambda _: on_change(None))
        self.control = ft.Row([self.button, self.clear_button], spacing=4,
                              vertical_alignment=ft.CrossAxisAlignment.CENTER)
        self.show(day)

    def show(self, day: str | None) -> None:
        self.day = day
        self.button.content = self.ctx.t(self.label, date=date_only(day) if day else self.ctx.t("documents.any_date"))
        self.clear_button.visible = day is not None

    def _open(self, _event) -> None:
        current = date.fromisoformat(self.day) if self.day else date.today()
        self.ctx.page.show_dialog(ft.DatePicker(locale=picker_locale(self.ctx),
            value=datetime(current.year, current.month, current.day), first_date=datetime(1900, 1, 1),
            last_date=datetime(date.today().year + 1, 12, 31), help_text=self.ctx.t(f"{self.label}_help"),
            cancel_text=self.ctx.t("common.cancel"), confirm_text=self.ctx.t("common.confirm"),
            on_change=lambda event: self._on_change(picked_day(event.control.value))))


def named(ctx: ScreenContext, dropdown: ft.Dropdown, label: str) -> ft.Semantics:
    """A dropdown as wide as its column (Flet stretches one that `expand`s in a row), with
    a name that screen readers and browser tests read: Flet's dropdown exposes none."""
    return ft.Semantics(content=ft.Row([dropdown]), label=spoken(ctx, dropdown, label), button=True)


def spoken(ctx: ScreenContext, dropdown: ft.Dropdown, label: str) -> str:
    chosen = next((option.text for option in dropdown.options if option.key == dropdown.value), None)
    return ctx.t("documents.named_choice", label=label, value=chosen) if chosen else label


def picker_locale(ctx: ScreenContext) -> ft.Locale:
    """The calendar in the app's language, days first (dd/mm/yyyy) in both."""
    return ft.Locale("fr", "FR") if ctx.services.translator.language == "fr" else ft.Locale("en", "GB")


def picked_day(value) -> str | None:
    """A DatePicker's value as 'YYYY-MM-DD' (Flet hands a datetime, or a string from the client)."""
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10]
    return str(value)[:10]
