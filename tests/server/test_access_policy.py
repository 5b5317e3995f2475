"""AccessPolicy, decided without HTTP or a database: one test per rule."""
import pytest

from health.authorisation import ADVANCE_DIRECTIVES, DELIVERY_REPORT, LAB_REPORT, PRESCRIPTION
from health.codes import BLOOD_GROUP_LOINC
from health.smart_scopes import parse_scopes
from health.visibility import HIDDEN, HIDDEN_FROM_REPRESENTATIVE, WITHHELD_FROM_PATIENT
from server.models import AccountKind
from server.principal import AppAuthorisation, Principal
from server.services.access import AccessPolicy, Action, Compartment, FeedEntry, Relation, Target
from server.services.access_rules import NOTHING

policy = AccessPolicy()
PATIENT = Principal("acct-p", AccountKind.patient, "pat-1", "dev-1")
OTHER = Principal("acct-o", AccountKind.patient, "pat-2", "dev-2")
PARENT = Principal("acct-r", AccountKind.patient, "pat-3", "dev-5")
DOCTOR = Principal("acct-d", AccountKind.professional, "prac-1", "dev-3", "general-practitioner")
NURSE = Principal("acct-n", AccountKind.professional, "prac-2", "dev-4", "nurse")
DENTIST = Principal("acct-t", AccountKind.professional, "prac-3", "dev-6", "dentist")
PHYSIO = Principal("acct-k", AccountKind.professional, "prac-4", "dev-7", "physiotherapist")
NOBODY = Principal("acct-x", AccountKind.professional, "prac-5", "dev-8", None)
HOME = Compartment("acct-p")


def app(scopes: str) -> Principal:
    return Principal("acct-p", AccountKind.patient, "pat-1", "grant-1",
                     app=AppAuthorisation("gluco", "GlucoSuivi", parse_scopes(scopes)))


def own(resource_type="Condition", author=None, kind=None, code=None, labels=(), category=None):
    return Target(resource_type, "acct-p", "r1", author, kind, code, category, frozenset(labels))


def document(code=LAB_REPORT, author="acct-d", labels=()):
    return own("DocumentReference", author, "professional", code, labels)


def test_patient_reads_own_compartment_and_practitioners_only():
    assert policy.can_read(PATIENT, own()).allowed
    assert policy.can_read(PATIENT, Target("Practitioner", None, "prac-1")).allowed
    refused = policy.can_read(OTHER, own())
    assert not refused.allowed and refused.conceal


def test_professionals_read_by_the_matrix():  # was: any professional reads any compartment
    assert policy.can_read(DOCTOR, own()).allowed
    assert policy.can_read_feed(NURSE, HOME).allowed
    assert not policy.can_read_feed(OTHER, HOME).allowed
    refused = policy.can_read(DENTIST, document(ADVANCE_DIRECTIVES))
    assert not refused.allowed and not refused.conceal and "advance directives" in refused.reason
    assert not policy.can_read(PHYSIO, document(DELIVERY_REPORT)).allowed
    assert policy.can_read(PHYSIO, document(PRESCRIPTION)).allowed
    assert not policy.can_read(DENTIST, own("Observation", code="29463-7")).allowed  # no measurements
    assert not policy.can_read(PHYSIO, own("Observation", code=BLOOD_GROUP_LOINC)).allowed
    assert policy.can_read(PHYSIO, own("Observation", code="29463-7")).allowed


def test_a_document_of_an_unknown_type_is_for_those_who_see_every_document():
    assert policy.can_read(DOCTOR, document("99999-9")).allowed
    assert not policy.can_read(NURSE, document("99999-9")).allowed


def test_what_a_professional_wrote_they_always_read():
    assert policy.can_read(PHYSIO, document(DELIVERY_REPORT, author="acct-k")).allowed


def test_no_profession_no_access():
    refused = policy.can_read(NOBODY, own())
    assert not refused.allowed and "no access" in refused.reason


def test_blocked_professionals_see_and_write_nothing():
    blocked = Compartment("acct-p", blocked=frozenset({"acct-d"}))
    for decision in (policy.can_read(DOCTOR, own(), blocked), policy.can_read_feed(DOCTOR, blocked),
                     policy.can_write(DOCTOR, Target("Condition", "acct-p"), Action.create, blocked),
                     policy.can_write(DOCTOR, own(author="acct-d", kind="professional"), Action.update, blocked),
                     policy.can_open_emergency_access(DOCTOR, blocked)):
        assert not decision.allowed and "not authorised you" in decision.reason
    assert policy.read_rule(DOCTOR, "Condition", blocked) == NOTHING
    assert policy.can_read(NURSE, own(), blocked).allowed


def test_hidden_documents_are_seen_by_their_author_and_the_regular_doctor_only():
    hidden = document(author="acct-n", labels=[HIDDEN])
    refused = policy.can_read(DOCTOR, hidden)
    assert not refused.allowed and refused.conceal
    assert policy.can_read(NURSE, hidden).allowed
    assert policy.can_read(DOCTOR, hidden, Compartment("acct-p", regular_doctor="prac-1")).allowed
    assert policy.can_read(PATIENT, hidden).allowed


