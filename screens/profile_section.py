"""One section of the medical profile: its entries newest first, loaded page by page as
the list scrolls, each with its details and who added it; the patient's own entries can
be edited and deleted, a professional's are read-only (a lock, their name)."""
from __future__ import annotations

from typing import Callable

import flet as ft

from screens.context import ScreenContext, close_dialog
from screens.profile_form import TOUCH, icon_button, open_form

# Load the next page when the list is scrolled this close to its end (logical pixels).
PREFETCH_PIXELS = 600
# Details said apart, in the error colour: what a responder or a prescriber must not miss.
WARNING_DETAILS = ("criticality.high",)


def section_screen(ctx: ScreenContext, section: str, icon: ft.IconData) -> ft.Control:
    route = f"/profile/{section}"
    entries = EntryList(ctx, section, route)
    return ft.Container(key=f"profile-section-{section}", padding=16, expand=True, content=ft.Column(
        [section_header(ctx, ctx.t(f"profile.section.{section}"), icon),
         add_button(ctx, section, route), entries.view],
        spacing=12, expand=True))


def section_header(ctx: ScreenContext, title: str, icon: ft.IconData) -> ft.Control:
    return ft.Row([
        icon_button(ft.Icons.ARROW_BACK, ctx.t("profile.back"), "profile-back", lambda _: ctx.go("/profile")),
        ft.Icon(icon, color=ft.Colors.PRIMARY),
        ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600, expand=True),
    ], spacing=8)


def add_button(ctx: ScreenContext, section: str, route: str) -> ft.Control:
    def add(_event) -> None:
        open_form(ctx, section, ctx.services.profile.blank_form(section), None, lambda: ctx.go(route))

    return ft.Row([ft.FilledButton(ctx.t(f"profile.add.{section}"), key="profile-add", icon=ft.Icons.ADD,
                                   on_click=add, style=TOUCH)], wrap=True)


class EntryList:
    """A lazily filled list: the first page at once, the next ones as the end comes near."""

    def __init__(self, ctx: ScreenContext, section: str, route: str, measurement: str | None = None) -> None:
        self.ctx, self.section, self.route, self.measurement = ctx, section, route, measurement
        self.offset, self.loading, self.more = 0, False, True
        self.more_button = ft.TextButton(ctx.t("profile.more"), key="profile-more", icon=ft.Icons.EXPAND_MORE, style=TOUCH,
                                         on_click=lambda _: ctx.page.run_task(self.load_page))
        self.view = ft.ListView([ft.ProgressRing(width=24, height=24)], key="profile-entries", spacing=8,
                                expand=True, on_scroll=self._scrolled, scroll_interval=200)
        ctx.page.run_task(self.load_page)

    async def load_page(self) -> None:
        if self.loading or not self.more:
            return
        self.loading = True
        attempt = await self.ctx.attempt(lambda: self.ctx.services.profile.entries(
            self.section, offset=self.offset, measurement=self.measurement))
        self.loading = False
        if not attempt.ok:
            return
        page = attempt.value
        shown = [c for c in self.view.controls if isinstance(c, ft.Semantics)]
        cards = [entry_card(self.ctx, entry, self.route) for entry in page.entries]
        self.offset += len(page.entries)
        self.more = page.more
        empty = [] if shown or cards else [ft.Text(self.ctx.t("profile.empty"), key="profile-empty",
                                                   color=ft.Colors.ON_SURFACE_VARIANT)]
        self.view.controls = [*shown, *cards, *empty, *([self.more_button] if self.more else [])]
        try:
            self.view.update()
        except RuntimeError:  # the user left this screen meanwhile
            pass

    async def _scrolled(self, event: ft.OnScrollEvent) -> None:
        if self.more and event.max_scroll_extent - event.pixels < PREFETCH_PIXELS:
            await self.load_page()


