"""Medical history: the Patient, conditions, operations, allergies, treatments, blood group,
trusted person and emergency contacts.

The story is told in ages (asthma since childhood, appendicitis at 30, a wrist fracture
at 34, hypertension at 37…), so any birth date gives a plausible record.
"""
from __future__ import annotations

from datetime import timedelta

from health.codes import BLOOD_GROUP_LOINC, CARNET_PROFESSION, LOINC, OBSERVATION_CATEGORY, SNOMED
from health.identifiers import INS_SYSTEM, RPPS_SYSTEM
from server.demo.cast import Clinician
from server.demo.context import RecordContext
from server.demo.fhir_parts import (
    ALLERGY_CLINICAL, ALLERGY_VERIFICATION, ATC, CONDITION_CLINICAL, CONDITION_VERIFICATION,
    CONTACT_ROLE, ROLE_CODE, concept, paris_datetime, practitioner_ref,
)

RELATED_PERSON_ROLE = "urn:carnet:related-person-role"

# (key, SNOMED code, French label, age at onset, resolved after days or None, role of the author)
_CONDITIONS = (
    ("asthma", "195967001", "Asthme", 6, None, "pneumologist"),
    ("rhinitis", "61582004", "Rhinite allergique saisonnière", 12, None, "gp"),
    ("appendicitis", "74400008", "Appendicite aiguë", 30, 10, "surgeon"),
    ("fracture", "263225007", "Fracture de l'extrémité distale du radius gauche", 34, 60, "gp"),
    ("back-pain", "279039007", "Lombalgie commune", 40, 90, "gp"),
    ("hypertension", "59621000", "Hypertension artérielle essentielle", 37, None, "gp"),
    ("cholesterol", "13644009", "Hypercholestérolémie", 42, None, "gp"),
)

# (ATC code, French label, dosage, first age, last age or None if current, author role)
_MEDICATIONS = (
    ("R03AC02", "Salbutamol 100 µg/dose (Ventoline), suspension pour inhalation",
     "2 bouffées en cas de gêne respiratoire", 6, None, "pneumologist"),
    ("R03BA02", "Budésonide 200 µg (Pulmicort Turbuhaler)", "1 inhalation matin et soir", 24, 29,
     "pneumologist"),
    ("R03AK06", "Salmétérol/fluticasone 50/250 µg (Seretide Diskus)", "1 inhalation matin et soir",
     29, None, "pneumologist"),
    ("R06AE07", "Cétirizine 10 mg, comprimé", "1 comprimé le soir d'avril à juin", 15, None, None),
    ("C08CA01", "Amlodipine 5 mg, gélule", "1 gélule le matin", 37, None, "gp"),
    ("C10AA05", "Atorvastatine 10 mg, comprimé", "1 comprimé le soir", 42, None, "gp"),
    ("G03AA07", "Lévonorgestrel/éthinylestradiol 0,15/0,03 mg", "1 comprimé par jour, 21 jours sur 28",
     27, 35, "gp"),
    ("J01FG01", "Pristinamycine 500 mg (Pyostacine)", "2 comprimés 3 fois par jour pendant 7 jours",
     33, 33, "gp"),
    ("M01AE03", "Kétoprofène 100 mg LP", "1 comprimé le soir pendant 5 jours", 40, 40, "gp"),
    ("B03AA07", "Sulfate ferreux 80 mg (Tardyferon)", "1 comprimé par jour", 36, 36, "midwife"),
)

_BLOOD_GROUPS = (  # SNOMED code, label, share of the French population (%)
    ("278149003", "A+", 38), ("278152006", "A-", 7), ("278154007", "O+", 36), ("278153001", "O-", 6),
    ("278150003", "B+", 8), ("278151004", "B-", 1), ("278156005", "AB+", 3), ("278155009", "AB-", 1),
)


def add_patient(ctx: RecordContext) -> dict:
    person = ctx.person
    telecom = [{"system": "phone", "value": person.phone, "use": "mobile"}] if person.phone else []
    if person.email:
        telecom.append({"system": "email", "value": person.email, "use": "home"})
    patient = {
        "resourceType": "Patient", "id": ctx.patient_id, "active": True,
        "identifier": [{"use": "official", "system": INS_SYSTEM, "value": person.ins}],
        "name": [{"use": "official", "family": person.family, "given": [person.given]}],
        "gender": person.gender, "birthDate": person.birth_date.isoformat(),
        "address": [{"use": "home", "line": [person.address_line], "postalCode": person.postal_code,
                     "city": person.city, "country": "FR"}],
        "communication": [{"language": concept("urn:ietf:bcp:47", "fr-FR", "Français"), "preferred": True}],
    }
    if telecom:
        patient["telecom"] = telecom
    return ctx.add(patient, None)


