"""Every access decision on the patient record, in one place, testable without HTTP.

The policy decides from plain values: who asks (`Principal`), what they touch (`Target`)
and the facts of the patient's record that matter (`Compartment`: regular doctor, blocks,
emergency settings, legal representatives), which services.compartments loads. It never
raises and never touches the database; services turn a refusal into 403 or 404 and trace
every decision of anyone other than the patient (services.audit).

Who reads what in a patient's compartment:
- **The patient** reads everything in it but what a professional withheld from them until
  a consultation (`withheld-from-patient`); writes what they or the platform wrote, and
  relabels anything (hides it from professionals). Another patient's record does not
  exist for them (`conceal`: 404).
- **A legal representative** of a minor acts as the minor, except for what the minor
  hid from them (`hidden-from-representative`), which only the minor may label.
- **A professional** the patient blocked reads and writes nothing. Otherwise the
  authorisation matrix (health.authorisation) says which sections and document types
  their profession sees; they always see what they wrote. What the patient hid is seen
  only by its author and the patient's regular doctor. An emergency access
  (services.emergency) lifts the matrix for reading, never blocks or hiding; the patient
  may refuse emergency access altogether. Professionals add what their profession sees,
  and change or delete only what they wrote.
- **An app** acts for the patient who granted it: what the patient may do, narrowed to
  its SMART scopes (health.smart_scopes), never hidden or withheld items, never the
  access history, never labels.
The access history (AuditEvent) is written by Carnet alone; only the patient and their
representative read it. Practitioner resources are readable by all.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from health import authorisation
from health.codes import BLOOD_GROUP_LOINC, DOCUMENT_TYPES, PROFESSIONS
from health.visibility import HIDDEN, HIDDEN_FROM_REPRESENTATIVE, WITHHELD_FROM_PATIENT
from server.principal import Principal
from server.services.access_rules import (
    EVERYTHING, NOTHING, AuthorIs, CategoryIn, CodeIn, Labelled, Not, Rule, all_of, any_of, none_labelled,
)

ACCESS_HISTORY = "AuditEvent"


class Action(str, Enum):
    create = "create"
    update = "update"
    delete = "delete"
    relabel = "relabel"  # an update that changes only visibility labels


class Relation(str, Enum):
    """How a principal stands to one patient's compartment."""

    owner = "owner"
    representative = "representative"
    app = "app"
    professional = "professional"
    emergency = "emergency"  # a professional during an emergency access
    outsider = "outsider"  # another patient, or an app granted by another patient


@dataclass(frozen=True)
class Target:
    """What is read or written: its type, compartment, author, and the facets rules look at."""

    resource_type: str
    patient_account_id: str | None  # None: outside any compartment (Practitioner)
    resource_id: str | None = None
    author_account_id: str | None = None
    author_kind: str | None = None  # "patient" | "professional" | None (the platform)
    code: str | None = None  # main code: a document's LOINC type, an observation's code…
    category: str | None = None
    labels: frozenset[str] = frozenset()  # health.visibility labels


@dataclass(frozen=True)
class Compartment:
    """The facts of one patient's record the policy decides with."""

    patient_account_id: str
    regular_doctor: str | None = None  # FHIR id of the Practitioner of Patient.generalPractitioner
    blocked: frozenset[str] = frozenset()  # account ids of professionals the patient blocked
    emergency_access_refused: bool = False
    representatives: frozenset[str] = frozenset()  # account ids of legal representatives
    emergency_grants: frozenset[str] = frozenset()  # professionals with an open emergency access


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    # Answer as if the target did not exist (another patient's record, a hidden item).
    conceal: bool = False
    # Allowed only thanks to an emergency access: traced as one.
    emergency: bool = False


class FeedEntry(str, Enum):
    """How one changed resource appears in a reader's change feed."""

    full = "full"
    tombstone = "tombstone"  # a DELETE: drop any copy (it became invisible, or was deleted)
    omitted = "omitted"  # a type this reader never sees, or their own trace


ALLOW = Decision(True)
NO_SUCH_RESOURCE = "No such resource."
PATIENT_SIDE = (Relation.owner, Relation.representative, Relation.app)


def _deny(reason: str, *, conceal: bool = False) -> Decision:
    return Decision(False, reason, conceal)


