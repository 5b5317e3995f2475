"""Property-based tests of the access policy: random patients, professionals, professions,
documents, blocks, hides and grants; no decision may break a rule, every refusal says why.

The rules are restated here on their own, plainly, rather than by calling the policy's
helpers, so a slip in the policy does not hide itself.
"""
from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from health.authorisation import MATRIX, access_of, sees
from health.codes import BLOOD_GROUP_LOINC, DOCUMENT_TYPES, PROFESSIONS
from health.smart_scopes import parse_scopes
from health.visibility import HIDDEN, HIDDEN_FROM_REPRESENTATIVE, LABELS, WITHHELD_FROM_PATIENT
from server.models import AccountKind
from server.principal import AppAuthorisation, Principal
from server.services.access import POLICY, Action, Compartment, Decision, FeedEntry, Relation, Target

PATIENT_ID = "acct-patient"
TYPES = ("Patient", "Condition", "Procedure", "AllergyIntolerance", "MedicationStatement", "Immunization",
         "Observation", "DocumentReference", "RelatedPerson", "AuditEvent")
CODES = (None, BLOOD_GROUP_LOINC, "29463-7", "99999-9", *DOCUMENT_TYPES)
PROFESSION_CHOICES = (*PROFESSIONS, None, "osteopath")
SCOPES = ("patient/*.rs", "patient/Observation.rs?category=laboratory", "patient/DocumentReference.cruds",
          "patient/Condition.r", "patient/*.c", "user/*.cruds", "patient/Observation.rs?status=final",
          "patient/AuditEvent.rs", "openid")


@dataclass(frozen=True)
class Someone:
    principal: Principal
    role: str  # "owner" | "representative" | "professional" | "app" | "stranger" | "foreign-app"


def _professional(n: int, profession: str | None) -> Someone:
    return Someone(Principal(f"acct-pro-{n}", AccountKind.professional, f"prac-{n}", "d", profession),
                   "professional")


def _app(owner: str, scopes: list[str]) -> Principal:
    return Principal(owner, AccountKind.patient, "pat", "grant",
                     app=AppAuthorisation("app", "App", parse_scopes(" ".join(scopes))))


@st.composite
def worlds(draw):
    professions = draw(st.lists(st.sampled_from(PROFESSION_CHOICES), min_size=1, max_size=4))
    people = [_professional(n, p) for n, p in enumerate(professions)]
    people += [Someone(Principal(PATIENT_ID, AccountKind.patient, "pat", "d"), "owner"),
               Someone(Principal("acct-parent", AccountKind.patient, "pat-parent", "d"), "representative"),
               Someone(Principal("acct-stranger", AccountKind.patient, "pat-x", "d"), "stranger"),
               Someone(_app(PATIENT_ID, draw(st.lists(st.sampled_from(SCOPES), max_size=3))), "app"),
               Someone(_app("acct-stranger", ["patient/*.cruds"]), "foreign-app")]
    pro_ids = [p.principal.account_id for p in people if p.role == "professional"]
    compartment = Compartment(
        PATIENT_ID,
        regular_doctor=draw(st.one_of(st.none(), st.sampled_from([f"prac-{n}" for n in range(len(professions))]))),
        blocked=frozenset(draw(st.lists(st.sampled_from(pro_ids), max_size=2))),
        emergency_access_refused=draw(st.booleans()),
        representatives=frozenset({"acct-parent"}),
        emergency_grants=frozenset(draw(st.lists(st.sampled_from(pro_ids), max_size=2))),
    )
    authors = [None, PATIENT_ID, "acct-parent", *pro_ids]
    target = Target(draw(st.sampled_from(TYPES)), PATIENT_ID, "r1", author := draw(st.sampled_from(authors)),
                    None if author is None else ("professional" if author in pro_ids else "patient"),
                    draw(st.sampled_from(CODES)), draw(st.sampled_from((None, "laboratory", "vital-signs"))),
                    frozenset(draw(st.lists(st.sampled_from(LABELS), max_size=3))))
    return people, compartment, target


def _is_regular_doctor(principal: Principal, compartment: Compartment) -> bool:
    return compartment.regular_doctor == principal.fhir_id


def _in_emergency(principal: Principal, compartment: Compartment) -> bool:
    return principal.account_id in compartment.emergency_grants and not compartment.emergency_access_refused


