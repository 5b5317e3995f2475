"""What apps ask for, in words, and what the patient's ticks grant; scopes cut down to what
a grant and an app allow."""
from hypothesis import given
from hypothesis import strategies as st

from health.app_catalogue import GRANTABLE_WITHOUT_DATA, access_lines, category_label, granted_scope
from health.smart_scopes import PERMISSIONS, parse_scope, parse_scopes

TELECONSULTATION = parse_scopes("launch/patient openid fhirUser patient/Condition.rs "
                                "patient/DocumentReference.rs patient/DocumentReference.c "
                                "patient/Observation.rs?category=laboratory")


def test_asked_scopes_become_one_line_per_kind_of_data_in_french():
    lines = access_lines(TELECONSULTATION)
    assert [(line.resource_type, line.read, line.write) for line in lines] == [
        ("Condition", "rs", ""), ("DocumentReference", "rs", "c"), ("Observation", "rs", "")]
    documents = lines[1]
    assert documents.read_words == "Lire vos documents de santé"
    assert documents.write_words == "Ajouter dans vos documents de santé"
    assert documents.words == "Lire vos documents de santé ; Ajouter dans vos documents de santé"
    assert lines[2].read_words == "Lire vos résultats d'analyses de laboratoire"
    coded = access_lines(parse_scopes("patient/Observation.rs?code=http://loinc.org|2339-0"))[0]
    assert coded.data.endswith("(seulement : code = 2339-0)")
    prescriptions = access_lines(parse_scopes("patient/DocumentReference.rs?category=prescription"))[0]
    assert prescriptions.data == "vos documents de santé de la catégorie « Ordonnances »"
    assert access_lines(parse_scopes("patient/Appointment.cud"))[0].write_words == \
        "Ajouter, modifier et supprimer dans vos rendez-vous"
    assert category_label("teleconsultation") == "Téléconsultation" and category_label("?") == "Autre"


def test_ticks_grant_read_and_write_apart_and_drop_identity_scopes():
    granted = granted_scope(TELECONSULTATION, {0: (True, False), 1: (False, True)})
    assert granted.text == "patient/Condition.rs patient/DocumentReference.c launch/patient"
    assert granted_scope(TELECONSULTATION, {}).resources == ()
    everything = granted_scope(TELECONSULTATION, {i: (True, True) for i in range(3)})
    assert everything.text == ("patient/Condition.rs patient/DocumentReference.crs "
                               "patient/Observation.rs?category=laboratory launch/patient")


def test_narrowing_keeps_only_what_every_side_allows():
    token = parse_scopes("patient/Observation.cruds patient/Condition.rs patient/*.r launch/patient openid")
    allowed = parse_scopes("patient/Observation.rs patient/Observation.c launch/patient")
    assert token.narrowed_to(allowed).text == "patient/Observation.crs launch/patient"
    assert token.beyond(allowed) == ("patient/Observation.cruds", "patient/Condition.rs", "patient/*.r")
    # A restricted scope is enclosed by the same restriction or none, never by another one.
    laboratory = parse_scopes("patient/Observation.rs?category=laboratory")
    assert laboratory.narrowed_to(parse_scopes("patient/Observation.rs")).text == laboratory.text
    assert laboratory.narrowed_to(parse_scopes("patient/Observation.rs?category=vital-signs")).resources == ()
    assert parse_scopes("patient/Condition.rs").narrowed_to(parse_scopes("patient/*.r")).text == "patient/Condition.r"
    assert parse_scopes("user/Condition.rs").narrowed_to(parse_scopes("patient/*.cruds")).resources == ()


letters = st.sets(st.sampled_from(PERMISSIONS), min_size=1).map(lambda s: "".join(p for p in PERMISSIONS if p in s))
types = st.sampled_from(["Observation", "Condition", "DocumentReference", "*"])


@given(st.lists(st.tuples(types, letters), min_size=1, max_size=4),
       st.lists(st.tuples(types, letters), min_size=1, max_size=4))
def test_narrowed_scopes_never_permit_more_than_either_side(asked, allowed):
    asked_scopes = parse_scopes(" ".join(f"patient/{kind}.{perms}" for kind, perms in asked))
    allowed_scopes = parse_scopes(" ".join(f"patient/{kind}.{perms}" for kind, perms in allowed))
    narrowed = asked_scopes.narrowed_to(allowed_scopes)
    for kind in ("Observation", "Condition", "DocumentReference", "Patient"):
        for permission in PERMISSIONS:
            if narrowed.permits_type(kind, permission):
                assert asked_scopes.permits_type(kind, permission) and allowed_scopes.permits_type(kind, permission)
    assert narrowed.narrowed_to(allowed_scopes) == narrowed  # narrowing twice changes nothing
    assert not narrowed.beyond(allowed_scopes)


def test_a_scope_reads_back_from_its_text():
    for text in ("patient/Observation.crs", "patient/Observation.rs?category=http://loinc.org|1234-5&code=x",
                 "patient/*.cruds"):
        scope = parse_scope(text)
        assert parse_scope(scope.text) == scope
    assert "offline_access" in GRANTABLE_WITHOUT_DATA and "openid" not in GRANTABLE_WITHOUT_DATA
