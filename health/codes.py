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
