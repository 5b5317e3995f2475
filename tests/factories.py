"""Factories for server tests: accounts straight in the database, and tokens for them.

They bypass sign-in on purpose (sign-in has its own tests); tests of the record use them
to get a signed-in patient or professional in one line.
"""
from __future__ import annotations

import itertools
import uuid

from health.identifiers import INS_SYSTEM, RPPS_SYSTEM, make_ins, make_rpps
from server.clock import utcnow
from server.models import Account, AccountKind, AccountStatus
from server.services import record_store, tokens

_counter = itertools.count(1)


def new_ins() -> str:
    n = next(_counter)
    return make_ins(f"1{80 + n % 20:02d}0{1 + n % 9}75{n:06d}"[:13])


def make_patient(session_factory, *, given="Camille", family="Martin", birth_date="1980-05-17",
                 gender="female", ins: str | None = None, status=AccountStatus.active) -> Account:
    ins = ins or new_ins()
    account = Account(
        id=str(uuid.uuid4()), kind=AccountKind.patient, identifier=ins, status=status,
        display_name=f"{given} {family}", fhir_id=str(uuid.uuid4()), created_at=utcnow(),
        email=f"{given.lower()}.{uuid.uuid4().hex[:6]}@example.org", email_confirmed=True,
    )
    with session_factory() as session, session.begin():
        session.add(account)
        session.flush()
        record_store.store(session, {
            "resourceType": "Patient", "id": account.fhir_id,
            "identifier": [{"system": INS_SYSTEM, "value": ins}],
            "name": [{"family": family, "given": [given]}],
            "gender": gender, "birthDate": birth_date,
        }, patient_account_id=account.id, author=record_store.PLATFORM)
    return account


def make_professional(session_factory, *, given="Louis", family="Bernard",
                      profession="general-practitioner", rpps: str | None = None) -> Account:
    rpps = rpps or make_rpps(f"10{next(_counter):08d}")
    account = Account(
        id=str(uuid.uuid4()), kind=AccountKind.professional, identifier=rpps,
        status=AccountStatus.active, display_name=f"Dr {given} {family}", fhir_id=str(uuid.uuid4()),
        profession=profession, created_at=utcnow(),
    )
    with session_factory() as session, session.begin():
        session.add(account)
        session.flush()
        record_store.store(session, {
            "resourceType": "Practitioner", "id": account.fhir_id,
            "identifier": [{"system": RPPS_SYSTEM, "value": rpps}],
            "name": [{"family": family, "given": [given], "prefix": ["Dr"]}],
        }, patient_account_id=None, author=record_store.PLATFORM)
    return account


def bearer(session_factory, settings, account: Account, device_name: str = "test device") -> dict[str, str]:
    """Authorization headers for a fresh device of `account`."""
    with session_factory() as session, session.begin():
        issued = tokens.issue_for_new_device(session, settings, account, device_name)
    return {"Authorization": f"Bearer {issued.access_token}"}
