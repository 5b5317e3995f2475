"""An app acting for a patient with SMART scopes, through the services (its tokens come later)."""
import pytest

from health.smart_scopes import parse_scopes
from health.visibility import HIDDEN, VISIBILITY_SYSTEM
from server.config import Settings
from server.errors import Forbidden, NotFound
from server.models import AccountKind
from server.principal import AppAuthorisation, Principal
from server.services import binaries, feed, record, record_search
from tests.server.access_world import make_clinic
from tests.server.fhir_samples import sample

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def clinic(client, app, settings):
    return make_clinic(client, app, settings)


def _app_for(account, scopes: str) -> Principal:
    return Principal(account.id, AccountKind.patient, account.fhir_id, "grant-42",
                     app=AppAuthorisation("gluco-suivi", "GlucoSuivi", parse_scopes(scopes)))


def _lab(patient_id: str, category="laboratory", **extra) -> dict:
    body = sample("Observation", patient_id, **extra)
    body["category"][0]["coding"][0]["code"] = category
    return body


def test_an_app_reads_searches_and_writes_only_within_its_scopes(clinic, app):
    pid = clinic.patient.fhir_id
    lab = clinic.post(clinic.as_patient, _lab(pid)).json()
    vitals = clinic.post(clinic.as_patient, _lab(pid, "vital-signs")).json()
    hidden = clinic.post(clinic.as_patient, _lab(pid, meta={"security": [{"system": VISIBILITY_SYSTEM,
                                                                          "code": HIDDEN}]})).json()
    clinic.post(clinic.as_patient, sample("Condition", pid))
    gluco = _app_for(clinic.patient, "launch/patient openid patient/Observation.rs?category=laboratory "
                                     "patient/Observation.c")
    factory, settings = app.state.session_factory, app.state.settings
    with factory() as session, session.begin():
        assert record.read(session, gluco, "Observation", lab["id"]).id == lab["id"]
        page = record_search.search(session, settings, gluco, "Observation", [])
        assert [r.id for r in page.resources] == [lab["id"]] and page.total == 1
        created = record.create(session, gluco, "Observation", _lab(pid))
    for forbidden in (lambda s: record.read(s, gluco, "Observation", vitals["id"]),
                      lambda s: record_search.search(s, settings, gluco, "Condition", []),
                      lambda s: record.update(s, gluco, "Observation", created.id,
                                              {**created.content, "language": "fr"}),
                      lambda s: record.create(s, gluco, "Condition", sample("Condition", pid)),
                      lambda s: record.create(s, gluco, "Observation", _lab(clinic.stranger.fhir_id)),
                      lambda s: binaries.upload(s, settings, gluco, PDF, "application/pdf", None)):
        with factory() as session, session.begin(), pytest.raises(Forbidden):
            forbidden(session)
    with factory() as session, session.begin(), pytest.raises(NotFound):
        record.read(session, gluco, "Observation", hidden["id"])  # hidden from others, apps included

    # Every access of the app is in the patient's history, under the app's name.
    events = clinic.history()
    assert {e["agent"][0]["who"]["display"] for e in events} == {"GlucoSuivi"}
    assert events[0]["agent"][0]["who"]["identifier"]["value"] == "gluco-suivi"
    assert events[0]["purposeOfEvent"][0]["coding"][0]["code"] == "PATRQT"
    # Six refusals traced: all but the write into another patient's record, which is not theirs to trace.
    assert sum(e["outcome"] == "4" for e in events) == 6


def test_an_apps_feed_leaves_out_what_it_may_not_read(clinic, app):
    pid = clinic.patient.fhir_id
    lab = clinic.post(clinic.as_patient, _lab(pid)).json()
    condition = clinic.post(clinic.as_patient, sample("Condition", pid)).json()
    clinic.search(clinic.as_pro["nurse"], "Condition", patient=pid)  # an AuditEvent in the record
    gluco = _app_for(clinic.patient, "patient/Observation.rs")
    with app.state.session_factory() as session, session.begin():
        page = feed.changes(session, Settings(database_url="sqlite://"), gluco, pid, None, None)
    shown = {(c.resource_type, c.id, c.deleted) for c in page.changes}
    assert ("Observation", lab["id"], False) in shown
    assert not any(kind in ("Condition", "AuditEvent", "Patient") for kind, _, _ in shown)
    assert condition["id"] not in {ident for _, ident, _ in shown}


def test_an_app_of_another_patient_finds_nothing(clinic, app):
    lab = clinic.post(clinic.as_patient, _lab(clinic.patient.fhir_id)).json()
    stranger_app = _app_for(clinic.stranger, "patient/*.cruds")
    with app.state.session_factory() as session, session.begin():
        with pytest.raises(NotFound):
            record.read(session, stranger_app, "Observation", lab["id"])
        page = record_search.search(session, app.state.settings, stranger_app, "Observation",
                                    [("patient", clinic.patient.fhir_id)])
        assert page.total == 0
    assert clinic.history() == []
