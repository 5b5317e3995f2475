"""Each access rule through HTTP, as professionals of several professions, the patient, a
legal representative and another patient."""
import pytest

from health.authorisation import ADVANCE_DIRECTIVES, DELIVERY_REPORT, LAB_REPORT, PRESCRIPTION
from health.identifiers import INS_SYSTEM
from health.visibility import HIDDEN, HIDDEN_FROM_REPRESENTATIVE, VISIBILITY_SYSTEM, WITHHELD_FROM_PATIENT
from tests.server.access_world import make_clinic
from tests.server.fhir_samples import sample

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def clinic(client, app, settings):
    return make_clinic(client, app, settings)


def _ids(bundle) -> set[str]:
    return {entry["resource"]["id"] for entry in bundle["entry"]}


def _labelled(resource: dict, *labels: str) -> dict:
    meta = {k: v for k, v in resource.get("meta", {}).items() if k not in ("security",)}
    if labels:
        meta["security"] = [{"system": VISIBILITY_SYSTEM, "code": label} for label in labels]
    return {**resource, "meta": meta}


def test_each_profession_reads_and_searches_what_the_matrix_gives_it(clinic):
    directives = clinic.document("general-practitioner", ADVANCE_DIRECTIVES)
    delivery = clinic.document("general-practitioner", DELIVERY_REPORT)
    lab = clinic.document("general-practitioner", LAB_REPORT)
    prescription = clinic.document("general-practitioner", PRESCRIPTION)
    dentist, physio = clinic.as_pro["dentist"], clinic.as_pro["physiotherapist"]

    refused = clinic.get(dentist, f"/fhir/DocumentReference/{directives['id']}")
    assert refused.status_code == 403 and "advance directives" in refused.json()["issue"][0]["diagnostics"]
    assert clinic.get(physio, f"/fhir/DocumentReference/{delivery['id']}").status_code == 403
    assert clinic.get(physio, f"/fhir/DocumentReference/{prescription['id']}").status_code == 200

    found = clinic.search(dentist, "DocumentReference", patient=clinic.patient.fhir_id)
    assert _ids(found) == {lab["id"], prescription["id"]} and found["total"] == 2
    page = clinic.search(dentist, "DocumentReference", patient=clinic.patient.fhir_id, _count="1")
    assert page["total"] == 2 and len(page["entry"]) == 1
    assert any(link["relation"] == "next" for link in page["link"])
    assert _ids(clinic.search(physio, "DocumentReference", patient=clinic.patient.fhir_id)) == {prescription["id"]}
    everything = clinic.search(clinic.as_pro["general-practitioner"], "DocumentReference",
                               patient=clinic.patient.fhir_id)
    assert everything["total"] == 4

    body = sample("DocumentReference", clinic.patient.fhir_id)
    body["type"] = {"coding": [{"system": "http://loinc.org", "code": ADVANCE_DIRECTIVES}]}
    assert clinic.post(dentist, body).status_code == 403
    blocked_section = clinic.search(dentist, "Observation", patient=clinic.patient.fhir_id)
    assert blocked_section["total"] == 0  # a dentist has no measurements section
    history = clinic.get(dentist, "/fhir/AuditEvent", patient=clinic.patient.fhir_id)
    assert history.status_code == 403 and "access history" in history.json()["issue"][0]["diagnostics"]


