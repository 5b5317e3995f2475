"""One conversation: its messages (the patient's on the right, shown pending until sent),
their attachments (open, or file into the documents with a category), and the reply box
(text, a file or a photo). Opening it marks the care team's messages read."""
from __future__ import annotations

import flet as ft

from health.codes import DOCUMENT_CATEGORIES

from screens.context import ScreenContext, close_dialog
from screens.dates import day_and_time
from screens.reply_box import ReplyBox
from screens.saving import save_bytes

THREAD_WIDTH = 760


def thread_screen(ctx: ScreenContext, first_message_id: str) -> ft.Control:
    feedback = ft.Text("", color=ft.Colors.ERROR)
    body = ft.Column([ft.ProgressRing(width=24, height=24)], key="thread", expand=True, spacing=8)

    async def fill() -> None:
        attempt = await ctx.attempt(lambda: ctx.services.messages.thread(first_message_id), feedback)
        body.controls = _conversation(ctx, attempt.value) if attempt.ok else [_back(ctx), feedback]
        _redraw(body)
        if attempt.ok:
            await ctx.attempt(lambda: ctx.services.messages.mark_read(first_message_id))
            _follow_syncs(ctx, first_message_id, body.controls[2])

    ctx.page.run_task(fill)
    return ft.Container(ft.Container(body, width=THREAD_WIDTH), padding=16, expand=True,
                        alignment=ft.Alignment.TOP_LEFT)


def _back(ctx: ScreenContext) -> ft.Control:
    return ft.TextButton(ctx.t("thread.back"), key="thread-back", icon=ft.Icons.ARROW_BACK,
                         on_click=lambda _: ctx.go("/messages"))


def _conversation(ctx: ScreenContext, thread) -> list[ft.Control]:
    header = ft.Column([
        _back(ctx),
        ft.Text(thread.subject or ctx.t("messages.no_subject"), key="thread-subject",
                theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600),
        *([ft.Text(ctx.t("thread.with", name=thread.opener), color=ft.Colors.ON_SURFACE_VARIANT)]
          if thread.opener else []),
    ], spacing=4, tight=True)
    messages = ft.ListView([_bubble(ctx, message) for message in thread.messages], key="thread-messages",
                           expand=True, spacing=10, auto_scroll=True, padding=ft.Padding.only(right=12))
    return [header, ft.Divider(height=1), messages, ReplyBox(ctx, thread.first_message_id).control]


def _follow_syncs(ctx: ScreenContext, first_message_id: str, messages: ft.ListView) -> None:
    """Show what a sync brings (a new message, a reply sent, a message read) in place: the
    screen is not drawn again, so a reply being typed keeps its focus and its keystrokes."""
    async def refresh() -> None:
        attempt = await ctx.attempt(lambda: ctx.services.messages.thread(first_message_id))
        if attempt.ok:
            messages.controls = [_bubble(ctx, message) for message in attempt.value.messages]
            _redraw(messages)

    def synced(line) -> None:
        try:
            messages.page
        except RuntimeError:  # the patient left this conversation
            stop()
            return
        if line.record_changed and not line.syncing:
            ctx.page.run_task(refresh)

    stop = ctx.services.subscribe(synced)


def _bubble(ctx: ScreenContext, message) -> ft.Control:
    mine = message.from_patient
    who = ctx.t("thread.you") if mine else (message.sender or "")
    top = [ft.Text(who, weight=ft.FontWeight.W_600, theme_style=ft.TextThemeStyle.BODY_SMALL),
           ft.Text(day_and_time(ctx, message.sent), theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT)]
    if not mine and not message.read:
        top.append(ft.Container(ft.Text(ctx.t("thread.new"), theme_style=ft.TextThemeStyle.LABEL_SMALL, color=ft.Colors.ON_PRIMARY),
                                bgcolor=ft.Colors.PRIMARY, border_radius=8,
                                padding=ft.Padding.symmetric(horizontal=6, vertical=1)))
    parts: list[ft.Control] = [ft.Row(top, wrap=True, spacing=8)]
    if message.text:
        parts.append(ft.Text(message.text))
    parts += [_attachment(ctx, message, attachment) for attachment in message.attachments]
    if mine:
        parts.append(_delivery(ctx, message))
    bubble = ft.Container(
        ft.Column(parts, spacing=6, tight=True), key=f"message-{message.id}", padding=12,
        border_radius=ft.BorderRadius.all(14),
        bgcolor=ft.Colors.PRIMARY_CONTAINER if mine else ft.Colors.SURFACE_CONTAINER_HIGHEST,
        col={"xs": 11, "md": 9})
    return ft.ResponsiveRow([bubble], alignment=ft.MainAxisAlignment.END if mine else ft.MainAxisAlignment.START)


