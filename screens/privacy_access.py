"""One line of the access history in detail (`/privacy/<access id>`): what happened, when,
to which items, and why it was allowed (or refused): the rule in words. From here the
patient blocks (or unblocks) the professional, or sees everything they did."""
from __future__ import annotations

from dataclasses import dataclass, replace

import flet as ft

from health.access_reasons import Reason
from screens.context import ScreenContext
from screens.privacy_choices import DANGER, block_dialog, offline_note
from screens.privacy_history import KIND_ICONS
from screens.profile_form import TOUCH, icon_button
from screens.record_list import PANEL_WIDTH, loading_slot, panel

RULE_ICONS = {
    "blocked": ft.Icons.BLOCK, "emergency-refused": ft.Icons.BLOCK, "outside-profession": ft.Icons.BLOCK,
    "refused": ft.Icons.BLOCK, "emergency": ft.Icons.EMERGENCY, "emergency-choice": ft.Icons.TUNE,
    "representative": ft.Icons.FAMILY_RESTROOM, "app": ft.Icons.APPS, "regular-doctor": ft.Icons.STAR_OUTLINE,
    "profession": ft.Icons.BADGE_OUTLINED, "author": ft.Icons.EDIT_NOTE, "hidden": ft.Icons.VISIBILITY_OFF,
    "first-access": ft.Icons.NOTIFICATIONS_ACTIVE_OUTLINED,
}


ITEM_ICONS = {
    "DocumentReference": ft.Icons.DESCRIPTION_OUTLINED, "MedicationStatement": ft.Icons.MEDICATION,
    "AllergyIntolerance": ft.Icons.WARNING_AMBER, "Condition": ft.Icons.MEDICAL_INFORMATION,
    "Procedure": ft.Icons.HEALING, "Encounter": ft.Icons.LOCAL_HOSPITAL, "Immunization": ft.Icons.VACCINES,
    "Observation": ft.Icons.MONITOR_HEART, "RelatedPerson": ft.Icons.CONTACT_PHONE, "Communication": ft.Icons.MAIL,
    "Appointment": ft.Icons.EVENT, "Binary": ft.Icons.ATTACH_FILE,
}


@dataclass(frozen=True)
class _Loaded:
    detail: object  # app.access_history.AccessDetail, or None
    known: object  # app.privacy_service.KnownChoices


def access_screen(ctx: ScreenContext, access_id: str) -> ft.Control:
    privacy = ctx.services.privacy

    async def load() -> _Loaded:
        return _Loaded(await privacy.history.detail(access_id), await privacy.known_choices())

    header = ft.Row([icon_button(ft.Icons.ARROW_BACK, ctx.t("privacy.back"), "privacy-back",
                                 lambda _: ctx.go("/privacy")),
                     ft.Text(ctx.t("privacy.access_title"), theme_style=ft.TextThemeStyle.TITLE_LARGE,
                             weight=ft.FontWeight.W_600, expand=True)], spacing=8)
    body = loading_slot(ctx, f"privacy-access-{access_id}", load, lambda loaded: _detail(ctx, loaded))
    return ft.Container(key="privacy-access", padding=ft.Padding.only(left=16, top=12, right=16), expand=True,
                        content=ft.Column([header, body], spacing=0, expand=True))


def _detail(ctx: ScreenContext, loaded: _Loaded) -> list[ft.Control]:
    detail = loaded.detail
    if detail is None:
        return [ft.Text(ctx.t("privacy.access_gone"), key="privacy-access-gone")]
    line = detail.line
    refused = line.kind == "refused"
    summary = ft.Column([ft.Text(line.text, theme_style=ft.TextThemeStyle.TITLE_MEDIUM, key="privacy-access-text"),
                         ft.Text(f"{line.day} · {line.times}", color=ft.Colors.ON_SURFACE_VARIANT)], spacing=4)
    # The rule right under the sentence (what the patient came for), then what they may do about it.
    return [
        panel(KIND_ICONS.get(line.kind, KIND_ICONS["normal"])[0], ctx.t(f"privacy.kind.{line.kind}"), [summary],
              key="privacy-access-summary"),
        panel(ft.Icons.HELP_OUTLINE, ctx.t("privacy.why_refused" if refused else "privacy.why_allowed"),
              [_reason(reason) for reason in detail.reasons], key="privacy-why"),
        ft.Container(ft.Column(_actions(ctx, loaded), spacing=8), width=PANEL_WIDTH,
                     padding=ft.Padding.symmetric(horizontal=4)),
        panel(ft.Icons.SCHEDULE, ctx.t("privacy.moments"), [_moment(m) for m in detail.moments]),
        *([panel(ft.Icons.DESCRIPTION_OUTLINED, ctx.t("privacy.items"), _items(ctx, detail))] if detail.items else []),
    ]


