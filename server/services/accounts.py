"""The life of an account: a patient space is created, activated or opposed, closed and
purged; a professional account is created.

Sign-in lives in services.sign_in, authenticator apps in services.second_factor.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from health.codes import CARNET_PROFESSION, PROFESSIONS
from health.identifiers import INS_SYSTEM, RPPS_SYSTEM, InvalidIdentifier, normalise_ins, normalise_rpps
from server import clock
from server.clock import as_utc
from server.config import Settings, get_settings
from server.errors import Conflict, InvalidInput
from server.models import (
    Account,
    AccountKind,
    AccountStatus,
    ActivationCode,
    Device,
    LegalRepresentation,
    LoginChallenge,
    RecoveryCode,
    Token,
)
from server.services import challenges, login_throttle, passwords, record_store, tokens
from server.services.challenges import ChallengeSent
from server.services.delivery import Delivery, send_after_commit
from server.services.one_time_codes import human_code_digest, new_provisional_code

ACTIVATION_REFUSED = ("This INS and provisional code do not match a space waiting for activation "
                      "(codes expire; ask for a new one if yours is old).")
GENDERS = ("male", "female", "other", "unknown")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+[1-9]\d{7,14}$")


@dataclass(frozen=True)
class ProvisionalSpace:
    account: Account
    provisional_code: str


@dataclass(frozen=True)
class ActivationStarted:
    """One challenge per contact to confirm; confirming any of them activates the space."""

    challenges: list[ChallengeSent]


@dataclass(frozen=True)
class ClosedSpace:
    closed_at: datetime
    purge_after: datetime


def create_patient_space(session: Session, settings: Settings, delivery: Delivery, *, ins: str, given: str,
                         family: str, birth_date: str | date, gender: str, email: str | None = None,
                         phone: str | None = None, postal_address: str | None = None) -> ProvisionalSpace:
    """Create a provisional space with its Patient resource, and send its provisional code.

    The code goes by e-mail if an address is known, and always by post (a letter in the
    delivery box). It both activates the space and lets the person oppose its creation.
    """
    ins = _ins(ins)
    given, family = _name(given, "given"), _name(family, "family")
    birth_date = _birth_date(birth_date)
    if gender not in GENDERS:
        raise InvalidInput(f"gender must be one of {', '.join(GENDERS)}.")
    email, phone = normalise_email(email), normalise_phone(phone)
    if session.scalar(select(Account.id).where(Account.kind == AccountKind.patient, Account.identifier == ins)):
        raise Conflict("A space already exists for this INS.")
    now = clock.utcnow()
    account = Account(id=str(uuid.uuid4()), kind=AccountKind.patient, identifier=ins,
                      status=AccountStatus.provisional, display_name=f"{given} {family}",
                      fhir_id=str(uuid.uuid4()), email=email, phone=phone, created_at=now)
    session.add(account)
    session.flush()
    record_store.store(session, _patient_resource(account, given, family, birth_date, gender, postal_address),
                       patient_account_id=account.id, author=record_store.PLATFORM)
    code = new_provisional_code()
    session.add(ActivationCode(account_id=account.id, code_digest=human_code_digest(code), created_at=now,
                               expires_at=now + timedelta(days=settings.activation_code_ttl_days)))
    subject, body = _provisional_code_message(code, settings.activation_code_ttl_days)
    if email:
        send_after_commit(session, delivery, "email", email, subject, body)
    letter_to = f"{given} {family}" + (f", {postal_address.strip()}" if postal_address else "")
    send_after_commit(session, delivery, "post", letter_to, subject, body)
    session.flush()
    return ProvisionalSpace(account, code)


def start_activation(session: Session, settings: Settings, delivery: Delivery, *, ins: str,
                     provisional_code: str, password: str, email: str | None = None,
                     phone: str | None = None) -> ActivationStarted:
    """Check the provisional code, set the password and send a code to each contact given."""
    ins = _ins(ins)
    email, phone = normalise_email(email), normalise_phone(phone)
    if not email and not phone:
        raise InvalidInput("Give an e-mail address or a mobile phone number to receive sign-in codes.")
    passwords.check_policy(password, identifier=ins)
    account = _account_waiting_for(session, settings, ins, provisional_code)
    account.password_hash = passwords.hash_password(settings, password)
    account.email, account.email_confirmed = email, False
    account.phone, account.phone_confirmed = phone, False
    # A second attempt at activation replaces the first one's pending codes.
    session.execute(update(LoginChallenge).where(LoginChallenge.account_id == account.id,
                                                 LoginChallenge.used_at.is_(None)).values(burned=True))
    sent = [challenges.open_challenge(session, settings, delivery, account, purpose="activation",
                                      channel=channel, recipient=recipient)
            for channel, recipient in (("email", email), ("sms", phone)) if recipient]
    return ActivationStarted(sent)


def confirm_activation(session: Session, settings: Settings, *, challenge_id: str, code: str) -> Account:
    """Confirm the contact the code was sent to; the first confirmation activates the space."""
    challenge, account = challenges.verify_code(session, settings, challenge_id, code, purpose="activation",
                                                accept_recovery_code=False)
    if account.status == AccountStatus.closed:
        raise InvalidInput("This space is closed.")
    if challenge.channel == "email":
        account.email_confirmed = True
    else:
        account.phone_confirmed = True
    if account.status == AccountStatus.provisional:
        account.status = AccountStatus.active
        session.execute(update(ActivationCode).where(ActivationCode.account_id == account.id,
                                                     ActivationCode.used_at.is_(None))
                        .values(used_at=clock.utcnow()))
    login_throttle.reset(session, account.identifier)
    return account


def oppose(session: Session, settings: Settings, *, ins: str, provisional_code: str) -> None:
    """The person refuses the space: it is deleted with all its data, and the code with it."""
    account = _account_waiting_for(session, settings, _ins(ins), provisional_code)
    identifier = account.identifier
    delete_account(session, account)
    login_throttle.reset(session, identifier)


def activate_without_confirmation(session: Session, account: Account, *, password: str,
                                  email: str | None = None, phone: str | None = None,
                                  settings: Settings | None = None) -> Account:
    """Platform tooling only (demo, seed): make a space active with confirmed contacts."""
    settings = settings or get_settings()
    session.add(account)
    passwords.check_policy(password, identifier=account.identifier)
    account.password_hash = passwords.hash_password(settings, password)
    if email:
        account.email, account.email_confirmed = normalise_email(email), True
    if phone:
        account.phone, account.phone_confirmed = normalise_phone(phone), True
    account.status = AccountStatus.active
    session.execute(update(ActivationCode).where(ActivationCode.account_id == account.id,
                                                 ActivationCode.used_at.is_(None)).values(used_at=clock.utcnow()))
    session.flush()
    return account


def create_professional(session: Session, settings: Settings, *, rpps: str, given: str, family: str,
                        profession: str, email: str, phone: str | None = None, password: str) -> Account:
    """An active professional account and its Practitioner resource (RPPS, profession)."""
    try:
        rpps = normalise_rpps(rpps)
    except InvalidIdentifier as exc:
        raise InvalidInput(str(exc)) from None
    if profession not in PROFESSIONS:
        raise InvalidInput(f"Unknown profession {profession[:40]!r}: one of {', '.join(PROFESSIONS)}.")
    given, family = _name(given, "given"), _name(family, "family")
    email, phone = normalise_email(email), normalise_phone(phone)
    if not email:
        raise InvalidInput("A professional account needs an e-mail address for sign-in codes.")
    passwords.check_policy(password, identifier=rpps)
    if session.scalar(select(Account.id).where(Account.kind == AccountKind.professional,
                                               Account.identifier == rpps)):
        raise Conflict("An account already exists for this RPPS number.")
    account = Account(id=str(uuid.uuid4()), kind=AccountKind.professional, identifier=rpps,
                      status=AccountStatus.active, display_name=f"{given} {family}", fhir_id=str(uuid.uuid4()),
                      profession=profession, password_hash=passwords.hash_password(settings, password),
                      email=email, email_confirmed=True, phone=phone, phone_confirmed=bool(phone),
                      created_at=clock.utcnow())
    session.add(account)
    session.flush()
    label = PROFESSIONS[profession]
    record_store.store(session, {
        "resourceType": "Practitioner", "id": account.fhir_id, "active": True,
        "identifier": [{"system": RPPS_SYSTEM, "value": rpps}],
        "name": [{"family": family, "given": [given]}],
        "telecom": [{"system": "email", "value": email, "use": "work"}],
        "qualification": [{"code": {"coding": [{"system": CARNET_PROFESSION, "code": profession,
                                                "display": label.label_en}], "text": label.label_fr}}],
    }, patient_account_id=None, author=record_store.PLATFORM)
    return account


def close_space(session: Session, settings: Settings, account_id: str, *, password: str) -> ClosedSpace:
    """The patient closes their space: signed out everywhere, data archived until purge."""
    account = session.get(Account, account_id)
    if account is None or account.kind != AccountKind.patient or account.status != AccountStatus.active:
        raise InvalidInput("Only an active patient space can be closed.")
    challenges.confirm_password(session, settings, account, password)
    now = clock.utcnow()
    account.status = AccountStatus.closed
    account.closed_at = now
    account.purge_after = now + timedelta(days=settings.archive_retention_days)
    tokens.revoke_all(session, account.id)
    session.flush()
    return ClosedSpace(now, account.purge_after)


def purge_expired_archives(session: Session, now: datetime) -> int:
    """Delete the closed spaces whose retention period is over; returns how many."""
    expired = session.scalars(select(Account).where(Account.status == AccountStatus.closed,
                                                    Account.purge_after <= now)).all()
    for account in expired:
        delete_account(session, account)
    return len(expired)


def delete_account(session: Session, account: Account) -> None:
    """Erase an account, its record and everything hanging from it."""
    account_id = account.id
    record_store.purge_compartment(session, account_id)
    for model in (Token, Device, LoginChallenge, ActivationCode, RecoveryCode):
        session.execute(delete(model).where(model.account_id == account_id))
    session.execute(delete(LegalRepresentation).where(or_(
        LegalRepresentation.representative_account_id == account_id,
        LegalRepresentation.represented_account_id == account_id)))
    session.execute(delete(Account).where(Account.id == account_id))


def patient_account_id_by_ins(session: Session, ins: str) -> str | None:
    return session.scalar(select(Account.id).where(Account.kind == AccountKind.patient,
                                                   Account.identifier == _ins(ins)))


def normalise_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip()
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidInput("This e-mail address is not valid.")
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalise_phone(phone: str | None) -> str | None:
    """E.164 (`+33612345678`); French numbers written `06 12 34 56 78` are accepted."""
    if phone is None or not phone.strip():
        return None
    digits = re.sub(r"[\s.\-()]", "", phone)
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        digits = "+33" + digits[1:]
    elif digits.startswith("00"):
        digits = "+" + digits[2:]
    if not _PHONE.match(digits):
        raise InvalidInput("This phone number is not valid: write it like +33612345678 or 06 12 34 56 78.")
    return digits


def _account_waiting_for(session: Session, settings: Settings, ins: str, provisional_code: str) -> Account:
    """The provisional account this INS and code open; wrong pairs are counted and refused alike."""
    login_throttle.check(session, ins)
    account = session.scalar(select(Account).where(Account.kind == AccountKind.patient, Account.identifier == ins,
                                                   Account.status == AccountStatus.provisional))
    code = account and session.scalar(select(ActivationCode).where(
        ActivationCode.account_id == account.id, ActivationCode.used_at.is_(None),
        ActivationCode.code_digest == human_code_digest(provisional_code)))
    if code is None or as_utc(code.expires_at) <= clock.utcnow():
        if account is not None:
            session.execute(update(ActivationCode).where(ActivationCode.account_id == account.id)
                            .values(failed_attempts=ActivationCode.failed_attempts + 1))
        login_throttle.record_failure(session, settings, ins)
        challenges.refuse_keeping_count(session, ACTIVATION_REFUSED)
    return account


def _patient_resource(account: Account, given: str, family: str, birth_date: str, gender: str,
                      postal_address: str | None) -> dict:
    resource = {"resourceType": "Patient", "id": account.fhir_id,
                "identifier": [{"system": INS_SYSTEM, "value": account.identifier}],
                "name": [{"use": "official", "family": family, "given": [given]}],
                "gender": gender, "birthDate": birth_date}
    telecom = ([{"system": "email", "value": account.email}] if account.email else []) + \
              ([{"system": "phone", "value": account.phone, "use": "mobile"}] if account.phone else [])
    if telecom:
        resource["telecom"] = telecom
    if postal_address and postal_address.strip():
        resource["address"] = [{"text": postal_address.strip()[:500]}]
    return resource


def _provisional_code_message(code: str, ttl_days: int) -> tuple[str, str]:
    subject = "Carnet : votre espace santé a été créé / your health space was created"
    body = ("Votre espace santé Carnet a été créé. Pour l'activer, ou pour vous opposer à sa création, "
            "utilisez votre numéro INS (celui de votre carte Vitale) et ce code provisoire "
            f"(valable {ttl_days} jours) :\n"
            "Your Carnet health space was created. To activate it, or to oppose its creation, use your "
            f"INS number (on your Vitale card) and this provisional code (valid {ttl_days} days):\n\n"
            f"Provisional code: {code}\n")
    return subject, body


def _ins(value: str) -> str:
    try:
        return normalise_ins(value)
    except InvalidIdentifier as exc:
        raise InvalidInput(str(exc)) from None


def _name(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 100:
        raise InvalidInput(f"{field} must have 1 to 100 characters.")
    return value


def _birth_date(value: str | date) -> str:
    try:
        parsed = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("birth_date must be a date written YYYY-MM-DD.") from None
    if parsed > clock.utcnow().date() or parsed.year < 1880:
        raise InvalidInput("birth_date must be a past date.")
    return parsed.isoformat()
