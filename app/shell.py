"""The frame around the unlocked app: a bottom navigation bar on phones, a navigation
rail on tablets and desktops, the sync status line above the screen."""
from __future__ import annotations

from typing import Callable

import flet as ft

from screens.sync_status_line import SyncStatusLine

PHONE_MAX_WIDTH = 600
# A phone's bottom bar holds this many destinations; the others are under "More".
PHONE_BAR_SIZE = 4

# (route, label key, icon, selected icon), in the order they are shown; an area without a
# screen yet (see app.navigator.UNLOCKED) is left out.
DESTINATIONS = (
    ("/home", "nav.home", ft.Icons.HOME_OUTLINED, ft.Icons.HOME),
    ("/profile", "nav.profile", ft.Icons.PERSON_OUTLINE, ft.Icons.PERSON),
    ("/documents", "nav.documents", ft.Icons.FOLDER_OUTLINED, ft.Icons.FOLDER),
    ("/messages", "nav.messages", ft.Icons.MAIL_OUTLINE, ft.Icons.MAIL),
    ("/agenda", "nav.agenda", ft.Icons.EVENT_OUTLINED, ft.Icons.EVENT),
    ("/catalogue", "nav.catalogue", ft.Icons.APPS_OUTLINED, ft.Icons.APPS),
    ("/privacy", "nav.privacy", ft.Icons.SHIELD_OUTLINED, ft.Icons.SHIELD),
    ("/settings", "nav.settings", ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS),
)


class Shell:
    def __init__(self, page: ft.Page, status_line: SyncStatusLine, t: Callable[..., str],
                 go: Callable[[str], None], areas: set[str]) -> None:
        self.page = page
        self.status_line = status_line
        self.t = t
        self.go = go
        self._phone: bool | None = None
        self.destinations = [d for d in DESTINATIONS if d[0] in areas]
        # The route of each item of the navigation on show; None for the phone's "More".
        self._item_routes: list[str | None] = []
        # At large text sizes a phone's bar shows icons only (see _show_on_phone).
        self.large_text = False

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
        selected = next((i for i, (path, *_rest) in enumerate(self.destinations) if path == route), 0)
        body = ft.Column([self.status_line.control, screen], spacing=0, expand=True)
        self._clear()
        self.page.appbar = ft.AppBar(title=ft.Text(self.t("app.title")), center_title=self._phone,
                                     leading=ft.Icon(ft.Icons.HEALTH_AND_SAFETY), leading_width=48)
        if self._phone:
            self._show_on_phone(body, selected)
        else:
            self.page.navigation_bar = None
            self._item_routes = [path for path, *_rest in self.destinations]
            rail = ft.NavigationRail(
                key="navigation-rail", selected_index=selected, on_change=self._navigate,
                label_type=ft.NavigationRailLabelType.ALL, min_width=88,
                destinations=[ft.NavigationRailDestination(icon=icon, selected_icon=chosen, label=self.t(label))
                              for _path, label, icon, chosen in self.destinations])
            self.page.controls = [ft.Row([rail, ft.VerticalDivider(width=1), body], expand=True,
                                         spacing=0, vertical_alignment=ft.CrossAxisAlignment.STRETCH)]
        self.page.update()

    def _show_on_phone(self, body: ft.Control, selected: int) -> None:
        """The first destinations in the bottom bar; when there are more, a last "More" opens
        a sheet with the others."""
        in_bar = self.destinations if len(self.destinations) <= PHONE_BAR_SIZE + 1 else \
            self.destinations[:PHONE_BAR_SIZE]
        items = [ft.NavigationBarDestination(icon=icon, selected_icon=chosen, label=self.t(label))
                 for _path, label, icon, chosen in in_bar]
        self._item_routes = [path for path, *_rest in in_bar]
        if len(in_bar) < len(self.destinations):
            items.append(ft.NavigationBarDestination(icon=ft.Icons.MENU, label=self.t("nav.more")))
            self._item_routes.append(None)
            selected = min(selected, len(in_bar))
        # At large text sizes a fifth of a phone's width cannot hold a label ("Documents" would
        # break mid-word): the bar shows icons only, each screen says its name in its title, and
        # every destination keeps its label for screen readers.
        labels = ft.NavigationBarLabelBehavior.ALWAYS_HIDE if self.large_text else None
        self.page.navigation_bar = ft.NavigationBar(key="navigation-bar", selected_index=selected,
                                                    on_change=self._navigate, destinations=items,
                                                    label_behavior=labels)
        self.page.controls = [ft.SafeArea(body, expand=True)]

    def _navigate(self, event) -> None:
        route = self._item_routes[int(event.control.selected_index)]
        if route is None:
            self._show_more()
        else:
            self.go(route)

    def _show_more(self) -> None:
        def open_area(path: str):
            def opened(_event) -> None:
                sheet.open = False
                self.go(path)
            return opened

        sheet = ft.BottomSheet(key="navigation-more", content=ft.Container(padding=8, content=ft.Column(
            [ft.ListTile(leading=ft.Icon(icon), title=ft.Text(self.t(label)), key=f"more-{path.strip('/')}",
                         on_click=open_area(path))
             for path, label, icon, _chosen in self.destinations if path not in self._item_routes],
            tight=True, spacing=0)))
        self.page.show_dialog(sheet)
