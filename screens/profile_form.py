"""The form to add or edit one of the patient's own profile entries, in a dialog.

A dialog rather than a screen: a sync finishing meanwhile redraws the screen behind it,
never what the patient is typing. Every field has a label; what is wrong is said under
the field itself, in the patient's language, and nothing is saved until all is right.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Callable

import flet as ft

from health.codes import MEASUREMENTS
from health.profile_forms import (
    ALLERGY_KINDS, BLOOD_GROUPS, BLOOD_PRESSURE, CRITICALITIES, MEASUREMENT_KINDS, RELATIONSHIPS, display_unit,
    parse_date,
)
from screens.context import ScreenContext, close_dialog

PHONE_MAX_WIDTH = 600
# Buttons at least 48 px tall (Material's touch target), also where Flutter makes them
# compact (desktop and web browsers).
TOUCH = ft.ButtonStyle(visual_density=ft.VisualDensity.STANDARD,
                       padding=ft.Padding.symmetric(horizontal=16, vertical=14))


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # text | long | date | day | time | number | choice | check
    optional: bool = False


_TEXT, _LONG, _DATE, _DAY, _TIME, _NUMBER, _CHOICE, _CHECK = (
    "text", "long", "date", "day", "time", "number", "choice", "check")
FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "allergies": (FieldSpec("substance", _TEXT), FieldSpec("kind", _CHOICE), FieldSpec("criticality", _CHOICE),
                  FieldSpec("reaction", _LONG, True), FieldSpec("since", _DATE, True)),
    "conditions": (FieldSpec("what", _TEXT), FieldSpec("since", _DATE, True), FieldSpec("active", _CHECK)),
    "operations": (FieldSpec("what", _TEXT), FieldSpec("date", _DATE)),
    "hospital-stays": (FieldSpec("reason", _TEXT), FieldSpec("place", _TEXT, True), FieldSpec("start", _DATE),
                       FieldSpec("end", _DATE, True)),
    "treatments": (FieldSpec("medication", _TEXT), FieldSpec("dosage", _TEXT, True), FieldSpec("start", _DATE, True),
                   FieldSpec("ongoing", _CHECK), FieldSpec("end", _DATE, True)),
    "vaccinations": (FieldSpec("vaccine", _TEXT), FieldSpec("date", _DATE), FieldSpec("lot", _TEXT, True)),
    "measurements": (FieldSpec("kind", _CHOICE), FieldSpec("value", _NUMBER), FieldSpec("second_value", _NUMBER),
                     FieldSpec("date", _DAY), FieldSpec("time", _TIME, True)),
    "blood-group": (FieldSpec("group", _CHOICE),),
    "advance-directives": (FieldSpec("text", _LONG),),
    "contacts": (FieldSpec("given", _TEXT), FieldSpec("family", _TEXT), FieldSpec("relationship", _CHOICE),
                 FieldSpec("phone", _TEXT, True), FieldSpec("email", _TEXT, True), FieldSpec("trusted", _CHECK),
                 FieldSpec("emergency", _CHECK)),
}
_KEYBOARDS = {"phone": ft.KeyboardType.PHONE, "email": ft.KeyboardType.EMAIL}


def choices(ctx: ScreenContext, section: str, name: str) -> list[tuple[str, str]]:
    """(value, label) of a choice field."""
    if section == "allergies":
        values = ALLERGY_KINDS if name == "kind" else CRITICALITIES
        return [(value, ctx.t(f"profile.choice.{name}.{value}")) for value in values]
    if section == "measurements":
        english = ctx.services.translator.language == "en"
        return [(code, MEASUREMENTS[code][1 if english else 0]) for code in MEASUREMENT_KINDS]
    if section == "blood-group":
        return [(group, group) for group in BLOOD_GROUPS]
    return [(code, ctx.t(f"profile.detail.relationship.{code}")) for code in RELATIONSHIPS]


def open_form(ctx: ScreenContext, section: str, form, entry_id: str | None, saved: Callable[[], None]) -> None:
    """Show the form of `section` filled with `form`; `saved()` runs after a successful save."""
    view = FormView(ctx, section, form)
    feedback = ft.Text("", key="profile-form-feedback", color=ft.Colors.ERROR, visible=False)
    phone = (ctx.page.width or 1024) < PHONE_MAX_WIDTH

    async def save(_event) -> None:
        value = view.value()
        errors = ctx.services.profile.check(section, value)
        view.show_errors(errors)
        feedback.value, feedback.visible = ctx.t("profile.form.check"), bool(errors)
        dialog.update()
        if errors:
            return
        attempt = await ctx.attempt(lambda: ctx.services.profile.save(section, value, entry_id), feedback,
                                    busy=save_button)
        if attempt.ok:
            close_dialog(dialog)
            ctx.notify(ctx.t("profile.saved"))
            saved()

    save_button = ft.FilledButton(ctx.t("profile.save"), key="profile-form-save", icon=ft.Icons.CHECK, on_click=save,
                                  style=TOUCH)
    title = ctx.t(f"profile.edit.{section}" if entry_id else f"profile.add.{section}")
    dialog = ft.AlertDialog(
        key="profile-form", modal=True, scrollable=True, title=ft.Text(title),
        # Near the full width of a phone, with the room kept for 200 % text.
        inset_padding=ft.Padding.symmetric(horizontal=12 if phone else 40, vertical=24),
        content_padding=ft.Padding.symmetric(horizontal=16 if phone else 24, vertical=8),
        content=ft.Container(ft.Column([*view.controls, feedback], spacing=16, tight=True,
                                       horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                             width=min(560, (ctx.page.width or 600) - (56 if phone else 128))),
        actions=[ft.TextButton(ctx.t("common.cancel"), key="profile-form-cancel", style=TOUCH,
                               on_click=lambda _: close_dialog(dialog)), save_button],
    )
    ctx.page.show_dialog(dialog)


def icon_button(icon: ft.IconData, label: str, key: str, on_click) -> ft.Control:
    """An icon button with an accessible name (an IconButton has none of its own, and a
    tooltip would be read twice)."""
    return ft.Semantics(content=ft.IconButton(icon, key=key, on_click=on_click, visual_density=ft.VisualDensity.STANDARD,
                                              width=48, height=48), label=label, button=True)


class FormView:
    """The controls of one form, read back into its dataclass, showing errors per field."""

    def __init__(self, ctx: ScreenContext, section: str, form) -> None:
        self.ctx, self.section, self.form = ctx, section, form
        self.inputs: dict[str, ft.Control] = {}
        self.errors: dict[str, ft.Text] = {}  # under fields that have no error slot of their own
        self.rows: dict[str, ft.Control] = {}
        for spec in FIELDS[section]:
            self.rows[spec.name] = self._field(spec, getattr(form, spec.name))
        self.controls = list(self.rows.values())
        self.refresh()

    def label(self, spec: FieldSpec) -> str:
        text = self.ctx.t(f"profile.field.{self.section}.{spec.name}")
        if self.section == "measurements" and spec.name in ("value", "second_value"):
            kind = MEASUREMENT_KINDS.get(self._current("kind"))
            unit = display_unit(kind.unit) if kind else ""
            name = "systolic" if spec.name == "value" and kind and kind.code == BLOOD_PRESSURE else spec.name
            text = self.ctx.t(f"profile.field.measurements.{name}", unit=unit)
        return self.ctx.t("profile.form.optional", label=text) if spec.optional else text

    def _field(self, spec: FieldSpec, value) -> ft.Control:
        key = f"profile-form-{spec.name}"
        if spec.kind == _CHECK:
            control = ft.Checkbox(label=self.label(spec), key=key, value=bool(value), on_change=self._changed)
            self.inputs[spec.name] = control
            return control
        if spec.kind == _CHOICE:
            return self._choice(spec, key, value)
        field = ft.TextField(
            label=self.label(spec), key=key, value=value or "", on_change=self._typed,
            multiline=spec.kind == _LONG, min_lines=(6 if self.section == "advance-directives" else 2)
            if spec.kind == _LONG else None,
            max_lines=12 if spec.kind == _LONG else None, error_max_lines=4,
            hint_text={_DATE: self.ctx.t("profile.form.date_hint"), _DAY: self.ctx.t("profile.form.day_hint"),
                       _TIME: self.ctx.t("profile.form.time_hint")}.get(spec.kind),
            keyboard_type=_KEYBOARDS.get(spec.name) or (
                ft.KeyboardType.NUMBER if spec.kind == _NUMBER else
                ft.KeyboardType.DATETIME if spec.kind in (_DATE, _DAY, _TIME) else
                ft.KeyboardType.MULTILINE if spec.kind == _LONG else ft.KeyboardType.TEXT),
            expand=spec.kind in (_DATE, _DAY))
        self.inputs[spec.name] = field
        if spec.kind not in (_DATE, _DAY):
            return field
        return ft.Row([field, icon_button(ft.Icons.CALENDAR_MONTH, self.ctx.t("profile.form.pick_date", label=field.label),
                                          f"{key}-pick", lambda _: self._pick_date(field))],
                      vertical_alignment=ft.CrossAxisAlignment.START)

    def _choice(self, spec: FieldSpec, key: str, value) -> ft.Control:
        group = ft.RadioGroup(key=key, value=value or None, on_change=self._changed, content=ft.Row(
            [ft.Radio(value=option, label=label, key=f"{key}-{option}")
             for option, label in choices(self.ctx, self.section, spec.name)], wrap=True, spacing=4, run_spacing=0))
        error = ft.Text("", color=ft.Colors.ERROR, visible=False, key=f"{key}-error")
        self.inputs[spec.name], self.errors[spec.name] = group, error
        return ft.Column([ft.Text(self.label(spec), color=ft.Colors.ON_SURFACE_VARIANT), group, error], spacing=2)

    def _current(self, name: str):
        control = self.inputs.get(name)
        return control.value if control is not None else getattr(self.form, name)

    def value(self):
        """The form as typed now (the dataclass the section's services take)."""
        values = {}
        for spec in fields(self.form):
            control = self.inputs.get(spec.name)
            if control is not None:
                current = control.value
                values[spec.name] = bool(current) if isinstance(control, ft.Checkbox) else (current or "")
        return replace(self.form, **values)

    def show_errors(self, errors) -> None:
        by_field = {error.field: error for error in errors}
        for name, control in self.inputs.items():
            error = by_field.get(name)
            message = self._message(error) if error else None
            if name in self.errors:
                self.errors[name].value, self.errors[name].visible = message or "", bool(message)
            elif isinstance(control, ft.TextField):
                control.error = message

    def _message(self, error) -> str:
        values = dict(error.values)
        if self.ctx.services.translator.language == "fr":
            values = {k: v.replace(".", ",") if k in ("low", "high") else v for k, v in values.items()}
        return self.ctx.t(f"profile.error.{error.code}", **values)

    def refresh(self) -> None:
        """Show what depends on other fields: the diastolic for blood pressure, an end date
        for a stopped treatment, the unit in the value's label."""
        if self.section == "measurements":
            self.rows["second_value"].visible = self._current("kind") == BLOOD_PRESSURE
            for spec in FIELDS[self.section]:
                if spec.name in ("value", "second_value"):
                    self.inputs[spec.name].label = self.label(spec)
        if self.section == "treatments":
            self.rows["end"].visible = not self._current("ongoing")

    def _changed(self, event) -> None:
        self.refresh()
        self._typed(event)

    def _typed(self, event) -> None:
        """Typing in a field clears its error; the dialog redraws at the end of the handler."""
        for name, control in self.inputs.items():
            if control is event.control and isinstance(control, ft.TextField):
                control.error = None
            if control is event.control and name in self.errors:
                self.errors[name].visible = False

    def _pick_date(self, field: ft.TextField) -> None:
        def picked(event) -> None:
            if event.control.value:
                field.value, field.error = event.control.value.strftime("%d/%m/%Y"), None
                field.update()

        today = date.today()
        typed = parse_date(field.value or "")
        shown = typed[1] if typed and typed[1] <= today else today
        self.ctx.page.show_dialog(ft.DatePicker(
            value=datetime(shown.year, shown.month, shown.day),
            first_date=datetime(1900, 1, 1), last_date=datetime(today.year, today.month, today.day),
            current_date=datetime(today.year, today.month, today.day), on_change=picked,
            locale=ft.Locale("en", "GB") if self.ctx.services.translator.language == "en" else ft.Locale("fr", "FR"),
            help_text=field.label, confirm_text=self.ctx.t("common.confirm"), cancel_text=self.ctx.t("common.cancel")))
