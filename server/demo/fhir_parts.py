"""Small builders for the FHIR elements the generator repeats (concepts, quantities, dates)."""
from __future__ import annotations

from datetime import date, datetime

from server.demo.cast import Clinician

ATC = "http://www.whocc.no/atc"
UCUM = "http://unitsofmeasure.org"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131"


def concept(system: str, code: str, display: str, text: str | None = None) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": text or display}


def reference(resource_type: str, resource_id: str, display: str | None = None) -> dict:
    ref = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        ref["display"] = display
    return ref


def practitioner_ref(clinician: Clinician) -> dict:
    return reference("Practitioner", clinician.fhir_id, clinician.display_name)


def quantity(value: float, unit: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def paris_datetime(day: date, hour: int = 9, minute: int = 0) -> str:
    """A FHIR dateTime in French local time (summer time roughly April to October)."""
    offset = "+02:00" if 4 <= day.month <= 10 else "+01:00"
    return datetime(day.year, day.month, day.day, hour, minute).isoformat() + offset


def french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")