def test_files_follow_their_documents(clinic):
    nurse = clinic.as_pro["nurse"]
    uploads = []
    for loinc in (DELIVERY_REPORT, PRESCRIPTION):
        upload = clinic.client.post("/fhir/Binary", content=PDF, headers={
            **nurse, "Content-Type": "application/pdf", "X-Security-Context": f"Patient/{clinic.patient.fhir_id}"})
        assert upload.status_code == 201, upload.text
        body = sample("DocumentReference", clinic.patient.fhir_id)
        body["type"] = {"coding": [{"system": "http://loinc.org", "code": loinc}]}
        body["content"][0]["attachment"]["url"] = f"Binary/{upload.json()['id']}"
        assert clinic.post(clinic.as_pro["general-practitioner"], body).status_code == 201
        uploads.append(upload.json()["id"])
    physio = clinic.as_pro["physiotherapist"]
    assert clinic.get(physio, f"/fhir/Binary/{uploads[0]}").status_code == 403
    assert clinic.get(physio, f"/fhir/Binary/{uploads[1]}").content == PDF
    assert clinic.get(clinic.as_stranger, f"/fhir/Binary/{uploads[1]}").status_code == 404


def test_a_blocked_professional_is_refused_at_once_and_every_refusal_is_traced(clinic):
    nurse, nurse_account = clinic.as_pro["nurse"], clinic.pros["nurse"]
    condition = clinic.post(nurse, sample("Condition", clinic.patient.fhir_id)).json()
    feed_url = f"/fhir/Patient/{clinic.patient.fhir_id}/$changes"
    assert clinic.get(nurse, feed_url).status_code == 200

    blocked = clinic.privacy("PUT", f"/blocks/{nurse_account.fhir_id}")
    assert blocked.status_code == 200 and blocked.json()["blocked"][0]["practitioner"].endswith(nurse_account.fhir_id)
    refusals = [
        clinic.get(nurse, f"/fhir/Condition/{condition['id']}"),
        clinic.get(nurse, "/fhir/Condition", patient=clinic.patient.fhir_id),
        clinic.get(nurse, feed_url),
        clinic.post(nurse, sample("Condition", clinic.patient.fhir_id)),
        clinic.put(nurse, {**condition, "language": "fr"}),
        clinic.client.post("/fhir/Binary", content=PDF, headers={
            **nurse, "Content-Type": "application/pdf", "X-Security-Context": f"Patient/{clinic.patient.fhir_id}"}),
    ]
    for response in refusals:
        assert response.status_code == 403, response.text
        assert "not authorised you" in response.json()["issue"][0]["diagnostics"]
    # Finding her by INS finds nobody; the professional directory is still open.
    found = clinic.search(nurse, "Patient", identifier=f"{INS_SYSTEM}|{clinic.patient.identifier}")
    assert found["total"] == 0
    assert clinic.search(nurse, "Practitioner", identifier=nurse_account.identifier)["total"] == 1
    refused_events = [e for e in clinic.history() if e["outcome"] == "4"]
    assert len(refused_events) == len(refusals)
    assert all(e["agent"][0]["who"]["reference"] == f"Practitioner/{nurse_account.fhir_id}" for e in refused_events)

    assert clinic.privacy("DELETE", f"/blocks/{nurse_account.fhir_id}").json()["blocked"] == []
    assert clinic.get(nurse, f"/fhir/Condition/{condition['id']}").status_code == 200


def test_hidden_documents_are_seen_by_their_author_and_the_regular_doctor_only(clinic):
    document = clinic.document("nurse", LAB_REPORT)
    hidden = clinic.put(clinic.as_patient, _labelled(document, HIDDEN))
    assert hidden.status_code == 200, hidden.text  # a relabel of a professional's document
    gp, nurse = clinic.as_pro["general-practitioner"], clinic.as_pro["nurse"]
    url = f"/fhir/DocumentReference/{document['id']}"
    assert clinic.get(gp, url).status_code == 404
    assert document["id"] not in _ids(clinic.search(gp, "DocumentReference", patient=clinic.patient.fhir_id))
    assert clinic.get(nurse, url).status_code == 200

    # The author's later update (from a copy without the label) keeps it hidden; they stay its author.
    updated = clinic.put(nurse, {**document, "description": "Bilan complété"})
    assert updated.status_code == 200, updated.text
    assert {c["code"] for c in updated.json()["meta"]["security"]} == {HIDDEN}
    assert clinic.get(gp, url).status_code == 404

    chosen = clinic.privacy("PUT", "/regular-doctor",
                            json={"practitioner": f"Practitioner/{clinic.pros['general-practitioner'].fhir_id}"})
    assert chosen.status_code == 200, chosen.text
    assert clinic.get(gp, url).status_code == 200
    me = clinic.get(clinic.as_patient, f"/fhir/Patient/{clinic.patient.fhir_id}").json()
    assert me["generalPractitioner"][0]["reference"] == f"Practitioner/{clinic.pros['general-practitioner'].fhir_id}"

    # A professional cannot hide, and cannot unhide.
    refused = clinic.put(nurse, _labelled({**document, "description": "x"}, HIDDEN, HIDDEN_FROM_REPRESENTATIVE))
    assert refused.status_code == 403 and "Only the patient" in refused.json()["issue"][0]["diagnostics"]


