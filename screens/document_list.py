"""The documents list: newest first under month headings, loaded by pages as the patient
scrolls, with a search box (as you type) and filters that combine. Filters sit in a side
panel on wide screens and in a panel that opens under the search box elsewhere."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

import flet as ft

from screens.context import ScreenContext
from screens.document_filters import DocumentFilterPanel
from screens.document_labels import (NOT_FETCHED, hidden_badge, kind_icon, month_label, not_fetched_badge,
                                     summary_line, title_of)

ADD_ROUTE = "/documents/+add"
SEARCH_DEBOUNCE_SECONDS = 0.3
SIDE_PANEL_MIN_WIDTH = 1000  # page width from which the filters sit beside the list
SIDE_PANEL_WIDTH = 300
LOAD_MORE_BEFORE_END = 600  # pixels left to scroll when the next page is asked for


@dataclass
class _Progress:
    generation: int = 0  # bumped by every new query: a late answer to an old one is dropped
    typed: int = 0
    next_offset: int | None = None
    loading: bool = False
    last_month: str | None = None
    shown: int = 0


def document_list_screen(ctx: ScreenContext) -> ft.Control:
    return _DocumentList(ctx).control


class _DocumentList:
    def __init__(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        self.service = ctx.services.documents
        self.progress = _Progress()
        t = ctx.t
        self.rows = ft.ListView(key="documents-list", expand=True, spacing=0, scroll_interval=100,
                                on_scroll=self._scrolled, padding=ft.Padding.only(bottom=24))
        self.more = ft.TextButton(t("documents.more"), key="documents-more", icon=ft.Icons.EXPAND_MORE,
                                  on_click=self._load_more)
        self.feedback = ft.Text("", color=ft.Colors.ERROR)
        self.search = ft.TextField(key="documents-search", label=t("documents.search"),
                                   hint_text=t("documents.search_hint"), value=self.filters.text,
                                   prefix_icon=ft.Icons.SEARCH, on_change=self._typed, dense=True,
                                   autocorrect=False)
        self.panel = DocumentFilterPanel(ctx, self.filters, self._filters_changed)
        self.header = ft.Text("", key="documents-count", color=ft.Colors.ON_SURFACE_VARIANT)
        self.control = self._layout()
        ctx.page.run_task(self._start)

    @property
    def filters(self):
        return self.service.filters

    # -- layout ------------------------------------------------------------------------
    def _layout(self) -> ft.Control:
        t = self.ctx.t
        heading = ft.Column([ft.Text(t("documents.title"), theme_style=ft.TextThemeStyle.TITLE_LARGE,
                                     weight=ft.FontWeight.W_600), self.header], spacing=0)
        add = ft.FilledButton(t("documents.add"), key="documents-add", icon=ft.Icons.ADD,
                              on_click=lambda _: self.ctx.go(ADD_ROUTE))
        if (self.ctx.page.width or 1024) >= SIDE_PANEL_MIN_WIDTH:
            side = ft.Container(
                width=SIDE_PANEL_WIDTH, padding=16, key="documents-filters",
                content=ft.Column([ft.Text(t("documents.filters"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
                                   *self.panel.controls()], spacing=16, scroll=ft.ScrollMode.AUTO,
                                  horizontal_alignment=ft.CrossAxisAlignment.STRETCH))
            heading.expand = True
            title = ft.Row([heading, add], vertical_alignment=ft.CrossAxisAlignment.CENTER)
            main = ft.Column([title, self.search, self.feedback, self.rows], spacing=12, expand=True,
                             horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
            return ft.Row([ft.Container(main, padding=16, expand=True), ft.VerticalDivider(width=1), side],
                          expand=True, spacing=0, vertical_alignment=ft.CrossAxisAlignment.STRETCH)
        # Narrower screens: the filters open under the search box; the buttons wrap at large text.
        panel = ft.Container(
            key="documents-filters", visible=self.filters.count > 0,
            content=ft.ResponsiveRow([ft.Container(control, col={"xs": 12, "sm": 6})
                                      for control in self.panel.controls()], run_spacing=12, spacing=12))
        toggle = ft.OutlinedButton(self._toggle_text(), key="documents-filters-toggle", icon=ft.Icons.FILTER_LIST)

        def toggled(_event) -> None:
            panel.visible = not panel.visible
            toggle.content = self._toggle_text()

        toggle.on_click = toggled
        self._toggle = toggle
        buttons = ft.Row([toggle, add], wrap=True, spacing=12, run_spacing=8,
                         alignment=ft.MainAxisAlignment.SPACE_BETWEEN)
        main = ft.Column([heading, self.search, buttons, panel, self.feedback, self.rows],
                         spacing=12, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        return ft.Container(main, padding=16, expand=True)

    def _toggle_text(self) -> str:
        count = self.filters.count
        return self.ctx.t("documents.filters_count", count=count) if count else self.ctx.t("documents.filters")

    # -- loading -----------------------------------------------------------------------
    async def _start(self) -> None:
        choices = await self.ctx.attempt(self.service.filter_choices, self.feedback)
        if choices.ok:
            self.panel.fill(choices.value)
        await self._reload()

    async def _reload(self) -> None:
        self.progress.generation += 1
        generation = self.progress.generation
        filters = self.filters
        self.rows.controls = [ft.ProgressRing(width=24, height=24)]
        _update(self.control)
        attempt = await self.ctx.attempt(lambda: self.service.page(filters, 0), self.feedback)
        if generation != self.progress.generation:
            return  # a newer query is on its way
        self.progress.last_month, self.progress.shown = None, 0
        self.rows.controls = []
        if attempt.ok:
            self._append(attempt.value)
        self._count(filters)
        _update(self.control)

    async def _load_more(self, _event=None) -> None:
        progress = self.progress
        if progress.loading or progress.next_offset is None:
            return
        progress.loading, generation, filters = True, progress.generation, self.filters
        self.more.disabled = True
        _update(self.more)
        try:
            attempt = await self.ctx.attempt(lambda: self.service.page(filters, progress.next_offset), self.feedback)
        finally:
            progress.loading = False
            self.more.disabled = False
        if generation == progress.generation and attempt.ok:
            self._append(attempt.value)
            self._count(filters)
            _update(self.control)

    async def _scrolled(self, event: ft.OnScrollEvent) -> None:
        if self.progress.next_offset is not None and event.extent_after < LOAD_MORE_BEFORE_END:
            await self._load_more()

    def _append(self, page) -> None:
        if self.more in self.rows.controls:
            self.rows.controls.remove(self.more)
        for document in page.documents:
            month = (document.date or "")[:7]
            if month != self.progress.last_month or self.progress.shown == 0:
                self.rows.controls.append(_month_heading(self.ctx, document.date, month))
                self.progress.last_month = month
            self.rows.controls.append(document_row(self.ctx, document))
            self.progress.shown += 1
        self.progress.next_offset = page.next_offset
        if page.next_offset is not None:
            self.rows.controls.append(self.more)
        if self.progress.shown == 0:
            self.rows.controls = [self._empty()]

    def _count(self, filters) -> None:
        shown, more = self.progress.shown, self.progress.next_offset is not None
        key = "documents.count_more" if more else "documents.count"
        self.header.value = self.ctx.t(key, count=shown)

    def _empty(self) -> ft.Control:
        t = self.ctx.t
        if self.filters.active:
            return ft.Column(key="documents-empty", spacing=12, controls=[
                ft.Text(t("documents.empty_filtered")),
                ft.OutlinedButton(t("documents.clear_all"), key="documents-empty-clear", icon=ft.Icons.FILTER_ALT_OFF,
                                  on_click=lambda _: self._clear_all())])
        return ft.Column(key="documents-empty", spacing=12, controls=[ft.Text(t("documents.empty"))])

    # -- the patient's choices ---------------------------------------------------------
    async def _typed(self, event) -> None:
        self.progress.typed += 1
        typed = self.progress.typed
        await asyncio.sleep(SEARCH_DEBOUNCE_SECONDS)
        if typed == self.progress.typed:
            self._filters_changed(replace(self.panel.filters, text=event.control.value or ""))

    def _filters_changed(self, filters) -> None:
        self.service.filters = filters
        self.panel.filters = filters
        if hasattr(self, "_toggle"):
            self._toggle.content = self._toggle_text()
        self.ctx.page.run_task(self._reload)

    def _clear_all(self) -> None:
        self.search.value = ""
        self.panel.filters = replace(self.panel.filters, text="")
        self.panel.clear()


def document_row(ctx: ScreenContext, document) -> ft.Control:
    badges = []
    if document.hidden:
        badges.append(hidden_badge(ctx))
    if document.file_state == NOT_FETCHED:
        badges.append(not_fetched_badge(ctx))
    subtitle = [ft.Text(summary_line(ctx, document))]
    if badges:
        subtitle.append(ft.Row(badges, wrap=True, spacing=6, run_spacing=4))
    return ft.ListTile(
        key=f"document-{document.id}", leading=ft.Icon(kind_icon(document.content_type)),
        title=ft.Text(title_of(ctx, document), weight=ft.FontWeight.W_600),
        subtitle=ft.Column(subtitle, spacing=4, tight=True), trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: ctx.go(f"/documents/{document.id}"))


def _month_heading(ctx: ScreenContext, moment: str | None, month: str) -> ft.Control:
    return ft.Container(
        ft.Text(month_label(ctx, moment), theme_style=ft.TextThemeStyle.TITLE_SMALL, color=ft.Colors.PRIMARY,
                weight=ft.FontWeight.W_600),
        key=f"documents-month-{month or 'none'}", padding=ft.Padding.only(left=16, top=16, bottom=4))


def _update(control: ft.Control) -> None:
    try:
        control.update()
    except RuntimeError:  # the patient left this screen meanwhile
        pass
