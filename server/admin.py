"""The platform's admin actions, for the `carnet` command: each opens its own database session."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

from server import clock
from server.config import Settings
from server.db import make_engine, make_session_factory, migrate, transaction
from server.errors import NotFound
from server.services import accounts, audit_chain, catalogue, login_throttle
from server.services.audit_chain import Verification
from server.services.catalogue import AddedApp, AppDescription, AppView
from server.services.delivery import DeliveredCode, build_delivery, latest_codes


@dataclass(frozen=True)
class CreatedSpace:
    account_id: str
    ins: str
    patient_id: str
    provisional_code: str


@dataclass(frozen=True)
class CreatedProfessional:
    account_id: str
    rpps: str
    practitioner_id: str


def list_codes(settings: Settings, limit: int = 20) -> list[DeliveredCode]:
    """The newest codes sent (dev and demo: `carnet codes`), newest first."""
    with _database(settings) as factory, transaction(factory) as session:
        return latest_codes(session, limit)


def create_space(settings: Settings, *, ins: str, given: str, family: str, birth_date: str, gender: str,
                 email: str | None = None, phone: str | None = None,
                 postal_address: str | None = None) -> CreatedSpace:
    """Create a provisional patient space; its code is sent once the space is committed."""
    with _database(settings) as factory:
        delivery = build_delivery(settings, factory)
        with transaction(factory) as session:
            space = accounts.create_patient_space(
                session, settings, delivery, ins=ins, given=given, family=family, birth_date=birth_date,
                gender=gender, email=email, phone=phone, postal_address=postal_address)
            account = space.account
            return CreatedSpace(account.id, account.identifier, account.fhir_id, space.provisional_code)


def add_professional(settings: Settings, *, rpps: str, given: str, family: str, profession: str, email: str,
                     password: str, phone: str | None = None) -> CreatedProfessional:
    with _database(settings) as factory, transaction(factory) as session:
        account = accounts.create_professional(session, settings, rpps=rpps, given=given, family=family,
                                               profession=profession, email=email, phone=phone,
                                               password=password)
        return CreatedProfessional(account.id, account.identifier, account.fhir_id)


def purge_archives(settings: Settings) -> int:
    """Erase the closed spaces past their retention period; returns how many were erased."""
    with _database(settings) as factory, transaction(factory) as session:
        now = clock.utcnow()
        login_throttle.purge_stale(session, now)
        return accounts.purge_expired_archives(session, now)


def verify_audit(settings: Settings, ins: str | None = None) -> Verification:
    """Check the access history's hash chains (all, or one patient's by INS)."""
    with _database(settings) as factory, factory() as session:
        account_id = None
        if ins is not None:
            account_id = accounts.patient_account_id_by_ins(session, ins)
            if account_id is None:
                raise NotFound("No patient space has this INS.")
        return audit_chain.verify(session, account_id)


def add_app(settings: Settings, described: AppDescription) -> AddedApp:
    """Reference an app in the catalogue (a confidential app's secret is in the answer, once)."""
    with _database(settings) as factory, transaction(factory) as session:
        return catalogue.add_app(session, described)


def list_apps(settings: Settings) -> list[AppView]:
    with _database(settings) as factory, factory() as session:
        return catalogue.list_apps(session)


def withdraw_app(settings: Settings, app_id: str) -> AppView:
    """Take an app out of the catalogue: its grants stop working at once."""
    with _database(settings) as factory, transaction(factory) as session:
        return catalogue.withdraw_app(session, app_id)


@contextmanager
def _database(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """An engine for one command, migrated first and disposed of at the end."""
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        yield make_session_factory(engine)
    finally:
        engine.dispose()