def _reason(reason: Reason) -> ft.Control:
    return ft.Row([ft.Icon(RULE_ICONS.get(reason.rule, ft.Icons.INFO_OUTLINE), color=ft.Colors.PRIMARY),
                   ft.Text(reason.text, expand=True)], spacing=12, vertical_alignment=ft.CrossAxisAlignment.START,
                  key=f"privacy-rule-{reason.rule}")


def _moment(moment) -> ft.Control:
    colour = ft.Colors.ERROR if moment.refused else None
    return ft.Row([ft.Text(moment.time, weight=ft.FontWeight.W_600, width=56),
                   ft.Text(moment.text, color=colour, expand=True)], spacing=8,
                  vertical_alignment=ft.CrossAxisAlignment.START)


def _items(ctx: ScreenContext, detail) -> list[ft.Control]:
    rows = []
    for item in detail.items:
        notes = [ctx.t("privacy.item_by_them")] if item.by_agent else []
        if item.hidden:
            notes.append(ctx.t("privacy.item_hidden"))
        rows.append(ft.Row([
            ft.Icon(ft.Icons.VISIBILITY_OFF if item.hidden else
                    ITEM_ICONS.get(item.reference.split("/", 1)[0], ft.Icons.DESCRIPTION_OUTLINED), size=20,
                    color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Column([ft.Text(item.title or ctx.t("privacy.item_gone")),
                       *([ft.Text(" · ".join(notes), color=ft.Colors.ON_SURFACE_VARIANT)] if notes else [])],
                      spacing=0, expand=True)], spacing=12, vertical_alignment=ft.CrossAxisAlignment.START))
    if detail.more_items:
        rows.append(ft.Text(ctx.t("privacy.items_more", count=detail.more_items), color=ft.Colors.ON_SURFACE_VARIANT))
    return rows


def _actions(ctx: ScreenContext, loaded: _Loaded) -> list[ft.Control]:
    detail, choices = loaded.detail, loaded.known.choices
    person, practitioner = detail.person, detail.line.practitioner
    if person is None:
        return []

    def everything(_event) -> None:
        history = ctx.services.privacy.history
        history.filter = replace(history.filter, person=person.key, since=None, until=None, emergency_only=False)
        ctx.services.privacy.part = "history"
        ctx.go("/privacy")

    buttons: list[ft.Control] = [ft.OutlinedButton(ctx.t("privacy.all_of_them", name=person.name),
                                                   key="privacy-all-of-them", icon=ft.Icons.FILTER_LIST, style=TOUCH,
                                                   on_click=everything)]
    if not practitioner:
        return [ft.Row(buttons, wrap=True, spacing=8, run_spacing=8)]
    route = f"/privacy/{detail.line.id}"
    notes: list[ft.Control] = [offline_note(ctx)]
    if choices is not None and choices.is_blocked(practitioner):
        buttons.append(ft.FilledTonalButton(
            ctx.t("privacy.unblock_name", name=person.name), key="privacy-unblock", icon=ft.Icons.LOCK_OPEN,
            style=TOUCH, on_click=lambda _: block_dialog(ctx, practitioner, person.name, False, lambda: ctx.go(route))))
    elif choices is not None and choices.regular_doctor and choices.regular_doctor.practitioner == practitioner:
        notes.insert(0, ft.Text(ctx.t("privacy.regular_doctor_not_blocked"), color=ft.Colors.ON_SURFACE_VARIANT))
    else:
        buttons.append(ft.FilledButton(
            ctx.t("privacy.block_name", name=person.name), key="privacy-block", icon=ft.Icons.BLOCK, style=DANGER,
            on_click=lambda _: block_dialog(ctx, practitioner, person.name, True, lambda: ctx.go(route))))
    return [ft.Row(buttons, wrap=True, spacing=8, run_spacing=8), *notes]
