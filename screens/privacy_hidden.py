"""The documents the patient hid from professionals, each with "show again". Unhiding is a
change of the record: made on the device (offline too) and sent by the next sync."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext
from screens.profile_form import TOUCH
from screens.record_list import date_only, panel


class HiddenDocuments:
    def __init__(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        self.list = ft.Column([ft.ProgressRing(width=24, height=24)], spacing=0, key="privacy-hidden")
        self.control = panel(ft.Icons.VISIBILITY_OFF, ctx.t("privacy.hidden_title"), [
            ft.Text(ctx.t("privacy.hidden_explain"), color=ft.Colors.ON_SURFACE_VARIANT), self.list],
            key="privacy-hidden-panel")
        ctx.page.run_task(self.load)

    async def load(self) -> None:
        attempt = await self.ctx.attempt(self.ctx.services.privacy.hidden_documents)
        documents = attempt.value if attempt.ok else []
        self.list.controls = [self._row(document) for document in documents] or [
            ft.Text(self.ctx.t("privacy.hidden_none"), key="privacy-hidden-none", color=ft.Colors.ON_SURFACE_VARIANT)]
        self._update()

    def _row(self, document) -> ft.Control:
        title = document.title or self.ctx.t("privacy.untitled")

        async def unhide(_event) -> None:
            attempt = await self.ctx.attempt(lambda: self.ctx.services.privacy.unhide(document.id), busy=button)
            if attempt.ok:
                self.ctx.notify(self.ctx.t("privacy.unhidden", title=title))
                self.list.controls = [c for c in self.list.controls if c is not row] or [
                    ft.Text(self.ctx.t("privacy.hidden_none"), key="privacy-hidden-none",
                            color=ft.Colors.ON_SURFACE_VARIANT)]
                self._update()

        button = ft.TextButton(self.ctx.t("privacy.unhide"), key=f"privacy-unhide-{document.id}",
                               icon=ft.Icons.VISIBILITY, style=TOUCH, on_click=unhide)
        facts = " · ".join(part for part in (date_only(document.date), document.author) if part)
        row = ft.ListTile(key=f"privacy-hidden-{document.id}", leading=ft.Icon(ft.Icons.DESCRIPTION_OUTLINED),
                          title=ft.Text(title), content_padding=ft.Padding.only(left=0, right=0),
                          subtitle=ft.Column([*([ft.Text(facts)] if facts else []), ft.Row([button], wrap=True)],
                                             spacing=0))
        return row

    def _update(self) -> None:
        try:
            self.list.update()
        except RuntimeError:  # the user left this screen meanwhile
            pass
