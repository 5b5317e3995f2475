"""The access history: filters (who, when, emergencies only) above a list filled page by page
as it scrolls; each line says in words who did what and when, and opens the access with the
rule that allowed it. Everything here reads the device's copy: it works offline."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import flet as ft

from screens.context import ScreenContext
from screens.profile_form import PHONE_MAX_WIDTH, TOUCH

PREFETCH_PIXELS = 600
ALL = "all"  # the person filter's "everyone"
KIND_ICONS = {"normal": (ft.Icons.VISIBILITY_OUTLINED, ft.Colors.PRIMARY),
              "emergency": (ft.Icons.EMERGENCY, ft.Colors.ERROR),
              "refused": (ft.Icons.BLOCK, ft.Colors.ERROR)}


class HistoryList:
    """The filters and the lazily filled list, built once per screen and changed in place."""

    def __init__(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        self.history = ctx.services.privacy.history
        self.before: str | None = None
        self.more, self.loading, self.generation = True, False, 0
        self.list = ft.ListView([ft.ProgressRing(width=24, height=24)], key="privacy-history", spacing=8,
                                expand=True, on_scroll=self._scrolled, scroll_interval=200)
        self.more_button = ft.TextButton(ctx.t("privacy.more"), key="privacy-more", icon=ft.Icons.EXPAND_MORE,
                                         style=TOUCH, on_click=lambda _: ctx.page.run_task(self.load_page))
        self.filters = _Filters(ctx, self._filtered)
        self.view = ft.Column([ft.Text(ctx.t("privacy.history_explain"), color=ft.Colors.ON_SURFACE_VARIANT,
                                       theme_style=ft.TextThemeStyle.BODY_SMALL),
                               self.filters.control, self.list], spacing=12, expand=True)
        ctx.page.run_task(self.filters.fill)
        ctx.page.run_task(self.load_page)

    def _filtered(self) -> None:
        """New filters: the list starts again from the newest line."""
        self.generation += 1
        self.before, self.more, self.loading = None, True, False
        self.list.controls = [ft.ProgressRing(width=24, height=24)]
        _update(self.list)
        self.ctx.page.run_task(self.load_page)

    async def load_page(self) -> None:
        if self.loading or not self.more:
            return
        self.loading, generation = True, self.generation
        attempt = await self.ctx.attempt(lambda: self.history.page(self.before))
        if generation != self.generation:
            return  # the filters changed meanwhile: that list is gone
        self.loading = False
        if not attempt.ok:
            self.list.controls = []
            _update(self.list)
            return
        page = attempt.value
        shown = [c for c in self.list.controls if isinstance(c, ft.Card)]
        lines = [history_line(self.ctx, line) for line in page.lines]
        self.before, self.more = page.before, page.before is not None
        empty = [] if shown or lines else [self._nothing()]
        self.list.controls = [*shown, *lines, *empty, *([self.more_button] if self.more else [])]
        _update(self.list)

    def _nothing(self) -> ft.Control:
        """Nobody opened the record yet, or nothing matches the filters."""
        key = "privacy.history_none" if self.history.filter.count else "privacy.history_empty"
        return ft.Text(self.ctx.t(key), key="privacy-history-empty", color=ft.Colors.ON_SURFACE_VARIANT)

    async def _scrolled(self, event: ft.OnScrollEvent) -> None:
        if self.more and event.max_scroll_extent - event.pixels < PREFETCH_PIXELS:
            await self.load_page()


def history_line(ctx: ScreenContext, line) -> ft.Control:
    """The sentence says who, what and which day; below it, the time and what stands out."""
    icon, colour = KIND_ICONS.get(line.kind, KIND_ICONS["normal"])
    first, _, last = line.times.partition(" – ")
    when = ctx.t("privacy.between", first=first, last=last) if last else \
        ctx.t("privacy.at", times=first) if first else ""
    badges = [badge(ctx.t(f"privacy.kind.{line.kind}"), ft.Colors.ERROR_CONTAINER, ft.Colors.ON_ERROR_CONTAINER)
              ] if line.kind != "normal" else []
    if line.first_access:
        badges.append(badge(ctx.t("privacy.first_access"), ft.Colors.TERTIARY_CONTAINER,
                            ft.Colors.ON_TERTIARY_CONTAINER))
    return ft.Card(margin=0, key=f"privacy-line-{line.id}", content=ft.ListTile(
        key=f"privacy-access-{line.id}",
        leading=ft.Icon(icon, color=colour),
        title=ft.Text(line.text),
        subtitle=ft.Row([ft.Text(when, color=ft.Colors.ON_SURFACE_VARIANT), *badges], wrap=True, spacing=8,
                        run_spacing=4),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: ctx.go(f"/privacy/{line.id}")))


def badge(text: str, background: str, colour: str) -> ft.Control:
    return ft.Container(ft.Text(text, size=12, color=colour), bgcolor=background, border_radius=8,
                        padding=ft.Padding.symmetric(horizontal=8, vertical=2))


class _Filters:
    """Who (everyone, or one person seen in the history), which days, emergencies only."""

    def __init__(self, ctx: ScreenContext, on_change) -> None:
        self.ctx = ctx
        self.history = ctx.services.privacy.history
        self._on_change = on_change
        t = ctx.t
        self.person = ft.Dropdown(key="privacy-filter-person", label=t("privacy.filter.person"), value=ALL,
                                  options=[ft.DropdownOption(key=ALL, text=t("privacy.filter.everyone"))],
                                  on_select=self._person_chosen, expand=True, enable_search=False)
        self.days = ft.OutlinedButton(key="privacy-filter-days", icon=ft.Icons.DATE_RANGE, style=TOUCH,
                                      on_click=self._pick_days)
        self.emergency = ft.Switch(key="privacy-filter-emergency", label=t("privacy.filter.emergency"),
                                   on_change=self._emergency_changed)
        self.clear = ft.TextButton(t("privacy.filter.clear"), key="privacy-filter-clear", icon=ft.Icons.FILTER_ALT_OFF,
                                   style=TOUCH, on_click=lambda _: self._set(person=None, since=None, until=None,
                                                                             emergency_only=False))
        self.named = ft.Semantics(content=ft.Row([self.person]), label=t("privacy.filter.person"), button=True)
        self.block = ft.ResponsiveRow([
            ft.Container(self.named, col={"xs": 12, "md": 6}),
            ft.Container(ft.Row([self.days], wrap=True), col={"xs": 12, "md": 6}),
            ft.Container(ft.Row([self.emergency, self.clear], wrap=True, spacing=8), col=12),
        ], spacing=8, run_spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER)
        # On a phone the filters fold away behind one button, leaving the screen to the history.
        self.toggle: ft.TextButton | None = None
        self.control: ft.Control = self.block
        if (ctx.page.width or 1024) < PHONE_MAX_WIDTH:
            self.toggle = ft.TextButton(key="privacy-filters", icon=ft.Icons.FILTER_LIST, style=TOUCH,
                                        on_click=self._fold)
            self.block.visible = self.history.filter.count > 0
            self.control = ft.Column([self.toggle, self.block], spacing=4)
        self._show()

    def _fold(self, _event) -> None:
        self.block.visible = not self.block.visible
        self._show()
        _update(self.control)

    async def fill(self) -> None:
        attempt = await self.ctx.attempt(self.history.people)
        if not attempt.ok:
            return
        self.person.options = [ft.DropdownOption(key=ALL, text=self.ctx.t("privacy.filter.everyone")),
                               *[ft.DropdownOption(key=p.key, text=p.label) for p in attempt.value]]
        self._show()
        _update(self.control)

    def _person_chosen(self, event) -> None:
        value = event.control.value
        self._set(person=None if value in (None, ALL) else value)

    def _emergency_changed(self, event) -> None:
        self._set(emergency_only=bool(event.control.value))

    def _pick_days(self, _event) -> None:
        wanted = self.history.filter
        today = date.today()
        language = self.ctx.services.translator.language
        self.ctx.page.show_dialog(ft.DateRangePicker(
            key="privacy-days-picker", locale=ft.Locale("fr", "FR") if language == "fr" else ft.Locale("en", "GB"),
            start_value=_moment(wanted.since), end_value=_moment(wanted.until),
            first_date=datetime(2000, 1, 1), last_date=datetime(today.year, today.month, today.day),
            help_text=self.ctx.t("privacy.filter.days_help"), cancel_text=self.ctx.t("common.cancel"),
            confirm_text=self.ctx.t("common.confirm"), save_text=self.ctx.t("common.confirm"),
            on_change=lambda event: self._set(since=_day(event.control.start_value),
                                               until=_day(event.control.end_value))))

    def _set(self, **changes) -> None:
        self.history.filter = replace(self.history.filter, **changes)
        self._show()
        _update(self.control)
        self._on_change()

    def _show(self) -> None:
        wanted = self.history.filter
        self.person.value = wanted.person or ALL
        chosen = next((o.text for o in self.person.options if o.key == self.person.value), None)
        self.named.label = self.ctx.t("privacy.filter.person_named", value=chosen) if chosen else \
            self.ctx.t("privacy.filter.person")
        if wanted.since or wanted.until:
            self.days.content = self.ctx.t("privacy.filter.days_from", since=_text(wanted.since),
                                           until=_text(wanted.until))
        else:
            self.days.content = self.ctx.t("privacy.filter.all_days")
        self.emergency.value = wanted.emergency_only
        self.clear.visible = wanted.count > 0
        if self.toggle is not None:
            self.toggle.content = self.ctx.t("privacy.filter.hide") if self.block.visible else \
                self.ctx.t("privacy.filter.show", count=wanted.count) if wanted.count else self.ctx.t("privacy.filters")


def _moment(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None


def _day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _text(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def _update(control: ft.Control) -> None:
    try:
        control.update()
    except RuntimeError:  # the user left this screen meanwhile
        pass
