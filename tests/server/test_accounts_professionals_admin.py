"""Professional accounts, and the admin functions behind `carnet` commands."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from health.codes import CARNET_PROFESSION
from health.identifiers import RPPS_SYSTEM, make_rpps
from server import admin, clock
from server.db import make_engine, make_session_factory, transaction
from server.errors import Conflict, InvalidInput
from server.models import Account, AccountStatus
from server.services import accounts, record_store
from tests.factories import new_ins
from tests.server.auth_flows import PASSWORD, cheap, professional


@pytest.fixture
def settings(settings):
    return cheap(settings)


def test_professional_has_a_practitioner_with_rpps_and_profession(app):
    account = professional(app, rpps=make_rpps("1012345678"), profession="midwife")
    assert account.status == AccountStatus.active and account.profession == "midwife"
    with transaction(app.state.session_factory) as session:
        practitioner = record_store.find(session, "Practitioner", account.fhir_id)
    assert practitioner.patient_account_id is None
    assert practitioner.content["identifier"] == [{"system": RPPS_SYSTEM, "value": account.identifier}]
    coding = practitioner.content["qualification"][0]["code"]["coding"][0]
    assert (coding["system"], coding["code"]) == (CARNET_PROFESSION, "midwife")


@pytest.mark.parametrize("changes, error", [
    ({"rpps": make_rpps("1012345678")}, Conflict),
    ({"rpps": "12345678901"}, InvalidInput),
    ({"profession": "astrologer"}, InvalidInput),
    ({"password": "short"}, InvalidInput),
    ({"email": ""}, InvalidInput),
])
def test_professional_creation_refuses_bad_input(app, changes, error):
    professional(app, rpps=make_rpps("1012345678"))
    details = dict(rpps=make_rpps("1099999999"), given="Louis", family="Bernard", profession="nurse",
                   email="louis@example.org", password=PASSWORD)
    with pytest.raises(error), transaction(app.state.session_factory) as session:
        accounts.create_professional(session, app.state.settings, **{**details, **changes})


def test_admin_creates_spaces_and_professionals_lists_codes_and_purges(settings):
    space = admin.create_space(settings, ins=new_ins(), given="Jeanne", family="Durand", birth_date="1950-01-02",
                               gender="female", email="jeanne@example.org")
    codes = admin.list_codes(settings, limit=5)
    assert [(c.channel, c.code) for c in codes] == [("post", space.provisional_code),
                                                    ("email", space.provisional_code)]
    assert codes[1].recipient == "jeanne@example.org"
    pro = admin.add_professional(settings, rpps=make_rpps("1055555555"), given="Ana", family="Lopez",
                                 profession="physiotherapist", email="ana@example.org", password=PASSWORD)
    assert pro.rpps == make_rpps("1055555555")
    assert admin.purge_archives(settings) == 0

    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            account = session.get(Account, space.account_id)
            account.status = AccountStatus.closed
            account.purge_after = clock.utcnow() - timedelta(seconds=1)
        assert admin.purge_archives(settings) == 1
        with transaction(make_session_factory(engine)) as session:
            assert session.scalars(select(Account.id)).all() == [pro.account_id]
    finally:
        engine.dispose()