def add_history(ctx: RecordContext) -> None:
    _add_conditions(ctx)
    _add_procedures(ctx)
    _add_hospital_stays(ctx)
    _add_allergies(ctx)
    _add_medications(ctx)
    _add_blood_group(ctx)
    _add_related_persons(ctx)


def _add_conditions(ctx: RecordContext) -> None:
    for key, code, label, onset_age, resolved_after, role in _CONDITIONS:
        onset = ctx.birthday(onset_age) + timedelta(days=80)
        if onset > ctx.today or (resolved_after is not None and onset < ctx.start):
            continue
        ctx.events[key] = onset
        recorded = max(onset, ctx.start + timedelta(days=30))
        author = ctx.team.role(role)
        condition = {
            "resourceType": "Condition",
            "clinicalStatus": concept(CONDITION_CLINICAL, "resolved" if resolved_after else "active",
                                      "Résolu" if resolved_after else "Actif"),
            "verificationStatus": concept(CONDITION_VERIFICATION, "confirmed", "Confirmé"),
            "category": [concept("http://terminology.hl7.org/CodeSystem/condition-category",
                                 "problem-list-item", "Antécédent")],
            "code": concept(SNOMED, code, label),
            "subject": ctx.patient_ref,
            "onsetDateTime": onset.isoformat(),
            "recordedDate": recorded.isoformat(),
            "recorder": practitioner_ref(author),
        }
        if resolved_after:
            condition["abatementDateTime"] = (onset + timedelta(days=resolved_after)).isoformat()
        ctx.add(condition, author)


def _add_procedures(ctx: RecordContext) -> None:
    operations = [
        ("appendicitis", "80146002", "Appendicectomie par cœlioscopie", "surgeon"),
        ("fracture", "54744004", "Réduction et immobilisation plâtrée du poignet gauche", "gp"),
    ]
    if ctx.person.gender == "female":
        delivery = ctx.at_age(36, 80)
        if delivery:
            ctx.events["delivery"] = delivery
            operations.append(("delivery", "48782003", "Accouchement par voie basse", "midwife"))
    for key, code, label, role in operations:
        day = ctx.events.get(key)
        if day is None:
            continue
        author = ctx.team.role(role)
        ctx.add({
            "resourceType": "Procedure", "status": "completed",
            "code": concept(SNOMED, code, label), "subject": ctx.patient_ref,
            "performedDateTime": paris_datetime(day + timedelta(days=1 if key == "appendicitis" else 0), 14),
            "recorder": practitioner_ref(author),
            "performer": [{"actor": practitioner_ref(author)}],
        }, author)


# (event key, days in hospital, French reason, author role); the author's practice is the ward.
_HOSPITAL_STAYS = (
    ("appendicitis", 3, "Appendicite aiguë opérée", "surgeon"),
    ("delivery", 4, "Accouchement", "midwife"),
)
ENCOUNTER_CLASS = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def _add_hospital_stays(ctx: RecordContext) -> None:
    for key, days, reason, role in _HOSPITAL_STAYS:
        day = ctx.events.get(key)
        if day is None:
            continue
        author = ctx.team.role(role)
        ctx.add({
            "resourceType": "Encounter", "status": "finished",
            "class": {"system": ENCOUNTER_CLASS, "code": "IMP", "display": "Hospitalisation"},
            "type": [concept(SNOMED, "32485007", "Hospitalisation", text=f"Hospitalisation : {reason.lower()}")],
            "subject": ctx.patient_ref,
            "participant": [{"individual": practitioner_ref(author)}],
            "period": {"start": day.isoformat(), "end": (day + timedelta(days=days)).isoformat()},
            "reasonCode": [{"text": reason}],
            "serviceProvider": {"display": author.practice},
        }, author)


def _add_allergies(ctx: RecordContext) -> None:
    allergies = [  # SNOMED substance, label, category, criticality, reaction, onset age, author role
        ("764146007", "Pénicilline", "medication", "high", "Urticaire généralisée et œdème des lèvres", 8, "gp"),
        ("256277009", "Pollen de graminées", "environment", "low", "Rhinite et conjonctivite", 12, None),
        ("260147004", "Acariens", "environment", "low", "Crises d'asthme nocturnes", 20, "pneumologist"),
    ]
    for code, label, category, criticality, reaction, age, role in allergies:
        author = ctx.team.role(role) if role else None
        recorded = ctx.day_between(ctx.start, ctx.start + timedelta(days=400))
        allergy = {
            "resourceType": "AllergyIntolerance",
            "clinicalStatus": concept(ALLERGY_CLINICAL, "active", "Active"),
            "verificationStatus": concept(ALLERGY_VERIFICATION, "confirmed" if author else "unconfirmed",
                                          "Confirmée" if author else "Non confirmée"),
            "type": "allergy", "category": [category], "criticality": criticality,
            "code": concept(SNOMED, code, label), "patient": ctx.patient_ref,
            "onsetDateTime": max(ctx.birthday(age), ctx.person.birth_date).isoformat(),
            "recordedDate": recorded.isoformat(),
            "reaction": [{"description": reaction, "manifestation": [{"text": reaction}]}],
        }
        if author:
            allergy["recorder"] = practitioner_ref(author)
        ctx.add(allergy, author)


