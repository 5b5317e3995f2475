from health.identifiers import is_valid_ins
from tests.factories import bearer, make_patient, make_professional, new_ins


def test_factories_make_valid_signed_in_accounts(client, app, settings):
    patient = make_patient(app.state.session_factory)
    professional = make_professional(app.state.session_factory)
    assert is_valid_ins(patient.identifier) and is_valid_ins(new_ins())
    assert bearer(app.state.session_factory, settings, patient)["Authorization"].startswith("Bearer ")
    assert professional.profession == "general-practitioner"
