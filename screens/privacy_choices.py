"""The patient's choices: emergency access, regular doctor, blocked professionals, e-mails,
and the documents they hid. What the server last said is shown at once (offline too), then
asked again; a change needs the network, and the screen says so when there is none.

The controls are built once and changed in place (see app/shell.py on keyed controls): a
row of a blocked professional or of a hidden document is kept while it stays listed.
"""
from __future__ import annotations

from typing import Callable

import flet as ft

from health.access_log import PROFESSIONAL
from health.access_sentences import person_label, with_title
from screens.context import ScreenContext, close_dialog
from screens.privacy_hidden import HiddenDocuments
from screens.profile_form import TOUCH
from screens.record_list import date_only, panel

DANGER = ft.ButtonStyle(bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR, visual_density=ft.VisualDensity.STANDARD,
                        padding=ft.Padding.symmetric(horizontal=16, vertical=14))
NONE = "none"  # the regular doctor dropdown's "no regular doctor"


def choices_part(ctx: ScreenContext) -> list[ft.Control]:
    return ChoicesPart(ctx).controls


def offline_note(ctx: ScreenContext) -> ft.Control:
    """Said where a change needs the network, when the last sync found none."""
    return ft.Container(visible=ctx.services.sync_line.offline, key="privacy-offline-note", content=ft.Row(
        [ft.Icon(ft.Icons.CLOUD_OFF, color=ft.Colors.ON_SURFACE_VARIANT),
         ft.Text(ctx.t("privacy.offline_changes"), color=ft.Colors.ON_SURFACE_VARIANT, expand=True)], spacing=8))


