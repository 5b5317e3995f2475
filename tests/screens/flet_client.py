"""A Flet client without a browser: Flet's real `Session` over a connection that encodes
every message as the socket server does (msgpack, which is where Flet diffs controls), so
screens are drawn, updated and clicked exactly as in the app, and their tree is inspected.

    async with FletClient(width=390) as client:
        make_main(server_url, ...)(client.page)
        await client.wait_for_text("Bonjour")
        await client.click("home-emergency-card")
"""
from __future__ import annotations

import asyncio
import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import flet as ft
import msgpack
from flet.controls.base_control import BaseControl
from flet.messaging.connection import Connection
from flet.messaging.protocol import configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

WAIT_SECONDS = 20.0


class RecordingConnection(Connection):
    def __init__(self, loop: asyncio.AbstractEventLoop, executor: ThreadPoolExecutor) -> None:
        super().__init__()
        self.loop = loop
        self.executor = executor
        self.pubsubhub = PubSubHub(loop=loop, executor=executor)
        self.sent = 0

    def send_message(self, message) -> None:
        # Encoding is what makes Flet compute the patch and freeze what it sent.
        msgpack.packb([message.action, message.body], default=configure_encode_object_for_msgpack(BaseControl))
        self.sent += 1


class FletClient:
    def __init__(self, width: float = 1440, height: float = 900) -> None:
        self.width, self.height = width, height
        self.session: Session | None = None
        self._executor = ThreadPoolExecutor(max_workers=4)

    async def __aenter__(self) -> "FletClient":
        connection = RecordingConnection(asyncio.get_running_loop(), self._executor)
        self.session = Session(connection)
        # What the socket server does when a browser registers: the client's page size in,
        # then the first full page out (which indexes the page's controls).
        self.session.apply_page_patch({"width": self.width, "height": self.height})
        msgpack.packb(self.session.get_page_patch(), default=configure_encode_object_for_msgpack(BaseControl))
        return self

    async def __aexit__(self, *exc) -> None:
        # The browser tab closes: the app stops syncing and locks its cache (`page.on_close`).
        await self.session.dispatch_event(self.page._i, "close", None)
        self._executor.shutdown(wait=False, cancel_futures=True)

    @property
    def page(self) -> ft.Page:
        return self.session.page

    # -- looking at the tree -------------------------------------------------------------
    def controls(self, *, visible_only: bool = False) -> Iterator[BaseControl]:
        """Every control on the page, dialogs, app bar and navigation bar included."""
        yield from _walk(self.page, set(), visible_only)

    def find(self, key: str) -> BaseControl | None:
        return next((control for control in self.controls() if _key(control) == key), None)

    def texts(self) -> list[str]:
        """Every visible text: Text values, labels, titles, hints, button contents."""
        found = []
        for control in self.controls(visible_only=True):
            for name in ("value", "label", "content", "text", "tooltip", "hint_text", "semantics_label"):
                value = getattr(control, name, None)
                if isinstance(value, str) and value:
                    found.append(value)
        return found

    def has_text(self, fragment: str) -> bool:
        return any(fragment in text for text in self.texts())

    # -- waiting and acting --------------------------------------------------------------
    async def wait_until(self, condition, what: str, timeout: float = WAIT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; texts: {self.texts()[:60]}")
            await asyncio.sleep(0.05)

    async def wait_for_text(self, fragment: str, timeout: float = WAIT_SECONDS) -> None:
        await self.wait_until(lambda: self.has_text(fragment), repr(fragment), timeout)

    async def wait_for(self, key: str, timeout: float = WAIT_SECONDS) -> BaseControl:
        await self.wait_until(lambda: self.find(key) is not None, f"control {key!r}", timeout)
        return self.find(key)

    async def event(self, key: str, name: str, data: Any = None) -> None:
        control = await self.wait_for(key)
        await self.session.dispatch_event(control._i, name, data)
        await asyncio.sleep(0)

    async def click(self, key: str) -> None:
        """Click the control with this key, or the first clickable control inside it (a card
        whose list tile takes the click, say)."""
        control = await self.wait_for(key)
        clickable = next((c for c in _walk(control, set(), True) if getattr(c, "on_click", None)), None)
        if clickable is None:
            raise AssertionError(f"nothing to click in {key!r}")
        await self.session.dispatch_event(clickable._i, "click", None)
        await asyncio.sleep(0)
        await self.dismiss_closed_dialogs()

    async def dismiss_closed_dialogs(self) -> None:
        """Say a closed dialog is gone, as Flutter does once its closing animation ends:
        Flet then takes it off the page (else a new dialog with its key is diffed against it)."""
        for dialog in [d for d in self.page._dialogs.controls if not d.open]:
            await self.session.dispatch_event(dialog._i, "dismiss", None)

    async def navigate(self, label: str) -> None:
        """Pick a destination of the navigation bar (phones) or rail (wider screens) by its label."""
        bar = self.find("navigation-bar") or self.find("navigation-rail")
        if bar is None:
            raise AssertionError("no navigation on this screen")
        labels = [getattr(d.label, "value", d.label) for d in bar.destinations]
        if label not in labels:
            raise AssertionError(f"no destination {label!r} among {labels}")
        self.session.apply_patch(bar._i, {"selected_index": labels.index(label)})
        await self.session.dispatch_event(bar._i, "change", None)

    async def open_area(self, label: str, more_key: str, screen_key: str) -> None:
        """An area is in the rail, or in a phone's bar, or under its "Plus" when the bar is full."""
        bar = self.find("navigation-bar") or self.find("navigation-rail")
        if label in [getattr(d.label, "value", d.label) for d in bar.destinations]:
            await self.navigate(label)
        else:
            await self.navigate("Plus")
            await self.click(more_key)
        await self.wait_for(screen_key)

    async def type(self, key: str, text: str) -> None:
        """Type into a text field as the client does: the value arrives, then `change`."""
        control = await self.wait_for(key)
        self.session.apply_patch(control._i, {"value": text})
        await self.session.dispatch_event(control._i, "change", text)

    async def choose(self, key: str, value: str) -> None:
        """Pick a value of a dropdown, radio group, segmented button or switch."""
        control = await self.wait_for(key)
        self.session.apply_patch(control._i, {"value": value})
        await self.session.dispatch_event(control._i, "change", value)


def _key(control: BaseControl) -> str | None:
    key = getattr(control, "key", None)
    if key is None:
        return None
    return str(getattr(key, "value", key))


def _walk(control: BaseControl, seen: set[int], visible_only: bool = False) -> Iterator[BaseControl]:
    if id(control) in seen or (visible_only and getattr(control, "visible", True) is False):
        return
    seen.add(id(control))
    yield control
    for field in dataclasses.fields(control):
        if field.name.startswith("_") or field.name in ("parent", "page"):
            continue
        value = getattr(control, field.name, None)
        for child in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(child, BaseControl):
                yield from _walk(child, seen, visible_only)
    if isinstance(control, ft.Page):
        for dialog in control._dialogs.controls:
            if dialog.open:
                yield from _walk(dialog, seen, visible_only)
