"""Messages and appointments as the device and professionals' software send them."""
from __future__ import annotations

import uuid

from tests.server.fhir_samples import FHIR


def message(patient_id: str, text: str = "Vos résultats sont arrivés.", *, thread: str | None = None,
            subject: str = "Résultats d'analyses", **extra) -> dict:
    """A Communication with a client id; `thread` makes it a reply (partOf the first message)."""
    body = {"resourceType": "Communication", "id": str(uuid.uuid4()), "status": "completed",
            "subject": {"reference": f"Patient/{patient_id}"}, "topic": {"text": subject},
            "payload": [{"contentString": text}]}
    if thread is not None:
        body["partOf"] = [{"reference": f"Communication/{thread}"}]
    return {**body, **extra}


def appointment(patient_id: str, start: str = "2030-03-04T09:30:00+01:00", *, end: str | None = None,
                description: str = "Consultation de suivi", practitioner: str | None = "Dr Claire Lefèvre",
                status: str = "booked", **extra) -> dict:
    participants = [{"actor": {"reference": f"Patient/{patient_id}"}, "status": "accepted"}]
    if practitioner:
        participants.append({"actor": {"display": practitioner}, "status": "accepted"})
    body = {"resourceType": "Appointment", "id": str(uuid.uuid4()), "status": status, "start": start,
            "description": description, "participant": participants}
    if end:
        body["end"] = end
    return {**body, **extra}


def mark_read(world, headers: dict, message_id: str):
    return world.client.post(f"/fhir/Communication/{message_id}/$mark-read", headers=headers)


def thread_ids(world, headers: dict, first_id: str, patient_id: str | None = None) -> list[str]:
    """Ids of a conversation's messages, by search, in the order they were sent."""
    params = {"thread": f"Communication/{first_id}", "_sort": "date"}
    if patient_id:
        params["patient"] = patient_id
    found = world.client.get("/fhir/Communication", params=params, headers={**headers, "Accept": FHIR})
    assert found.status_code == 200, found.text
    return [entry["resource"]["id"] for entry in found.json()["entry"]]


def diagnostics(response) -> str:
    return response.json()["issue"][0]["diagnostics"]