def test_a_document_withheld_until_the_consultation_reaches_the_patient_when_released(clinic):
    gp = clinic.as_pro["general-practitioner"]
    feed_url = f"/fhir/Patient/{clinic.patient.fhir_id}/$changes"
    cursor = clinic.get(clinic.as_patient, feed_url).json()["identifier"]["value"]
    withheld = clinic.document("general-practitioner", LAB_REPORT, labels=(WITHHELD_FROM_PATIENT,))
    url = f"/fhir/DocumentReference/{withheld['id']}"
    assert clinic.get(clinic.as_patient, url).status_code == 404
    assert withheld["id"] not in _ids(clinic.search(clinic.as_patient, "DocumentReference"))
    page = clinic.get(clinic.as_patient, feed_url, cursor=cursor).json()
    mine = [e for e in page["entry"] if e["request"]["url"] == f"DocumentReference/{withheld['id']}"]
    assert mine and mine[0]["request"]["method"] == "DELETE" and "resource" not in mine[0]
    assert clinic.get(clinic.as_pro["nurse"], url).status_code == 200  # other professionals see it

    released = clinic.put(gp, _labelled(withheld))
    assert released.status_code == 200, released.text
    assert clinic.get(clinic.as_patient, url).status_code == 200
    later = clinic.get(clinic.as_patient, feed_url, cursor=page["identifier"]["value"]).json()
    arrived = [e for e in later["entry"] if e["request"]["url"] == f"DocumentReference/{withheld['id']}"]
    assert arrived[0]["request"]["method"] == "PUT"
    release_trace = [e for e in clinic.history() if e["action"] == "U"][-1]
    assert {t["code"] for t in release_trace["meta"]["tag"]} >= {"new-document"}

    note = clinic.post(clinic.as_patient, _labelled(sample("Condition", clinic.patient.fhir_id),
                                                    WITHHELD_FROM_PATIENT))
    assert note.status_code == 403 and "professional who wrote it" in note.json()["issue"][0]["diagnostics"]


