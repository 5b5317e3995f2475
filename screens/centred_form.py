"""The frame shared by the screens before unlock: a titled column, centred, at most 440 px wide."""
from __future__ import annotations

import flet as ft

FORM_WIDTH = 440


def centred_form(title: str, *controls: ft.Control, key: str, icon: ft.IconData | None = None) -> ft.Control:
    header = [ft.Icon(icon, size=48, color=ft.Colors.PRIMARY)] if icon else []
    column = ft.Column(
        [*header, ft.Text(title, theme_style=ft.TextThemeStyle.HEADLINE_SMALL, weight=ft.FontWeight.W_600,
                          text_align=ft.TextAlign.CENTER),
         *controls],
        spacing=16, horizontal_alignment=ft.CrossAxisAlignment.STRETCH, tight=True,
    )
    return ft.Container(
        key=key,
        content=ft.Column([ft.Container(column, width=FORM_WIDTH, padding=24)],
                          horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                          scroll=ft.ScrollMode.AUTO),
        alignment=ft.Alignment.TOP_CENTER, expand=True, padding=ft.Padding.only(top=32),
    )


def feedback_text(key: str) -> ft.Text:
    """Where a screen writes what went wrong, in plain words; hidden while empty."""
    return ft.Text("", key=key, color=ft.Colors.ERROR, visible=False)


def say(feedback: ft.Text, message: str) -> None:
    feedback.value = message
    feedback.visible = bool(message)


def text_field(label: str, key: str, *, password: bool = False, keyboard: ft.KeyboardType | None = None,
               on_submit=None) -> ft.TextField:
    return ft.TextField(label=label, key=key, password=password, can_reveal_password=password,
                        keyboard_type=keyboard or ft.KeyboardType.TEXT, on_submit=on_submit,
                        autocorrect=False, enable_suggestions=not password)
