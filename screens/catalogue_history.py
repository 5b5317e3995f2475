"""What an app did in the record, newest first, asked of the server a page at a time ("Voir
plus" brings the next). Offline, it says so in words (reading it needs the server)."""
from __future__ import annotations

import flet as ft

from screens.catalogue_parts import badge
from screens.context import ScreenContext
from screens.profile_form import TOUCH


class AppHistory:
    def __init__(self, ctx: ScreenContext, app_id: str, ever_granted: bool) -> None:
        self.ctx = ctx
        self.app_id = app_id
        self.before: int | None = None
        self.lines = ft.Column(spacing=0, key="catalogue-history")
        self.total = ft.Text("", key="catalogue-history-total", color=ft.Colors.ON_SURFACE_VARIANT, visible=False)
        self.feedback = ft.Text("", key="catalogue-history-feedback", color=ft.Colors.ON_SURFACE_VARIANT,
                                visible=False)
        self.more = ft.OutlinedButton(ctx.t("catalogue.history_more"), key="catalogue-history-more", style=TOUCH,
                                      visible=False, on_click=lambda _: ctx.page.run_task(self._next))
        self.controls = [self.total, self.lines, self.feedback, ft.Row([self.more], wrap=True)]
        if ever_granted:
            self.lines.controls = [ft.ProgressRing(width=24, height=24)]
            ctx.page.run_task(self._next)
        else:
            self.lines.controls = [ft.Text(ctx.t("catalogue.history_never"), key="catalogue-history-never",
                                           color=ft.Colors.ON_SURFACE_VARIANT)]

    async def _next(self) -> None:
        first = self.before is None
        attempt = await self.ctx.attempt(lambda: self.ctx.services.catalogue.history(self.app_id, self.before),
                                         self.feedback, busy=self.more)
        if first:
            self.lines.controls = []
        if attempt.ok:
            page = attempt.value
            self.lines.controls += [self._line(deed) for deed in page.deeds]
            if first and not page.deeds:
                self.lines.controls = [ft.Text(self.ctx.t("catalogue.history_empty"), key="catalogue-history-empty",
                                               color=ft.Colors.ON_SURFACE_VARIANT)]
            self.total.value = self.ctx.t("catalogue.history_total", count=page.total)
            self.total.visible = page.total > 0
            self.before = page.before
            self.more.visible = page.before is not None
        self._update()

    def _line(self, deed) -> ft.Control:
        t = self.ctx.t
        subtitle = ft.Row([ft.Text(f"{deed.day} · {deed.time}", color=ft.Colors.ON_SURFACE_VARIANT),
                           *([badge(t("catalogue.deed_refused"), ft.Colors.ERROR_CONTAINER,
                                    ft.Colors.ON_ERROR_CONTAINER)] if deed.refused else [])], wrap=True, spacing=8)
        return ft.ListTile(key=f"catalogue-deed-{deed.id}", content_padding=ft.Padding.only(left=0, right=0),
                           leading=ft.Icon(ft.Icons.BLOCK if deed.refused else ft.Icons.HISTORY,
                                           color=ft.Colors.ERROR if deed.refused else ft.Colors.ON_SURFACE_VARIANT),
                           title=ft.Text(deed.text), subtitle=subtitle)

    def _update(self) -> None:
        for control in self.controls:
            try:
                control.update()
            except RuntimeError:  # the user left this screen meanwhile
                pass
