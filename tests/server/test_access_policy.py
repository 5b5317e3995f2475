"""AccessPolicy, decided without HTTP or a database."""
import pytest

from server.models import AccountKind
from server.principal import Principal
from server.services.access import AccessPolicy, Action, SearchScope, Target

policy = AccessPolicy()
PATIENT = Principal("acct-p", AccountKind.patient, "pat-1", "dev-1")
OTHER = Principal("acct-o", AccountKind.patient, "pat-2", "dev-2")
DOCTOR = Principal("acct-d", AccountKind.professional, "prac-1", "dev-3", "general-practitioner")
NURSE = Principal("acct-n", AccountKind.professional, "prac-2", "dev-4", "nurse")


def own(resource_type="Condition", author=None, kind=None):
    return Target(resource_type, "acct-p", "r1", author, kind)


def test_patient_reads_own_compartment_and_practitioners_only():
    assert policy.can_read(PATIENT, own()).allowed
    assert policy.can_read(PATIENT, Target("Practitioner", None, "prac-1")).allowed
    refused = policy.can_read(OTHER, own())
    assert not refused.allowed and refused.conceal


def test_professionals_read_any_compartment_for_now():
    assert policy.can_read(DOCTOR, own()).allowed
    assert policy.can_read_feed(NURSE, "acct-p").allowed
    assert not policy.can_read_feed(OTHER, "acct-p").allowed


@pytest.mark.parametrize("action", [Action.update, Action.delete])
def test_professional_authored_is_read_only_for_the_patient(action):
    decision = policy.can_write(PATIENT, own(author="acct-d", kind="professional"), action)
    assert not decision.allowed and not decision.conceal
    assert "read-only for you" in decision.reason
    assert policy.can_write(PATIENT, own(author="acct-p", kind="patient"), action).allowed


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


def test_professionals_add_and_change_only_their_own():
    assert policy.can_write(DOCTOR, Target("DocumentReference", "acct-p"), Action.create).allowed
    mine = own(author="acct-d", kind="professional")
    assert policy.can_write(DOCTOR, mine, Action.update).allowed
    assert not policy.can_write(NURSE, mine, Action.delete).allowed
    assert not policy.can_write(DOCTOR, own(author="acct-p", kind="patient"), Action.update).allowed


def test_practitioner_resources():
    mine = Target("Practitioner", None, "prac-1")
    assert policy.can_write(DOCTOR, mine, Action.update).allowed
    assert not policy.can_write(NURSE, mine, Action.update).allowed
    assert not policy.can_write(PATIENT, mine, Action.update).allowed
    assert not policy.can_write(DOCTOR, Target("Practitioner", None, "new"), Action.create).allowed


def test_search_scope():
    assert policy.search_scope(PATIENT, "Observation") == SearchScope("acct-p", requires_patient=False)
    assert policy.search_scope(PATIENT, "Patient").compartment == "acct-p"
    assert policy.search_scope(DOCTOR, "Patient") == SearchScope(None, requires_patient=True)
    assert policy.search_scope(DOCTOR, "Practitioner") == SearchScope(None, requires_patient=False)
