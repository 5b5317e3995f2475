"""The codes Carnet uses: professions, document types and categories, profile sections.

Document types are LOINC codes (as in the French DMP's type list, simplified); document
categories group them for the patient app's filters.
"""
from __future__ import annotations

from dataclasses import dataclass

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CARNET_DOCUMENT_CATEGORY = "urn:carnet:document-category"
CARNET_PROFESSION = "urn:carnet:profession"


@dataclass(frozen=True)
class Profession:
    code: str
    label_fr: str
    label_en: str


PROFESSIONS: dict[str, Profession] = {p.code: p for p in [
    Profession("general-practitioner", "Médecin généraliste", "General practitioner"),
    Profession("physician", "Médecin spécialiste", "Specialist physician"),
    Profession("nurse", "Infirmier·ère", "Nurse"),
    Profession("pharmacist", "Pharmacien·ne", "Pharmacist"),
    Profession("physiotherapist", "Masseur-kinésithérapeute", "Physiotherapist"),
    Profession("midwife", "Sage-femme", "Midwife"),
    Profession("dentist", "Chirurgien-dentiste", "Dentist"),
    Profession("biologist", "Biologiste", "Medical biologist"),
    Profession("radiologist", "Radiologue", "Radiologist"),
]}


@dataclass(frozen=True)
class DocumentCategory:
    code: str
    label_fr: str
    label_en: str


DOCUMENT_CATEGORIES: dict[str, DocumentCategory] = {c.code: c for c in [
    DocumentCategory("prescription", "Ordonnances", "Prescriptions"),
    DocumentCategory("lab-result", "Résultats d'analyses", "Lab results"),
    DocumentCategory("imaging", "Imagerie", "Imaging"),
    DocumentCategory("hospital", "Hospitalisation", "Hospital stays"),
    DocumentCategory("consultation", "Comptes rendus de consultation", "Consultation reports"),
    DocumentCategory("vaccination", "Vaccination", "Vaccination"),
    DocumentCategory("prevention", "Prévention", "Prevention"),
    DocumentCategory("patient", "Mes documents", "My documents"),
    DocumentCategory("other", "Autres", "Other"),
]}


@dataclass(frozen=True)
class DocumentType:
    loinc: str
    label_fr: str
    label_en: str
    category: str


DOCUMENT_TYPES: dict[str, DocumentType] = {t.loinc: t for t in [
    DocumentType("57833-6", "Ordonnance", "Prescription", "prescription"),
    DocumentType("11502-2", "Compte rendu de biologie", "Laboratory report", "lab-result"),
    DocumentType("18748-4", "Compte rendu d'imagerie", "Imaging report", "imaging"),
    DocumentType("34133-9", "Synthèse d'épisode de soins", "Summary of episode note", "hospital"),
    DocumentType("18842-5", "Lettre de liaison de sortie", "Discharge summary", "hospital"),
    DocumentType("11488-4", "Compte rendu de consultation", "Consultation note", "consultation"),
    DocumentType("11504-8", "Compte rendu opératoire", "Surgical operation note", "hospital"),
    DocumentType("57832-8", "Compte rendu d'accouchement", "Delivery report", "hospital"),
    DocumentType("11369-6", "Certificat de vaccination", "Immunization history", "vaccination"),
    DocumentType("60591-5", "Synthèse médicale", "Patient summary", "consultation"),
    DocumentType("42348-3", "Directives anticipées", "Advance directives", "other"),
    DocumentType("51855-5", "Document déposé par le patient", "Patient note", "patient"),
    # Organised cervical screening (read by health.prevention as screenings done).
    DocumentType("47528-5", "Cytologie cervico-utérine", "Cervical cytology report", "prevention"),
    DocumentType("30167-1", "Test HPV du col de l'utérus", "Cervical HPV test", "prevention"),
]}

# Observation codes used for measurements shown as charts (LOINC).
MEASUREMENTS = {
    "29463-7": ("Poids", "Body weight", "kg"),
    "8302-2": ("Taille", "Body height", "cm"),
    "85354-9": ("Tension artérielle", "Blood pressure", "mm[Hg]"),
    "8480-6": ("Pression systolique", "Systolic blood pressure", "mm[Hg]"),
    "8462-4": ("Pression diastolique", "Diastolic blood pressure", "mm[Hg]"),
    "2339-0": ("Glycémie", "Glucose", "mg/dL"),
    "8867-4": ("Fréquence cardiaque", "Heart rate", "/min"),
    "39156-5": ("IMC", "Body mass index", "kg/m2"),
}
BLOOD_GROUP_LOINC = "882-1"  # ABO and Rh group

# ---------------------------------------------------------------------------------------
# Prevention (health/prevention.py): the vaccines and preventive examinations the
# reminders recognise in a record, and the codes they write when a reminder is marked done.
ATC = "http://www.whocc.no/atc"
CARNET_PREVENTION_REMINDER = "urn:carnet:prevention-reminder"  # identifier system: which reminder a record closes


