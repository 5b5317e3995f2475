"""The access history in words: AuditEvents built as the server builds them
(health.audit_events), read back, grouped, said in a sentence and explained."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from health.access_log import EMERGENCY, NORMAL, REFUSAL, group_accesses, read_access, touched_counts
from health.access_reasons import RecordFacts, TouchedItem, explain, profession_rule
from health.access_sentences import sentence
from health.audit_events import AccessRecord, Agent, audit_event

PARIS = timezone(timedelta(hours=1))
DAY = datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc)
GP = Agent("professional", "Claire Lefèvre", "Practitioner/gp", "general-practitioner")
NURSE = Agent("professional", "Isabelle Mercier", "Practitioner/nurse", "nurse")
PHARMACIST = Agent("professional", "Marc Chevalier", "Practitioner/pharma", "pharmacist")
SAMU = Agent("professional", "Emma Roussel", "Practitioner/samu", "physician")
WORK_DOCTOR = Agent("professional", "Dr Xavier Dumont", "Practitioner/work", "physician")
FATHER = Agent("representative", "Jean Moreau", "Patient/father")
GLUCO = Agent("app", "GlucoSuivi", app_id="gluco")
REASON = "Malaise sur la voie publique, patiente inconsciente."


def plain(text: str) -> str:
    """French sentences carry no-break spaces (before ":" and inside « »): compared as spaces."""
    return text.replace("\u00a0", " ")


def event(agent: Agent, interaction: str, entities=(), *, at: datetime = DAY, ident: str = "e", **extra) -> dict:
    return audit_event(AccessRecord(ident, at, "me", agent, interaction, tuple(entities), **extra))


def access(*args, **kwargs):
    return read_access(event(*args, **kwargs))


def documents(n: int) -> tuple[str, ...]:
    return tuple(f"DocumentReference/d{i}" for i in range(n))


SENTENCES = [
    # (what happened, French, English)
    ([access(GP, "read", ("DocumentReference/d1",)), access(GP, "read", ("DocumentReference/d2",)),
      access(GP, "file", ("Binary/b1", "DocumentReference/d1")), access(GP, "read", ("DocumentReference/d3",))],
     "Dr Claire Lefèvre (médecin généraliste) a consulté 3 documents et a ouvert 1 fichier le 02/12/2026",
     "Dr Claire Lefèvre (general practitioner) viewed 3 documents and opened 1 file on 02/12/2026"),
    ([access(NURSE, "search-type", documents(3), resource_type="DocumentReference", result_count=3),
      access(NURSE, "search-type", ("AllergyIntolerance/a1",), resource_type="AllergyIntolerance", result_count=1),
      access(NURSE, "search-type", (), resource_type="MedicationStatement", result_count=0)],
     "Isabelle Mercier (infirmier·ère) a consulté 3 documents et 1 allergie le 02/12/2026",
     "Isabelle Mercier (nurse) viewed 3 documents and 1 allergy on 02/12/2026"),
    ([access(PHARMACIST, "search-type", (), resource_type="Condition", result_count=0)],
     "Marc Chevalier (pharmacien·ne) a cherché dans vos antécédents sans rien trouver le 02/12/2026",
     "Marc Chevalier (pharmacist) searched your conditions and found nothing on 02/12/2026"),
    # A search counts its results, even beyond the page of references it lists.
    ([access(GP, "search-type", documents(20), resource_type="DocumentReference", result_count=74)],
     "Dr Claire Lefèvre (médecin généraliste) a consulté 74 documents le 02/12/2026",
     "Dr Claire Lefèvre (general practitioner) viewed 74 documents on 02/12/2026"),
    ([access(NURSE, "create", ("Immunization/i1",)), access(NURSE, "update", ("Immunization/i1",)),
      access(NURSE, "read", ("Immunization/i1",))],
     "Isabelle Mercier (infirmier·ère) a consulté 1 vaccination, a ajouté 1 vaccination et a modifié 1 vaccination "
     "le 02/12/2026",
     "Isabelle Mercier (nurse) viewed 1 vaccination, added 1 vaccination and changed 1 vaccination on 02/12/2026"),
    ([access(SAMU, "search-type", documents(2), resource_type="DocumentReference", result_count=2,
             emergency_reason=REASON),
      access(SAMU, "emergency-access", ("Patient/me",), emergency_reason=REASON)],
     f"Dr Emma Roussel (médecin spécialiste) a ouvert votre dossier en urgence le 02/12/2026 et a consulté "
     f"2 documents : « {REASON} »",
     f"Dr Emma Roussel (specialist physician) opened your record in an emergency on 02/12/2026 and viewed "
     f"2 documents: “{REASON}”"),
    ([access(SAMU, "read", ("AllergyIntolerance/a1",), emergency_reason=REASON)],
     f"Dr Emma Roussel (médecin spécialiste) a consulté 1 allergie en urgence le 02/12/2026 : « {REASON} »",
     f"Dr Emma Roussel (specialist physician) viewed 1 allergy in an emergency on 02/12/2026: “{REASON}”"),
    ([access(WORK_DOCTOR, "search-type", resource_type="DocumentReference", allowed=False,
             refusal="This patient has not authorised you to access their record.")],
     "Accès refusé : Dr Xavier Dumont (médecin spécialiste) a tenté de consulter vos documents le 02/12/2026",
     "Access refused: Dr Xavier Dumont (specialist physician) tried to view your documents on 02/12/2026"),
    ([access(WORK_DOCTOR, "emergency-access", ("Patient/me",), allowed=False, emergency_reason="Urgence vitale",
             refusal="This patient has refused emergency access to their record.")],
     "Accès refusé : Dr Xavier Dumont (médecin spécialiste) a tenté d'ouvrir votre dossier en urgence le 02/12/2026",
     "Access refused: Dr Xavier Dumont (specialist physician) tried to open your record in an emergency on "
     "02/12/2026"),
    ([access(FATHER, "changes", ("Observation/o1", "Observation/o2", "DocumentReference/d1"), result_count=3)],
     "Jean Moreau (représentant légal) a consulté 2 mesures et 1 document le 02/12/2026",
     "Jean Moreau (legal representative) viewed 2 measurements and 1 document on 02/12/2026"),
    ([access(FATHER, "update", ("Patient/me",))],
     "Jean Moreau (représentant légal) a modifié votre fiche d'identité le 02/12/2026",
     "Jean Moreau (legal representative) changed your identity details on 02/12/2026"),
    ([access(FATHER, "export", resource_type="Patient"), access(FATHER, "read", ("DocumentReference/d1",))],
     "Jean Moreau (représentant légal) a téléchargé votre dossier complet et a consulté 1 document le 02/12/2026",
     "Jean Moreau (legal representative) downloaded your whole record and viewed 1 document on 02/12/2026"),
    ([access(GP, "export", resource_type="Patient", allowed=False,
             refusal="Only the patient or their legal representative can export the whole record.")],
     "Accès refusé : Dr Claire Lefèvre (médecin généraliste) a tenté de télécharger votre dossier le 02/12/2026",
     "Access refused: Dr Claire Lefèvre (general practitioner) tried to download your record on 02/12/2026"),
    ([access(GLUCO, "create", (f"Observation/o{i}",)) for i in range(12)],
     "L'application GlucoSuivi a ajouté 12 mesures le 02/12/2026",
     "The app GlucoSuivi added 12 measurements on 02/12/2026"),
]


@pytest.mark.parametrize("accesses, french, english", SENTENCES)
def test_a_group_reads_as_one_sentence(accesses, french, english):
    groups = group_accesses(accesses, PARIS)
    assert len(groups) == 1
    assert plain(sentence(groups[0], "fr")) == french
    assert sentence(groups[0], "en") == english


def test_what_the_device_reads_from_an_event():
    traced = access(PHARMACIST, "search-type", ("MedicationStatement/m1",), resource_type="MedicationStatement",
                    result_count=4, notifications=("first-access",))
    assert (traced.agent_kind, traced.agent_reference, traced.profession) == ("professional", "Practitioner/pharma",
                                                                              "pharmacist")
    assert traced.touched == ("MedicationStatement/m1",) and traced.searched == (("MedicationStatement", 4),)
    assert traced.recorded == DAY and traced.allowed and not traced.emergency
    assert traced.notifications == {"first-access"} and traced.kind == NORMAL
    app = access(GLUCO, "read", ("Observation/o1",))
    assert (app.agent_kind, app.app_id, app.agent_key) == ("app", "gluco", "app:gluco")


def test_a_malformed_event_reads_as_blanks_not_an_error():
    traced = read_access({"resourceType": "AuditEvent", "id": "x", "agent": "nobody", "entity": [None, 3],
                          "recorded": "not a date", "outcome": "4"})
    assert (traced.agent_name, traced.recorded, traced.touched, traced.kind) == ("?", None, (), REFUSAL)
    assert plain(sentence(group_accesses([traced])[0], "fr")) == "Accès refusé : ? (professionnel de santé) a tenté de " \
                                                          "consulter votre dossier"


GROUPING = [
    # (agents and hours, in history order (newest first), the expected group sizes)
    ([(GP, 10), (GP, 9), (GP, 8)], [3]),
    ([(GP, 10), (NURSE, 9), (GP, 8)], [1, 1, 1]),  # consecutive only
    ([(GP, 10), (GP, -20)], [1, 1]),  # the day before
]


@pytest.mark.parametrize("visits, sizes", GROUPING)
def test_consecutive_accesses_by_the_same_person_on_the_same_day_are_one_group(visits, sizes):
    accesses = [access(agent, "read", ("Condition/c1",), at=DAY.replace(hour=0) + timedelta(hours=hour),
                       ident=f"e{i}") for i, (agent, hour) in enumerate(visits)]
    assert [len(g.accesses) for g in group_accesses(accesses, PARIS)] == sizes


def test_days_are_the_patients_local_days():
    late = [access(GP, "read", ("Condition/c1",), at=datetime(2026, 12, 2, hour, 30, tzinfo=timezone.utc),
                   ident=f"e{hour}") for hour in (23, 22)]  # 00:30 on the 3rd and 23:30 on the 2nd in Paris
    assert [len(g.accesses) for g in group_accesses(late, timezone.utc)] == [2]
    assert [g.day.day for g in group_accesses(late, PARIS)] == [3, 2]


def test_kinds_split_groups_and_a_refusal_is_never_merged_with_a_read():
    accesses = [access(SAMU, "read", ("Condition/c1",), emergency_reason=REASON, ident="e1"),
                access(SAMU, "read", ("Condition/c1",), ident="e2"),
                access(SAMU, "read", ("Condition/c2",), allowed=False, refusal="no", ident="e3")]
    groups = group_accesses(accesses, PARIS)
    assert [g.kind for g in groups] == [EMERGENCY, NORMAL, REFUSAL]
    assert [g.id for g in groups] == ["e1", "e2", "e3"]


def test_the_same_item_read_twice_counts_once():
    group = group_accesses([access(GP, "read", ("Condition/c1",), ident="a"),
                            access(GP, "read", ("Condition/c1",), ident="b")])[0]
    assert touched_counts(group) == {"read": {"Condition": 1}}


# -- why could they see it? ---------------------------------------------------------------
def reasons_of(accesses, facts=RecordFacts(), language="fr"):
    return explain(group_accesses(accesses, PARIS)[0], facts, language)


EXPLANATIONS = [
    # (accesses, facts, the rules said, in order)
    ([access(NURSE, "read", ("Immunization/i1",))], RecordFacts(), ["profession"]),
    ([access(GP, "read", ("DocumentReference/d1",))],
     RecordFacts(regular_doctor="Practitioner/gp",
                 touched=(TouchedItem("DocumentReference/d1", "Compte rendu", hidden=True),)),
     ["regular-doctor", "profession", "hidden"]),
    ([access(PHARMACIST, "read", ("DocumentReference/d1",), notifications=("first-access",))],
     RecordFacts(touched=(TouchedItem("DocumentReference/d1", "Ordonnance", "57833-6", by_agent=True),)),
     ["profession", "author", "first-access"]),
    ([access(SAMU, "emergency-access", ("Patient/me",), emergency_reason=REASON)],
     RecordFacts(emergency_access_allowed=True), ["emergency", "emergency-choice", "profession"]),
    ([access(FATHER, "read", ("Condition/c1",))], RecordFacts(), ["representative"]),
    ([access(GLUCO, "read", ("Observation/o1",))], RecordFacts(), ["app"]),
    ([access(WORK_DOCTOR, "search-type", resource_type="DocumentReference", allowed=False,
             refusal="This patient has not authorised you to access their record.")],
     RecordFacts(blocked=frozenset({"Practitioner/work"})), ["blocked"]),
    ([access(WORK_DOCTOR, "emergency-access", ("Patient/me",), allowed=False, emergency_reason="Urgence",
             refusal="This patient has refused emergency access to their record.")],
     RecordFacts(), ["emergency-refused"]),
    ([access(PHARMACIST, "read", ("DocumentReference/d1",), allowed=False,
             refusal="Your profession (pharmacist) does not give access to imaging reports in a patient's record.")],
     RecordFacts(), ["outside-profession"]),
    ([access(PHARMACIST, "read", ("Condition/c1",), allowed=False, refusal="Something else.")],
     RecordFacts(), ["refused"]),
]


@pytest.mark.parametrize("accesses, facts, rules", EXPLANATIONS)
def test_the_rule_behind_an_access(accesses, facts, rules):
    for language in ("fr", "en"):
        reasons = reasons_of(accesses, facts, language)
        assert [r.rule for r in reasons] == rules
        assert all(r.text and "{" not in r.text for r in reasons)


def test_the_rules_in_words():
    emergency = reasons_of([access(SAMU, "emergency-access", ("Patient/me",), emergency_reason=REASON)],
                           RecordFacts(emergency_access_allowed=False))
    assert REASON.rstrip(".") + " »" in plain(emergency[0].text) and "quatre heures" in emergency[0].text
    assert emergency[1].text.startswith("Vous avez refusé l'accès en urgence depuis")
    blocked = [access(WORK_DOCTOR, "read", ("Condition/c1",), allowed=False,
                      refusal="This patient has not authorised you to access their record.")]
    assert plain(reasons_of(blocked, RecordFacts(blocked=frozenset({"Practitioner/work"})))[0].text).startswith(
        "Refusé parce que vous avez bloqué Dr Xavier Dumont")
    assert "débloqué depuis" in reasons_of(blocked, RecordFacts())[0].text
    assert "débloqué" not in reasons_of(blocked, RecordFacts(choices_known=False))[0].text
    assert reasons_of([access(FATHER, "read", ("Condition/c1",))], language="en")[0].text.startswith(
        "Jean Moreau is your legal representative")


MATRIX_ROWS = [
    ("general-practitioner", "médecin généraliste", "Sa profession (médecin généraliste) donne accès à tout votre "
                                                    "dossier."),
    ("pharmacist", "pharmacien·ne", "Sa profession (pharmacien·ne) donne accès à votre identité, vos antécédents "
     "(maladies, opérations, séjours), vos allergies, vos traitements, vos vaccinations, vos mesures et résultats, "
     "vos messages avec les soignants et votre agenda, et parmi vos documents : ordonnance, compte rendu de "
     "biologie, certificat de vaccination, synthèse médicale."),
    ("nurse", "infirmier·ère", "Sa profession (infirmier·ère) donne accès à tout votre dossier, sauf à ces "
                               "documents : compte rendu d'accouchement."),
    ("physiotherapist", "masseur-kinésithérapeute", None),
    (None, "professionnel de santé", "Sa profession (professionnel de santé) ne donne accès à aucun dossier."),
]


@pytest.mark.parametrize("profession, label, expected", MATRIX_ROWS)
def test_a_professions_row_of_the_matrix_in_one_sentence(profession, label, expected):
    text = plain(profession_rule(profession, label, "fr"))
    if expected is not None:
        assert text == expected
    else:  # no vaccinations, blood group or contacts; some documents
        assert "vos allergies" in text and "vaccinations" not in text and "groupe sanguin" not in text
        assert "compte rendu d'imagerie" in text and "directives anticipées" not in text
    assert "{" not in profession_rule(profession, label, "en")


def test_what_each_access_did_without_who_or_when():
    from health.access_sentences import deeds

    def one(traced):
        return deeds(group_accesses([traced], PARIS)[0], "fr"), deeds(group_accesses([traced], PARIS)[0], "en")

    assert one(access(GP, "read", ("DocumentReference/d1",))) == ("a consulté 1 document", "viewed 1 document")
    assert one(access(SAMU, "emergency-access", ("Patient/me",), emergency_reason=REASON)) == (
        "a ouvert votre dossier en urgence", "opened your record in an emergency")
    assert one(access(WORK_DOCTOR, "search-type", resource_type="Condition", allowed=False, refusal="no")) == (
        "a tenté de consulter vos antécédents", "tried to view your conditions")


def test_french_punctuation_never_starts_a_line():
    said = sentence(group_accesses([access(SAMU, "emergency-access", ("Patient/me",), emergency_reason=REASON)])[0])
    assert said.endswith(f"\u00a0: «\u00a0{REASON}\u00a0»") and " :" not in said and " »" not in said
    assert "\u00a0;" in reasons_of([access(SAMU, "emergency-access", ("Patient/me",), emergency_reason=REASON)])[0].text
