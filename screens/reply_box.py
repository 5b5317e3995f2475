"""The reply box of a conversation: the text, a file or a photo to attach (checked and
cleaned by the messaging service before it is kept), and Send. What is being written is the
service's draft, so it survives leaving the conversation and coming back."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext

FILE_TYPES = ["pdf", "jpg", "jpeg", "png", "webp"]


class ReplyBox:
    def __init__(self, ctx: ScreenContext, first_message_id: str) -> None:
        self.ctx = ctx
        self.first_message_id = first_message_id
        self.messages = ctx.services.messages
        self.draft = self.messages.draft(first_message_id)
        t = ctx.t
        self.feedback = ft.Text("", key="thread-feedback", color=ft.Colors.ERROR, visible=False)
        self.chip = ft.Chip(label=ft.Text(self.draft.file_name or ""), leading=ft.Icon(ft.Icons.ATTACH_FILE),
                            key="thread-attachment", visible=self.draft.attachment is not None,
                            delete_icon_tooltip=t("thread.remove_attachment"), on_delete=self._remove)
        self.field = ft.TextField(label=t("thread.reply"), key="thread-reply", value=self.draft.text, multiline=True,
                                  min_lines=2, max_lines=6, on_change=self._typed, expand=True)
        buttons = ft.Row([
            ft.TextButton(t("thread.attach_file"), icon=ft.Icons.ATTACH_FILE, key="thread-attach-file",
                          on_click=lambda _: ctx.page.run_task(self._pick, ft.FilePickerFileType.CUSTOM)),
            ft.TextButton(t("thread.attach_photo"), icon=ft.Icons.PHOTO_CAMERA, key="thread-attach-photo",
                          on_click=lambda _: ctx.page.run_task(self._pick, ft.FilePickerFileType.IMAGE)),
            ft.Container(expand=True),
            ft.FilledButton(t("thread.send"), icon=ft.Icons.SEND, key="thread-send", on_click=self._send),
        ], vertical_alignment=ft.CrossAxisAlignment.CENTER, spacing=4)
        self.control = ft.Container(ft.Column([ft.Row([self.field]), self.chip, buttons, self.feedback], spacing=4,
                                              tight=True), padding=ft.Padding.only(top=8), key="thread-reply-box")

    def _typed(self, event) -> None:
        self.draft.text = event.control.value or ""

    def _remove(self, _event) -> None:
        self.draft.attachment, self.draft.file_name = None, None
        self.chip.visible = False
        self.chip.update()

    async def _pick(self, file_type: ft.FilePickerFileType) -> None:
        """A file (PDF or image) or a photo: the system's picker (on phones, the photo library
        or the camera as the system offers), its bytes read in the browser view too."""
        extensions = FILE_TYPES if file_type is ft.FilePickerFileType.CUSTOM else None
        # A slow machine or network must not lose the selection when the window loses focus.
        files = await ft.FilePicker().pick_files(file_type=file_type, allowed_extensions=extensions, with_data=True,
                                                 cancel_upload_on_window_blur=False)
        if not files or files[0].bytes is None:
            return
        picked = files[0]
        self._say(self.ctx.t("thread.preparing"), error=False)
        attempt = await self.ctx.attempt(lambda: self.messages.prepare_attachment(picked.bytes, picked.name),
                                         self.feedback)
        if attempt.ok:
            self._say("")
            self.draft.attachment, self.draft.file_name = attempt.value, picked.name
            self.chip.label = ft.Text(picked.name)
            self.chip.visible = True
            self.chip.update()

    def _say(self, words: str, *, error: bool = True) -> None:
        self.feedback.value, self.feedback.visible = words, bool(words)
        self.feedback.color = ft.Colors.ERROR if error else ft.Colors.ON_SURFACE_VARIANT
        try:
            self.feedback.update()
        except RuntimeError:  # the patient left the conversation meanwhile
            pass

    async def _send(self, event) -> None:
        attempt = await self.ctx.attempt(
            lambda: self.messages.reply(self.first_message_id, self.field.value or "", self.draft.attachment),
            self.feedback, busy=event.control)
        if attempt.ok:
            offline = self.ctx.services.sync_line.offline
            self.ctx.notify(self.ctx.t("thread.sent_offline" if offline else "thread.sent_now"))
            self.ctx.go(f"/messages/{self.first_message_id}")