class Valence:
    """What a vaccine protects against: a dose counts for a rule when it holds the rule's valences."""

    DIPHTHERIA = "diphtheria"
    TETANUS = "tetanus"
    PERTUSSIS = "pertussis"
    POLIO = "polio"
    HIB = "hib"
    HEPATITIS_B = "hepatitis-b"
    PNEUMOCOCCAL_CONJUGATE = "pneumococcal-conjugate"
    PNEUMOCOCCAL_POLYSACCHARIDE = "pneumococcal-polysaccharide"
    MENINGOCOCCAL_C = "meningococcal-c"
    MENINGOCOCCAL_ACWY = "meningococcal-acwy"
    MENINGOCOCCAL_B = "meningococcal-b"
    MEASLES = "measles"
    MUMPS = "mumps"
    RUBELLA = "rubella"
    VARICELLA = "varicella"
    HPV = "hpv"
    INFLUENZA = "influenza"
    COVID_19 = "covid-19"
    ZOSTER_RECOMBINANT = "zoster-recombinant"
    ZOSTER_LIVE = "zoster-live"


@dataclass(frozen=True)
class VaccineCode:
    atc: str
    label_fr: str
    label_en: str
    valences: frozenset[str]


_DTP = (Valence.DIPHTHERIA, Valence.TETANUS, Valence.POLIO)
# ATC codes (WHO), as the demo records them (server/demo/immunizations.py). A record coded in
# another system, or with text only, is not recognised: its reminder stays until marked done.
VACCINES: dict[str, VaccineCode] = {v.atc: v for v in [
    VaccineCode("J07CA01", "Vaccin diphtérie-tétanos-poliomyélite (dTP)",
                "Diphtheria-tetanus-polio vaccine (Td-IPV)", frozenset(_DTP)),
    VaccineCode("J07CA02", "Vaccin diphtérie-tétanos-coqueluche-poliomyélite (DTCaP / dTcaP)",
                "Diphtheria-tetanus-pertussis-polio vaccine (DTaP-IPV / Tdap-IPV)",
                frozenset({*_DTP, Valence.PERTUSSIS})),
    VaccineCode("J07CA06", "Vaccin diphtérie-tétanos-coqueluche-poliomyélite-Hib (pentavalent)",
                "DTaP-IPV-Hib vaccine (pentavalent)", frozenset({*_DTP, Valence.PERTUSSIS, Valence.HIB})),
    VaccineCode("J07CA09", "Vaccin diphtérie-tétanos-coqueluche-poliomyélite-Hib-hépatite B (hexavalent)",
                "DTaP-IPV-Hib-HepB vaccine (hexavalent)",
                frozenset({*_DTP, Valence.PERTUSSIS, Valence.HIB, Valence.HEPATITIS_B})),
    VaccineCode("J07AL02", "Vaccin pneumococcique conjugué", "Pneumococcal conjugate vaccine",
                frozenset({Valence.PNEUMOCOCCAL_CONJUGATE})),
    VaccineCode("J07AL01", "Vaccin pneumococcique polyosidique", "Pneumococcal polysaccharide vaccine",
                frozenset({Valence.PNEUMOCOCCAL_POLYSACCHARIDE})),
    VaccineCode("J07AH07", "Vaccin méningococcique C conjugué", "Meningococcal C conjugate vaccine",
                frozenset({Valence.MENINGOCOCCAL_C})),
    VaccineCode("J07AH08", "Vaccin méningococcique ACWY conjugué", "Meningococcal ACWY conjugate vaccine",
                frozenset({Valence.MENINGOCOCCAL_ACWY})),
    VaccineCode("J07AH09", "Vaccin méningococcique B", "Meningococcal B vaccine",
                frozenset({Valence.MENINGOCOCCAL_B})),
    VaccineCode("J07BD52", "Vaccin rougeole-oreillons-rubéole (ROR)", "Measles-mumps-rubella vaccine (MMR)",
                frozenset({Valence.MEASLES, Valence.MUMPS, Valence.RUBELLA})),
    VaccineCode("J07BD54", "Vaccin rougeole-oreillons-rubéole-varicelle", "Measles-mumps-rubella-varicella vaccine",
                frozenset({Valence.MEASLES, Valence.MUMPS, Valence.RUBELLA, Valence.VARICELLA})),
    VaccineCode("J07BM03", "Vaccin papillomavirus humain 9-valent", "Human papillomavirus vaccine (9-valent)",
                frozenset({Valence.HPV})),
    VaccineCode("J07BM01", "Vaccin papillomavirus humain 4-valent", "Human papillomavirus vaccine (4-valent)",
                frozenset({Valence.HPV})),
    VaccineCode("J07BM02", "Vaccin papillomavirus humain 2-valent", "Human papillomavirus vaccine (2-valent)",
                frozenset({Valence.HPV})),
    VaccineCode("J07BB02", "Vaccin grippal inactivé", "Inactivated influenza vaccine",
                frozenset({Valence.INFLUENZA})),
    VaccineCode("J07BB03", "Vaccin grippal vivant atténué", "Live attenuated influenza vaccine",
                frozenset({Valence.INFLUENZA})),
    VaccineCode("J07BX03", "Vaccin COVID-19", "COVID-19 vaccine", frozenset({Valence.COVID_19})),
    VaccineCode("J07BN01", "Vaccin COVID-19 à ARNm", "COVID-19 mRNA vaccine", frozenset({Valence.COVID_19})),
    VaccineCode("J07BN04", "Vaccin COVID-19 à protéine recombinante", "COVID-19 protein subunit vaccine",
                frozenset({Valence.COVID_19})),
    VaccineCode("J07BK03", "Vaccin zona recombinant adjuvanté", "Recombinant adjuvanted zoster vaccine",
                frozenset({Valence.ZOSTER_RECOMBINANT})),
    VaccineCode("J07BK02", "Vaccin zona vivant atténué", "Live attenuated zoster vaccine",
                frozenset({Valence.ZOSTER_LIVE})),
]}