def entry_card(ctx: ScreenContext, entry, route: str) -> ft.Control:
    title = entry.title or ctx.t("profile.untitled")
    warnings = [detail_text(ctx, d) for d in entry.details if d.kind in WARNING_DETAILS]
    details = [detail_text(ctx, d) for d in entry.details if d.kind not in WARNING_DETAILS]
    lines: list[ft.Control] = [
        ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_MEDIUM, weight=ft.FontWeight.W_600,
                color=ft.Colors.ON_SURFACE_VARIANT if entry.inactive else None),
        *[ft.Row([ft.Icon(ft.Icons.WARNING_ROUNDED, size=18, color=ft.Colors.ERROR),
                  ft.Text(warning, color=ft.Colors.ERROR, weight=ft.FontWeight.W_600, expand=True)], spacing=6)
          for warning in warnings],
        *([ft.Text(" · ".join(d for d in details if d))] if any(details) else []),
        _author_line(ctx, entry),
    ]
    if entry.sync_state:
        lines.append(ft.Row([ft.Icon(ft.Icons.CLOUD_UPLOAD_OUTLINED, size=18, color=ft.Colors.TERTIARY),
                             ft.Text(ctx.t(f"profile.sync.{entry.sync_state}"), color=ft.Colors.TERTIARY,
                                     expand=True)], spacing=6, key=f"profile-sync-{entry.id}"))
        if entry.sync_state in ("failed", "conflict"):
            lines.append(ft.TextButton(ctx.t("review.open"), key=f"profile-review-{entry.id}", icon=ft.Icons.ARROW_FORWARD,
                                       style=TOUCH, on_click=lambda _: ctx.go("/review")))
    actions = _actions(ctx, entry, title, route)
    if actions:
        lines.append(ft.Row(actions, wrap=True, spacing=0))
    # One node per entry for screen readers (read-only cards would otherwise merge together).
    return ft.Semantics(container=True, content=ft.Card(
        key=f"profile-entry-{entry.id}", margin=0, content=ft.Container(
            ft.Column(lines, spacing=4, tight=True), padding=ft.Padding.only(left=16, top=12, right=8, bottom=8))))


def detail_text(ctx: ScreenContext, detail) -> str:
    key = f"profile.detail.{detail.kind}"
    text = ctx.t(key, value=detail.value, second=detail.second)
    return detail.value if text == key else text  # a kind the app has no words for: its value


def _author_line(ctx: ScreenContext, entry) -> ft.Control:
    if entry.added_by == "professional":
        text = ctx.t("profile.added_by.professional", name=entry.author) if entry.author else \
            ctx.t("profile.added_by.someone")
    else:
        text = ctx.t(f"profile.added_by.{entry.added_by}")
    icon = ft.Icons.LOCK_OUTLINE if entry.added_by != "you" else ft.Icons.PERSON_OUTLINE
    return ft.Row([ft.Icon(icon, size=18, color=ft.Colors.ON_SURFACE_VARIANT,
                           semantics_label=ctx.t("profile.read_only") if entry.added_by != "you" else None),
                   ft.Text(text, color=ft.Colors.ON_SURFACE_VARIANT, expand=True)],
                  spacing=6, key=f"profile-author-{entry.id}")


def _actions(ctx: ScreenContext, entry, title: str, route: str) -> list[ft.Control]:
    actions = []
    if entry.editable:
        async def edit(_event) -> None:
            attempt = await ctx.attempt(lambda: ctx.services.profile.form_of(entry.section, entry.id))
            if attempt.ok:
                open_form(ctx, entry.section, attempt.value, entry.id, lambda: ctx.go(route))
        actions.append(ft.TextButton(ctx.t("profile.edit"), key=f"profile-edit-{entry.id}", icon=ft.Icons.EDIT,
                                     style=TOUCH, on_click=edit))
    if entry.deletable:
        actions.append(ft.TextButton(
            ctx.t("profile.delete"), key=f"profile-delete-{entry.id}", icon=ft.Icons.DELETE_OUTLINE, style=TOUCH,
            on_click=lambda _: confirm_delete(ctx, entry, title, lambda: ctx.go(route))))
    return actions


def confirm_delete(ctx: ScreenContext, entry, title: str, deleted: Callable[[], None]) -> None:
    async def confirmed(_event) -> None:
        close_dialog(dialog)
        attempt = await ctx.attempt(lambda: ctx.services.profile.delete(entry.section, entry.id))
        if attempt.ok:
            ctx.notify(ctx.t("profile.deleted"))
            deleted()

    dialog = ft.AlertDialog(
        modal=True, title=ctx.t("profile.delete_title"), content=ft.Text(ctx.t("profile.delete_text", title=title)),
        actions=[ft.TextButton(ctx.t("common.cancel"), key="profile-delete-cancel", style=TOUCH,
                               on_click=lambda _: close_dialog(dialog)),
                 ft.FilledButton(ctx.t("profile.delete"), key="profile-delete-confirm", icon=ft.Icons.DELETE,
                                 style=TOUCH, on_click=confirmed)],
    )
    ctx.page.show_dialog(dialog)
