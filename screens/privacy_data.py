"""The patient's data: download the whole record (a ZIP: the FHIR record, every file, a PDF
summary), and close the space (explained, the export offered first, the password asked,
then this device signed out and erased).

Where the archive goes: on a desktop, straight into the file the patient chose, a slice at
a time (no size limit, little memory); in the browser and on phones it is handed over as
bytes (a download, the share sheet), so it is held in memory up to a limit the service sets.
"""
from __future__ import annotations

import flet as ft

from screens.centred_form import feedback_text, say, text_field
from screens.context import ScreenContext, close_dialog
from screens.privacy_choices import DANGER, offline_note
from screens.profile_form import TOUCH
from screens.record_list import date_only, panel
from screens.saving import save_bytes


def data_part(ctx: ScreenContext) -> list[ft.Control]:
    t = ctx.t
    export_button, progress = _export_controls(ctx)
    close_button = ft.FilledButton(t("privacy.close"), key="privacy-close", icon=ft.Icons.DELETE_FOREVER,
                                   style=DANGER, on_click=lambda _: _close_dialog(ctx))
    return [
        panel(ft.Icons.DOWNLOAD, t("privacy.export_title"), [
            ft.Text(t("privacy.export_explain"), color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Row([export_button], wrap=True), progress, offline_note(ctx)], key="privacy-export-panel"),
        panel(ft.Icons.DELETE_FOREVER, t("privacy.close_title"), [
            ft.Text(t("privacy.close_explain"), color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Row([close_button], wrap=True)], key="privacy-close-panel"),
    ]


def _export_controls(ctx: ScreenContext) -> tuple[ft.Control, ft.Text]:
    progress = ft.Text("", key="privacy-export-progress", visible=False, color=ft.Colors.ON_SURFACE_VARIANT)
    button = ft.OutlinedButton(ctx.t("privacy.export"), key="privacy-export", icon=ft.Icons.DOWNLOAD, style=TOUCH)

    async def export(_event) -> None:
        say(progress, ctx.t("privacy.export_starting"))
        _update(progress)
        if await download_archive(ctx, button, progress):
            say(progress, ctx.t("privacy.export_done"))
        else:
            say(progress, "")
        _update(progress)

    button.on_click = export
    return button, progress


async def download_archive(ctx: ScreenContext, button: ft.Control, progress: ft.Text) -> bool:
    """Download the archive and hand it over; True once it was."""
    privacy = ctx.services.privacy

    async def redraw() -> None:
        _update(progress)

    def moved(size: int) -> None:  # called from the download's thread: the redraw runs on the UI loop
        text = ctx.t("privacy.export_progress", size=f"{size / (1024 * 1024):.1f}")
        if text != progress.value:
            say(progress, text)
            ctx.page.run_task(redraw)

    platform = ctx.page.platform
    desktop = not ctx.page.web and not (platform is not None and platform.is_mobile())
    if desktop:
        path = await ft.FilePicker().save_file(file_name=privacy.archive_name())
        if not path:
            return False
        attempt = await ctx.attempt(lambda: privacy.export_archive_to(path, on_progress=moved), busy=button)
        return attempt.ok
    attempt = await ctx.attempt(lambda: privacy.export_archive(on_progress=moved), busy=button)
    if not attempt.ok:
        return False
    return await save_bytes(ctx, attempt.value.file_name, attempt.value.data)


def _close_dialog(ctx: ScreenContext) -> None:
    """Explain, offer the export first, ask for the password and a tick, then close."""
    t = ctx.t
    feedback = feedback_text("privacy-close-feedback")
    password = text_field(t("privacy.close_password"), "privacy-close-password", password=True)
    exported = ft.Checkbox(label=t("privacy.close_exported"), key="privacy-close-exported")
    progress = ft.Text("", visible=False, color=ft.Colors.ON_SURFACE_VARIANT)
    export_first = ft.OutlinedButton(t("privacy.export"), key="privacy-close-export", icon=ft.Icons.DOWNLOAD,
                                     style=TOUCH)

    async def export(_event) -> None:
        if await download_archive(ctx, export_first, progress):
            exported.value = True
            say(progress, t("privacy.export_done"))
            _update(dialog)

    async def close(_event) -> None:
        if not password.value:
            say(feedback, t("privacy.close_needs_password"))
        elif not exported.value:
            say(feedback, t("privacy.close_needs_tick"))
        else:
            attempt = await ctx.attempt(lambda: ctx.services.privacy.close_space(password.value), feedback,
                                        busy=close_button)
            if attempt.ok:
                close_dialog(dialog)
                ctx.notify(t("privacy.closed", date=date_only(attempt.value.purge_after)))
                ctx.go("/welcome")
                return
        _update(feedback)

    export_first.on_click = export
    close_button = ft.FilledButton(t("privacy.close_confirm"), key="privacy-close-confirm", style=DANGER,
                                   icon=ft.Icons.DELETE_FOREVER, on_click=close)
    dialog = ft.AlertDialog(
        modal=True, title=t("privacy.close_title"), scrollable=True,
        content=ft.Column([ft.Text(t("privacy.close_warning")), ft.Row([export_first], wrap=True), progress,
                           exported, password, feedback], tight=True, spacing=12, width=440),
        actions=[ft.TextButton(t("common.cancel"), key="privacy-close-cancel", style=TOUCH,
                               on_click=lambda _: close_dialog(dialog)), close_button])
    ctx.page.show_dialog(dialog)


def _update(control: ft.Control) -> None:
    try:
        control.update()
    except RuntimeError:  # the user left this screen meanwhile
        pass
