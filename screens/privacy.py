"""Privacy: who opened the record (the access history, offline), the patient's choices
(emergency access, regular doctor, blocked professionals, e-mails, hidden documents) and
their data (export, closing the space). `/privacy/<access id>` shows one access and the
rule that let it through.

Phones and tablets show one part at a time, picked with a segmented button; wide screens
show the history beside the choices. The history reads the encrypted cache; the choices
show what the server last said and change only online, which the screen says plainly.
"""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext
from screens.privacy_access import access_screen
from screens.privacy_choices import choices_part
from screens.privacy_data import data_part
from screens.privacy_history import HistoryList
from screens.profile_form import PHONE_MAX_WIDTH, TOUCH

WIDE_MIN_WIDTH = 1200  # the page's width from which history and choices sit side by side
PARTS = ("history", "choices", "data")
PART_ICONS = {"history": ft.Icons.HISTORY, "choices": ft.Icons.TUNE, "data": ft.Icons.DOWNLOAD}


def privacy_screen(ctx: ScreenContext, param: str | None = None) -> ft.Control:
    if param:
        return access_screen(ctx, param)
    title = ft.Text(ctx.t("privacy.title"), theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600)
    if (ctx.page.width or 0) >= WIDE_MIN_WIDTH:
        return _side_by_side(ctx, title)
    part = ctx.services.privacy.part if ctx.services.privacy.part in PARTS else "history"
    body = ft.Container(_part(ctx, part), expand=True)

    def chosen(event) -> None:
        ctx.services.privacy.part = event.control.selected[0]
        body.content = _part(ctx, ctx.services.privacy.part)
        body.update()

    phone = (ctx.page.width or 0) < PHONE_MAX_WIDTH  # three labels fit a phone's width without icons
    parts = ft.SegmentedButton(
        key="privacy-parts", selected=[part], show_selected_icon=False, style=TOUCH, on_change=chosen,
        segments=[ft.Segment(value=p, label=ft.Text(ctx.t(f"privacy.part.{p}")),
                             icon=None if phone else ft.Icon(PART_ICONS[p])) for p in PARTS])
    return ft.Container(key="privacy", padding=ft.Padding.only(left=16, top=12, right=16), expand=True,
                        content=ft.Column([title, ft.Row([parts], scroll=ft.ScrollMode.AUTO), body],
                                          spacing=12, expand=True))


def _part(ctx: ScreenContext, part: str) -> ft.Control:
    if part == "choices":
        return _scrolled(choices_part(ctx), "privacy-choices")
    if part == "data":
        return _scrolled(data_part(ctx), "privacy-data")
    return HistoryList(ctx).view


def _side_by_side(ctx: ScreenContext, title: ft.Control) -> ft.Control:
    history = ft.Column([title, HistoryList(ctx).view], spacing=12, expand=True)
    others = ft.Column([*choices_part(ctx), *data_part(ctx)], key="privacy-choices", spacing=12,
                       scroll=ft.ScrollMode.AUTO, expand=True)
    return ft.Container(key="privacy", padding=ft.Padding.only(left=16, top=12, right=16), expand=True,
                        content=ft.Row([ft.Container(history, expand=3),
                                        ft.Container(others, expand=2)], spacing=24,
                                       vertical_alignment=ft.CrossAxisAlignment.START, expand=True))


def _scrolled(controls: list[ft.Control], key: str) -> ft.Control:
    return ft.Column(controls, key=key, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)
