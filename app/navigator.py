"""Which screen shows, and the guard in front of the record: nothing past "unlocked"
without an open cache. It is also the `ScreenContext` the screens receive."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime
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
from screens.agenda import agenda_screen
from screens.catalogue import catalogue_screen
from screens.choose_pin import choose_pin_screen
from screens.context import Attempt
from screens.documents import documents_screen
from screens.emergency import emergency_screen
from screens.emergency_locked import emergency_locked_screen
from screens.home import home_screen
from screens.messages import messages_screen
from screens.privacy import privacy_screen
from screens.profile import profile_screen
from screens.review import review_screen
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
    "/messages": messages_screen,
    "/agenda": agenda_screen,
    "/privacy": privacy_screen,
    "/review": review_screen,
    "/catalogue": catalogue_screen,
}
# Screens showing the record: drawn again when a sync brings changes (a route or its area).
RECORD_AREAS = {"/home", "/profile", "/documents", "/messages", "/agenda", "/privacy", "/review"}
# How often, while the app is open, it looks for an appointment to announce.
ALERT_CHECK_SECONDS = 60


class Navigator:
    def __init__(self, page: ft.Page, services: Services) -> None:
        self.page = page
        self.services = services
        self.route = ""
        self.came_from: str | None = None  # the route shown before this one (a redraw keeps it)
        self.status_line = SyncStatusLine(self.t, services.sync_now, review=lambda: self.go("/review"))
        self.shell = Shell(page, self.status_line, self.t, self.go, set(UNLOCKED))
        self._line = services.sync_line
        self._theme_applied = False
        self._watching_appointments = False
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
        if route != self.route:
            self.came_from = self.route or None
        self.route = route
        if route in BEFORE_UNLOCK:
            self._theme_applied = False
            self.shell.show_alone(BEFORE_UNLOCK[route](self))
            return
        if not self._theme_applied:
            self._theme_applied = True
            self.page.run_task(self._apply_theme)
        if not self._watching_appointments:
            self._watching_appointments = True
            self.page.run_task(self._announce_appointments)
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
            if not hasattr(error, "message_fr"):  # a refusal that words itself is no bug
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
        self.shell.large_text = theme_module.TEXT_SIZES.get(text_size, 1.0) >= 1.5
        if self.route and self.route not in BEFORE_UNLOCK:
            self.go(self.route)  # the navigation too: its labels depend on the text size
        else:
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
        if finished and line.record_changed:
            # An appointment the sync brought may be today: say so now, not at the next check.
            self.page.run_task(self._check_appointments)
            if redrawn_after_sync(self.route):
                self.go(self.route)
        if line.news:
            self._tell_news(line.news)

    def _tell_news(self, news: News) -> None:
        """In the app, and in the system's notifications where there are some (no health data)."""
        parts = [self.t(key, count=count) for key, count in (
            ("news.documents", news.documents), ("news.messages", news.messages),
            ("news.emergency", news.emergency_accesses)) if count]
        message = " · ".join(parts)
        if news.messages and not news.documents and not news.emergency_accesses:
            self._notify_with_link(message, "/messages")
        else:
            self.notify(message)
        self.system_notifications.send(self.t("app.title"), message)

    async def _announce_appointments(self) -> None:
        """While the app is open: a day before an appointment and within the hour before it,
        a message in the app (and in the system's notifications, with no health data)."""
        while True:
            await self._check_appointments()
            await asyncio.sleep(ALERT_CHECK_SECONDS)

    async def _check_appointments(self) -> None:
        if not self.services.unlocked:
            return
        try:
            alerts = await self.services.agenda.alerts_due()
        except (SyncError, StorageError) as error:  # locked meanwhile: next time
            log.debug("appointment alerts skipped: %s", type(error).__name__)
            return
        for alert in alerts:
            self._announce(alert)

    def _announce(self, alert) -> None:
        local = alert.start.astimezone()
        today = local.date() == datetime.now().astimezone().date()
        key = "alert.hour_before" if alert.soon else ("alert.today" if today else "alert.day_before")
        said = self.t(key, time=f"{local:%H:%M}")
        self._notify_with_link(f"{said} : {alert.description}" if alert.description else said,
                               f"/agenda/{alert.appointment_id}")
        self.system_notifications.send(self.t("app.title"), said)  # no description: it may be health data

    def _notify_with_link(self, message: str, route: str) -> None:
        self.page.show_dialog(ft.SnackBar(
            ft.Text(message), show_close_icon=True, duration=ft.Duration(seconds=8),
            action=ft.SnackBarAction(label=self.t("alert.see"), on_click=lambda _event: self.go(route))))


def redrawn_after_sync(route: str) -> bool:
    """Whether a sync that changed the record draws this screen again: a screen of the record,
    but not one where the patient may be typing (a form; a conversation, which shows what a
    sync brings in place)."""
    area, param = split_route(route)
    if area not in RECORD_AREAS:
        return False
    if area == "/messages":
        return param is None
    return not (param and (param == "new" or param.endswith("/edit") or param.startswith("reminders/")))


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

