"""What a screen receives from the app: the services, words, navigation and feedback.

Screens never import `app` (it sits above them); the app hands them an object with this
shape. `attempt` runs one services call and turns a failure into plain words.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Protocol

import flet as ft


@dataclass(frozen=True)
class Attempt:
    ok: bool
    value: Any = None


class ScreenContext(Protocol):
    services: Any  # app.services.Services
    page: ft.Page
    came_from: str | None  # the route shown before this one, for a "back" button

    def t(self, key: str, **values) -> str:
        """The text of `key` in the user's language."""

    def go(self, route: str) -> None:
        """Show another screen (e.g. "/sign-in", "/home")."""

    def apply_look(self, theme: str, text_size: str) -> None:
        """Light or dark theme, and the text size ("normal" … "largest")."""

    def notify(self, message: str, *, error: bool = False) -> None:
        """A short message at the bottom of the screen (snack bar)."""

    def explain(self, error: BaseException) -> str:
        """An error as one sentence for the user."""

    async def attempt(self, action: Callable[[], Awaitable[Any]], feedback: ft.Text | None = None,
                      busy: ft.Control | None = None) -> Attempt:
        """Run `action`; a failure is written in `feedback` (or notified) in plain words,
        `busy` is disabled meanwhile. It draws what it changed, so Flet's automatic redraw at
        the end of the handler no longer happens: a handler changing more calls `update()`."""


def close_dialog(dialog: ft.DialogControl) -> None:
    """Close this very dialog: `page.pop_dialog()` closes the topmost open one, which may be
    a snack bar that appeared meanwhile."""
    dialog.open = False
    dialog.update()
