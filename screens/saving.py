"""Handing a file the app made in memory to the user: the share sheet on phones, a save
dialog on desktops, a download in the browser. Nothing is written in clear by the app."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext

_CONTENT_TYPES = {"png": "image/png", "pdf": "application/pdf", "json": "application/fhir+json",
                  "jpg": "image/jpeg", "jpeg": "image/jpeg", "ics": "text/calendar", "webp": "image/webp"}


async def save_bytes(ctx: ScreenContext, file_name: str, data: bytes) -> bool:
    """True when the file was handed over (False: the user cancelled the dialog)."""
    platform = ctx.page.platform
    if not ctx.page.web and platform is not None and platform.is_mobile():
        content_type = _CONTENT_TYPES.get(file_name.rsplit(".", 1)[-1].lower())
        await ft.Share().share_files([ft.ShareFile.from_bytes(data, mime_type=content_type, name=file_name)])
        return True
    path = await ft.FilePicker().save_file(file_name=file_name, src_bytes=data)
    # The browser downloads without a path; a desktop dialog answers None when cancelled.
    return bool(path) or bool(ctx.page.web)
