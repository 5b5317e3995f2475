"""The authorisation matrix: a row per profession, and the cuts the product promises."""
from health import authorisation
from health.authorisation import (
    ADVANCE_DIRECTIVES, DELIVERY_REPORT, MATRIX, PRESCRIPTION, access_of, section_of, sees, types_of_section,
)
from health.codes import BLOOD_GROUP_LOINC, DOCUMENT_TYPES, PROFESSIONS


def test_every_profession_has_a_row_of_known_sections_and_types():
    assert set(MATRIX) == set(PROFESSIONS)
    for row in MATRIX.values():
        assert row.sections <= set(authorisation.SECTIONS)
        assert row.document_types <= set(DOCUMENT_TYPES)
        assert authorisation.IDENTITY in row.sections  # everyone who reads a record knows whose it is


def test_the_cuts_the_product_promises():
    assert not sees(MATRIX["dentist"], "DocumentReference", ADVANCE_DIRECTIVES)
    assert not sees(MATRIX["physiotherapist"], "DocumentReference", DELIVERY_REPORT)
    assert sees(MATRIX["physiotherapist"], "DocumentReference", PRESCRIPTION)
    assert all(sees(MATRIX["general-practitioner"], "DocumentReference", code) for code in DOCUMENT_TYPES)
    assert MATRIX["physiotherapist"].document_types < MATRIX["general-practitioner"].document_types


def test_sections_of_resources():
    assert section_of("Observation", BLOOD_GROUP_LOINC) == authorisation.BLOOD_GROUP
    assert section_of("Observation", "29463-7") == authorisation.MEASUREMENTS
    assert section_of("AuditEvent") is None and section_of("Practitioner") is None
    assert set(types_of_section(authorisation.HISTORY)) == {"Condition", "Procedure", "Encounter"}


def test_unknown_professions_and_types():
    assert access_of(None) is None and access_of("osteopath") is None
    assert sees(MATRIX["physician"], "DocumentReference", "99999-9")
    assert not sees(MATRIX["nurse"], "DocumentReference", "99999-9")
    assert not sees(MATRIX["physician"], "AuditEvent", None)
