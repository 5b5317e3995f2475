"""The demo patient's conversations and agenda: valid FHIR the server accepts, told as a
story (care teams write first, she answers some, one report attached, some unread), and
usable through the API once loaded."""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from datetime import date

import icalendar
import pytest
from fhir.resources.R4B import get_fhir_model_class

from health import fhir_resources
from health.codes import CARNET_DOCUMENT_CATEGORY
from server.demo.cast import DEMO_CLINICIANS, DEMO_PATIENT
from server.demo.load import load_demo
from server.demo.mailbox import generate_mailbox
from server.models import Account
from tests.factories import bearer
from tests.server.fhir_samples import FHIR

TODAY = date(2026, 11, 23)
PATIENT_ID = "5f0c3a52-8d3e-4b41-9a57-3c1f0d6f2a11"
CLINICIANS = [replace(c, fhir_id=str(uuid.uuid5(uuid.NAMESPACE_URL, c.rpps))) for c in DEMO_CLINICIANS]


@pytest.fixture(scope="module")
def mailbox():
    return generate_mailbox(DEMO_PATIENT, CLINICIANS, patient_id=PATIENT_ID, seed=3, today=TODAY)


def _messages(mailbox) -> list:
    return [g for g in mailbox.resources if g.resource["resourceType"] == "Communication"]


def test_every_message_and_appointment_is_valid_and_in_her_record(mailbox):
    for generated in mailbox.resources:
        resource = generated.resource
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert fhir_resources.patient_reference(resource) == f"Patient/{PATIENT_ID}"
    ids = {f"Communication/{g.resource['id']}" for g in _messages(mailbox)}
    text = json.dumps([g.resource for g in mailbox.resources])
    assert {ref for ref in re.findall(r'"reference": "(Communication/[^"]+)"', text)} <= ids
    assert set(re.findall(r'"url": "Binary/([^"]+)"', text)) == {f.binary_id for f in mailbox.files}


def test_care_teams_open_the_conversations_and_she_answers_some(mailbox):
    messages = _messages(mailbox)
    openers = [g for g in messages if fhir_resources.thread_reference(g.resource) is None]
    assert 4 <= len(openers) <= 6 and not any(g.by_patient for g in openers)
    subjects = {g.resource["topic"]["text"] for g in openers}
    assert len(subjects) == len(openers)
    replies = [g for g in messages if g.by_patient]
    assert len(replies) >= 2 and all(fhir_resources.thread_reference(g.resource) for g in replies)
    unread = [g for g in messages if not g.by_patient and "received" not in g.resource]
    assert len(unread) >= 2
    for generated in messages:  # a reply is sent after what it answers
        thread = fhir_resources.thread_reference(generated.resource)
        if thread:
            first = next(g.resource for g in messages if f"Communication/{g.resource['id']}" == thread)
            assert first["sent"] < generated.resource["sent"]
    [pdf] = mailbox.files
    assert pdf.content_type == "application/pdf" and pdf.data.startswith(b"%PDF-")


def test_her_agenda_holds_past_and_upcoming_appointments(mailbox):
    agenda = [g for g in mailbox.resources if g.resource["resourceType"] == "Appointment"]
    starts = sorted(g.resource["start"][:10] for g in agenda)
    assert sum(day < TODAY.isoformat() for day in starts) >= 2 and sum(day > TODAY.isoformat() for day in starts) >= 3
    assert len([g for g in agenda if g.by_patient]) == 1
    assert any(g.by_platform for g in agenda) and any(g.author_practitioner_id for g in agenda)
    names = " ".join(p["actor"].get("display", "") for g in agenda for p in g.resource["participant"])
    for who in ("dentiste", "ophtalmologiste", "Lefèvre", "Croix-Rousse"):
        assert who in names


def test_the_loaded_demo_works_through_the_api(client, session_factory, settings):
    load_demo(session_factory, settings.model_copy(update=dict(
        argon2_time_cost=1, argon2_memory_kib=8192, argon2_parallelism=1)))
    with session_factory() as session:
        patient = session.query(Account).filter_by(identifier=DEMO_PATIENT.ins).one()
    headers = {**bearer(session_factory, settings, patient), "Accept": FHIR}
    found = client.get("/fhir/Communication", params={"_count": "100"}, headers=headers).json()
    messages = [entry["resource"] for entry in found["entry"]]
    with_file = next(m for m in messages if any("contentAttachment" in p for p in m["payload"]))
    attachment = next(p["contentAttachment"] for p in with_file["payload"] if "contentAttachment" in p)
    assert client.get(f"/fhir/{attachment['url']}", headers={**headers, "Accept": "*/*"}).content[:5] == b"%PDF-"
    # She files the report into her documents, and marks an unread message read.
    document = {"resourceType": "DocumentReference", "status": "current",
                "subject": {"reference": f"Patient/{patient.fhir_id}"},
                "category": [{"coding": [{"system": CARNET_DOCUMENT_CATEGORY, "code": "consultation"}]}],
                "content": [{"attachment": attachment}]}
    assert client.post("/fhir/DocumentReference", json=document,
                       headers={**headers, "Content-Type": FHIR}).status_code == 201
    mine = f"Patient/{patient.fhir_id}"
    unread = next(m for m in messages if "received" not in m and m["sender"].get("reference") != mine)
    assert client.post(f"/fhir/Communication/{unread['id']}/$mark-read", headers=headers).status_code == 200
    thread = client.get("/fhir/Communication", params={"thread": with_file["id"]}, headers=headers).json()
    assert thread["total"] >= 2
    calendar = icalendar.Calendar.from_ical(client.get("/agenda.ics", headers=headers).content)
    assert len(calendar.walk("VEVENT")) == 6
