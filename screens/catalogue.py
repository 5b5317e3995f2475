"""Catalogue: the apps the patient allowed first, then the referenced apps by category (a chip
per category); `/catalogue/<app id>` is an app's page (screens.catalogue_app).

What the server last said is shown at once (offline too), then asked again; offline, the
screen says since when the list dates. Cards sit in a responsive grid: one column on a
phone, two on a tablet, three on a desktop.
"""
from __future__ import annotations

import flet as ft

from screens.catalogue_app import app_screen
from screens.catalogue_parts import badge, category_icon, category_label, offline_note
from screens.context import ScreenContext
from screens.record_list import date_only, section_title

GRID = {"xs": 12, "md": 6, "xl": 4}  # a card's share of the row's 12 columns, by width


def catalogue_screen(ctx: ScreenContext, param: str | None = None) -> ft.Control:
    if param:
        return app_screen(ctx, param)
    return CatalogueList(ctx).control


class CatalogueList:
    def __init__(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        self.catalogue = ctx.services.catalogue
        self.known = None
        self.status = ft.Text("", key="catalogue-status", color=ft.Colors.ON_SURFACE_VARIANT, visible=False)
        self.granted = ft.ResponsiveRow(key="catalogue-granted", spacing=12, run_spacing=12)
        self.chips = ft.Row(key="catalogue-categories", spacing=8, run_spacing=8, wrap=True)
        self.apps = ft.ResponsiveRow(key="catalogue-apps", spacing=12, run_spacing=12)
        t = ctx.t
        self.control = ft.Container(key="catalogue", padding=ft.Padding.only(left=16, top=12, right=16), expand=True,
                                    content=ft.Column([
                                        ft.Text(t("catalogue.title"), theme_style=ft.TextThemeStyle.TITLE_LARGE,
                                                weight=ft.FontWeight.W_600),
                                        ft.Text(t("catalogue.explain"), color=ft.Colors.ON_SURFACE_VARIANT),
                                        self.status, offline_note(ctx),
                                        section_title(t("catalogue.granted_title")), self.granted,
                                        section_title(t("catalogue.browse_title")), self.chips, self.apps,
                                        ft.Container(height=24)],
                                        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True))
        ctx.page.run_task(self._load)

    async def _load(self) -> None:
        attempt = await self.ctx.attempt(self.catalogue.known)
        if attempt.ok:
            self._show(attempt.value)
        fresh = await self.ctx.attempt(self.catalogue.refresh, self.status)
        self._show(fresh.value if fresh.ok else self.known, stale=None if fresh.ok else self.status.value)

    def _show(self, known, stale: str | None = None) -> None:
        t = self.ctx.t
        self.known = known
        if stale:
            self.status.value = t("catalogue.stale", why=stale, date=date_only(known.fetched_at)) \
                if known is not None and known.fetched_at else f"{t('catalogue.none_known')} {stale}"
        self.status.visible = bool(stale)
        grants = known.grants if known else ()
        self.granted.controls = [self._card(g.app_id, g.app_name, g.publisher, g.category, g.category_label,
                                            self._grant_lines(g), "catalogue-granted-", withdrawn=not g.active)
                                 for g in grants] or \
            [ft.Text(t("catalogue.granted_none"), key="catalogue-granted-none", color=ft.Colors.ON_SURFACE_VARIANT)]
        self._show_chips()
        self._show_apps()
        self._update()

    def _grant_lines(self, grant) -> list[str]:
        t = self.ctx.t
        used = t("catalogue.used", date=date_only(grant.last_used_at)) if grant.last_used_at \
            else t("catalogue.never_used")
        return [t("catalogue.since", date=date_only(grant.granted_at)), used]

    def _show_chips(self) -> None:
        apps = self.known.apps if self.known else ()
        categories = list(dict.fromkeys((a.category, a.category_label) for a in apps))
        if self.catalogue.category not in {code for code, _ in categories}:
            self.catalogue.category = None
        chosen = self.catalogue.category
        chips = [self._chip("all", self.ctx.t("catalogue.all"), chosen is None)]
        chips += [self._chip(code, category_label(self.ctx, code, label), chosen == code) for code, label in categories]
        self.chips.controls = chips

    def _chip(self, code: str, label: str, selected: bool) -> ft.Control:
        def chosen(_event) -> None:
            self.catalogue.category = None if code == "all" else code
            self._show_chips()
            self._show_apps()
            self._update()
        return ft.Chip(label=ft.Text(label), key=f"catalogue-chip-{code}", selected=selected, on_select=chosen,
                       padding=ft.Padding.symmetric(horizontal=4, vertical=13),
                       visual_density=ft.VisualDensity.STANDARD)

    def _show_apps(self) -> None:
        t = self.ctx.t
        chosen = self.catalogue.category
        apps = [a for a in (self.known.apps if self.known else ()) if chosen in (None, a.category)]
        self.apps.controls = [self._card(a.id, a.name, a.publisher, a.category, a.category_label,
                                         [a.description or ""], "catalogue-app-", granted=a.granted) for a in apps] \
            or [ft.Text(t("catalogue.empty") if self.known and self.known.apps else t("catalogue.none_known"),
                        key="catalogue-apps-none", color=ft.Colors.ON_SURFACE_VARIANT)]

    def _card(self, app_id: str, name: str, publisher: str | None, category: str, label: str, lines: list[str],
              prefix: str, *, granted: bool = False, withdrawn: bool = False) -> ft.Control:
        t = self.ctx.t
        badges = []
        if withdrawn:
            badges.append(badge(t("catalogue.badge_withdrawn"), ft.Colors.ERROR_CONTAINER,
                                 ft.Colors.ON_ERROR_CONTAINER))
        elif granted:
            badges.append(badge(t("catalogue.badge_granted"), ft.Colors.SECONDARY_CONTAINER,
                                 ft.Colors.ON_SECONDARY_CONTAINER))
        said = " · ".join(part for part in (publisher, category_label(self.ctx, category, label)) if part)
        body = ft.Column([
            ft.Row([ft.Icon(category_icon(category), color=ft.Colors.PRIMARY),
                    ft.Text(name, theme_style=ft.TextThemeStyle.TITLE_MEDIUM, weight=ft.FontWeight.W_600,
                            expand=True)], spacing=12),
            ft.Text(said, color=ft.Colors.ON_SURFACE_VARIANT),
            *[ft.Text(line, max_lines=3, overflow=ft.TextOverflow.ELLIPSIS) for line in lines if line],
            *([ft.Row(badges, wrap=True)] if badges else [])], spacing=6)
        return ft.Container(col=GRID, content=ft.Card(content=ft.Container(
            body, padding=16, key=f"{prefix}{app_id}", on_click=lambda _: self.ctx.go(f"/catalogue/{app_id}"),
            ink=True, border_radius=12, tooltip=None)))

    def _update(self) -> None:
        try:
            self.control.update()
        except RuntimeError:  # the user left this screen meanwhile
            pass