def test_withheld_documents_are_invisible_to_the_patient_until_released():
    withheld = document(labels=[WITHHELD_FROM_PATIENT])
    refused = policy.can_read(PATIENT, withheld)
    assert not refused.allowed and refused.conceal
    assert policy.can_read(NURSE, withheld).allowed
    assert policy.feed_entry(PATIENT, withheld, HOME) is FeedEntry.tombstone
    assert policy.feed_entry(PATIENT, document(), HOME) is FeedEntry.full


def test_emergency_access_lifts_the_matrix_not_blocks_nor_hiding():
    opened = Compartment("acct-p", emergency_grants=frozenset({"acct-t"}))
    decision = policy.can_read(DENTIST, document(ADVANCE_DIRECTIVES), opened)
    assert decision.allowed and decision.emergency
    assert not policy.can_read(DENTIST, document(labels=[HIDDEN]), opened).allowed
    blocked = Compartment("acct-p", emergency_grants=frozenset({"acct-t"}), blocked=frozenset({"acct-t"}))
    assert not policy.can_read(DENTIST, document(), blocked).allowed
    # Writes keep the matrix.
    assert not policy.can_write(DENTIST, document(ADVANCE_DIRECTIVES, author="acct-t"), Action.create, opened).allowed


def test_the_patient_may_refuse_emergency_access():
    assert policy.can_open_emergency_access(DENTIST, HOME).allowed
    refusing = Compartment("acct-p", emergency_access_refused=True, emergency_grants=frozenset({"acct-t"}))
    refused = policy.can_open_emergency_access(DENTIST, refusing)
    assert not refused.allowed and "refused emergency access" in refused.reason
    assert policy.relation(DENTIST, refusing) is Relation.professional  # an open grant stops applying
    assert not policy.can_open_emergency_access(PATIENT, HOME).allowed


def test_a_legal_representative_acts_as_the_minor_except_what_is_hidden_from_them():
    child = Compartment("acct-p", representatives=frozenset({"acct-r"}))
    assert policy.relation(PARENT, child) is Relation.representative
    assert policy.can_read(PARENT, own(), child).allowed
    assert policy.can_read(PARENT, own("AuditEvent"), child).allowed
    secret = own(labels=[HIDDEN_FROM_REPRESENTATIVE])
    assert policy.can_read(PATIENT, secret, child).allowed
    refused = policy.can_read(PARENT, secret, child)
    assert not refused.allowed and refused.conceal
    assert policy.can_write(PARENT, Target("Condition", "acct-p"), Action.create, child).allowed
    assert not policy.can_read(PARENT, own(), HOME).allowed


def test_who_acts_as_the_patient_and_manages_their_choices():
    child = Compartment("acct-p", representatives=frozenset({"acct-r"}))
    for principal, acts, manages in ((PATIENT, True, True), (PARENT, True, True), (app("patient/*.c"), True, False),
                                     (OTHER, False, False), (DOCTOR, False, False)):
        assert policy.acts_for_patient(principal, child) is acts
        assert policy.can_manage_choices(principal, child).allowed is manages


def test_labels_belong_to_one_party():
    child = Compartment("acct-p", representatives=frozenset({"acct-r"}))
    assert policy.controlled_labels(PATIENT, own(), child) == {HIDDEN, HIDDEN_FROM_REPRESENTATIVE}
    assert policy.controlled_labels(PARENT, own(), child) == {HIDDEN}
    assert policy.controlled_labels(NURSE, own(author="acct-n"), child) == {WITHHELD_FROM_PATIENT}
    assert policy.controlled_labels(NURSE, own(author="acct-d"), child) == set()
    refused = policy.can_label(PARENT, own(), frozenset({HIDDEN_FROM_REPRESENTATIVE}), child)
    assert not refused.allowed and "the patient themself" in refused.reason
    # A professional's write from an old copy cannot unhide what the patient hid.
    stored = own(author="acct-n", labels=[HIDDEN])
    assert policy.labels_after_write(NURSE, stored, frozenset(), child) == {HIDDEN}
    assert policy.labels_after_write(NURSE, stored, frozenset({WITHHELD_FROM_PATIENT}), child) \
        == {HIDDEN, WITHHELD_FROM_PATIENT}


@pytest.mark.parametrize("action", [Action.update, Action.delete])
def test_professional_authored_is_read_only_for_the_patient(action):
    decision = policy.can_write(PATIENT, own(author="acct-d", kind="professional"), action)
    assert not decision.allowed and not decision.conceal
    assert "read-only for you" in decision.reason
    assert policy.can_write(PATIENT, own(author="acct-p", kind="patient"), action).allowed


