"""Which screen shows, and the guard in front of the record: nothing past "unlocked"
without an open cache. It is also the `ScreenContext` the screens receive."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

import flet as ft

from app import theme as theme_module
from app.news import News
from app.notifications import SystemNotifications
from app.plain_words import plain_words
from app.records import SyncLine
from app.services import Services
from app.shell import Shell
from screens.activation import activation_screen
from screens.choose_pin import choose_pin_screen
from screens.context import Attempt
from screens.documents import documents_screen
from screens.emergency import emergency_screen
from screens.emergency_locked import emergency_locked_screen
from screens.home import home_screen
from screens.privacy import privacy_screen
from screens.profile import profile_screen
from screens.settings import settings_screen
from screens.sign_in import sign_in_screen
from screens.sync_status_line import SyncStatusLine
from screens.unlock import unlock_screen
from screens.welcome import welcome_screen
from storage.errors import StorageError
from sync.errors import SyncError

log = logging.getLogger(__name__)

BEFORE_UNLOCK = {
    "/welcome": welcome_screen,
    "/sign-in": sign_in_screen,
    "/activate": activation_screen,
    "/choose-pin": choose_pin_screen,
    "/unlock": unlock_screen,
    "/emergency-card": emergency_locked_screen,
}
UNLOCKED = {
    "/home": home_screen,
    "/profile": profile_screen,
    "/documents": documents_screen,
    "/settings": settings_screen,
    "/emergency": emergency_screen,
    "/privacy": privacy_screen,
}
# Screens showing the record: drawn again when a sync brings changes (a route or its area).
RECORD_AREAS = {"/home", "/profile", "/documents", "/privacy"}


class Navigator:
    def __init__(self, page: ft.Page, services: Services) -> None:
        self.page = page
        self.services = services
        self.route = ""
        self.status_line = SyncStatusLine(self.t, services.sync_now)
        self.shell = Shell(page, self.status_line, self.t, self.go, set(UNLOCKED))
        self._line = services.sync_line
        self._theme_applied = False
        self._offline = False
        self.system_notifications = SystemNotifications(enabled=not page.web)
        services.subscribe(self._on_sync_line)
        page.on_resize = lambda _event: self._on_resize()

    # -- ScreenContext -----------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        return self.services.t(key, **values)

    def start(self) -> None:
        self.go("/unlock" if self.services.has_offline_copy else "/welcome")

    def go(self, route: str) -> None:
        """Show `route`: a screen before unlock, or a screen of the record ("/documents",
        "/documents/<id>": a screen of an area gets what follows its route as `param`)."""
        if route not in BEFORE_UNLOCK and not self.services.unlocked:
            route = "/unlock" if self.services.has_offline_copy else "/welcome"
        self.route = route
        if route in BEFORE_UNLOCK:
            self._theme_applied = False
            self.shell.show_alone(BEFORE_UNLOCK[route](self))
            return
        if not self._theme_applied:
            self._theme_applied = True
            self.page.run_task(self._apply_theme)
        area, param = split_route(route)
        screen = UNLOCKED.get(area)
        if screen is None:
            area, param, screen = "/home", None, UNLOCKED["/home"]
        self.status_line.show(self._line, self.t)
        self.shell.show(area, screen(self) if param is None else screen(self, param))

    def notify(self, message: str, *, error: bool = False) -> None:
        self.page.show_dialog(ft.SnackBar(
            # No key: a key shared by two snack bars would freeze the second (see Shell._clear).
            ft.Text(message, color=ft.Colors.ON_ERROR if error else None),
            bgcolor=ft.Colors.ERROR if error else None, show_close_icon=True))

    def explain(self, error: BaseException) -> str:
        return plain_words(error, self.services.translator)

    async def attempt(self, action: Callable[[], Awaitable[Any]], feedback: ft.Text | None = None,
                      busy: ft.Control | None = None) -> Attempt:
        _set_disabled(busy, True)
        if feedback is not None:
            feedback.value, feedback.visible = "", False
        try:
            value = await action()
        except (SyncError, StorageError) as error:
            self._tell(self.explain(error), feedback)
            return Attempt(False)
        except Exception as error:  # a bug must not freeze the screen: say so, keep the trace
            log.exception("unexpected error in a screen action")
            self._tell(self.explain(error), feedback)
            return Attempt(False)
        finally:
            _set_disabled(busy, False)
        return Attempt(True, value)

    def _tell(self, message: str, feedback: ft.Text | None) -> None:
        if feedback is None:
            self.notify(message, error=True)
            return
        feedback.value, feedback.visible = message, True
        _update(feedback)

    # -- reacting to the device --------------------------------------------------------
    async def _apply_theme(self) -> None:
        preferences = await self.services.settings.preferences()
        self.apply_look(preferences.theme, preferences.text_size)

    def apply_look(self, theme: str, text_size: str) -> None:
        """Light or dark, and the text size; the screen on show is drawn again with them."""
        theme_module.apply(self.page, theme, text_size)
        self.page.update()

    def _on_resize(self) -> None:
        if self.route not in BEFORE_UNLOCK and self.shell.layout_changed():
            self.go(self.route)

    def _on_sync_line(self, line: SyncLine) -> None:
        """Called on the UI loop by the services; redraws the status and, after a sync that
        finished, the record screen on show."""
        previous, self._line = self._line, line
        # Retries while offline pass through "syncing": only the first loss of network is news.
        went_offline = line.offline and not self._offline
        if not line.syncing:
            self._offline = line.offline
        if self.route in BEFORE_UNLOCK or not self.route:
            return
        self.status_line.show(line, self.t)
        _update(self.status_line.control)
        if went_offline:
            self.notify(self.t("sync.offline"))
        finished = previous.syncing and not line.syncing
        if finished and line.record_changed and split_route(self.route)[0] in RECORD_AREAS:
            self.go(self.route)
        if line.news:
            self._tell_news(line.news)

    def _tell_news(self, news: News) -> None:
        """In the app, and in the system's notifications where there are some (no health data)."""
        parts = [self.t(key, count=count) for key, count in (
            ("news.documents", news.documents), ("news.messages", news.messages),
            ("news.emergency", news.emergency_accesses)) if count]
        message = " · ".join(parts)
        self.notify(message)
        self.system_notifications.send(self.t("app.title"), message)


def split_route(route: str) -> tuple[str, str | None]:
    """"/documents/abc" → ("/documents", "abc"); "/home" → ("/home", None)."""
    area, _, param = route.partition("/")[2].partition("/")
    return f"/{area}", param or None


def _set_disabled(control: ft.Control | None, disabled: bool) -> None:
    if control is not None:
        control.disabled = disabled
        _update(control)


def _update(control: ft.Control) -> None:
    try:
        control.update()
    except RuntimeError:  # no longer on the page (the user moved on): nothing to redraw
        pass

