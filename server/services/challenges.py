"""One-time-code challenges: open one (send a code), check the code typed back.

A challenge serves sign-in (purpose "login") or the confirmation of a contact when a
space is activated (purpose "activation"). A code works once, for
`login_code_ttl_seconds`; `login_code_max_attempts` wrong codes burn the challenge.
Failures are committed before the refusal is raised: the request's own transaction is
rolled back on error, and the count must survive it.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import NoReturn

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server import clock
from server.clock import as_utc
from server.config import Settings
from server.errors import Unauthorised
from server.models import Account, LoginChallenge
from server.services import login_throttle, passwords, recovery_codes
from server.services.delivery import Delivery, mask, send_after_commit
from server.services.one_time_codes import (
    matches_sign_in_code,
    new_sign_in_code,
    sign_in_code_digest,
    totp_step_matching,
)

UNKNOWN_CHALLENGE = "This sign-in attempt is unknown or finished: start again."


@dataclass(frozen=True)
class ChallengeSent:
    challenge_id: str
    channel: str
    expires_in: int
    # Where the code went, masked (`c•••@example.org`); None for authenticator and recovery codes.
    sent_to: str | None


def open_challenge(session: Session, settings: Settings, delivery: Delivery, account: Account, *,
                   purpose: str, channel: str, recipient: str | None, device_name: str = "") -> ChallengeSent:
    """Record a challenge and, for e-mail and SMS, send its code once the transaction commits."""
    now = clock.utcnow()
    challenge = LoginChallenge(
        id=secrets.token_urlsafe(32), account_id=account.id, purpose=purpose, channel=channel,
        device_name=device_name, created_at=now, failed_attempts=0, burned=False,
        expires_at=now + timedelta(seconds=settings.login_code_ttl_seconds),
    )
    if channel in ("email", "sms") and recipient:
        code = new_sign_in_code()
        challenge.code_digest = sign_in_code_digest(challenge.id, code)
        subject, body = _code_message(channel, code, settings.login_code_ttl_seconds, purpose)
        send_after_commit(session, delivery, channel, recipient, subject, body)
    session.add(challenge)
    session.flush()
    return ChallengeSent(challenge.id, channel, settings.login_code_ttl_seconds,
                         mask(recipient) if recipient else None)


def verify_code(session: Session, settings: Settings, challenge_id: str, code: str, *,
                purpose: str, accept_recovery_code: bool) -> tuple[LoginChallenge, Account]:
    """The challenge and its account if `code` answers it; raise Unauthorised otherwise."""
    challenge = session.execute(
        select(LoginChallenge).where(LoginChallenge.id == challenge_id).with_for_update()
    ).scalar_one_or_none()
    account = session.get(Account, challenge.account_id) if challenge and challenge.account_id else None
    if challenge is None or account is None or challenge.purpose != purpose:
        raise Unauthorised(UNKNOWN_CHALLENGE)
    if challenge.used_at is not None:
        raise Unauthorised("This code has already been used: start again to get a new one.")
    if challenge.burned:
        raise Unauthorised("Too many wrong codes: this code no longer works. Start again to get a new one.")
    if as_utc(challenge.expires_at) <= clock.utcnow():
        raise Unauthorised("This code has expired: start again to get a new one.")
    login_throttle.check(session, account.identifier)
    if not _code_answers(session, account, challenge, code, accept_recovery_code):
        _count_wrong_code(session, settings, challenge, account)
    # Conditional update: of two requests racing with the right code, only one wins.
    used = session.execute(update(LoginChallenge)
                           .where(LoginChallenge.id == challenge.id, LoginChallenge.used_at.is_(None))
                           .values(used_at=clock.utcnow()))
    if used.rowcount != 1:
        raise Unauthorised("This code has already been used: start again to get a new one.")
    return challenge, account


def confirm_password(session: Session, settings: Settings, account: Account, password: str) -> None:
    """Ask for the password again before a sensitive change; failures count like sign-in ones."""
    login_throttle.check(session, account.identifier)
    if not passwords.verify(settings, account.password_hash, password):
        login_throttle.record_failure(session, settings, account.identifier)
        refuse_keeping_count(session, "Wrong password.")


def refuse_keeping_count(session: Session, message: str) -> NoReturn:
    """Commit what was counted (failures, burned challenges), then refuse with `message`."""
    session.commit()
    raise Unauthorised(message)


def _code_answers(session: Session, account: Account, challenge: LoginChallenge, code: str,
                  accept_recovery_code: bool) -> bool:
    if challenge.channel == "totp" and account.totp_enabled and account.totp_secret:
        step = totp_step_matching(account.totp_secret, code, clock.utcnow(), account.totp_last_step or 0)
        if step is not None and _advance_totp_step(session, account, step):
            return True
    elif matches_sign_in_code(challenge.id, code, challenge.code_digest):
        return True
    return accept_recovery_code and recovery_codes.consume(session, account.id, code)


def _advance_totp_step(session: Session, account: Account, step: int) -> bool:
    moved = session.execute(update(Account).where(Account.id == account.id, Account.totp_last_step < step)
                            .values(totp_last_step=step))
    return moved.rowcount == 1


def _count_wrong_code(session: Session, settings: Settings, challenge: LoginChallenge, account: Account) -> NoReturn:
    challenge.failed_attempts = (challenge.failed_attempts or 0) + 1
    left = settings.login_code_max_attempts - challenge.failed_attempts
    if left <= 0:
        challenge.burned = True
    login_throttle.record_failure(session, settings, account.identifier)
    if left <= 0:
        refuse_keeping_count(session, "Wrong code, and too many tries: this code no longer works. "
                                      "Start again to get a new one.")
    refuse_keeping_count(session, f"Wrong code: {left} {'try' if left == 1 else 'tries'} left.")


def _code_message(channel: str, code: str, ttl_seconds: int, purpose: str) -> tuple[str, str]:
    minutes = max(1, ttl_seconds // 60)
    if purpose == "activation":
        subject = "Carnet : confirmez votre contact / confirm your contact"
        intro = (f"Code de confirmation de votre espace Carnet (valable {minutes} min).\n"
                 f"Confirmation code for your Carnet space (valid {minutes} min).")
    else:
        subject = "Carnet : votre code de connexion / your sign-in code"
        intro = (f"Votre code de connexion à Carnet (valable {minutes} min).\n"
                 f"Your Carnet sign-in code (valid {minutes} min).")
    if channel == "sms":
        return subject, f"Code: {code}\nCarnet, {minutes} min. Ne le donnez à personne / never share it."
    return subject, (f"{intro}\n\nCode: {code}\n\n"
                     "Ne communiquez ce code à personne. Si vous n'êtes pas à l'origine de cette demande, "
                     "ignorez ce message et changez votre mot de passe.\n"
                     "Never share this code. If you did not ask for it, ignore this message and change "
                     "your password.\n")