class AccessPolicy:
    """Decides; never raises."""

    # -- the compartment as a whole ----------------------------------------------------------
    def relation(self, principal: Principal, compartment: Compartment) -> Relation:
        own = principal.account_id == compartment.patient_account_id
        if principal.is_app:
            return Relation.app if own else Relation.outsider
        if principal.is_professional:
            if principal.account_id in compartment.emergency_grants and not compartment.emergency_access_refused:
                return Relation.emergency
            return Relation.professional
        if own:
            return Relation.owner
        return Relation.representative if principal.account_id in compartment.representatives else Relation.outsider

    def can_enter(self, principal: Principal, compartment: Compartment) -> Decision:
        """Whether the principal may touch this record at all (read its feed, search it)."""
        relation = self.relation(principal, compartment)
        if relation is Relation.outsider:
            return _deny(NO_SUCH_RESOURCE, conceal=True)
        if relation in PATIENT_SIDE:
            return ALLOW
        if principal.account_id in compartment.blocked:
            return _deny("This patient has not authorised you to access their record.")
        if authorisation.access_of(principal.profession) is None:
            return _deny(f"Your profession ({principal.profession or 'none recorded'}) gives no access "
                         "to patients' records.")
        return Decision(True, emergency=relation is Relation.emergency)

    def acts_for_patient(self, principal: Principal, compartment: Compartment) -> bool:
        """Whether the principal writes in this record as its patient would (the patient,
        their representative, an app they granted); professionals are judged apart."""
        return self.relation(principal, compartment) in PATIENT_SIDE

    def can_manage_choices(self, principal: Principal, compartment: Compartment) -> Decision:
        """The privacy choices of a record are the patient's, or their legal representative's."""
        if self.relation(principal, compartment) in (Relation.owner, Relation.representative):
            return ALLOW
        return _deny(NO_SUCH_RESOURCE, conceal=True)

    def can_read_feed(self, principal: Principal, compartment: Compartment) -> Decision:
        return self.can_enter(principal, compartment)

    def can_open_emergency_access(self, principal: Principal, compartment: Compartment) -> Decision:
        if not principal.is_professional:
            return _deny("Only a health professional may open a record in an emergency.")
        entry = self.can_enter(principal, compartment)
        if not entry.allowed:
            return entry
        if compartment.emergency_access_refused:
            return _deny("This patient has refused emergency access to their record.")
        return ALLOW

    # -- reading -------------------------------------------------------------------------------
    def read_rule(self, principal: Principal, resource_type: str, compartment: Compartment,
                  permission: str = "r") -> Rule:
        """Which resources of `resource_type` in this compartment the principal may read
        (`permission` "s" for a search, which SMART scopes grant apart from reads)."""
        if not self.can_enter(principal, compartment).allowed:
            return NOTHING
        relation = self.relation(principal, compartment)
        if relation is Relation.owner:
            return none_labelled(WITHHELD_FROM_PATIENT)
        if relation is Relation.representative:
            return none_labelled(WITHHELD_FROM_PATIENT, HIDDEN_FROM_REPRESENTATIVE)
        if relation is Relation.app:
            return self._app_rule(principal, resource_type, permission)
        return self._professional_rule(principal, resource_type, compartment, relation)

    def can_read(self, principal: Principal, target: Target, compartment: Compartment | None = None) -> Decision:
        if target.patient_account_id is None:
            return ALLOW
        compartment = compartment or Compartment(target.patient_account_id)
        entry = self.can_enter(principal, compartment)
        if not entry.allowed:
            return entry
        if self.read_rule(principal, target.resource_type, compartment).admits(target):
            return entry
        return self._read_refusal(principal, target, compartment)

    def feed_entry(self, principal: Principal, target: Target, compartment: Compartment,
                   deleted: bool = False) -> FeedEntry:
        """A changed resource in this reader's feed: whole, as a tombstone (so a device drops a
        copy that became invisible), or left out (a type they never see; their own traces,
        which would otherwise feed their next sync, endlessly)."""
        rule = self.read_rule(principal, target.resource_type, compartment)
        own_trace = target.resource_type == ACCESS_HISTORY and target.author_account_id == principal.account_id
        if rule == NOTHING or own_trace:
            return FeedEntry.omitted
        if deleted or not rule.admits(target):
            return FeedEntry.tombstone
        return FeedEntry.full

    # -- writing -------------------------------------------------------------------------------
    def can_write(self, principal: Principal, target: Target, action: Action,
                  compartment: Compartment | None = None) -> Decision:
        """`target` is the stored resource for updates and deletes, the incoming one for creates."""
        if target.resource_type == "Practitioner":
            return self._practitioner_write(principal, target, action)
        if target.resource_type == ACCESS_HISTORY:
            return _deny("The access history is written by Carnet itself: it cannot be changed.")
        compartment = compartment or Compartment(target.patient_account_id or "")
        relation = self.relation(principal, compartment)
        if relation is Relation.outsider:
            if action is Action.create:
                return _deny("You can only add to your own record.")
            return _deny(NO_SUCH_RESOURCE, conceal=True)
        if action is not Action.create:
            readable = self.can_read(principal, target, compartment)
            if not readable.allowed:
                return readable
        if relation in PATIENT_SIDE:
            return self._patient_side_write(principal, target, action, relation)
        entry = self.can_enter(principal, compartment)
        return entry if not entry.allowed else self._professional_write(principal, target, action)

    def controlled_labels(self, principal: Principal, target: Target, compartment: Compartment) -> frozenset[str]:
        """The visibility labels this principal sets and removes on `target`; the others are
        carried over from the stored version whatever a write says."""
        relation = self.relation(principal, compartment)
        if relation is Relation.owner:
            return frozenset({HIDDEN, HIDDEN_FROM_REPRESENTATIVE})
        if relation is Relation.representative:
            return frozenset({HIDDEN})
        written_by_them = target.author_account_id in (None, principal.account_id)  # None: a create
        if principal.is_professional and relation in (Relation.professional, Relation.emergency) and written_by_them:
            return frozenset({WITHHELD_FROM_PATIENT})
        return frozenset()

    def can_label(self, principal: Principal, target: Target, requested: frozenset[str],
                  compartment: Compartment) -> Decision:
        """Whether a write asking for `requested` labels on `target` (its stored version, or
        the new resource) may stand: adding a label someone else controls is refused."""
        refused = sorted((requested - target.labels) - self.controlled_labels(principal, target, compartment))
        if not refused:
            return ALLOW
        owner = {HIDDEN: "the patient", HIDDEN_FROM_REPRESENTATIVE: "the patient themself",
                 WITHHELD_FROM_PATIENT: "the professional who wrote it"}[refused[0]]
        return _deny(f"Only {owner} may set the visibility label {refused[0]!r}.")

    def labels_after_write(self, principal: Principal, target: Target, requested: frozenset[str],
                           compartment: Compartment) -> frozenset[str]:
        """The labels a write leaves: the requested ones this principal controls, the stored
        ones for the others (a body from an older copy cannot unhide a document)."""
        controlled = self.controlled_labels(principal, target, compartment)
        return (requested & controlled) | (target.labels - controlled)

    # -- document files ------------------------------------------------------------------------
    def can_read_file(self, principal: Principal, file: Target, documents: list[Target],
                      compartment: Compartment) -> Decision:
        """A file (Binary) is read by whoever may read a document or message pointing to it
        (`documents`); its uploader and the patient's side also read one nothing points to yet."""
        entry = self.can_enter(principal, compartment)
        if not entry.allowed:
            return entry
        if not principal.is_app and file.author_account_id == principal.account_id:
            return entry
        refusals = []
        for document in documents:
            decision = self.can_read(principal, document, compartment)
            if decision.allowed:
                return decision
            refusals.append(decision)
        if not documents and self.relation(principal, compartment) in (Relation.owner, Relation.representative):
            return ALLOW
        visible_refusal = next((r for r in refusals if not r.conceal), None)
        return visible_refusal or _deny(NO_SUCH_RESOURCE, conceal=True)

    def can_upload_file(self, principal: Principal, compartment: Compartment) -> Decision:
        """Files are the content of documents: who may add a document may upload one."""
        entry = self.can_enter(principal, compartment)
        if not entry.allowed:
            return _deny("You can only add to your own record.") if entry.conceal else entry
        if principal.is_app and not principal.app.scopes.permits_type("DocumentReference", "c"):
            return _deny("This app was not granted the right to add documents.")
        row = authorisation.access_of(principal.profession)
        if principal.is_professional and authorisation.DOCUMENTS not in row.sections:
            return _deny(f"Your profession ({_profession_label(principal.profession)}) cannot add documents.")
        return entry

    # -- what a search may see -----------------------------------------------------------------
    def must_name_patient(self, principal: Principal, resource_type: str) -> bool:
        """Professionals name the patient a search is about, so no query lists everybody's
        records; a patient's or an app's searches stay in their own (or a represented) record."""
        return principal.is_professional and resource_type != "Practitioner"

    # -- the whole record at once --------------------------------------------------------------
    def can_export(self, principal: Principal, compartment: Compartment) -> Decision:
        """Patient/$everything and the export archive: the patient or their legal representative."""
        relation = self.relation(principal, compartment)
        if relation in (Relation.owner, Relation.representative):
            return ALLOW
        if relation is Relation.outsider:
            return _deny(NO_SUCH_RESOURCE, conceal=True)
        return _deny("Only the patient or their legal representative can export the whole record.")

    # -- messages ------------------------------------------------------------------------------
    def can_start_conversation(self, principal: Principal) -> Decision:
        """Care teams open conversations (to protect medical time); patients reply in them."""
        if principal.is_professional:
            return ALLOW
        return _deny("Conversations are started by your care team: you can reply in a conversation "
                     "they opened, but not open a new one.")

    def can_reply(self, principal: Principal, message_compartment: Compartment, thread: Target) -> Decision:
        """A reply goes in a conversation of the same record, which its sender may read."""
        if thread.patient_account_id != message_compartment.patient_account_id \
                or not self.can_read(principal, thread, message_compartment).allowed:
            return _deny("No such conversation.", conceal=True)
        return ALLOW

    def can_change_message(self, principal: Principal, message: Target) -> Decision:
        """Nobody changes or withdraws someone else's message (the platform's included)."""
        if message.author_account_id != principal.account_id:
            return _deny(f"Communication/{message.resource_id} was sent by someone else: "
                         "only its sender may change or withdraw it.")
        return ALLOW

    def can_mark_read(self, principal: Principal, message: Target, compartment: Compartment,
                      addressed_to_principal: bool) -> Decision:
        """The recipient of a message, and only they, says they have read it."""
        readable = self.can_read(principal, message, compartment)
        if not readable.allowed:
            return readable
        if not addressed_to_principal or message.author_account_id == principal.account_id:
            return _deny(f"Communication/{message.resource_id} is not addressed to you: "
                         "only its recipient can mark it read.")
        return ALLOW

    # -- the parts ----------------------------------------------------------------------------
    def _professional_rule(self, principal: Principal, resource_type: str, compartment: Compartment,
                           relation: Relation) -> Rule:
        if authorisation.section_of(resource_type) is None:
            return NOTHING  # the access history, and any type of no profile section
        mine = AuthorIs(principal.account_id)
        matrix = EVERYTHING if relation is Relation.emergency else _matrix_rule(principal.profession, resource_type)
        is_regular_doctor = compartment.regular_doctor is not None and compartment.regular_doctor == principal.fhir_id
        hidden_rule = EVERYTHING if is_regular_doctor else any_of(Not(Labelled(HIDDEN)), mine)
        return all_of(any_of(matrix, mine), hidden_rule)

    def _app_rule(self, principal: Principal, resource_type: str, permission: str) -> Rule:
        if resource_type == ACCESS_HISTORY:
            return NOTHING
        scopes = principal.app.scopes.for_patient(resource_type, permission)
        granted = any_of(*(all_of(*(_restriction_rule(name, value) for name, value in scope.restrictions))
                           for scope in scopes))
        return all_of(granted, none_labelled(HIDDEN, WITHHELD_FROM_PATIENT))

    def _read_refusal(self, principal: Principal, target: Target, compartment: Compartment) -> Decision:
        relation = self.relation(principal, compartment)
        invisible = {Relation.owner: {WITHHELD_FROM_PATIENT},
                     Relation.representative: {WITHHELD_FROM_PATIENT, HIDDEN_FROM_REPRESENTATIVE},
                     Relation.app: {WITHHELD_FROM_PATIENT, HIDDEN}}.get(relation, {HIDDEN})
        if target.labels & invisible:
            return _deny(NO_SUCH_RESOURCE, conceal=True)
        if relation is Relation.app:
            return _deny(f"This app was not granted access to this {target.resource_type}.")
        if target.resource_type == ACCESS_HISTORY:
            return _deny("The access history is the patient's own: only they and their representative read it.")
        return _deny(f"Your profession ({_profession_label(principal.profession)}) does not give access to "
                     f"{_what(target)} in a patient's record.")

    def _patient_side_write(self, principal: Principal, target: Target, action: Action,
                            relation: Relation) -> Decision:
        if target.resource_type == "Patient" and action is Action.relabel:
            return _deny("Your identity cannot be hidden: whoever may open your record sees whose it is.")
        if target.resource_type == "Patient" and action is not Action.update:
            return _deny("Your Patient resource is created and closed with your space, not through the record.")
        if action is Action.relabel:
            if relation is Relation.app:
                return _deny("Only the patient decides who sees what: an app cannot change visibility.")
            return ALLOW
        if target.author_kind == "professional":
            return _deny(f"{target.resource_type}/{target.resource_id} was written by a health professional: "
                         "it is read-only for you.")
        if relation is Relation.app:
            letter = {Action.create: "c", Action.update: "u", Action.delete: "d"}[action]
            if not principal.app.scopes.permits(target.resource_type, letter, category=target.category,
                                                code=target.code):
                return _deny(f"This app was not granted the right to {action.value} {target.resource_type} "
                             "resources.")
        return ALLOW

    def _professional_write(self, principal: Principal, target: Target, action: Action) -> Decision:
        if target.resource_type == "Patient":
            return _deny("A patient's identity comes from the INS: professionals cannot change it here.")
        if action is Action.create:
            row = authorisation.access_of(principal.profession)
            if row is None or not authorisation.sees(row, target.resource_type, target.code):
                return _deny(f"Your profession ({_profession_label(principal.profession)}) cannot add "
                             f"{_what(target)} to a patient's record.")
            return ALLOW
        if target.author_account_id != principal.account_id:
            return _deny(f"{target.resource_type}/{target.resource_id} was written by someone else: "
                         "professionals change or delete only what they wrote.")
        return ALLOW

    def _practitioner_write(self, principal: Principal, target: Target, action: Action) -> Decision:
        if principal.is_professional and action is Action.update and target.resource_id == principal.fhir_id:
            return ALLOW
        return _deny("Practitioner resources come from the professional directory; "
                     "only a professional may update their own.")


