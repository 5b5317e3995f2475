"""Health documents: the list (`/documents`), one document (`/documents/<id>`), adding one
(`/documents/+add`: "+" is never in a FHIR id, so no document can take that route)."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext
from screens.document_add import add_document_screen
from screens.document_list import ADD_ROUTE, document_list_screen
from screens.document_view import document_screen

ADD_PARAM = ADD_ROUTE.rsplit("/", 1)[1]


def documents_screen(ctx: ScreenContext, param: str | None = None) -> ft.Control:
    if param is None:
        return document_list_screen(ctx)
    if param == ADD_PARAM:
        return add_document_screen(ctx)
    return document_screen(ctx, param)
