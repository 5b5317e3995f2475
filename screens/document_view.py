"""One document: its file shown in the app (an image, or a PDF page by page, rendered off
the UI loop), its details, and what the patient may do with it: hide it from
professionals, save a copy, delete it if they added it."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext, close_dialog
from screens.document_labels import (NOT_FETCHED, category_label, format_label, hidden_badge, size_label,
                                     title_of, type_label)
from screens.page_file_picker import page_file_picker
from screens.record_list import date_only

SIDE_PANEL_MIN_WIDTH = 1000
SIDE_PANEL_WIDTH = 360
RAIL_WIDTH = 89  # the navigation rail and its divider, beside the screen on tablets and desktops


def document_screen(ctx: ScreenContext, document_id: str) -> ft.Control:
    return _DocumentScreen(ctx, document_id).control


class _DocumentScreen:
    def __init__(self, ctx: ScreenContext, document_id: str) -> None:
        self.ctx = ctx
        self.service = ctx.services.documents
        self.document_id = document_id
        self.details = None
        self.feedback = ft.Text("", color=ft.Colors.ERROR)
        self.wide = (ctx.page.width or 1024) >= SIDE_PANEL_MIN_WIDTH
        self.viewer = _Viewer(ctx, self.service, self._viewer_width(), touch_zoom=(ctx.page.width or 1024) < 600)
        # Phones: title, then the file, then details and actions; wide screens: the file
        # beside a panel with the title, details and actions.
        self.heading = ft.Column([ft.ProgressRing(width=24, height=24)], spacing=8,
                                 horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.info = ft.Column([], spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        back = ft.TextButton(ctx.t("documents.back"), key="document-back", icon=ft.Icons.ARROW_BACK,
                             on_click=lambda _: ctx.go("/documents"))
        if self.wide:
            self.control = ft.Row([
                ft.Container(ft.Column([ft.Row([back]), self.viewer.control], scroll=ft.ScrollMode.AUTO, spacing=8,
                                       horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                             padding=16, expand=True),
                ft.VerticalDivider(width=1),
                ft.Container(ft.Column([self.heading, self.info], scroll=ft.ScrollMode.AUTO, spacing=12,
                                       horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                             width=SIDE_PANEL_WIDTH, padding=16),
            ], key="document", expand=True, spacing=0, vertical_alignment=ft.CrossAxisAlignment.STRETCH)
        else:
            self.control = ft.Container(ft.Column(
                [ft.Row([back]), self.heading, self.viewer.control, self.info], scroll=ft.ScrollMode.AUTO, spacing=12,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH), key="document", padding=16, expand=True)
        ctx.page.run_task(self._load)

    def _viewer_width(self) -> float:
        width = self.ctx.page.width or 1024
        if width >= 600:
            width -= RAIL_WIDTH
        if self.wide:
            width -= SIDE_PANEL_WIDTH + 1
        return max(200.0, width - 32)

    async def _load(self) -> None:
        attempt = await self.ctx.attempt(lambda: self.service.details(self.document_id), self.feedback)
        if not attempt.ok:
            self.heading.controls = [self.feedback]
            self.viewer.control.visible = False
            _update(self.control)
            return
        self.details = attempt.value
        self.heading.controls = self._heading()
        self.info.controls = self._info()
        _update(self.control)
        await self.viewer.open(self.details.document)

    # -- details and actions -----------------------------------------------------------
    def _heading(self) -> list[ft.Control]:
        document = self.details.document
        self.badge = hidden_badge(self.ctx, key="document-hidden-badge", visible=document.hidden)
        return [ft.Text(title_of(self.ctx, document), key="document-title", theme_style=ft.TextThemeStyle.TITLE_LARGE,
                        weight=ft.FontWeight.W_600),
                ft.Row([self.badge], wrap=True)]

    def _info(self) -> list[ft.Control]:
        ctx, document = self.ctx, self.details.document
        t = ctx.t
        self.hide_button = ft.OutlinedButton(t("documents.hide"), key="document-hide", icon=ft.Icons.VISIBILITY_OFF,
                                             visible=not document.hidden, on_click=self._hide)
        self.unhide_button = ft.OutlinedButton(t("documents.unhide"), key="document-unhide", icon=ft.Icons.VISIBILITY,
                                               visible=document.hidden, on_click=self._unhide)
        rows = [
            *self._facts(document),
            ft.Divider(),
            self.hide_button, self.unhide_button,
            ft.Text(t("documents.hide_explained"), theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT),
            ft.OutlinedButton(t("documents.save_copy"), key="document-save", icon=ft.Icons.DOWNLOAD,
                              on_click=self._save_copy, visible=document.binary_id is not None),
        ]
        if self.details.own:
            rows.append(ft.TextButton(t("documents.delete"), key="document-delete", icon=ft.Icons.DELETE_OUTLINE,
                                      style=ft.ButtonStyle(color=ft.Colors.ERROR), on_click=self._confirm_delete))
        else:
            rows.append(ft.Text(t("documents.from_professional"), theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT))
        return rows

    def _facts(self, document) -> list[ft.Control]:
        t = self.ctx.t
        facts = [
            ("documents.type", type_label(self.ctx, document.type_code)),
            ("documents.category", category_label(self.ctx, document.category)),
            ("documents.date", date_only(document.date)),
            ("documents.author", document.author or ""),
            ("documents.description", document.description if document.description != document.title else ""),
            ("documents.format", format_label(self.ctx, document.content_type) if document.binary_id else ""),
            ("documents.size", size_label(self.ctx, document.size)),
        ]
        return [ft.Column([ft.Text(t(label), theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT), ft.Text(value, selectable=True)],
                          spacing=0, key=f"document-{label.removeprefix('documents.')}")
                for label, value in facts if value]

    async def _hide(self, _event) -> None:
        await self._set_hidden(True)

    async def _unhide(self, _event) -> None:
        await self._set_hidden(False)

    async def _set_hidden(self, hidden: bool) -> None:
        action = self.service.hide if hidden else self.service.unhide
        button = self.hide_button if hidden else self.unhide_button
        attempt = await self.ctx.attempt(lambda: action(self.document_id), busy=button)
        if not attempt.ok:
            return
        self.badge.visible = hidden
        self.hide_button.visible, self.unhide_button.visible = not hidden, hidden
        _update(self.control)
        self.ctx.notify(self.ctx.t("documents.hidden_done" if hidden else "documents.unhidden_done"))

    async def _save_copy(self, event) -> None:
        attempt = await self.ctx.attempt(lambda: self.service.copy_to_save(self.details.document),
                                         busy=event.control)
        if not attempt.ok:
            return
        name, data = attempt.value
        picker = page_file_picker(self.ctx.page)
        saved = await self.ctx.attempt(lambda: picker.save_file(
            dialog_title=self.ctx.t("documents.save_copy"), file_name=name, src_bytes=data))
        if saved.ok and (saved.value or self.ctx.page.web):
            self.ctx.notify(self.ctx.t("documents.saved_web" if self.ctx.page.web else "documents.saved"))

    def _confirm_delete(self, _event) -> None:
        t = self.ctx.t

        async def confirmed(_event) -> None:
            close_dialog(dialog)
            attempt = await self.ctx.attempt(lambda: self.service.delete(self.document_id))
            if attempt.ok:
                self.ctx.notify(t("documents.deleted"))
                self.ctx.go("/documents")

        dialog = ft.AlertDialog(
            modal=True, title=ft.Text(t("documents.delete_title")), content=ft.Text(t("documents.delete_text")),
            actions=[ft.TextButton(t("common.cancel"), key="document-delete-cancel",
                                   on_click=lambda _: close_dialog(dialog)),
                     ft.FilledButton(t("documents.delete"), key="document-delete-confirm", on_click=confirmed)])
        self.ctx.page.show_dialog(dialog)


class _Viewer:
    """The file: a spinner while it is read or downloaded, then an image, a PDF page with
    page buttons, a text, or a plain-words message (with "try again")."""

    def __init__(self, ctx: ScreenContext, service, width: float, touch_zoom: bool = False) -> None:
        self.ctx = ctx
        self.touch_zoom = touch_zoom
        self.service = service
        self.width = width
        self.opened = None
        self.pages: dict[int, bytes] = {}
        self.index = 0
        self.document = None
        self.image: ft.Image | None = None  # made with the first picture (an empty one is not drawn)
        self.page_text = ft.Text("", key="document-page")
        self.previous = ft.IconButton(ft.Icons.CHEVRON_LEFT, key="document-previous-page",
                                      tooltip=ctx.t("documents.previous_page"), on_click=self._previous)
        self.next = ft.IconButton(ft.Icons.CHEVRON_RIGHT, key="document-next-page",
                                  tooltip=ctx.t("documents.next_page"), on_click=self._next)
        self.pager = ft.Row([self.previous, self.page_text, self.next], alignment=ft.MainAxisAlignment.CENTER,
                            vertical_alignment=ft.CrossAxisAlignment.CENTER, visible=False, wrap=True)
        self.status = ft.Row([ft.ProgressRing(width=20, height=20), ft.Text(ctx.t("documents.opening"))],
                             key="document-loading", spacing=12, visible=False, wrap=True)
        self.message = ft.Text("", key="document-message", visible=False)
        self.retry = ft.OutlinedButton(ctx.t("documents.retry"), key="document-retry", icon=ft.Icons.REFRESH,
                                       visible=False, on_click=self._retry)
        self.control = ft.Column([self.status, self.message, self.retry, self.pager], spacing=8,
                                 horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

    async def open(self, document) -> None:
        self.document = document
        t = self.ctx.t
        if document.binary_id is None:
            self._say(t("documents.no_file"))
            return
        self.status.controls[1].value = t("documents.downloading" if document.file_state == NOT_FETCHED
                                          else "documents.opening")
        self.status.visible, self.message.visible, self.retry.visible = True, False, False
        _update(self.control)
        attempt = await self.ctx.attempt(lambda: self.service.open_file(document, self.width), self.message)
        self.status.visible = False
        if not attempt.ok:
            self.retry.visible = True
            _update(self.control)
            return
        self._show(attempt.value)

    def _show(self, opened) -> None:
        self.opened = opened
        if opened.kind in ("image", "pdf"):
            self.pages = {0: opened.shown}
            self.index = 0
            self.image = ft.Image(src=opened.shown, key="document-image", fit=ft.BoxFit.CONTAIN,
                                  gapless_playback=True, semantics_label=self.ctx.t("documents.file"))
            # Phones: pinch to zoom into a page (a mouse wheel would zoom instead of scroll).
            self.control.controls.append(ft.InteractiveViewer(self.image, min_scale=1, max_scale=5)
                                         if self.touch_zoom else self.image)
            self.pager.visible = opened.kind == "pdf" and opened.page_count > 1
            self._show_page_number()
        elif opened.kind == "text":
            self.control.controls.append(ft.Text(opened.text, key="document-text", selectable=True))
        else:
            self._say(self.ctx.t("documents.cannot_show"))
        _update(self.control)

    def _say(self, message: str) -> None:
        self.message.value, self.message.visible = message, True
        _update(self.control)

    def _show_page_number(self) -> None:
        count = self.opened.page_count
        self.page_text.value = self.ctx.t("documents.page_of", page=self.index + 1, count=count)
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= count - 1

    async def _previous(self, _event) -> None:
        await self._go_to(self.index - 1)

    async def _next(self, _event) -> None:
        await self._go_to(self.index + 1)

    async def _go_to(self, index: int) -> None:
        if self.opened is None or not 0 <= index < self.opened.page_count:
            return
        if index not in self.pages:
            self.previous.disabled = self.next.disabled = True
            self.page_text.value = self.ctx.t("documents.rendering")
            _update(self.pager)
            attempt = await self.ctx.attempt(lambda: self.service.render_page(self.opened, index, self.width))
            if not attempt.ok:
                self._show_page_number()
                _update(self.pager)
                return
            self.pages[index] = attempt.value
        self.index = index
        self.image.src = self.pages[index]
        self._show_page_number()
        _update(self.control)

    async def _retry(self, _event) -> None:
        if self.document is not None:
            await self.open(self.document)


def _update(control: ft.Control) -> None:
    try:
        control.update()
    except RuntimeError:  # the patient left this screen meanwhile
        pass
