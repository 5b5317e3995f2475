"""Visibility labels on resources."""
from health.visibility import HIDDEN, VISIBILITY_SYSTEM, WITHHELD_FROM_PATIENT, labels_of, with_labels, without_labels
from storage.indexing import HIDDEN_CODE, HIDDEN_SYSTEM, is_hidden


def test_the_device_and_the_server_speak_of_the_same_label():
    assert (HIDDEN_SYSTEM, HIDDEN_CODE) == (VISIBILITY_SYSTEM, HIDDEN)
    resource = with_labels({"resourceType": "Condition", "id": "c"}, frozenset({HIDDEN}))
    assert is_hidden(resource) and labels_of(resource) == {HIDDEN}


def test_labels_are_read_from_security_and_tags_and_rewritten_in_security():
    resource = {"resourceType": "Condition", "id": "c", "meta": {
        "tag": [{"system": VISIBILITY_SYSTEM, "code": HIDDEN}, {"system": "other", "code": "x"}],
        "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]}}
    assert labels_of(resource) == {HIDDEN}
    changed = with_labels(resource, frozenset({WITHHELD_FROM_PATIENT}))
    assert changed["meta"]["tag"] == [{"system": "other", "code": "x"}]
    assert changed["meta"]["security"][-1] == {"system": VISIBILITY_SYSTEM, "code": WITHHELD_FROM_PATIENT}
    assert labels_of(changed) == {WITHHELD_FROM_PATIENT}
    assert "meta" not in without_labels({"resourceType": "Condition", "id": "c",
                                         "meta": {"security": [{"system": VISIBILITY_SYSTEM, "code": HIDDEN}]}})
    assert labels_of(None) == frozenset() and labels_of({"meta": "junk"}) == frozenset()
