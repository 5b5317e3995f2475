"""A patient, her child and professionals of several professions, each signed in, for the
access-rule tests; with helpers to write documents, read the access history and e-mails."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from sqlalchemy import func, select

from health.authorisation import LAB_REPORT
from health.codes import CARNET_DOCUMENT_CATEGORY, DOCUMENT_TYPES, LOINC
from health.visibility import VISIBILITY_SYSTEM
from server.clock import utcnow
from server.models import Account, AuditEntry, DeliveredMessage, LegalRepresentation
from tests.factories import bearer, make_patient, make_professional
from tests.server.fhir_samples import FHIR, sample

PROFESSIONS = ("general-practitioner", "nurse", "dentist", "physiotherapist", "pharmacist")
_numbers = itertools.count(1)


@dataclass
class Clinic:
    client: object
    app: object
    patient: Account
    child: Account
    stranger: Account
    as_patient: dict
    as_child: dict
    as_stranger: dict
    pros: dict[str, Account] = field(default_factory=dict)
    as_pro: dict[str, dict] = field(default_factory=dict)

    # -- writing -------------------------------------------------------------------------------
    def post(self, headers: dict, resource: dict):
        return self.client.post(f"/fhir/{resource['resourceType']}", json=resource,
                                headers={**headers, "Content-Type": FHIR})

    def put(self, headers: dict, resource: dict):
        return self.client.put(f"/fhir/{resource['resourceType']}/{resource['id']}", json=resource,
                               headers={**headers, "Content-Type": FHIR})

    def document(self, by: str, loinc: str = LAB_REPORT, labels: tuple[str, ...] = (), patient=None) -> dict:
        """A DocumentReference of this LOINC type, written by professional `by` (or "patient")."""
        body = sample("DocumentReference", (patient or self.patient).fhir_id)
        body["type"] = {"coding": [{"system": LOINC, "code": loinc}]}
        body["category"] = [{"coding": [{"system": CARNET_DOCUMENT_CATEGORY,
                                         "code": DOCUMENT_TYPES[loinc].category}]}]
        body["content"][0]["attachment"]["title"] = f"Document {next(_numbers)}"
        if labels:
            body["meta"] = {"security": [{"system": VISIBILITY_SYSTEM, "code": label} for label in labels]}
        headers = self.as_patient if by == "patient" else self.as_pro[by]
        created = self.post(headers, body)
        assert created.status_code == 201, created.text
        return created.json()

    # -- reading -------------------------------------------------------------------------------
    def get(self, headers: dict, path: str, **params):
        return self.client.get(path, params=params, headers=headers)

    def search(self, headers: dict, resource_type: str, **params) -> dict:
        response = self.client.get(f"/fhir/{resource_type}", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    def history(self, patient: Account | None = None) -> list[dict]:
        """The patient's access history, oldest first, as they read it over the API."""
        account = patient or self.patient
        headers = self.as_patient if account is self.patient else self.as_child
        bundle = self.search(headers, "AuditEvent", _count="500", _sort="date")
        return [entry["resource"] for entry in bundle["entry"]]

    def audit_entries(self) -> int:
        with self.app.state.session_factory() as session:
            return session.scalar(select(func.count()).select_from(AuditEntry))

    def emails_to(self, address: str) -> list[DeliveredMessage]:
        with self.app.state.session_factory() as session:
            return list(session.scalars(select(DeliveredMessage).where(
                DeliveredMessage.channel == "email", DeliveredMessage.recipient == address)
                .order_by(DeliveredMessage.id)))

    def feed_seq(self, account: Account | None = None) -> int:
        with self.app.state.session_factory() as session:
            return session.get(Account, (account or self.patient).id).feed_seq

    # -- choices -------------------------------------------------------------------------------
    def privacy(self, method: str, path: str = "", headers: dict | None = None, **kwargs):
        return self.client.request(method, f"/privacy{path}", headers=headers or self.as_patient, **kwargs)


def make_clinic(client, app, settings) -> Clinic:
    factory = app.state.session_factory
    patient = make_patient(factory, given="Sophie", family="Moreau")
    child = make_patient(factory, given="Lucas", family="Moreau", birth_date="2015-06-02")
    stranger = make_patient(factory, given="Alice", family="Durand")
    with factory() as session, session.begin():
        session.add(LegalRepresentation(representative_account_id=patient.id, represented_account_id=child.id,
                                        created_at=utcnow()))
        session.get(Account, child.id).email = None  # a minor without an address: e-mails go to the parent
    clinic = Clinic(client, app, patient, child, stranger, bearer(factory, settings, patient),
                    bearer(factory, settings, child), bearer(factory, settings, stranger))
    for n, profession in enumerate(PROFESSIONS):
        pro = make_professional(factory, given=f"Pro{n}", family=profession.title(), profession=profession)
        clinic.pros[profession] = pro
        clinic.as_pro[profession] = bearer(factory, settings, pro)
    return clinic
