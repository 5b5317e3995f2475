"""The app's entry point: one `Services` and one `Navigator` per window (Flet session),
and how to run it: the desktop client where it exists, else the browser view."""
from __future__ import annotations

import importlib.util
import logging
import os
import platform
import socket
from typing import Callable

import flet as ft

from app import theme
from app.navigator import Navigator
from app.services import Services

log = logging.getLogger(__name__)
DEFAULT_APP_PORT = 8550


def make_main(server_url: str, **service_options) -> Callable[[ft.Page], None]:
    """The Flet `main` for `server_url`; `service_options` go to `Services` (tests use them)."""

    def main(page: ft.Page) -> None:
        services = Services(server_url, **service_options)
        page.title = "Carnet"
        page.padding = 0
        theme.apply(page, "light", "normal")  # the patient's choice applies once unlocked
        navigator = Navigator(page, services)

        async def closed(_event) -> None:
            await services.close()

        page.on_close = closed
        navigator.start()

    return main


def desktop_client_available() -> bool:
    """The Flet desktop client needs its package and, on Linux, a display."""
    if importlib.util.find_spec("flet_desktop") is None:
        return False
    if platform.system() == "Linux":
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def should_open_browser() -> bool:
    """Never in CI or on a machine without a display (tests, servers)."""
    if os.environ.get("CI"):
        return False
    return platform.system() != "Linux" or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def run_app(server_url: str, *, port: int = DEFAULT_APP_PORT, web: bool = False,
            open_browser: bool | None = None, **service_options) -> None:
    """Run until the window closes (desktop) or the process is stopped (browser view)."""
    main = make_main(server_url, **service_options)
    if not web and desktop_client_available():
        ft.run(main)
        return
    if not (should_open_browser() if open_browser is None else open_browser):
        # Flet opens a browser tab for WEB_BROWSER unless it believes it runs on a server.
        os.environ["FLET_FORCE_WEB_SERVER"] = "true"
    ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=port, no_cdn=True,
           web_renderer=ft.WebRenderer.CANVAS_KIT)