class PreventiveExam:
    """The screenings and check-ups the reminders follow."""

    MAMMOGRAPHY = "mammography"
    COLORECTAL_FIT = "colorectal-fit"  # faecal immunochemical test
    COLONOSCOPY = "colonoscopy"
    CERVICAL_CYTOLOGY = "cervical-cytology"
    CERVICAL_HPV_TEST = "cervical-hpv-test"
    CHILD_CHECKUP = "child-checkup"  # one of the compulsory child health examinations


@dataclass(frozen=True)
class ExamCode:
    system: str
    code: str
    exam: str  # a PreventiveExam value
    display: str


# A Procedure, Observation or DocumentReference carrying one of these codes (code, or type for a
# DocumentReference) records that exam. The first code of each exam is the one Carnet writes;
# codes: SNOMED CT procedures and the LOINC tests of the eCQM screening value sets.
EXAM_CODES: dict[tuple[str, str], ExamCode] = {(c.system, c.code): c for c in [
    ExamCode(SNOMED, "24623002", PreventiveExam.MAMMOGRAPHY, "Screening mammography"),
    ExamCode(SNOMED, "71651007", PreventiveExam.MAMMOGRAPHY, "Mammography"),
    ExamCode(SNOMED, "268547008", PreventiveExam.MAMMOGRAPHY, "Screening for malignant neoplasm of breast"),
    ExamCode(LOINC, "24606-6", PreventiveExam.MAMMOGRAPHY, "MG Breast Screening"),
    ExamCode(SNOMED, "275978004", PreventiveExam.COLORECTAL_FIT, "Screening for malignant neoplasm of colon"),
    ExamCode(LOINC, "29771-3", PreventiveExam.COLORECTAL_FIT,
             "Hemoglobin.gastrointestinal [Presence] in Stool by Immunoassay"),
    ExamCode(LOINC, "57905-2", PreventiveExam.COLORECTAL_FIT,
             "Hemoglobin.gastrointestinal [Presence] in Stool by Immunologic method --1st specimen"),
    ExamCode(LOINC, "58453-2", PreventiveExam.COLORECTAL_FIT,
             "Hemoglobin.gastrointestinal [Mass/volume] in Stool by Immunologic method"),
    ExamCode(SNOMED, "73761001", PreventiveExam.COLONOSCOPY, "Colonoscopy"),
    ExamCode(SNOMED, "171149006", PreventiveExam.CERVICAL_CYTOLOGY, "Screening for malignant neoplasm of cervix"),
    ExamCode(SNOMED, "439958008", PreventiveExam.CERVICAL_CYTOLOGY, "Sampling of cervix for Papanicolaou smear"),
    ExamCode(LOINC, "10524-7", PreventiveExam.CERVICAL_CYTOLOGY,
             "Microscopic observation [Identifier] in Cervix by Cyto stain"),
    ExamCode(LOINC, "19762-4", PreventiveExam.CERVICAL_CYTOLOGY,
             "General categories [Interpretation] of Cervical or vaginal smear or scraping by Cyto stain"),
    ExamCode(LOINC, "47527-7", PreventiveExam.CERVICAL_CYTOLOGY,
             "Cytology report of Cervical or vaginal smear or scraping Cyto stain.thin prep"),
    ExamCode(LOINC, "47528-5", PreventiveExam.CERVICAL_CYTOLOGY,
             "Cytology report of Cervical or vaginal smear or scraping Cyto stain"),
    ExamCode(SNOMED, "35904009", PreventiveExam.CERVICAL_HPV_TEST,
             "Human papillomavirus deoxyribonucleic acid detection"),
    ExamCode(LOINC, "30167-1", PreventiveExam.CERVICAL_HPV_TEST, "High-risk HPV DNA in cervix"),
    ExamCode(LOINC, "21440-3", PreventiveExam.CERVICAL_HPV_TEST, "High-risk HPV DNA in cervix"),
    ExamCode(SNOMED, "410620009", PreventiveExam.CHILD_CHECKUP, "Well child visit"),
]}


def exam_code(exam: str) -> ExamCode:
    """The code Carnet writes to record `exam` (a PreventiveExam value)."""
    return next(c for c in EXAM_CODES.values() if c.exam == exam)