def _matrix_rule(profession: str | None, resource_type: str) -> Rule:
    """The authorisation matrix for one profession and type, as a rule on codes."""
    row = authorisation.access_of(profession)
    if row is None:
        return NOTHING
    if resource_type == "Observation":
        measurements = authorisation.MEASUREMENTS in row.sections
        blood_group = authorisation.BLOOD_GROUP in row.sections
        by_code = CodeIn(frozenset({BLOOD_GROUP_LOINC}))
        return {(True, True): EVERYTHING, (True, False): Not(by_code),
                (False, True): by_code, (False, False): NOTHING}[(measurements, blood_group)]
    if authorisation.section_of(resource_type) not in row.sections:
        return NOTHING
    if resource_type == "DocumentReference" and not row.sees_every_document:
        return CodeIn(row.document_types)
    return EVERYTHING


def _restriction_rule(name: str, value: str) -> Rule:
    tokens = frozenset(token.rsplit("|", 1)[-1] for token in value.split(","))
    return CategoryIn(tokens) if name == "category" else CodeIn(tokens)


def _profession_label(profession: str | None) -> str:
    known = PROFESSIONS.get(profession or "")
    return known.label_en.lower() if known else (profession or "none recorded")


def _what(target: Target) -> str:
    if target.resource_type == "DocumentReference":
        known = DOCUMENT_TYPES.get(target.code or "")
        return f"documents of type {known.label_en.lower()!r}" if known else "documents of this type"
    section = authorisation.section_of(target.resource_type, target.code) or target.resource_type
    return f"the {section.replace('-', ' ')} section"


POLICY = AccessPolicy()
