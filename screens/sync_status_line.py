"""The sync status line under the title: last sync, pending changes, offline badge,
a progress bar while syncing, and a button to sync now."""
from __future__ import annotations

from datetime import datetime

import flet as ft


class SyncStatusLine:
    """One instance for the app's lifetime; `show(line)` redraws it (from the UI loop)."""

    def __init__(self, t, sync_now, review=lambda: None) -> None:
        self._t = t
        self.text = ft.Text("", key="sync-status", theme_style=ft.TextThemeStyle.BODY_SMALL)
        self.pending = ft.Text("", key="sync-pending", theme_style=ft.TextThemeStyle.BODY_SMALL, visible=False)
        self.badge = ft.Container(
            key="sync-offline-badge", visible=False, bgcolor=ft.Colors.ERROR_CONTAINER, border_radius=12,
            padding=ft.Padding.symmetric(horizontal=10, vertical=2),
            content=ft.Row([ft.Icon(ft.Icons.CLOUD_OFF, size=14, color=ft.Colors.ON_ERROR_CONTAINER),
                            ft.Text("", theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_ERROR_CONTAINER)], tight=True, spacing=4))
        # Conflicts and refused changes wait for the patient: a tap opens them.
        self.review = ft.TextButton("", key="sync-review", icon=ft.Icons.ERROR_OUTLINE, visible=False,
                                    style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=4),
                                                         color=ft.Colors.ERROR),
                                    on_click=lambda _: review())
        self.sync_button = ft.IconButton(ft.Icons.SYNC, key="sync-now", on_click=lambda _: sync_now())
        # An IconButton has no accessible name of its own (a tooltip would be read twice).
        self.sync_button_label = ft.Semantics(content=self.sync_button, label=t("sync.now"), button=True)
        self.progress = ft.ProgressBar(key="sync-progress", visible=False, semantics_label=t("sync.syncing"))
        self.control = ft.Column(spacing=0, controls=[
            ft.Container(padding=ft.Padding.symmetric(horizontal=16, vertical=4), content=ft.Row(
                # The words in a column that takes the room left: at 200 % text they wrap
                # instead of pushing the button off a phone's screen.
                [self.badge, ft.Icon(ft.Icons.CLOUD_DONE, size=16, color=ft.Colors.OUTLINE),
                 ft.Column([self.text, self.pending, self.review], spacing=0, expand=True,
                           horizontal_alignment=ft.CrossAxisAlignment.START), self.sync_button_label],
                vertical_alignment=ft.CrossAxisAlignment.CENTER, spacing=8, wrap=False)),
            self.progress,
        ])

    def show(self, line, t=None) -> None:
        t = t or self._t
        self._t = t
        self.text.value = _describe(line, t)
        self.pending.value = t("sync.pending", count=line.pending_changes)
        self.pending.visible = line.pending_changes > 0
        self.review.content = t("sync.to_review", count=line.to_review)
        self.review.visible = line.to_review > 0
        self.badge.visible = line.offline
        self.badge.content.controls[1].value = t("sync.offline")
        self.progress.visible = line.syncing
        self.progress.value = line.progress
        self.sync_button_label.label = t("sync.now")
        self.sync_button.disabled = line.syncing


def _describe(line, t) -> str:
    if line.syncing:
        return t("sync.syncing")
    if line.state == "needs_sign_in":
        return t("sync.needs_sign_in")
    if line.state == "retrying":
        return t("sync.retrying")
    if line.last_sync is None:
        return t("sync.never")
    local = line.last_sync.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return t("sync.last_today", time=local.strftime("%H:%M"))
    return t("sync.last_day", date=local.strftime("%d/%m/%Y"), time=local.strftime("%H:%M"))