def test_the_patient_relabels_anything_of_their_record():
    assert policy.can_write(PATIENT, own(author="acct-d", kind="professional"), Action.relabel).allowed
    assert not policy.can_write(app("patient/*.cruds"), own(author="acct-p", kind="patient"), Action.relabel).allowed


def test_patient_writes_only_in_their_compartment():
    assert policy.can_write(PATIENT, Target("Condition", "acct-p"), Action.create).allowed
    create_elsewhere = policy.can_write(OTHER, Target("Condition", "acct-p"), Action.create)
    assert not create_elsewhere.allowed and not create_elsewhere.conceal
    update_elsewhere = policy.can_write(OTHER, own(author="acct-p", kind="patient"), Action.update)
    assert not update_elsewhere.allowed and update_elsewhere.conceal


def test_own_patient_resource_is_updated_never_created_or_deleted():
    assert policy.can_write(PATIENT, own("Patient"), Action.update).allowed
    assert not policy.can_write(PATIENT, own("Patient"), Action.delete).allowed
    assert not policy.can_write(DOCTOR, own("Patient"), Action.update).allowed


def test_professionals_add_what_their_profession_sees_and_change_only_their_own():
    assert policy.can_write(DOCTOR, Target("DocumentReference", "acct-p", code=LAB_REPORT), Action.create).allowed
    refused = policy.can_write(DENTIST, Target("DocumentReference", "acct-p", code=ADVANCE_DIRECTIVES),
                               Action.create)
    assert not refused.allowed and "cannot add" in refused.reason
    mine = own(author="acct-d", kind="professional")
    assert policy.can_write(DOCTOR, mine, Action.update).allowed
    assert not policy.can_write(NURSE, mine, Action.delete).allowed
    assert not policy.can_write(DOCTOR, own(author="acct-p", kind="patient"), Action.update).allowed


def test_the_access_history_is_written_by_carnet_and_read_by_the_patient_side_only():
    for principal in (PATIENT, DOCTOR):
        assert not policy.can_write(principal, own("AuditEvent"), Action.create).allowed
    assert policy.can_read(PATIENT, own("AuditEvent")).allowed
    assert not policy.can_read(DOCTOR, own("AuditEvent")).allowed
    assert not policy.can_read(app("patient/*.rs"), own("AuditEvent")).allowed
    # A professional's feed leaves the history out; a representative's leaves out their own traces.
    assert policy.feed_entry(DOCTOR, own("AuditEvent"), HOME) is FeedEntry.omitted
    child = Compartment("acct-p", representatives=frozenset({"acct-r"}))
    assert policy.feed_entry(PARENT, own("AuditEvent", author="acct-r"), child) is FeedEntry.omitted
    assert policy.feed_entry(PARENT, own("AuditEvent", author="acct-d"), child) is FeedEntry.full


def test_apps_do_what_the_patient_and_their_scopes_allow():
    gluco = app("patient/Observation.rs?category=laboratory patient/Observation.c launch/patient")
    assert policy.can_read(gluco, own("Observation", category="laboratory")).allowed
    assert not policy.can_read(gluco, own("Observation", category="vital-signs")).allowed
    assert not policy.can_read(gluco, own("Condition")).allowed
    assert not policy.can_read(gluco, own("Observation", category="laboratory", labels=[HIDDEN])).allowed
    assert policy.can_write(gluco, own("Observation"), Action.create).allowed
    assert not policy.can_write(gluco, own("Observation", author="acct-p", kind="patient"), Action.update).allowed
    assert not policy.can_read(gluco, Target("Observation", "acct-o", category="laboratory"),
                               Compartment("acct-o")).allowed
    assert gluco.is_app and not gluco.is_patient and not gluco.is_professional


def test_practitioner_resources():
    mine = Target("Practitioner", None, "prac-1")
    assert policy.can_write(DOCTOR, mine, Action.update).allowed
    assert not policy.can_write(NURSE, mine, Action.update).allowed
    assert not policy.can_write(PATIENT, mine, Action.update).allowed
    assert not policy.can_write(DOCTOR, Target("Practitioner", None, "new"), Action.create).allowed


def test_files_follow_their_documents():
    pdf = Target("Binary", "acct-p", "b1", "acct-d")
    assert policy.can_read_file(PHYSIO, pdf, [document(PRESCRIPTION)], HOME).allowed
    refused = policy.can_read_file(PHYSIO, pdf, [document(DELIVERY_REPORT)], HOME)
    assert not refused.allowed and not refused.conceal
    assert policy.can_read_file(DOCTOR, pdf, [], HOME).allowed  # their own upload
    assert not policy.can_read_file(NURSE, pdf, [], HOME).allowed
    assert policy.can_read_file(PATIENT, pdf, [], HOME).allowed


def test_search_needs_a_patient_from_professionals():
    assert policy.must_name_patient(DOCTOR, "Observation")
    assert not policy.must_name_patient(DOCTOR, "Practitioner")
    assert not policy.must_name_patient(PATIENT, "Observation")
