"""Marking a prevention reminder done: the FHIR resource that records it.

The device saves the resource through its outbox (`storage` gives it an id); once synced,
the server computes the same reminders from it. The resource carries the reminder id as an
identifier, so that reminder stops even if the date given falls outside its window.
"""
from __future__ import annotations

from datetime import date

from health.codes import CARNET_PREVENTION_REMINDER
from health.fhir_resources import patient_id_of, validate
from health.prevention_reminders import Reminder

# The patient, not a professional, reports it: the Immunization is not from a primary source.
_REPORTED_BY_PATIENT = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/immunization-origin",
                                    "code": "recall", "display": "Parent/Guardian/Patient Recall"}]}


class InvalidDoneDate(ValueError):
    """The date given for a done act cannot be right; `fr` and `en` say why, for the patient."""

    def __init__(self, fr: str, en: str):
        self.fr, self.en = fr, en
        super().__init__(en)


def record_done(reminder: Reminder, patient_reference: str, performed_on: date, *, today: date) -> dict:
    """The Immunization or Procedure (status completed) saying `reminder` was done on `performed_on`.

    Raises InvalidDoneDate for a date after `today`, ValueError for a malformed patient reference.
    """
    if performed_on > today:
        raise InvalidDoneDate("La date ne peut pas être dans le futur.", "The date cannot be in the future.")
    if patient_id_of(patient_reference) is None:
        raise ValueError(f"expected a 'Patient/<id>' reference, got {patient_reference!r}")
    act = reminder.record_as
    concept = {"coding": [{"system": act.system, "code": act.code, "display": act.display}],
               "text": reminder.title.fr}
    identifier = [{"system": CARNET_PREVENTION_REMINDER, "value": reminder.id}]
    if act.resource_type == "Immunization":
        resource = {"resourceType": "Immunization", "identifier": identifier, "status": "completed",
                    "vaccineCode": concept, "patient": {"reference": patient_reference},
                    "occurrenceDateTime": performed_on.isoformat(), "recorded": today.isoformat(),
                    "primarySource": False, "reportOrigin": _REPORTED_BY_PATIENT}
    else:
        resource = {"resourceType": "Procedure", "identifier": identifier, "status": "completed",
                    "code": concept, "subject": {"reference": patient_reference},
                    "performedDateTime": performed_on.isoformat()}
    return validate(resource, act.resource_type)