def _delivery(ctx: ScreenContext, message) -> ft.Control:
    state = message.delivery.value
    if state == "pending":
        icon, words, colour = ft.Icons.SCHEDULE, ctx.t("thread.pending"), ft.Colors.ON_SURFACE_VARIANT
    elif state == "failed":
        icon, words, colour = ft.Icons.ERROR_OUTLINE, ctx.t("thread.failed", reason=message.failure or ""), \
            ft.Colors.ERROR
    elif message.received:
        icon, words, colour = ft.Icons.DONE_ALL, ctx.t("thread.read"), ft.Colors.PRIMARY
    else:
        icon, words, colour = ft.Icons.DONE, ctx.t("thread.sent"), ft.Colors.ON_SURFACE_VARIANT
    return ft.Row([ft.Icon(icon, size=16, color=colour), ft.Text(words, theme_style=ft.TextThemeStyle.BODY_SMALL, color=colour, expand=True)],
                  key=f"message-{message.id}-{state}", spacing=4)


def _attachment(ctx: ScreenContext, message, attachment) -> ft.Control:
    name = attachment.title or ctx.t("thread.attachment")
    is_image = (attachment.content_type or "").startswith("image/")
    size = f" · {max(1, round(attachment.size / 1000))} ko" if attachment.size else ""
    actions = [ft.TextButton(ctx.t("thread.open"), icon=ft.Icons.OPEN_IN_NEW,
                             key=f"attachment-open-{attachment.binary_id}",
                             on_click=lambda _: ctx.page.run_task(_open, ctx, attachment.binary_id, name))]
    if not message.from_patient:
        actions.append(ft.TextButton(ctx.t("thread.file"), icon=ft.Icons.DRIVE_FILE_MOVE_OUTLINE,
                                     key=f"attachment-file-{attachment.binary_id}",
                                     on_click=lambda _: _ask_category(ctx, message, attachment, name)))
    return ft.Container(
        ft.Column([ft.Row([ft.Icon(ft.Icons.IMAGE if is_image else ft.Icons.PICTURE_AS_PDF, color=ft.Colors.PRIMARY),
                           ft.Text(f"{name}{size}", weight=ft.FontWeight.W_500, expand=True)]),
                   ft.Row(actions, wrap=True, spacing=0)], spacing=2, tight=True),
        key=f"attachment-{attachment.binary_id}", padding=8, border_radius=10, bgcolor=ft.Colors.SURFACE,
        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT))


async def _open(ctx: ScreenContext, binary_id: str, name: str) -> None:
    attempt = await ctx.attempt(lambda: ctx.services.messages.attachment_file(binary_id))
    if attempt.ok:
        saved = await ctx.attempt(lambda: save_bytes(ctx, name, attempt.value.data))
        if saved.ok and saved.value:
            ctx.notify(ctx.t("thread.saved", name=name))


def _ask_category(ctx: ScreenContext, message, attachment, name: str) -> None:
    translator = ctx.services.translator
    choice = ft.RadioGroup(key="file-category", value="patient", content=ft.Column(
        [ft.Radio(value=code, label=translator.document_category(code), key=f"file-category-{code}")
         for code in DOCUMENT_CATEGORIES], spacing=0, tight=True, scroll=ft.ScrollMode.AUTO))

    async def confirm(event) -> None:
        category = choice.value or "patient"
        attempt = await ctx.attempt(lambda: ctx.services.messages.file_into_documents(
            message.id, attachment.binary_id, category), busy=event.control)
        close_dialog(dialog)
        if attempt.ok:
            ctx.notify(ctx.t("thread.filed", name=name, category=translator.document_category(category)))

    dialog = ft.AlertDialog(
        key="file-dialog", modal=True, title=ft.Text(ctx.t("thread.file_title", name=name)),
        content=ft.Column([ft.Text(ctx.t("thread.file_category")), choice], tight=True, width=400,
                          scroll=ft.ScrollMode.AUTO),
        actions=[ft.TextButton(ctx.t("common.cancel"), key="file-cancel", on_click=lambda _: close_dialog(dialog)),
                 ft.FilledButton(ctx.t("thread.file_confirm"), key="file-confirm", on_click=confirm)])
    ctx.page.show_dialog(dialog)


def _redraw(control: ft.Control) -> None:
    try:
        control.update()
    except RuntimeError:  # the user left this screen meanwhile
        pass
