"""Authenticator apps (TOTP) as a second factor, and the recovery codes that back them up."""
from __future__ import annotations

from dataclasses import dataclass

import segno
from sqlalchemy.orm import Session

from server import clock
from server.config import Settings
from server.errors import Conflict, InvalidInput
from server.models import Account
from server.principal import Principal
from server.services import challenges, recovery_codes
from server.services.one_time_codes import new_totp_secret, totp_provisioning_uri, totp_step_matching


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str
    otpauth_uri: str
    # The otpauth URI as a QR code, an SVG `data:` URI an <img> can show directly.
    qr_svg: str


def start_totp_enrolment(session: Session, principal: Principal) -> TotpEnrolment:
    """A new secret to scan; it counts only once a code from the app is confirmed."""
    account = session.get(Account, principal.account_id)
    if account.totp_enabled:
        raise Conflict("An authenticator app is already enrolled: disable it first to enrol another one.")
    account.totp_secret = new_totp_secret()
    uri = totp_provisioning_uri(account.totp_secret, account.identifier)
    qr = segno.make(uri, error="m").svg_data_uri(scale=4)
    return TotpEnrolment(account.totp_secret, uri, qr)


def confirm_totp(session: Session, settings: Settings, principal: Principal, code: str) -> list[str]:
    """Turn the authenticator on with a first code from it; returns fresh recovery codes."""
    account = session.get(Account, principal.account_id)
    if account.totp_enabled:
        raise Conflict("The authenticator app is already enrolled.")
    if not account.totp_secret:
        raise InvalidInput("Start the enrolment first (POST /auth/totp).")
    step = totp_step_matching(account.totp_secret, code, clock.utcnow(), account.totp_last_step or 0)
    if step is None:
        raise InvalidInput("This code does not match: check the app's clock and type the current code.")
    account.totp_enabled = True
    account.totp_last_step = step
    return recovery_codes.issue(session, settings, account.id)


def disable_totp(session: Session, settings: Settings, principal: Principal, password: str) -> None:
    account = session.get(Account, principal.account_id)
    challenges.confirm_password(session, settings, account, password)
    account.totp_enabled = False
    account.totp_secret = None


def regenerate_recovery_codes(session: Session, settings: Settings, principal: Principal, password: str) -> list[str]:
    """New recovery codes (the old ones stop working), shown once."""
    account = session.get(Account, principal.account_id)
    challenges.confirm_password(session, settings, account, password)
    return recovery_codes.issue(session, settings, account.id)
