"""The page's one `ft.FilePicker`, shared by the documents screens (pick a file to add,
save a copy of one).

A Flet service registers itself with the page of the current event; a screen drawn again
after a sync is built outside any event, where a new picker would not reach the client.
So the page keeps one picker for its lifetime, registered when it is first needed.
"""
from __future__ import annotations

from weakref import WeakKeyDictionary

import flet as ft

_PICKERS: WeakKeyDictionary[ft.Page, ft.FilePicker] = WeakKeyDictionary()


def page_file_picker(page: ft.Page) -> ft.FilePicker:
    picker = _PICKERS.get(page)
    if picker is None:
        picker = _PICKERS[page] = ft.FilePicker()
        if not _in_event_of(page):
            # Flet 1.0 has no public call for this; it is what construction does in an event.
            page._services.register_service(picker)
    return picker


def _in_event_of(page: ft.Page) -> bool:
    try:
        return ft.context.page is page
    except RuntimeError:
        return False
