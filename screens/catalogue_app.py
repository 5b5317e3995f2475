"""An app's page: who publishes it, what it is for, what it asks for (each kind of data in
words, read and write apart) with a switch for each within what it asks, "Autoriser" or
"Enregistrer" (confirmed), "Retirer l'accès" (confirmed), since when it is allowed and when
it was last used, and what it did (screens.catalogue_history).

A withdrawn app is shown as such: nothing more can be granted, its access can be revoked.
Wide screens put what it did beside the rest.
"""
from __future__ import annotations

import flet as ft

from screens.catalogue_history import AppHistory
from screens.catalogue_parts import badge, category_icon, category_label, offline_note, read_words, write_words
from screens.context import ScreenContext, close_dialog
from screens.privacy_choices import DANGER
from screens.profile_form import TOUCH, icon_button
from screens.record_list import date_only, panel

WIDE_MIN_WIDTH = 1200


def app_screen(ctx: ScreenContext, app_id: str) -> ft.Control:
    body = ft.Column([ft.ProgressRing(width=24, height=24)], key="catalogue-app", spacing=12,
                     scroll=ft.ScrollMode.AUTO, expand=True)

    async def fill() -> None:
        attempt = await ctx.attempt(lambda: ctx.services.catalogue.app(app_id))
        page = attempt.value if attempt.ok else None
        body.controls = AppPage(ctx, page).controls if page else [
            _header(ctx, None), ft.Text(ctx.t("catalogue.unknown_app"), key="catalogue-unknown")]
        try:
            body.update()
        except RuntimeError:  # the user left before it loaded
            pass

    ctx.page.run_task(fill)
    return ft.Container(body, padding=ft.Padding.only(left=16, top=8, right=16), expand=True)


def _header(ctx: ScreenContext, page) -> ft.Control:
    back = icon_button(ft.Icons.ARROW_BACK, ctx.t("catalogue.back"), "catalogue-back", lambda _: ctx.go("/catalogue"))
    if page is None:
        return ft.Row([back])
    title = ft.Text(page.name, theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600, expand=True)
    return ft.Row([back, ft.Icon(category_icon(page.category), color=ft.Colors.PRIMARY), title], spacing=8)


