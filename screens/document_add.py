"""Adding a document: a file (or, on phones, a photo), checked and cleaned off the UI loop
(turned upright, stripped of its metadata, downscaled), then a title, a category and a
date. Saved on the device with its outbox entries; the sync pushes it.

The form lives in `services.documents.draft`, so a redraw after a sync keeps it.
"""
from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path

import flet as ft

from health.codes import DOCUMENT_CATEGORIES

from screens.context import ScreenContext
from screens.document_filters import named, picked_day, picker_locale, spoken
from screens.document_labels import category_label, size_label
from screens.page_file_picker import page_file_picker
from screens.record_list import date_only

FORM_WIDTH = 560
ACCEPTED_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "webp", "heic", "heif"]


def add_document_screen(ctx: ScreenContext) -> ft.Control:
    return _AddDocument(ctx).control


class _AddDocument:
    def __init__(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        self.service = ctx.services.documents
        self.draft = self.service.draft or self.service.start_draft()
        t = ctx.t
        picker = page_file_picker(ctx.page)
        picker.on_result = self._picked
        self.choose = ft.FilledTonalButton(
            t("documents.add_choose"), key="add-choose-file", icon=ft.Icons.UPLOAD_FILE,
            action=ft.PickFiles(picker, with_data=True, file_type=ft.FilePickerFileType.CUSTOM,
                                allowed_extensions=ACCEPTED_EXTENSIONS, dialog_title=t("documents.add_choose")))
        # Phones: the browser (or the system's picker) offers the camera for images.
        self.photo = ft.FilledTonalButton(
            t("documents.add_photo"), key="add-take-photo", icon=ft.Icons.PHOTO_CAMERA,
            visible=_is_phone_platform(ctx.page),
            action=ft.PickFiles(picker, with_data=True, file_type=ft.FilePickerFileType.IMAGE))
        self.working = ft.Row([ft.ProgressRing(width=20, height=20), ft.Text(t("documents.add_preparing"))],
                              key="add-preparing", visible=False, spacing=12, wrap=True)
        self.refusal = ft.Text("", key="add-refusal", color=ft.Colors.ERROR, visible=False)
        self.preview = ft.Row([], key="add-preview", spacing=12, visible=False,
                              vertical_alignment=ft.CrossAxisAlignment.CENTER)
        self.title = ft.TextField(key="add-title", label=t("documents.add_title_field"), value=self.draft.title,
                                  max_length=120, on_change=self._title_typed)
        self.category = ft.Dropdown(
            key="add-category", label=t("documents.category"), value=self.draft.category,
            options=[ft.DropdownOption(key=code, text=category_label(ctx, code)) for code in DOCUMENT_CATEGORIES],
            on_select=self._category_chosen, expand=True)
        self.category_named = named(ctx, self.category, t("documents.category"))
        self.day = ft.OutlinedButton(key="add-date", icon=ft.Icons.EVENT, on_click=self._open_calendar)
        self.description = ft.TextField(key="add-description", label=t("documents.add_description"),
                                        value=self.draft.description, multiline=True, min_lines=2, max_lines=5,
                                        on_change=self._description_typed)
        self.feedback = ft.Text("", key="add-feedback", color=ft.Colors.ERROR, visible=False)
        self.save = ft.FilledButton(t("documents.add_save"), key="add-save", icon=ft.Icons.SAVE, on_click=self._save)
        self._show_draft()
        self.control = self._layout()

    def _layout(self) -> ft.Control:
        t = self.ctx.t
        form = ft.Column([
            ft.Row([ft.TextButton(t("documents.back"), key="add-back", icon=ft.Icons.ARROW_BACK,
                                  on_click=self._cancel)]),
            ft.Text(t("documents.add_heading"), theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600),
            ft.Text(t("documents.add_intro"), color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Row([self.choose, self.photo], wrap=True, spacing=12, run_spacing=8),
            self.working, self.refusal, self.preview,
            self.title, self.category_named, self.day, self.description, self.feedback,
            ft.Row([self.save, ft.TextButton(t("common.cancel"), key="add-cancel", on_click=self._cancel)],
                   wrap=True, spacing=12),
        ], spacing=16, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        return ft.Container(
            key="add-document", expand=True, padding=16, alignment=ft.Alignment.TOP_CENTER,
            content=ft.Column([ft.Container(form, width=FORM_WIDTH)], scroll=ft.ScrollMode.AUTO,
                              horizontal_alignment=ft.CrossAxisAlignment.CENTER))

    def _show_draft(self) -> None:
        draft, t = self.draft, self.ctx.t
        self.day.content = t("documents.add_date", date=date_only(draft.day))
        prepared = draft.prepared
        self.save.disabled = prepared is None
        self.preview.visible = prepared is not None
        if prepared is None:
            self.preview.controls = []
            return
        self.preview.controls = [
            ft.Image(src=prepared.thumbnail, width=96, height=96, fit=ft.BoxFit.CONTAIN,
                     semantics_label=t("documents.add_thumbnail")),
            ft.Column([ft.Text(draft.file_name or t("documents.file"), weight=ft.FontWeight.W_600),
                       ft.Text(self._describe(prepared), theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT)],
                      spacing=2, tight=True, expand=True),
        ]

    def _describe(self, prepared) -> str:
        t, size = self.ctx.t, size_label(self.ctx, len(prepared.data))
        if prepared.content_type == "application/pdf":
            return t("documents.add_pdf_ready", pages=prepared.pages, size=size)
        return t("documents.add_image_ready", width=prepared.width, height=prepared.height, size=size)

    # -- the file ----------------------------------------------------------------------
    async def _picked(self, event) -> None:
        files = list(event.files or [])
        if not files:
            return
        file = files[0]
        self.refusal.visible = False
        self.working.visible = True
        self.choose.disabled = self.photo.disabled = True
        _update(self.control)
        try:
            attempt = await self.ctx.attempt(lambda: self._prepare(file), self.refusal)
        finally:
            self.working.visible = False
            self.choose.disabled = self.photo.disabled = False
        if attempt.ok:
            self.draft.prepared, self.draft.file_name = attempt.value, file.name
            if not self.draft.title.strip():
                self.draft.title = self.title.value = attempt.value.title
        else:
            self.draft.prepared, self.draft.file_name = None, ""
        self._show_draft()
        _update(self.control)

    async def _prepare(self, file):
        data = file.bytes
        if isinstance(data, list):
            data = bytes(data)
        if data is None and file.path:
            # A desktop client may hand a path instead of the bytes: the patient's own file.
            data = await asyncio.to_thread(Path(file.path).read_bytes)
        return await self.service.prepare(data or b"", file.name)

    # -- the form ----------------------------------------------------------------------
    def _title_typed(self, event) -> None:
        self.draft.title = event.control.value or ""

    def _description_typed(self, event) -> None:
        self.draft.description = event.control.value or ""

    def _category_chosen(self, event) -> None:
        self.draft.category = event.control.value or self.draft.category
        self.category_named.label = spoken(self.ctx, self.category, self.ctx.t("documents.category"))

    def _open_calendar(self, _event) -> None:
        chosen = date.fromisoformat(self.draft.day)
        self.ctx.page.show_dialog(ft.DatePicker(locale=picker_locale(self.ctx),
            value=datetime(chosen.year, chosen.month, chosen.day), first_date=datetime(1900, 1, 1),
            last_date=datetime.now(), help_text=self.ctx.t("documents.add_date_help"),
            cancel_text=self.ctx.t("common.cancel"), confirm_text=self.ctx.t("common.confirm"),
            on_change=self._day_chosen))

    def _day_chosen(self, event) -> None:
        self.draft.day = picked_day(event.control.value) or self.draft.day
        self._show_draft()
        _update(self.day)

    async def _save(self, _event) -> None:
        draft = self.draft
        if draft.prepared is None:
            return
        attempt = await self.ctx.attempt(lambda: self.service.add(
            draft.prepared, title=draft.title, category=draft.category, day=draft.day,
            description=draft.description), self.feedback, busy=self.save)
        if attempt.ok:
            self.service.draft = None
            self.ctx.notify(self.ctx.t("documents.added"))
            self.ctx.go(f"/documents/{attempt.value}")

    def _cancel(self, _event) -> None:
        self.service.draft = None
        self.ctx.go("/documents")


def _is_phone_platform(page: ft.Page) -> bool:
    try:
        return bool(page.platform and page.platform.is_mobile())
    except AttributeError:
        return False


def _update(control: ft.Control) -> None:
    try:
        control.update()
    except RuntimeError:  # the patient left this screen meanwhile
        pass