def _add_medications(ctx: RecordContext) -> None:
    for code, label, dosage, first_age, last_age, role in _MEDICATIONS:
        if code.startswith("G03") and ctx.person.gender != "female":
            continue
        if code == "B03AA07" and "delivery" not in ctx.events:
            continue
        begin = ctx.birthday(first_age) + timedelta(days=45)
        if begin > ctx.today:
            continue
        end = ctx.birthday(last_age) + timedelta(days=52) if last_age is not None else None
        if end is not None and end < ctx.start:
            continue
        author = ctx.team.role(role) if role else None
        period = {"start": begin.isoformat()}
        if end is not None:
            period["end"] = min(end, ctx.today).isoformat()
        statement = {
            "resourceType": "MedicationStatement",
            "status": "active" if end is None else "completed",
            "medicationCodeableConcept": concept(ATC, code, label),
            "subject": ctx.patient_ref, "effectivePeriod": period,
            "dateAsserted": max(begin, ctx.start).isoformat(),
            "dosage": [{"text": dosage}],
        }
        if author:
            statement["informationSource"] = practitioner_ref(author)
        ctx.add(statement, author)


def _add_blood_group(ctx: RecordContext) -> None:
    code, label = _blood_group(ctx)
    biologist = ctx.team.role("biologist")
    day = ctx.day_between(ctx.start + timedelta(days=60), ctx.start + timedelta(days=700))
    ctx.add({
        "resourceType": "Observation", "status": "final",
        "category": [concept(OBSERVATION_CATEGORY, "laboratory", "Laboratoire")],
        "code": concept(LOINC, BLOOD_GROUP_LOINC, "Groupe sanguin ABO et Rhésus"),
        "subject": ctx.patient_ref, "effectiveDateTime": paris_datetime(day, 8, 30),
        "performer": [practitioner_ref(biologist)],
        "valueCodeableConcept": concept(SNOMED, code, label, text=label),
    }, biologist)


def _blood_group(ctx: RecordContext) -> tuple[str, str]:
    known = [(code, label) for code, label, _ in _BLOOD_GROUPS if label == ctx.person.blood_group]
    if known:
        return known[0]
    code, label, _ = ctx.rng.choices(_BLOOD_GROUPS, weights=[w for *_, w in _BLOOD_GROUPS])[0]
    return code, label


def _add_related_persons(ctx: RecordContext) -> None:
    family = ctx.person.family
    partner_given, partner_code = ("Nicolas", "HUSB") if ctx.person.gender == "female" else ("Julie", "WIFE")
    people = [  # given, family, v3 relationship, label, Carnet role, phone
        (partner_given, family, partner_code, "Conjoint(e)", "trusted-person", "+33687654321"),
        ("Émilie", "Rousseau", "SIS", "Sœur", "emergency-contact", "+33622334455"),
        ("Karim", "Haddad", "FRND", "Ami", "emergency-contact", "+33478000000"),
    ]
    for given, last, code, label, role, phone in people:
        role_label = "Personne de confiance" if role == "trusted-person" else "Contact en cas d'urgence"
        # The first concept's text is what the emergency card shows next to the name.
        relationship = [concept(ROLE_CODE, code, label, text=f"{label}, {role_label.lower()}"),
                        concept(RELATED_PERSON_ROLE, role, role_label)]
        if role == "emergency-contact":
            relationship.append(concept(CONTACT_ROLE, "C", "Emergency Contact", text=role_label))
        ctx.add({
            "resourceType": "RelatedPerson", "active": True, "patient": ctx.patient_ref,
            "relationship": relationship,
            "name": [{"family": last, "given": [given]}],
            "telecom": [{"system": "phone", "value": phone, "use": "mobile"}],
            "period": {"start": ctx.day_between(ctx.start, ctx.today - timedelta(days=365)).isoformat()},
        }, None)


def practitioner_resource(clinician: Clinician) -> dict:
    """The Practitioner of a clinician (bulk seeding writes it; the demo lets accounts do it)."""
    return {
        "resourceType": "Practitioner", "id": clinician.fhir_id, "active": True,
        "identifier": [{"system": RPPS_SYSTEM, "value": clinician.rpps}],
        "name": [{"family": clinician.family, "given": [clinician.given],
                  **({"prefix": ["Dr"]} if clinician.display_name.startswith("Dr ") else {})}],
        "telecom": [{"system": "phone", "value": clinician.phone, "use": "work"},
                    {"system": "email", "value": clinician.email, "use": "work"}],
        "address": [{"use": "work", "text": clinician.address}],
        "qualification": [{"code": concept(CARNET_PROFESSION, clinician.profession, clinician.profession_label)}],
    }