def _read_breaks_a_rule(someone: Someone, compartment: Compartment, target: Target) -> str | None:
    """Why an allowed read would be wrong, or None if the rules allow it."""
    principal, labels = someone.principal, target.labels
    if someone.role in ("stranger", "foreign-app"):
        return "an outsider read the record"
    if target.resource_type == "AuditEvent" and someone.role not in ("owner", "representative"):
        return "someone other than the patient's side read the access history"
    if someone.role in ("owner", "representative", "app") and WITHHELD_FROM_PATIENT in labels:
        return "the patient's side read a withheld document"
    if someone.role == "representative" and HIDDEN_FROM_REPRESENTATIVE in labels:
        return "the representative read what the minor hid from them"
    if someone.role == "app":
        if HIDDEN in labels:
            return "an app read a hidden item"
        if not principal.app.scopes.permits(target.resource_type, "r", category=target.category, code=target.code):
            return "an app read beyond its scopes"
    if someone.role != "professional":
        return None
    mine = target.author_account_id == principal.account_id
    if principal.account_id in compartment.blocked:
        return "a blocked professional read the record"
    if access_of(principal.profession) is None:
        return "a professional without an authorised profession read the record"
    if HIDDEN in labels and not mine and not _is_regular_doctor(principal, compartment):
        return "a hidden item was read by someone other than its author and the regular doctor"
    if not mine and not _in_emergency(principal, compartment) and \
            not sees(MATRIX[principal.profession], target.resource_type, target.code):
        return "a professional read beyond the authorisation matrix"
    return None


def _write_breaks_a_rule(someone: Someone, compartment: Compartment, target: Target, action: Action) -> str | None:
    principal = someone.principal
    if target.resource_type == "AuditEvent":
        return "someone wrote the access history"
    if someone.role in ("stranger", "foreign-app"):
        return "an outsider wrote in the record"
    if action is not Action.create and _read_breaks_a_rule(someone, compartment, target):
        return "someone changed what they may not read"
    if someone.role == "professional":
        if principal.account_id in compartment.blocked or access_of(principal.profession) is None:
            return "an unauthorised professional wrote"
        if action is Action.create and not sees(MATRIX[principal.profession], target.resource_type, target.code):
            return "a professional added beyond their profession's sections"
        if action is not Action.create and target.author_account_id != principal.account_id:
            return "a professional changed what someone else wrote"
        if target.resource_type == "Patient":
            return "a professional changed a patient's identity"
    elif action in (Action.update, Action.delete) and target.author_kind == "professional":
        return "the patient's side changed a professional's writing"
    if someone.role == "app":
        if action is Action.relabel:
            return "an app changed who sees what"
        letter = {Action.create: "c", Action.update: "u", Action.delete: "d"}[action]
        if not principal.app.scopes.permits(target.resource_type, letter, category=target.category, code=target.code):
            return "an app wrote beyond its scopes"
    return None


def _explained(decision: Decision) -> bool:
    return decision.allowed or bool(decision.reason)


@settings(max_examples=400, deadline=None)
@given(worlds())
def test_no_read_breaks_a_rule_and_every_refusal_says_why(world):
    people, compartment, target = world
    for someone in people:
        decision = POLICY.can_read(someone.principal, target, compartment)
        assert _explained(decision)
        if decision.allowed:
            assert _read_breaks_a_rule(someone, compartment, target) is None, (someone, compartment, target)
        if someone.role in ("stranger", "foreign-app"):
            assert decision.conceal
        # The read rule (which searches and feeds are filtered by) says exactly the same.
        entered = POLICY.can_enter(someone.principal, compartment).allowed
        rule = POLICY.read_rule(someone.principal, target.resource_type, compartment)
        assert (entered and rule.admits(target)) == decision.allowed
        # Emergency reads are flagged as such, so they are traced as emergencies.
        if decision.allowed and someone.role == "professional":
            assert decision.emergency == _in_emergency(someone.principal, compartment)


@settings(max_examples=400, deadline=None)
@given(worlds(), st.sampled_from(list(Action)))
def test_no_write_breaks_a_rule(world, action):
    people, compartment, target = world
    for someone in people:
        decision = POLICY.can_write(someone.principal, target, action, compartment)
        assert _explained(decision)
        if decision.allowed:
            assert _write_breaks_a_rule(someone, compartment, target, action) is None, (someone, target, action)


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_feeds_show_exactly_what_may_be_read(world):
    people, compartment, target = world
    for someone in people:
        if not POLICY.can_read_feed(someone.principal, compartment).allowed:
            continue
        entry = POLICY.feed_entry(someone.principal, target, compartment)
        readable = POLICY.can_read(someone.principal, target, compartment).allowed
        own_trace = target.resource_type == "AuditEvent" and target.author_account_id == someone.principal.account_id
        assert (entry is FeedEntry.full) == (readable and not own_trace)


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_nobody_sets_a_label_they_do_not_own(world):
    people, compartment, target = world
    for someone in people:
        for label in LABELS:
            asked = target.labels | {label}
            if label in target.labels:
                continue
            allowed = POLICY.can_label(someone.principal, target, asked, compartment).allowed
            relation = POLICY.relation(someone.principal, compartment)
            owner = {HIDDEN: relation in (Relation.owner, Relation.representative),
                     HIDDEN_FROM_REPRESENTATIVE: relation is Relation.owner,
                     WITHHELD_FROM_PATIENT: relation in (Relation.professional, Relation.emergency)
                     and target.author_account_id in (None, someone.principal.account_id)}[label]
            assert allowed == owner, (someone.role, label)
        # A label nobody may remove here stays whatever the write says.
        kept = POLICY.labels_after_write(someone.principal, target, frozenset(), compartment)
        assert kept == target.labels - POLICY.controlled_labels(someone.principal, target, compartment)
