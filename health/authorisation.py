"""The authorisation matrix: which profession sees which profile sections and document types.

Pure data, read by the server's access policy (`server/services/access.py`), which adds
the patient's own choices (blocks, hidden documents, emergency access) on top of it.

A patient's record is cut in two for the matrix:
- **profile sections**, each made of resource types (and, for the blood group, one
  Observation code): see `section_of`;
- **documents** (DocumentReference), each of a LOINC type of `health.codes.DOCUMENT_TYPES`.
  A document of a type this table does not list is shown only to the professions that
  see every document (GPs and specialist physicians), the safe side for an unknown.

The patient's access history (AuditEvent) is in no section: no profession reads it.
A profession missing from the table (or an account without one) reads nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

from health.codes import BLOOD_GROUP_LOINC, DOCUMENT_TYPES

IDENTITY = "identity"  # Patient: name, INS, contact details
HISTORY = "history"  # Condition, Procedure, Encounter: illnesses, operations, hospital stays
ALLERGIES = "allergies"  # AllergyIntolerance
TREATMENTS = "treatments"  # MedicationStatement
VACCINATIONS = "vaccinations"  # Immunization
MEASUREMENTS = "measurements"  # Observation (weight, blood pressure, lab values…)
BLOOD_GROUP = "blood-group"  # Observation of LOINC 882-1
CONTACTS = "contacts"  # RelatedPerson: trusted person, emergency contacts
MESSAGES = "messages"  # Communication: secure messaging (its own rules narrow it further)
AGENDA = "agenda"  # Appointment
DOCUMENTS = "documents"  # DocumentReference: further filtered by document type

SECTIONS: tuple[str, ...] = (IDENTITY, HISTORY, ALLERGIES, TREATMENTS, VACCINATIONS, MEASUREMENTS,
                             BLOOD_GROUP, CONTACTS, MESSAGES, AGENDA, DOCUMENTS)

_SECTION_OF_TYPE: dict[str, str] = {
    "Patient": IDENTITY,
    "Condition": HISTORY,
    "Procedure": HISTORY,
    "Encounter": HISTORY,
    "AllergyIntolerance": ALLERGIES,
    "MedicationStatement": TREATMENTS,
    "Immunization": VACCINATIONS,
    "Observation": MEASUREMENTS,
    "RelatedPerson": CONTACTS,
    "Communication": MESSAGES,
    "Appointment": AGENDA,
    "DocumentReference": DOCUMENTS,
}

# LOINC document types, named for the table below.
PRESCRIPTION = "57833-6"
LAB_REPORT = "11502-2"
IMAGING_REPORT = "18748-4"
EPISODE_SUMMARY = "34133-9"
DISCHARGE_SUMMARY = "18842-5"
CONSULTATION_NOTE = "11488-4"
OPERATION_NOTE = "11504-8"
DELIVERY_REPORT = "57832-8"
VACCINATION_CERTIFICATE = "11369-6"
PATIENT_SUMMARY = "60591-5"
ADVANCE_DIRECTIVES = "42348-3"
PATIENT_DOCUMENT = "51855-5"  # deposited by the patient: anything, so only the closest carers see it

ALL_SECTIONS = frozenset(SECTIONS)
ALL_DOCUMENT_TYPES = frozenset(DOCUMENT_TYPES)


@dataclass(frozen=True)
class ProfessionAccess:
    """What one profession reads in a record when nothing else (block, hiding) applies."""

    sections: frozenset[str]
    document_types: frozenset[str]

    @property
    def sees_every_document(self) -> bool:
        return self.document_types >= ALL_DOCUMENT_TYPES


def _access(sections: set[str], document_types: set[str]) -> ProfessionAccess:
    return ProfessionAccess(frozenset(sections), frozenset(document_types))


_EVERYTHING = ProfessionAccess(ALL_SECTIONS, ALL_DOCUMENT_TYPES)

# One row per profession of health.codes.PROFESSIONS; each says why it is cut where it is.
MATRIX: dict[str, ProfessionAccess] = {
    # The GP coordinates care (and is usually the regular doctor): the whole record.
    "general-practitioner": _EVERYTHING,
    # Specialists treat any part of the body and act on any past finding.
    "physician": _EVERYTHING,
    # Nurses give treatments, dressings and vaccines at home or in hospital, and are often
    # there at the end of life: everything but what only concerns childbirth.
    "nurse": _access(ALL_SECTIONS, ALL_DOCUMENT_TYPES - {DELIVERY_REPORT}),
    # Midwives follow pregnancies and births: the whole profile and the reports around them,
    # not the advance directives.
    "midwife": _access(ALL_SECTIONS, ALL_DOCUMENT_TYPES - {ADVANCE_DIRECTIVES}),
    # Pharmacists dispense and vaccinate: treatments, allergies, conditions that contraindicate
    # a drug, kidney function in lab reports; no hospital, imaging or consultation reports.
    "pharmacist": _access({IDENTITY, HISTORY, ALLERGIES, TREATMENTS, VACCINATIONS, MEASUREMENTS, MESSAGES,
                           AGENDA, DOCUMENTS},
                          {PRESCRIPTION, LAB_REPORT, VACCINATION_CERTIFICATE, PATIENT_SUMMARY}),
    # Physiotherapists rehabilitate: the prescription, imaging, operations and hospital
    # letters that explain the injury; never a delivery report or advance directives.
    "physiotherapist": _access({IDENTITY, HISTORY, ALLERGIES, TREATMENTS, MEASUREMENTS, MESSAGES, AGENDA,
                                DOCUMENTS},
                               {PRESCRIPTION, IMAGING_REPORT, OPERATION_NOTE, DISCHARGE_SUMMARY,
                                CONSULTATION_NOTE, PATIENT_SUMMARY}),
    # Dentists need bleeding and infection risks (treatments, allergies, conditions, lab
    # results such as INR) and dental imaging; not advance directives or hospital stays.
    "dentist": _access({IDENTITY, HISTORY, ALLERGIES, TREATMENTS, MESSAGES, AGENDA, DOCUMENTS},
                       {PRESCRIPTION, LAB_REPORT, IMAGING_REPORT, CONSULTATION_NOTE, PATIENT_SUMMARY}),
    # Medical biologists interpret results: treatments that interfere, past results, the
    # blood group; their own reports and prescriptions.
    "biologist": _access({IDENTITY, HISTORY, TREATMENTS, MEASUREMENTS, BLOOD_GROUP, MESSAGES, AGENDA,
                          DOCUMENTS},
                         {PRESCRIPTION, LAB_REPORT, PATIENT_SUMMARY}),
    # Radiologists need allergies (contrast agents), kidney function, past imaging and the
    # operations that changed the anatomy.
    "radiologist": _access({IDENTITY, HISTORY, ALLERGIES, TREATMENTS, MEASUREMENTS, MESSAGES, AGENDA,
                            DOCUMENTS},
                           {PRESCRIPTION, LAB_REPORT, IMAGING_REPORT, OPERATION_NOTE, DISCHARGE_SUMMARY,
                            CONSULTATION_NOTE, PATIENT_SUMMARY}),
}

# Who may be chosen as a patient's regular doctor (médecin traitant).
REGULAR_DOCTOR_PROFESSIONS = frozenset({"general-practitioner", "physician"})


def access_of(profession: str | None) -> ProfessionAccess | None:
    """The matrix row of a profession; None: this profession reads no record."""
    return MATRIX.get(profession or "")


def section_of(resource_type: str, code: str | None = None) -> str | None:
    """The profile section a resource belongs to; None for types in no section."""
    if resource_type == "Observation" and code == BLOOD_GROUP_LOINC:
        return BLOOD_GROUP
    return _SECTION_OF_TYPE.get(resource_type)


def types_of_section(section: str) -> tuple[str, ...]:
    return tuple(kind for kind, named in _SECTION_OF_TYPE.items() if named == section)


def sees_document_type(access: ProfessionAccess, document_type: str | None) -> bool:
    """Whether a profession sees documents of this LOINC type (unknown types: see the module doc)."""
    if document_type in DOCUMENT_TYPES:
        return document_type in access.document_types
    return access.sees_every_document


def sees(access: ProfessionAccess, resource_type: str, code: str | None) -> bool:
    """Whether a profession's row lets it see a resource of this type and code.

    `code` is the resource's main code (a DocumentReference's type, an Observation's code).
    """
    section = section_of(resource_type, code)
    if section is None or section not in access.sections:
        return False
    return resource_type != "DocumentReference" or sees_document_type(access, code)