class ChoicesPart:
    def __init__(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        self.privacy = ctx.services.privacy
        t = ctx.t
        self.known = None
        self.status = ft.Text("", key="privacy-choices-status", color=ft.Colors.ON_SURFACE_VARIANT, visible=False)
        self.emergency = ft.Switch(key="privacy-emergency", on_change=self._emergency_changed, disabled=True)
        self.doctor = ft.Text("", key="privacy-regular-doctor")
        self.doctor_choice = ft.Dropdown(key="privacy-regular-doctor-choice", label=t("privacy.regular_doctor_choose"),
                                         on_select=self._doctor_chosen, enable_search=False, expand=True,
                                         disabled=True)
        self.blocked = ft.Column(spacing=0, key="privacy-blocked")
        self._blocked_rows: dict[str, ft.Control] = {}
        self.first_access = ft.Switch(key="privacy-mail-first-access", disabled=True,
                                      on_change=lambda e: self._mail(email_on_first_access=bool(e.control.value)))
        self.new_document = ft.Switch(key="privacy-mail-new-document", disabled=True,
                                      on_change=lambda e: self._mail(email_on_new_document=bool(e.control.value)))
        emergency_mail = ft.Switch(key="privacy-mail-emergency", value=True, disabled=True)
        block_button = ft.OutlinedButton(t("privacy.block_someone"), key="privacy-block-someone",
                                         icon=ft.Icons.PERSON_SEARCH, style=TOUCH,
                                         on_click=lambda _: ctx.page.run_task(self._search_to_block))
        self.controls = [
            ft.Column([self.status, offline_note(ctx)], spacing=4),
            panel(ft.Icons.EMERGENCY, t("privacy.emergency_title"), [
                switch_row(t("privacy.emergency_switch"), self.emergency), _explain(t("privacy.emergency_explain"))],
                key="privacy-emergency-panel"),
            panel(ft.Icons.STAR_OUTLINE, t("privacy.regular_doctor_title"), [
                self.doctor, ft.Semantics(content=ft.Row([self.doctor_choice]), label=t("privacy.regular_doctor_choose"),
                                          button=True),
                _explain(t("privacy.regular_doctor_explain"))], key="privacy-doctor-panel"),
            panel(ft.Icons.BLOCK, t("privacy.blocked_title"), [
                _explain(t("privacy.blocked_explain")), self.blocked, block_button], key="privacy-blocked-panel"),
            panel(ft.Icons.MAIL_OUTLINE, t("privacy.mail_title"), [
                switch_row(t("privacy.mail_first_access"), self.first_access),
                switch_row(t("privacy.mail_new_document"), self.new_document),
                switch_row(t("privacy.mail_emergency"), emergency_mail)], key="privacy-mail-panel"),
            HiddenDocuments(ctx).control,
        ]
        ctx.page.run_task(self._load)

    async def _load(self) -> None:
        attempt = await self.ctx.attempt(self.privacy.known_choices)
        if attempt.ok:
            self._show(attempt.value)
        await self._refresh()

    async def _refresh(self) -> None:
        """Ask the server; offline, say since when what is shown dates (in the status line:
        reading still works, it is no error to pop up)."""
        attempt = await self.ctx.attempt(self.privacy.refresh, self.status)
        self._show(attempt.value if attempt.ok else self.known, stale=None if attempt.ok else self.status.value)

    def _show(self, known, stale: str | None = None) -> None:
        t = self.ctx.t
        self.known = known
        choices = known.choices if known is not None else None
        if stale:
            self.status.value = t("privacy.choices_stale", why=stale, date=date_only(known.fetched_at)) \
                if choices is not None else t("privacy.choices_unknown", why=stale)
        self.status.visible = bool(stale)
        for switch in (self.emergency, self.first_access, self.new_document, self.doctor_choice):
            switch.disabled = choices is None
        if choices is not None:
            self.emergency.value = choices.emergency_access_allowed
            self.first_access.value = choices.email_on_first_access
            self.new_document.value = choices.email_on_new_document
            self._show_doctor(choices)
            self._show_blocked(choices)
        self._update()
        if choices is not None:
            self.ctx.page.run_task(self._fill_doctors)

    def _show_doctor(self, choices) -> None:
        doctor = choices.regular_doctor
        self.doctor.value = self.ctx.t("privacy.regular_doctor_is", name=self._label(doctor)) if doctor else \
            self.ctx.t("privacy.regular_doctor_none")
        self.doctor_choice.value = doctor.practitioner if doctor else NONE

    async def _fill_doctors(self) -> None:
        attempt = await self.ctx.attempt(self.privacy.regular_doctor_candidates)
        if not attempt.ok or self.known is None or self.known.choices is None:
            return
        doctor = self.known.choices.regular_doctor
        options = [ft.DropdownOption(key=NONE, text=self.ctx.t("privacy.regular_doctor_nobody"))]
        options += [ft.DropdownOption(key=p.practitioner, text=p.label) for p in attempt.value]
        if doctor and doctor.practitioner not in {p.practitioner for p in attempt.value}:
            options.append(ft.DropdownOption(key=doctor.practitioner, text=self._label(doctor)))
        self.doctor_choice.options = options
        self._update()

    def _show_blocked(self, choices) -> None:
        rows = []
        for blocked in choices.blocked:
            row = self._blocked_rows.get(blocked.practitioner)
            if row is None:
                row = self._blocked_row(blocked)
                self._blocked_rows[blocked.practitioner] = row
            rows.append(row)
        self.blocked.controls = rows or [ft.Text(self.ctx.t("privacy.blocked_none"), key="privacy-blocked-none",
                                                 color=ft.Colors.ON_SURFACE_VARIANT)]

    def _blocked_row(self, blocked) -> ft.Control:
        ident = blocked.practitioner_id
        since = self.ctx.t("privacy.blocked_since", date=date_only(blocked.since)) if blocked.since else ""
        name = with_title(blocked.name, blocked.profession)
        unblock = ft.TextButton(self.ctx.t("privacy.unblock_name", name=name), key=f"privacy-unblock-{ident}",
                                style=TOUCH, icon=ft.Icons.LOCK_OPEN,
                                on_click=lambda _: block_dialog(self.ctx, blocked.practitioner, name, False,
                                                                self._changed))
        # The button under the name: beside it, a phone would squeeze the name to a column.
        return ft.ListTile(
            key=f"privacy-blocked-{ident}", leading=ft.Icon(ft.Icons.BLOCK, color=ft.Colors.ERROR),
            title=ft.Text(self._label(blocked)), content_padding=ft.Padding.only(left=0, right=0),
            subtitle=ft.Column([*([ft.Text(since)] if since else []), ft.Row([unblock], wrap=True)], spacing=0))

    def _label(self, professional) -> str:
        """"Dr Claire Lefèvre (médecin généraliste)", as the history names them."""
        return person_label(PROFESSIONAL, professional.name, professional.profession,
                            self.ctx.services.translator.language)

    # -- changes (online) --------------------------------------------------------------
    async def _emergency_changed(self, event) -> None:
        allowed = bool(event.control.value)
        await self._change(lambda: self.privacy.set_emergency_access(allowed),
                           "privacy.emergency_on" if allowed else "privacy.emergency_off")

    async def _doctor_chosen(self, event) -> None:
        value = event.control.value
        await self._change(lambda: self.privacy.set_regular_doctor(None if value in (None, NONE) else value),
                           "privacy.regular_doctor_saved")

    async def _mail(self, **choice) -> None:
        await self._change(lambda: self.privacy.set_notifications(**choice), "privacy.mail_saved")

    async def _change(self, action, done: str) -> None:
        attempt = await self.ctx.attempt(action)
        if attempt.ok:
            self.ctx.notify(self.ctx.t(done))
            self._show(attempt.value)
        else:
            self._show(self.known)  # the switch goes back to what the server holds

    def _changed(self) -> None:
        self.ctx.page.run_task(self._load)

    async def _search_to_block(self) -> None:
        attempt = await self.ctx.attempt(self.privacy.history.people)
        if attempt.ok:
            choices = self.known.choices if self.known else None
            blockable = [p for p in attempt.value if p.practitioner and not (choices and (
                choices.is_blocked(p.practitioner) or (choices.regular_doctor and
                                                       choices.regular_doctor.practitioner == p.practitioner)))]
            _search_dialog(self.ctx, blockable, self._changed)

    def _update(self) -> None:
        for control in self.controls:
            try:
                control.update()
            except RuntimeError:  # the user left this screen meanwhile
                pass


def switch_row(label: str, switch: ft.Switch) -> ft.Control:
    """A switch after its label, which wraps (a Switch's own label does not) and, tapped,
    flips the switch too; the tile gives the switch its name."""
    return ft.ListTile(title=ft.Text(label), trailing=switch, toggle_inputs=True,
                       content_padding=ft.Padding.only(left=0, right=0))


def _explain(text: str) -> ft.Control:
    return ft.Text(text, color=ft.Colors.ON_SURFACE_VARIANT)


def block_dialog(ctx: ScreenContext, practitioner: str, name: str, block: bool, done: Callable[[], None]) -> None:
    """Ask before blocking (or unblocking) a professional, then do it on the server."""
    privacy = ctx.services.privacy
    feedback = ft.Text("", color=ft.Colors.ERROR, visible=False, key="privacy-block-feedback")

    async def confirmed(_event) -> None:
        action = (lambda: privacy.block(practitioner)) if block else (lambda: privacy.unblock(practitioner))
        attempt = await ctx.attempt(action, feedback, busy=confirm_button)
        if attempt.ok:
            close_dialog(dialog)
            ctx.notify(ctx.t("privacy.blocked_done" if block else "privacy.unblocked_done", name=name))
            done()

    confirm_button = ft.FilledButton(ctx.t("privacy.block" if block else "privacy.unblock"),
                                     key="privacy-block-confirm", style=DANGER if block else TOUCH,
                                     icon=ft.Icons.BLOCK if block else ft.Icons.LOCK_OPEN, on_click=confirmed)
    dialog = ft.AlertDialog(
        modal=True, title=ctx.t("privacy.block_title" if block else "privacy.unblock_title", name=name),
        content=ft.Column([ft.Text(ctx.t("privacy.block_text" if block else "privacy.unblock_text", name=name)),
                           feedback], tight=True, spacing=12, width=420),
        actions=[ft.TextButton(ctx.t("common.cancel"), key="privacy-block-cancel", style=TOUCH,
                               on_click=lambda _: close_dialog(dialog)), confirm_button])
    ctx.page.show_dialog(dialog)


def _search_dialog(ctx: ScreenContext, people, done: Callable[[], None]) -> None:
    """Find a professional seen in the history by name or profession, then block them."""
    results = ft.Column(spacing=0, scroll=ft.ScrollMode.AUTO, height=320, key="privacy-search-results")

    def show(text: str) -> None:
        words = text.lower().split()
        found = [p for p in people if all(word in p.label.lower() for word in words)]
        results.controls = [ft.ListTile(key=f"privacy-candidate-{p.practitioner.split('/', 1)[1]}",
                                        leading=ft.Icon(ft.Icons.PERSON_OUTLINE), title=ft.Text(p.label),
                                        subtitle=ft.Text(ctx.t("privacy.seen", count=p.accesses, date=p.last_day)),
                                        on_click=lambda _, p=p: pick(p)) for p in found] or \
            [ft.Text(ctx.t("privacy.search_none"), color=ft.Colors.ON_SURFACE_VARIANT)]

    def pick(person) -> None:
        close_dialog(dialog)
        block_dialog(ctx, person.practitioner, person.name, True, done)

    def typed(event) -> None:
        show(event.control.value or "")
        results.update()

    search = ft.TextField(label=ctx.t("privacy.search"), key="privacy-search", autofocus=True, on_change=typed,
                          prefix_icon=ft.Icons.SEARCH)
    show("")
    dialog = ft.AlertDialog(
        title=ctx.t("privacy.block_someone"),
        content=ft.Column([_explain(ctx.t("privacy.search_explain")), search, results], tight=True, spacing=12,
                          width=460),
        actions=[ft.TextButton(ctx.t("common.cancel"), key="privacy-search-cancel", style=TOUCH,
                               on_click=lambda _: close_dialog(dialog))])
    ctx.page.show_dialog(dialog)
