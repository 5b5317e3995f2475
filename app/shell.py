"""The frame around the unlocked app: a bottom navigation bar on phones, a navigation
rail on tablets and desktops, the sync status line above the screen."""
from __future__ import annotations

from typing import Callable

import flet as ft

from screens.sync_status_line import SyncStatusLine

PHONE_MAX_WIDTH = 600

# (route, label key, icon, selected icon); Messages, Agenda, Catalogue, Privacy come later.
DESTINATIONS = (
    ("/home", "nav.home", ft.Icons.HOME_OUTLINED, ft.Icons.HOME),
    ("/profile", "nav.profile", ft.Icons.PERSON_OUTLINE, ft.Icons.PERSON),
    ("/documents", "nav.documents", ft.Icons.FOLDER_OUTLINED, ft.Icons.FOLDER),
    ("/settings", "nav.settings", ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS),
)


class Shell:
    def __init__(self, page: ft.Page, status_line: SyncStatusLine, t: Callable[..., str],
                 go: Callable[[str], None]) -> None:
        self.page = page
        self.status_line = status_line
        self.t = t
        self.go = go
        self._phone: bool | None = None

    def is_phone(self) -> bool:
        return (self.page.width or 1024) < PHONE_MAX_WIDTH

    def layout_changed(self) -> bool:
        return self._phone is not None and self._phone != self.is_phone()

    def show_alone(self, screen: ft.Control) -> None:
        """A screen before unlock: no navigation, no sync line."""
        self._phone = None
        self._clear()
        self.page.controls = [ft.SafeArea(screen, expand=True)]
        self.page.update()

    def _clear(self) -> None:
        """Take the previous screen off the page before drawing the next one.

        Flet diffs a new control against an old one carrying the same `key` as one frozen
        control (a component's output): drawn again, it could no longer be changed. Screens
        built afresh reuse their keys, so the old ones must be gone first.
        """
        self.page.navigation_bar = None
        self.page.appbar = None
        self.page.controls = []
        self.page.update()

    def show(self, route: str, screen: ft.Control) -> None:
        self._phone = self.is_phone()
        selected = next((i for i, (path, *_rest) in enumerate(DESTINATIONS) if path == route), 0)
        body = ft.Column([self.status_line.control, screen], spacing=0, expand=True)
        self._clear()
        self.page.appbar = ft.AppBar(title=ft.Text(self.t("app.title")), center_title=self._phone,
                                     leading=ft.Icon(ft.Icons.HEALTH_AND_SAFETY), leading_width=48)
        if self._phone:
            self.page.navigation_bar = ft.NavigationBar(
                key="navigation-bar", selected_index=selected, on_change=self._navigate,
                destinations=[ft.NavigationBarDestination(icon=icon, selected_icon=chosen, label=self.t(label))
                              for _path, label, icon, chosen in DESTINATIONS])
            self.page.controls = [ft.SafeArea(body, expand=True)]
        else:
            self.page.navigation_bar = None
            rail = ft.NavigationRail(
                key="navigation-rail", selected_index=selected, on_change=self._navigate,
                label_type=ft.NavigationRailLabelType.ALL, min_width=88,
                destinations=[ft.NavigationRailDestination(icon=icon, selected_icon=chosen, label=self.t(label))
                              for _path, label, icon, chosen in DESTINATIONS])
            self.page.controls = [ft.Row([rail, ft.VerticalDivider(width=1), body], expand=True,
                                         spacing=0, vertical_alignment=ft.CrossAxisAlignment.STRETCH)]
        self.page.update()

    def _navigate(self, event) -> None:
        self.go(DESTINATIONS[int(event.control.selected_index)][0])
