"""Signing in and out: identifier + password, then a one-time code, then tokens for a device.

An unknown identifier, a wrong password and an account that is not active all get the
same refusal, after the same Argon2 work, and all count in the identifier's throttle
(services.login_throttle), so the answers never tell whether an account exists.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from health.identifiers import InvalidIdentifier, normalise_ins, normalise_rpps
from server.config import Settings
from server.errors import InvalidInput, NotFound, Unauthorised
from server.models import Account, AccountKind, AccountStatus, Device
from server.principal import Principal
from server.services import challenges, login_throttle, passwords, recovery_codes, tokens
from server.services.challenges import ChallengeSent
from server.services.delivery import Delivery
from server.services.tokens import IssuedTokens

SIGN_IN_REFUSED = "The identifier or the password is wrong, or the space is not active."
LOGIN_CHANNELS = ("email", "sms", "totp", "recovery")


@dataclass(frozen=True)
class DeviceInfo:
    id: str
    name: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


@dataclass(frozen=True)
class AccountSummary:
    account_id: str
    kind: str
    identifier: str
    display_name: str
    reference: str
    profession: str | None
    status: str
    email: str | None
    email_confirmed: bool
    phone: str | None
    phone_confirmed: bool
    totp_enabled: bool
    recovery_codes_left: int
    device_id: str


def parse_identifier(identifier: str) -> tuple[AccountKind, str]:
    """An INS means a patient, an RPPS number a professional."""
    for kind, normalise in ((AccountKind.patient, normalise_ins), (AccountKind.professional, normalise_rpps)):
        try:
            return kind, normalise(identifier)
        except InvalidIdentifier:
            continue
    raise InvalidInput("The identifier must be an INS (15 characters) or an RPPS number (11 digits).")


def start_sign_in(session: Session, settings: Settings, delivery: Delivery, *, identifier: str, password: str,
                  channel: str, device_name: str) -> ChallengeSent:
    """Check identifier and password, then send a one-time code by `channel`."""
    if channel not in LOGIN_CHANNELS:
        raise InvalidInput(f"channel must be one of {', '.join(LOGIN_CHANNELS)}.")
    kind, identifier = parse_identifier(identifier)
    login_throttle.check(session, identifier)
    account = session.scalar(select(Account).where(Account.kind == kind, Account.identifier == identifier))
    # Always one Argon2 verification, against a dummy hash when there is no account.
    password_ok = passwords.verify(settings, account.password_hash if account else None, password)
    if account is None or not password_ok or account.status != AccountStatus.active:
        login_throttle.record_failure(session, settings, identifier)
        challenges.refuse_keeping_count(session, SIGN_IN_REFUSED)
    if passwords.needs_rehash(settings, account.password_hash):
        account.password_hash = passwords.hash_password(settings, password)
    recipient = _recipient(session, account, channel)
    return challenges.open_challenge(session, settings, delivery, account, purpose="login", channel=channel,
                                     recipient=recipient, device_name=device_name.strip()[:100])


def finish_sign_in(session: Session, settings: Settings, *, challenge_id: str, code: str) -> IssuedTokens:
    """Check the one-time code (or a recovery code) and sign the device in."""
    challenge, account = challenges.verify_code(session, settings, challenge_id, code, purpose="login",
                                                accept_recovery_code=True)
    if account.status != AccountStatus.active:
        raise Unauthorised(SIGN_IN_REFUSED)
    login_throttle.reset(session, account.identifier)
    return tokens.issue_for_new_device(session, settings, account, challenge.device_name)


def refresh(session: Session, settings: Settings, refresh_token: str) -> IssuedTokens:
    issued = tokens.refresh(session, settings, refresh_token)
    if issued is None:
        session.commit()  # keep the revocation of a device whose rotated token was replayed
        raise Unauthorised("This refresh token is not valid (expired, revoked or already used): sign in again.",
                           headers={"WWW-Authenticate": "Bearer"})
    return issued


def sign_out(session: Session, principal: Principal) -> None:
    """Revoke the device the request came from, and so all its tokens."""
    tokens.revoke_device(session, principal.account_id, principal.device_id)


def list_devices(session: Session, principal: Principal) -> list[DeviceInfo]:
    devices = session.scalars(select(Device).where(Device.account_id == principal.account_id,
                                                   Device.revoked_at.is_(None)).order_by(Device.created_at))
    return [DeviceInfo(d.id, d.name, d.created_at, d.last_seen_at, d.id == principal.device_id) for d in devices]


def revoke_device(session: Session, principal: Principal, device_id: str) -> None:
    if not tokens.revoke_device(session, principal.account_id, device_id):
        raise NotFound("No such device on this account.")


def describe(session: Session, principal: Principal) -> AccountSummary:
    account = session.get(Account, principal.account_id)
    return AccountSummary(
        account.id, account.kind.value, account.identifier, account.display_name, principal.reference,
        account.profession, account.status.value, account.email, bool(account.email_confirmed), account.phone,
        bool(account.phone_confirmed), bool(account.totp_enabled), recovery_codes.count_left(session, account.id),
        principal.device_id,
    )


def _recipient(session: Session, account: Account, channel: str) -> str | None:
    """Where the code goes; the password was right, so saying what is missing discloses nothing."""
    if channel == "email" and not (account.email and account.email_confirmed):
        raise InvalidInput("This account has no confirmed e-mail address: choose the sms channel.")
    if channel == "sms" and not (account.phone and account.phone_confirmed):
        raise InvalidInput("This account has no confirmed mobile phone number: choose the email channel.")
    if channel == "totp" and not account.totp_enabled:
        raise InvalidInput("No authenticator app is enrolled on this account: choose email or sms.")
    if channel == "recovery" and recovery_codes.count_left(session, account.id) == 0:
        raise InvalidInput("This account has no recovery code left: choose email or sms.")
    return {"email": account.email, "sms": account.phone}.get(channel)
