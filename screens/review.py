"""Changes to review (`/review`): each change made here that the sync could not settle on
its own. A conflict shows the patient's version beside the server's (one above the other
on a phone) with "keep my version" / "take the server's"; a refused change shows the
server's words with "send again" / "give it up". Giving up one's own version is asked
twice; nothing is chosen for the patient."""
from __future__ import annotations

import flet as ft

from screens.context import ScreenContext, close_dialog
from screens.profile_form import PHONE_MAX_WIDTH, TOUCH
from screens.profile_section import detail_text
from screens.record_list import loading_slot, section_title


def review_screen(ctx: ScreenContext) -> ft.Control:
    title = ft.Text(ctx.t("review.title"), theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600)
    # Back to where the patient came from (the status line is on every screen).
    back_to = ctx.came_from if ctx.came_from and ctx.came_from != "/review" else "/home"
    back = ft.TextButton(ctx.t("review.back"), key="review-back", icon=ft.Icons.ARROW_BACK, style=TOUCH,
                         on_click=lambda _: ctx.go(back_to))
    body = loading_slot(ctx, "review-list", ctx.services.review.changes, lambda changes: _list(ctx, changes))
    return ft.Container(key="review", padding=ft.Padding.only(left=16, top=12, right=16), expand=True,
                        content=ft.Column([ft.Row([back], wrap=True), title,
                                           ft.Text(ctx.t("review.explain"), color=ft.Colors.ON_SURFACE_VARIANT),
                                           body], spacing=8, expand=True))


def _list(ctx: ScreenContext, changes) -> list[ft.Control]:
    if not changes:
        return [ft.Text(ctx.t("review.none"), key="review-none")]
    return [_card(ctx, change) for change in changes]


def _card(ctx: ScreenContext, change) -> ft.Control:
    conflict = change.kind == "conflict"
    kind = ctx.t(f"review.type.{change.resource_type}")
    if kind == f"review.type.{change.resource_type}":
        kind = change.resource_type
    title = change.title or ctx.t("review.untitled")
    made = ctx.t(f"review.made.{change.operation}",
                 date=change.made_at.astimezone().strftime("%d/%m/%Y"),
                 time=change.made_at.astimezone().strftime("%H:%M")) if change.made_at else ""
    heading = ft.Column(spacing=2, controls=[
        ft.Row([ft.Icon(ft.Icons.CALL_SPLIT if conflict else ft.Icons.ERROR_OUTLINE,
                        color=ft.Colors.TERTIARY if conflict else ft.Colors.ERROR),
                ft.Text(ctx.t("review.conflict" if conflict else "review.refused"),
                        weight=ft.FontWeight.W_600, expand=True)]),
        section_title(f"{kind} : {title}"),
        *([ft.Text(made, theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT)]
          if made else []),
        ft.Text(ctx.t("review.conflict_explain" if conflict else "review.refused_explain")),
    ])
    parts: list[ft.Control] = [heading]
    if conflict:
        parts.append(_both_versions(ctx, change))
    else:
        parts.append(_version_box(ctx, ctx.t("review.yours"), change.yours, "review.deleted_here", f"{change.id}-yours"))
        if change.reason:
            parts.append(ft.Text(ctx.t("review.reason", reason=change.reason), key=f"review-reason-{change.id}",
                                 color=ft.Colors.ERROR, selectable=True))
    parts.append(_actions(ctx, change, title))
    return ft.Container(width=720, key=f"review-{change.id}", content=ft.Card(margin=0, content=ft.Container(
        padding=16, content=ft.Column(parts, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH))))


def _both_versions(ctx: ScreenContext, change) -> ft.Control:
    yours = _version_box(ctx, ctx.t("review.yours"), change.yours, "review.deleted_here", f"{change.id}-yours")
    theirs = _version_box(ctx, ctx.t("review.theirs"), change.theirs, "review.deleted_there", f"{change.id}-theirs")
    if (ctx.page.width or 0) < PHONE_MAX_WIDTH:
        return ft.Column([yours, theirs], spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    return ft.Row([ft.Container(yours, expand=True), ft.Container(theirs, expand=True)],
                  spacing=8, vertical_alignment=ft.CrossAxisAlignment.START)


def _version_box(ctx: ScreenContext, label: str, version, deleted_key: str, key: str) -> ft.Control:
    if version is None:
        lines = [ft.Text(ctx.t(deleted_key), italic=True)]
    else:
        details = [_detail(ctx, detail) for detail in version.details]
        lines = [ft.Text(version.title or ctx.t("review.untitled"), weight=ft.FontWeight.W_500),
                 *[ft.Text(text) for text in details if text]]
    return ft.Container(key=f"review-version-{key}", padding=12, border_radius=8,
                        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
                        content=ft.Column([ft.Text(label, theme_style=ft.TextThemeStyle.LABEL_LARGE,
                                                   color=ft.Colors.PRIMARY), *lines], spacing=4))


def _detail(ctx: ScreenContext, detail) -> str:
    if detail.kind == "hidden":
        return ctx.t("review.detail.hidden")
    return detail_text(ctx, detail)


def _actions(ctx: ScreenContext, change, title: str) -> ft.Control:
    review = ctx.services.review
    if change.kind == "conflict":
        keep = (review.keep_mine, "review.kept_mine")
        drop = (review.take_theirs, "review.took_theirs")
        labels = ("review.keep_mine", "review.take_theirs")
    else:
        keep = (review.send_again, "review.sent_again")
        drop = (review.give_up, "review.given_up")
        labels = ("review.send_again", "review.give_up")

    async def run(action, done_key: str) -> None:
        attempt = await ctx.attempt(lambda: action(change.id), busy=row_of_buttons)
        if attempt.ok:
            ctx.notify(ctx.t(done_key))
            ctx.go("/review")

    async def kept(_event) -> None:
        await run(*keep)

    def dropped(_event) -> None:
        async def confirmed(_event) -> None:
            close_dialog(dialog)
            await run(*drop)

        dialog = ft.AlertDialog(
            modal=True, title=ctx.t("review.confirm_title"),
            content=ft.Text(ctx.t("review.confirm_take", title=title)),
            actions=[ft.TextButton(ctx.t("review.cancel"), key="review-confirm-cancel", style=TOUCH,
                                   on_click=lambda _: close_dialog(dialog)),
                     ft.FilledButton(ctx.t("review.confirm"), key="review-confirm", style=TOUCH, on_click=confirmed)])
        ctx.page.show_dialog(dialog)

    buttons = [ft.FilledButton(ctx.t(labels[0]), key=f"review-keep-{change.id}", style=TOUCH,
                                   icon=ft.Icons.PHONE_ANDROID if change.kind == "conflict" else ft.Icons.SEND,
                                   on_click=kept),
               ft.OutlinedButton(ctx.t(labels[1]), key=f"review-drop-{change.id}", style=TOUCH,
                                     icon=ft.Icons.CLOUD_DOWNLOAD if change.kind == "conflict" else ft.Icons.UNDO,
                                     on_click=dropped)]
    row_of_buttons = ft.Row(buttons, wrap=True, spacing=8, run_spacing=8)
    return row_of_buttons