def test_emergency_access_opens_the_record_unless_refused_and_is_traced_and_notified(clinic):
    directives = clinic.document("general-practitioner", ADVANCE_DIRECTIVES)
    dentist = clinic.as_pro["dentist"]
    url = f"/fhir/DocumentReference/{directives['id']}"
    operation = f"/fhir/Patient/{clinic.patient.fhir_id}/$emergency-access"

    def open_glass(reason="Patiente inconsciente au cabinet, malaise brutal."):
        return clinic.client.post(operation, json={"resourceType": "Parameters", "parameter": [
            {"name": "reason", "valueString": reason}]}, headers={**dentist, "Content-Type": "application/fhir+json"})

    assert clinic.get(dentist, url).status_code == 403
    assert open_glass("urgent").status_code == 400  # a reason is stated
    opened = open_glass()
    assert opened.status_code == 200, opened.text
    assert opened.json()["parameter"][0]["name"] == "expires"
    assert clinic.get(dentist, url).status_code == 200
    events = clinic.history()
    opening = next(e for e in events if e["action"] == "E")
    assert {c["code"] for c in opening["purposeOfEvent"][0]["coding"]} == {"ETREAT", "BTG"}
    assert opening["purposeOfEvent"][0]["text"].startswith("Patiente inconsciente")
    assert {t["code"] for t in opening["meta"]["tag"]} >= {"emergency-access"}
    during = events[-1]
    assert during["entity"][0]["what"]["reference"] == f"DocumentReference/{directives['id']}"
    assert during["purposeOfEvent"][0]["coding"][1]["code"] == "BTG"
    mail = clinic.emails_to(clinic.patient.email)[-1]
    assert "urgence" in mail.body and "emergency" in mail.body
    assert "Dentist" not in mail.body and "Pro2" not in mail.body and "Directives" not in mail.body
    assert clinic.get(clinic.as_patient, operation).status_code in (404, 405)
    patient_try = clinic.client.post(operation, json={"resourceType": "Parameters"},
                                     headers={**clinic.as_patient, "Content-Type": "application/fhir+json"})
    assert patient_try.status_code == 403

    assert clinic.privacy("PUT", "/emergency-access", json={"allowed": False}).status_code == 200
    assert clinic.get(dentist, url).status_code == 403  # the open access stops applying
    refused = open_glass()
    assert refused.status_code == 403 and "refused emergency access" in refused.json()["issue"][0]["diagnostics"]
    last = clinic.history()[-1]
    assert last["outcome"] == "4" and last["purposeOfEvent"][0]["coding"][1]["code"] == "BTG"


def test_a_legal_representative_manages_the_minors_record_but_not_what_was_hidden_from_them(clinic):
    child = clinic.child
    condition = clinic.post(clinic.as_pro["general-practitioner"], sample("Condition", child.fhir_id)).json()
    parent = clinic.as_patient
    assert clinic.get(parent, f"/fhir/Condition/{condition['id']}").status_code == 200
    assert clinic.search(parent, "Condition", patient=child.fhir_id)["total"] == 1
    assert clinic.search(parent, "Condition")["total"] == 0  # without naming the child: her own record
    written = clinic.post(parent, sample("AllergyIntolerance", child.fhir_id))
    assert written.status_code == 201, written.text
    assert clinic.post(clinic.as_stranger, sample("AllergyIntolerance", child.fhir_id)).status_code == 403

    # The child's history shows the parent's accesses; the parent's own feed leaves them out.
    agents = [e["agent"][0]["who"].get("reference") for e in clinic.history(child)]
    assert f"Patient/{clinic.patient.fhir_id}" in agents
    feed_url = f"/fhir/Patient/{child.fhir_id}/$changes"
    first = clinic.get(parent, feed_url).json()
    assert all(e["resource"]["resourceType"] != "AuditEvent" or
               e["resource"]["agent"][0]["who"].get("reference") != f"Patient/{clinic.patient.fhir_id}"
               for e in first["entry"] if "resource" in e)
    again = clinic.get(parent, feed_url, cursor=first["identifier"]["value"]).json()
    assert again["entry"] == []  # her own trace of the first pull does not come back: no endless sync

    secret = clinic.put(clinic.as_child, _labelled(condition, HIDDEN_FROM_REPRESENTATIVE))
    assert secret.status_code == 200, secret.text
    assert clinic.get(parent, f"/fhir/Condition/{condition['id']}").status_code == 404
    assert clinic.search(parent, "Condition", patient=child.fhir_id)["total"] == 0
    assert clinic.get(clinic.as_pro["general-practitioner"], f"/fhir/Condition/{condition['id']}").status_code == 200
    mine = written.json()
    refused = clinic.put(parent, _labelled(mine, HIDDEN_FROM_REPRESENTATIVE))
    assert refused.status_code == 403
    assert clinic.put(parent, _labelled(mine, HIDDEN)).status_code == 200  # she may hide it from professionals
