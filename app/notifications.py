"""Telling the patient: the system's notification where the platform has one, and always a
message in the app.

plyer reaches the desktop's notification centre (and Android's), but raises
NotImplementedError where there is none (a headless Linux) and fails in other ways where
a piece is missing; the message in the app is then all there is. In the browser view the
Python process may run on another machine than the browser: no system notification.
Notifications carry no health data (they may show on a locked screen).
"""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


class SystemNotifications:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def send(self, title: str, message: str) -> None:
        """Best effort, in a thread of its own (plyer may block on D-Bus)."""
        if self.enabled:
            threading.Thread(target=self._send, args=(title, message), daemon=True,
                             name="carnet-notification").start()

    def _send(self, title: str, message: str) -> None:
        try:
            from plyer import notification

            notification.notify(title=title, message=message, app_name="Carnet", timeout=10)
        except NotImplementedError:
            self.enabled = False  # no notification centre here: stop trying
        except Exception as error:  # plyer's backends fail in many ways; the app still shows it
            log.info("system notification not shown: %s", type(error).__name__)