class AppPage:
    def __init__(self, ctx: ScreenContext, page) -> None:
        self.ctx = ctx
        self.page = page
        t = ctx.t
        self.switches: list[tuple[str, ft.Switch | None, ft.Switch | None]] = []
        self.feedback = ft.Text("", key="catalogue-feedback", color=ft.Colors.ERROR, visible=False)
        granted = page.grant is not None
        self.save = ft.FilledButton(t("catalogue.save" if granted else "catalogue.grant"), key="catalogue-save",
                                    icon=ft.Icons.CHECK, style=TOUCH, visible=not page.withdrawn,
                                    on_click=lambda _: self._confirm_grant())
        revoke = ft.FilledButton(t("catalogue.revoke"), key="catalogue-revoke", icon=ft.Icons.LINK_OFF, style=DANGER,
                                 visible=granted, on_click=lambda _: self._confirm_revoke())
        history = panel(ft.Icons.HISTORY, t("catalogue.history_title"),
                        AppHistory(ctx, page.app_id, granted).controls, key="catalogue-history-panel")
        details = [self._about(), self._status(), self._asks(),
                   ft.Column([offline_note(ctx), self.feedback, ft.Row([self.save, revoke], wrap=True, spacing=12,
                                                                       run_spacing=8)], spacing=8)]
        if (ctx.page.width or 0) >= WIDE_MIN_WIDTH:
            self.controls = [_header(ctx, page), ft.Row([ft.Column(details, spacing=12, expand=3),
                                                         ft.Column([history], expand=2)],
                                                        spacing=24, vertical_alignment=ft.CrossAxisAlignment.START)]
        else:
            self.controls = [_header(ctx, page), *details, history]
        self.controls.append(ft.Container(height=24))

    def _about(self) -> ft.Control:
        t, page = self.ctx.t, self.page
        lines = [ft.Text(t("catalogue.by", publisher=page.publisher), key="catalogue-publisher",
                         weight=ft.FontWeight.W_600)] if page.publisher else []
        lines.append(ft.Row([badge(category_label(self.ctx, page.category, page.category_label),
                                   ft.Colors.SECONDARY_CONTAINER, ft.Colors.ON_SECONDARY_CONTAINER)], wrap=True))
        if page.withdrawn:
            lines.append(ft.Row([badge(t("catalogue.badge_withdrawn"), ft.Colors.ERROR_CONTAINER,
                                       ft.Colors.ON_ERROR_CONTAINER, key="catalogue-withdrawn")], wrap=True))
            lines.append(ft.Text(t("catalogue.withdrawn_text")))
        if page.description:
            lines.append(ft.Text(page.description, key="catalogue-description"))
        if page.homepage:
            lines.append(ft.Text(t("catalogue.homepage", url=page.homepage), color=ft.Colors.ON_SURFACE_VARIANT,
                                 selectable=True))
        return ft.Container(ft.Column(lines, spacing=8), width=720)

    def _status(self) -> ft.Control:
        t, grant = self.ctx.t, self.page.grant
        if grant is None:
            lines = [ft.Text(t("catalogue.not_granted"), key="catalogue-not-granted")]
        else:
            used = t("catalogue.used", date=date_only(grant.last_used_at)) if grant.last_used_at \
                else t("catalogue.never_used")
            lines = [ft.Text(t("catalogue.since", date=date_only(grant.granted_at)), key="catalogue-since"),
                     ft.Text(used, key="catalogue-last-used")]
        return panel(ft.Icons.VERIFIED_USER, t("catalogue.status_title"), lines, key="catalogue-status-panel")

    def _asks(self) -> ft.Control:
        t = self.ctx.t
        rows = [ft.Text(t("catalogue.asks_explain"), color=ft.Colors.ON_SURFACE_VARIANT)]
        for index, choice in enumerate(self.page.choices):
            rows.append(self._line(index, choice))
        return panel(ft.Icons.TUNE, t("catalogue.asks_title"), rows, key="catalogue-asks-panel")

    def _line(self, index: int, choice) -> ft.Control:
        line = choice.asked
        disabled = self.page.withdrawn
        parts, read, write = [], None, None
        if line.read:
            read = ft.Switch(key=f"catalogue-read-{index}", value=choice.reads, disabled=disabled)
            parts.append(_switch_row(read_words(self.ctx, line), read))
        if line.write:
            write = ft.Switch(key=f"catalogue-write-{index}", value=choice.writes, disabled=disabled)
            parts.append(_switch_row(write_words(self.ctx, line), write))
        self.switches.append((line.key, read, write))
        return ft.Container(ft.Column(parts, spacing=0), key=f"catalogue-line-{index}",
                            border=ft.Border.only(top=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT)),
                            padding=ft.Padding.only(top=4))

    def _chosen(self) -> dict[str, tuple[bool, bool]]:
        return {key: (bool(read and read.value), bool(write and write.value)) for key, read, write in self.switches}

    def _chosen_words(self) -> list[str]:
        said = []
        for (_key, read, write), choice in zip(self.switches, self.page.choices):
            if read is not None and read.value:
                said.append(read_words(self.ctx, choice.asked))
            if write is not None and write.value:
                said.append(write_words(self.ctx, choice.asked))
        return said

    # -- changes (online, confirmed) -----------------------------------------------------------
    def _confirm_grant(self) -> None:
        t, name = self.ctx.t, self.page.name
        granted = self.page.grant is not None
        chosen = self._chosen_words()
        feedback = ft.Text("", color=ft.Colors.ERROR, visible=False, key="catalogue-grant-feedback")

        async def confirmed(_event) -> None:
            attempt = await self.ctx.attempt(lambda: self.ctx.services.catalogue.set_grant(
                self.page.app_id, self._chosen()), feedback, busy=confirm)
            if attempt.ok:
                close_dialog(dialog)
                self.ctx.go(f"/catalogue/{self.page.app_id}")  # drawn again first: the message then stays
                self.ctx.notify(t("catalogue.saved_done" if granted else "catalogue.granted_done", name=name))

        confirm = ft.FilledButton(t("catalogue.save" if granted else "catalogue.grant"), style=TOUCH,
                                  key="catalogue-grant-confirm", icon=ft.Icons.CHECK, on_click=confirmed)
        content = [ft.Text(t("catalogue.grant_text", name=name)),
                   *[ft.Text(f"• {line}") for line in chosen], feedback]
        dialog = ft.AlertDialog(
            modal=True, scrollable=True,
            title=t("catalogue.change_title" if granted else "catalogue.grant_title", name=name),
            content=ft.Column(content, tight=True, spacing=8, width=440),
            actions=[ft.TextButton(t("common.cancel"), key="catalogue-grant-cancel", style=TOUCH,
                                   on_click=lambda _: close_dialog(dialog)), confirm])
        if not chosen:
            feedback.value, feedback.visible = t("catalogue.refused.nothing-chosen"), True
            confirm.disabled = True
        self.ctx.page.show_dialog(dialog)

    def _confirm_revoke(self) -> None:
        t, name = self.ctx.t, self.page.name
        feedback = ft.Text("", color=ft.Colors.ERROR, visible=False, key="catalogue-revoke-feedback")

        async def confirmed(_event) -> None:
            attempt = await self.ctx.attempt(lambda: self.ctx.services.catalogue.revoke(self.page.app_id), feedback,
                                             busy=confirm)
            if attempt.ok:
                close_dialog(dialog)
                self.ctx.go("/catalogue")
                self.ctx.notify(t("catalogue.revoked_done", name=name))

        confirm = ft.FilledButton(t("catalogue.revoke"), key="catalogue-revoke-confirm", style=DANGER,
                                  icon=ft.Icons.LINK_OFF, on_click=confirmed)
        dialog = ft.AlertDialog(
            modal=True, scrollable=True, title=t("catalogue.revoke_title", name=name),
            content=ft.Column([ft.Text(t("catalogue.revoke_text", name=name)), feedback], tight=True, spacing=12,
                              width=420),
            actions=[ft.TextButton(t("common.cancel"), key="catalogue-revoke-cancel", style=TOUCH,
                                   on_click=lambda _: close_dialog(dialog)), confirm])
        self.ctx.page.show_dialog(dialog)


def _switch_row(text: str | None, switch: ft.Switch) -> ft.Control:
    """The line in words, its switch after it (the tile names the switch and flips it when tapped)."""
    return ft.ListTile(title=ft.Text(text or ""), trailing=switch, toggle_inputs=True,
                       content_padding=ft.Padding.only(left=0, right=0))
