"""Every access decision on the patient record, in one place, testable without HTTP.

Rules for now (a later issue brings the authorisation matrix, blocking and hiding):
- A patient reads everything in their own compartment and the Practitioner resources;
  writes (creates, updates, deletes) only in their own compartment, only what they or
  the platform authored; on their own Patient resource, updates only (never create or
  delete), and the identity traits are guarded by services.record.
- Any signed-in professional finds patients, reads any compartment and its change feed,
  and adds to it; updates or deletes only what they authored themselves. Patient and
  Practitioner resources are read-only for them, except their own Practitioner.

A refusal on another patient's compartment is `conceal`ed: the service answers 404, so
a patient cannot tell another patient's resource from one that does not exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from server.principal import Principal


class Action(str, Enum):
    create = "create"
    update = "update"
    delete = "delete"


@dataclass(frozen=True)
class Target:
    """What is read or written: its type, compartment and (for existing ones) author."""

    resource_type: str
    patient_account_id: str | None  # None: outside any compartment (Practitioner)
    resource_id: str | None = None
    author_account_id: str | None = None
    author_kind: str | None = None  # "patient" | "professional" | None (the platform)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    # Answer as if the target did not exist (another patient's compartment).
    conceal: bool = False


@dataclass(frozen=True)
class SearchScope:
    compartment: str | None  # results confined to this patient's compartment (None: not confined)
    requires_patient: bool  # the query must name the patient it is about


ALLOW = Decision(True)


def _deny(reason: str, *, conceal: bool = False) -> Decision:
    return Decision(False, reason, conceal)


class AccessPolicy:
    """Decides; never raises. services.record turns a refusal into 403 or 404."""

    def can_read(self, principal: Principal, target: Target) -> Decision:
        if target.patient_account_id is None or principal.is_professional:
            return ALLOW
        if target.patient_account_id == principal.account_id:
            return ALLOW
        return _deny("No such resource.", conceal=True)

    def can_write(self, principal: Principal, target: Target, action: Action) -> Decision:
        if target.resource_type == "Practitioner":
            return self._practitioner_write(principal, target, action)
        if principal.is_patient:
            return self._patient_write(principal, target, action)
        return self._professional_write(principal, target, action)

    def can_read_feed(self, principal: Principal, patient_account_id: str) -> Decision:
        return self.can_read(principal, Target("Patient", patient_account_id))

    def can_export(self, principal: Principal, patient_account_id: str, *,
                   legal_representative: bool = False) -> Decision:
        """The whole record at once (Patient/$everything, the export archive): the patient
        themself or their legal representative; professionals are refused for now."""
        if principal.is_professional:
            return _deny("Only the patient or their legal representative can export the whole record.")
        if patient_account_id == principal.account_id or legal_representative:
            return ALLOW
        return _deny("No such resource.", conceal=True)

    def search_scope(self, principal: Principal, resource_type: str) -> SearchScope:
        """Which compartments a search may see. Patients: only their own (searching for
        another patient finds nothing). Professionals: any, but they must name the patient
        (by id, or for Patient by INS), so no query lists everybody's records."""
        if resource_type == "Practitioner":
            return SearchScope(None, requires_patient=False)
        if principal.is_patient:
            return SearchScope(principal.account_id, requires_patient=False)
        return SearchScope(None, requires_patient=True)

    def _patient_write(self, principal: Principal, target: Target, action: Action) -> Decision:
        if target.patient_account_id != principal.account_id:
            if action is Action.create:
                return _deny("You can only add to your own record.")
            return _deny("No such resource.", conceal=True)
        if target.resource_type == "Patient":
            if action is Action.update:
                return ALLOW
            return _deny("Your Patient resource is created and closed with your space, not through the record.")
        if target.author_kind == "professional":
            return _deny(
                f"{target.resource_type}/{target.resource_id} was written by a health professional: "
                "it is read-only for you."
            )
        return ALLOW

    def _professional_write(self, principal: Principal, target: Target, action: Action) -> Decision:
        if target.resource_type == "Patient":
            return _deny("A patient's identity comes from the INS: professionals cannot change it here.")
        if action is Action.create:
            return ALLOW
        if target.author_account_id != principal.account_id:
            return _deny(
                f"{target.resource_type}/{target.resource_id} was written by someone else: "
                "professionals change or delete only what they wrote."
            )
        return ALLOW

    def _practitioner_write(self, principal: Principal, target: Target, action: Action) -> Decision:
        if principal.is_professional and action is Action.update and target.resource_id == principal.fhir_id:
            return ALLOW
        return _deny("Practitioner resources come from the professional directory; "
                     "only a professional may update their own.")

    # Secure messaging. services.messages gathers the facts (which conversation a message
    # replies in, whom it is addressed to); the rules are these. Appointments need none of
    # their own: the patient's are theirs to change, a professional's are read-only for them.

    def can_start_conversation(self, principal: Principal) -> Decision:
        """Care teams open conversations (to protect medical time); patients reply in them."""
        if principal.is_professional:
            return ALLOW
        return _deny("Conversations are started by your care team: you can reply in a conversation "
                     "they opened, but not open a new one.")

    def can_reply(self, principal: Principal, message_compartment: str | None, thread: Target) -> Decision:
        """A reply goes in a conversation of the same record, which its sender may read."""
        if thread.patient_account_id != message_compartment or not self.can_read(principal, thread).allowed:
            return _deny("No such conversation.", conceal=True)
        return ALLOW

    def can_change_message(self, principal: Principal, message: Target) -> Decision:
        """Nobody changes or withdraws someone else's message (the platform's included)."""
        if message.author_account_id != principal.account_id:
            return _deny(f"Communication/{message.resource_id} was sent by someone else: "
                         "only its sender may change or withdraw it.")
        return ALLOW

    def can_mark_read(self, principal: Principal, message: Target, addressed_to_principal: bool) -> Decision:
        """The recipient of a message, and only they, says they have read it."""
        readable = self.can_read(principal, message)
        if not readable.allowed:
            return readable
        if not addressed_to_principal or message.author_account_id == principal.account_id:
            return _deny(f"Communication/{message.resource_id} is not addressed to you: "
                         "only its recipient can mark it read.")
        return ALLOW


POLICY = AccessPolicy()
