"""E-mails telling the patient something happened: when, to whom, and never any health data."""
from datetime import timedelta

import pytest
from sqlalchemy import update

from health.authorisation import LAB_REPORT, PRESCRIPTION
from server.clock import utcnow
from server.models import PrivacySettings
from server.services import notifications
from tests.server.access_world import make_clinic
from tests.server.fhir_samples import sample


@pytest.fixture
def clinic(client, app, settings):
    return make_clinic(client, app, settings)


def _words_that_must_not_appear(clinic, profession: str) -> list[str]:
    pro = clinic.pros[profession]
    return [pro.display_name, pro.display_name.split()[-1], profession, "Bilan", "Document", "Condition",
            clinic.patient.display_name]


def test_a_professionals_first_access_is_emailed_once_with_no_health_data(clinic):
    pid = clinic.patient.fhir_id
    clinic.post(clinic.as_patient, sample("Condition", pid))
    nurse = clinic.as_pro["nurse"]
    clinic.search(nurse, "Condition", patient=pid)
    clinic.search(nurse, "Condition", patient=pid)
    mails = clinic.emails_to(clinic.patient.email)
    assert len(mails) == 1
    assert "première fois" in mails[0].body and "first time" in mails[0].body
    for word in _words_that_must_not_appear(clinic, "nurse"):
        assert word not in mails[0].body and word not in mails[0].subject
    clinic.search(clinic.as_pro["dentist"], "Condition", patient=pid)
    assert len(clinic.emails_to(clinic.patient.email)) == 2  # another professional, another first time


def test_new_documents_are_emailed_at_most_once_an_hour_and_preferences_are_honoured(clinic, app):
    gp = "general-practitioner"
    clinic.search(clinic.as_pro[gp], "Condition", patient=clinic.patient.fhir_id)  # first access: one e-mail
    first = clinic.emails_to(clinic.patient.email)
    clinic.document(gp, LAB_REPORT)
    clinic.document(gp, PRESCRIPTION)
    mails = clinic.emails_to(clinic.patient.email)
    assert len(mails) == len(first) + 1 and "nouveau document" in mails[-1].body
    for word in _words_that_must_not_appear(clinic, gp) + ["Compte rendu", "Ordonnance", "lab"]:
        assert word not in mails[-1].body
    with app.state.session_factory() as session, session.begin():
        row = session.get(PrivacySettings, clinic.patient.id)
        row.last_document_email_at = utcnow() - timedelta(hours=2)
    clinic.document(gp, LAB_REPORT)
    assert len(clinic.emails_to(clinic.patient.email)) == len(first) + 2
    clinic.privacy("PUT", "/notifications", json={"email_on_new_document": False, "email_on_first_access": False})
    with app.state.session_factory() as session, session.begin():
        session.execute(update(PrivacySettings).values(last_document_email_at=None))
    clinic.document(gp, LAB_REPORT)
    clinic.search(clinic.as_pro["pharmacist"], "Condition", patient=clinic.patient.fhir_id)
    assert len(clinic.emails_to(clinic.patient.email)) == len(first) + 2
    # The feed still says it: the AuditEvents carry the notifications.
    tags = [{t["code"] for t in (e.get("meta") or {}).get("tag", []) if t["system"] == "urn:carnet:notification"}
            for e in clinic.history()]
    assert {"new-document"} in tags and {"first-access"} in tags[-1:]


def test_emergency_accesses_are_always_emailed(clinic):
    clinic.privacy("PUT", "/notifications", json={"email_on_new_document": False, "email_on_first_access": False})
    opened = clinic.client.post(
        f"/fhir/Patient/{clinic.patient.fhir_id}/$emergency-access",
        json={"resourceType": "Parameters", "parameter": [{"name": "reason", "valueString": "Détresse respiratoire."}]},
        headers={**clinic.as_pro["nurse"], "Content-Type": "application/fhir+json"})
    assert opened.status_code == 200
    mails = clinic.emails_to(clinic.patient.email)
    assert len(mails) == 1 and "en urgence" in mails[0].body and "respiratoire" not in mails[0].body


def test_a_minors_notifications_go_to_their_representative(clinic):
    clinic.post(clinic.as_pro["nurse"], sample("Condition", clinic.child.fhir_id))
    mails = clinic.emails_to(clinic.patient.email)
    assert len(mails) == 1 and "dont vous avez la charge" in mails[0].body and "you manage" in mails[0].body
    assert "Lucas" not in mails[0].body


def test_no_delivery_in_the_session_sends_nothing(clinic, app):
    with app.state.session_factory() as session:
        session.info.pop(notifications.DELIVERY_INFO_KEY)
        notifications.notify(session, clinic.patient.id, {"emergency-access"}, now=None)
    assert clinic.emails_to(clinic.patient.email) == []


def test_a_care_teams_new_message_is_emailed_without_its_content(clinic):
    gp = "general-practitioner"
    pid = clinic.patient.fhir_id
    clinic.search(clinic.as_pro[gp], "Condition", patient=pid)  # the first access is e-mailed apart
    before = len(clinic.emails_to(clinic.patient.email))
    message = {"resourceType": "Communication", "status": "completed", "subject": {"reference": f"Patient/{pid}"},
               "recipient": [{"reference": f"Patient/{pid}"}], "topic": {"text": "Résultats de la biopsie"},
               "payload": [{"contentString": "Votre biopsie est bénigne."}]}
    sent = clinic.post(clinic.as_pro[gp], message)
    assert sent.status_code == 201, sent.text
    mails = clinic.emails_to(clinic.patient.email)
    assert len(mails) == before + 1 and "nouveau message" in mails[-1].body and "new message" in mails[-1].body
    for word in _words_that_must_not_appear(clinic, gp) + ["biopsie", "bénigne", "Résultats"]:
        assert word not in mails[-1].body and word not in mails[-1].subject
    reply = {**message, "recipient": [], "partOf": [{"reference": f"Communication/{sent.json()['id']}"}],
             "payload": [{"contentString": "Merci"}]}
    reply.pop("topic")
    assert clinic.post(clinic.as_patient, reply).status_code == 201
    assert len(clinic.emails_to(clinic.patient.email)) == before + 1  # the patient's own reply: no e-mail
    tags = [{t["code"] for t in (e.get("meta") or {}).get("tag", []) if t["system"] == "urn:carnet:notification"}
            for e in clinic.history()]
    assert {"new-message"} in tags
