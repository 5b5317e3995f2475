"""The messaging rules of AccessPolicy, decided without HTTP or a database."""
from server.models import AccountKind
from server.principal import Principal
from server.services.access import AccessPolicy, Compartment, Target

policy = AccessPolicy()
PATIENT = Principal("acct-p", AccountKind.patient, "pat-1", "dev-1")
OTHER = Principal("acct-o", AccountKind.patient, "pat-2", "dev-2")
DOCTOR = Principal("acct-d", AccountKind.professional, "prac-1", "dev-3", "general-practitioner")
NURSE = Principal("acct-n", AccountKind.professional, "prac-2", "dev-4", "nurse")


def message(author="acct-d", kind="professional", compartment="acct-p"):
    return Target("Communication", compartment, "m1", author, kind)


def test_care_teams_open_conversations_patients_do_not():
    assert policy.can_start_conversation(DOCTOR).allowed
    refused = policy.can_start_conversation(PATIENT)
    assert not refused.allowed and not refused.conceal
    assert refused.reason.startswith("Conversations are started by your care team")


def test_a_reply_goes_in_a_conversation_of_the_same_record():
    assert policy.can_reply(PATIENT, Compartment("acct-p"), message()).allowed
    assert policy.can_reply(DOCTOR, Compartment("acct-p"), message()).allowed
    # Another record's conversation is as good as none, whoever asks.
    for principal, compartment in ((PATIENT, "acct-p"), (OTHER, "acct-o"), (DOCTOR, "acct-o")):
        refused = policy.can_reply(principal, Compartment(compartment), message(compartment="acct-x"))
        assert not refused.allowed and refused.conceal
    assert not policy.can_reply(OTHER, Compartment("acct-p"), message()).allowed
    # A blocked professional cannot reply either.
    blocked = Compartment("acct-p", blocked=frozenset({"acct-d"}))
    assert not policy.can_reply(DOCTOR, blocked, message()).allowed


def test_only_the_sender_changes_a_message():
    assert policy.can_change_message(DOCTOR, message()).allowed
    assert policy.can_change_message(PATIENT, message("acct-p", "patient")).allowed
    for principal, target in ((PATIENT, message()), (NURSE, message()), (DOCTOR, message("acct-p", "patient")),
                              (PATIENT, message(None, None))):
        refused = policy.can_change_message(principal, target)
        assert not refused.allowed and "only its sender" in refused.reason


def test_only_the_recipient_marks_a_message_read():
    mine = Compartment("acct-p")
    assert policy.can_mark_read(PATIENT, message(), mine, addressed_to_principal=True).allowed
    assert not policy.can_mark_read(PATIENT, message(), mine, addressed_to_principal=False).allowed
    own = policy.can_mark_read(PATIENT, message("acct-p", "patient"), mine, addressed_to_principal=True)
    assert not own.allowed and "only its recipient" in own.reason
    hidden = policy.can_mark_read(OTHER, message(), mine, addressed_to_principal=True)
    assert not hidden.allowed and hidden.conceal
