"""Valid FHIR resources of every stored type, and a small signed-in world for record tests."""
from __future__ import annotations

from dataclasses import dataclass

from health.codes import LOINC, OBSERVATION_CATEGORY, SNOMED
from tests.factories import bearer, make_patient, make_professional

FHIR = "application/fhir+json"


def sample(resource_type: str, patient_id: str, **extra) -> dict:
    ref = {"reference": f"Patient/{patient_id}"}
    bodies = {
        "AllergyIntolerance": {"patient": ref, "category": ["medication"], "recordedDate": "2020-03-01",
                               "code": {"coding": [{"system": SNOMED, "code": "91936005",
                                                    "display": "Allergy to penicillin"}]}},
        "Condition": {"subject": ref, "recordedDate": "2019-06-12",
                      "code": {"coding": [{"system": SNOMED, "code": "38341003", "display": "Hypertension"}]}},
        "Procedure": {"status": "completed", "subject": ref, "performedDateTime": "2015-02-03",
                      "code": {"coding": [{"system": SNOMED, "code": "80146002", "display": "Appendectomy"}]}},
        "Immunization": {"status": "completed", "patient": ref, "occurrenceDateTime": "2021-05-04",
                         "vaccineCode": {"coding": [{"system": "urn:oid:1.2.250.1.213.2.3.1", "code": "DTP"}]}},
        "MedicationStatement": {"status": "active", "subject": ref, "effectiveDateTime": "2022-01-10",
                                "medicationCodeableConcept": {"text": "Amlodipine 5 mg"}},
        "Observation": {"status": "final", "subject": ref, "effectiveDateTime": "2023-04-05T08:30:00+02:00",
                        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "vital-signs"}]}],
                        "code": {"coding": [{"system": LOINC, "code": "29463-7", "display": "Body weight"}]},
                        "valueQuantity": {"value": 72.5, "unit": "kg", "system": "http://unitsofmeasure.org",
                                          "code": "kg"}},
        "DocumentReference": {"status": "current", "subject": ref, "date": "2023-09-01T10:00:00Z",
                              "type": {"coding": [{"system": LOINC, "code": "11502-2"}]},
                              "category": [{"coding": [{"system": "urn:carnet:document-category",
                                                        "code": "lab-result"}]}],
                              "content": [{"attachment": {"contentType": "application/pdf",
                                                          "title": "Bilan sanguin"}}]},
        "RelatedPerson": {"patient": ref, "name": [{"family": "Martin", "given": ["Paul"]}],
                          "telecom": [{"system": "phone", "value": "+33 6 12 34 56 78"}],
                          "relationship": [{"coding": [{
                              "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "SPS"}]}]},
        "Encounter": {"status": "finished", "subject": ref,
                      "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP",
                                "display": "inpatient encounter"},
                      "period": {"start": "2018-05-02", "end": "2018-05-06"},
                      "reasonCode": [{"text": "Appendicite aiguë"}]},
    }
    return {"resourceType": resource_type, **bodies[resource_type], **extra}


CLINICAL_TYPES = ["AllergyIntolerance", "Condition", "Procedure", "Immunization", "MedicationStatement",
                  "Observation", "DocumentReference", "RelatedPerson", "Encounter"]


@dataclass
class World:
    """Two patients and a professional, each signed in."""

    client: object
    patient: object
    other: object
    professional: object
    as_patient: dict
    as_other: dict
    as_professional: dict

    def post(self, headers: dict, resource: dict):
        return self.client.post(f"/fhir/{resource['resourceType']}", json=resource,
                                headers={**headers, "Content-Type": FHIR})

    def put(self, headers: dict, resource: dict, **extra_headers):
        return self.client.put(f"/fhir/{resource['resourceType']}/{resource['id']}", json=resource,
                               headers={**headers, "Content-Type": FHIR, **extra_headers})

    def feed_seq(self, account=None) -> int:
        """The patient's change-feed counter: any write to the compartment moves it."""
        from server.models import Account

        factory = self.client.app.state.session_factory
        with factory() as session:
            return session.get(Account, (account or self.patient).id).feed_seq


def make_world(client, app, settings) -> World:
    factory = app.state.session_factory
    patient = make_patient(factory)
    other = make_patient(factory, given="Alice", family="Durand")
    professional = make_professional(factory)
    return World(client, patient, other, professional, bearer(factory, settings, patient),
                 bearer(factory, settings, other), bearer(factory, settings, professional))
