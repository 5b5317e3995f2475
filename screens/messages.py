"""Secure messaging: the inbox (unread conversations first, a search), and the route to a
conversation (`/messages/<first message id>`, screens.thread)."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext
from screens.dates import short_moment
from screens.record_list import PANEL_WIDTH, loading_slot
from screens.thread import thread_screen


def messages_screen(ctx: ScreenContext, thread_id: str | None = None) -> ft.Control:
    if thread_id:
        return thread_screen(ctx, thread_id)
    return loading_slot(ctx, "messages", ctx.services.messages.inbox, lambda inbox: _inbox(ctx, inbox))


def _inbox(ctx: ScreenContext, conversations) -> list[ft.Control]:
    unread = sum(conversation.unread for conversation in conversations)
    listing = ft.Column(_tiles(ctx, conversations, ""), key="messages-list", spacing=4)
    summary = ft.Text(ctx.t("messages.unread_total", count=unread) if unread else ctx.t("messages.all_read"),
                      key="messages-unread", color=ft.Colors.PRIMARY if unread else ft.Colors.ON_SURFACE_VARIANT)

    async def search(event) -> None:
        text = event.control.value or ""
        attempt = await ctx.attempt(lambda: ctx.services.messages.inbox(text))
        if attempt.ok:
            listing.controls = _tiles(ctx, attempt.value, text)
            listing.update()

    field = ft.TextField(label=ctx.t("messages.search"), key="messages-search", prefix_icon=ft.Icons.SEARCH,
                         on_change=search, on_submit=search, dense=True)
    return [ft.Container(width=PANEL_WIDTH, content=ft.Column([
        ft.Row([ft.Icon(ft.Icons.MAIL, color=ft.Colors.PRIMARY),
                ft.Text(ctx.t("messages.title"), theme_style=ft.TextThemeStyle.HEADLINE_SMALL)], wrap=True),
        ft.Text(ctx.t("messages.explain"), color=ft.Colors.ON_SURFACE_VARIANT),
        summary, field, listing], spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH))]


def _tiles(ctx: ScreenContext, conversations, search: str) -> list[ft.Control]:
    if not conversations:
        words = ctx.t("messages.no_match", search=search) if search.strip() else ctx.t("messages.none")
        return [ft.Text(words, key="messages-empty", color=ft.Colors.ON_SURFACE_VARIANT)]
    return [_tile(ctx, conversation) for conversation in conversations]


def _tile(ctx: ScreenContext, conversation) -> ft.Control:
    unread = conversation.unread > 0
    subject = conversation.subject or ctx.t("messages.no_subject")
    details = " · ".join(part for part in (conversation.opener, short_moment(ctx, conversation.last_sent)) if part)
    trailing = ft.Container(
        ft.Text(str(conversation.unread), color=ft.Colors.ON_PRIMARY, weight=ft.FontWeight.W_600, theme_style=ft.TextThemeStyle.BODY_SMALL),
        bgcolor=ft.Colors.PRIMARY, border_radius=12, padding=ft.Padding.symmetric(horizontal=8, vertical=2),
        tooltip=ctx.t("messages.unread", count=conversation.unread)) if unread else None
    return ft.Card(
        key=f"conversation-{conversation.first_message_id}",
        elevation=2 if unread else 0,
        content=ft.ListTile(
            leading=ft.Icon(ft.Icons.MARK_EMAIL_UNREAD if unread else ft.Icons.DRAFTS_OUTLINED,
                            color=ft.Colors.PRIMARY if unread else ft.Colors.ON_SURFACE_VARIANT),
            title=ft.Text(subject, weight=ft.FontWeight.W_700 if unread else ft.FontWeight.W_500,
                          max_lines=2, overflow=ft.TextOverflow.ELLIPSIS),
            subtitle=ft.Column([ft.Text(details, theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT),
                                ft.Text(conversation.last_text or "", max_lines=2,
                                        overflow=ft.TextOverflow.ELLIPSIS)], spacing=2, tight=True),
            trailing=trailing, is_three_line=True,
            on_click=lambda _: ctx.go(f"/messages/{conversation.first_message_id}")))
