"""Single-use recovery codes: sign in when the phone or mailbox is out of reach."""
from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from server import clock
from server.config import Settings
from server.models import RecoveryCode
from server.services.one_time_codes import human_code_digest, new_recovery_code


def issue(session: Session, settings: Settings, account_id: str) -> list[str]:
    """Replace the account's recovery codes with fresh ones, shown to the person once."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account_id))
    codes = [new_recovery_code() for _ in range(settings.recovery_code_count)]
    session.add_all([RecoveryCode(account_id=account_id, code_digest=human_code_digest(code)) for code in codes])
    session.flush()
    return codes


def consume(session: Session, account_id: str, code: str) -> bool:
    """Use up `code` if it is one of the account's unused recovery codes."""
    row_id = session.scalar(select(RecoveryCode.id).where(
        RecoveryCode.account_id == account_id, RecoveryCode.code_digest == human_code_digest(code),
        RecoveryCode.used_at.is_(None)))
    if row_id is None:
        return False
    # Conditional update: of two requests racing with the same code, only one wins.
    used = session.execute(update(RecoveryCode).where(RecoveryCode.id == row_id, RecoveryCode.used_at.is_(None))
                           .values(used_at=clock.utcnow()))
    return used.rowcount == 1


def count_left(session: Session, account_id: str) -> int:
    return session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.account_id == account_id, RecoveryCode.used_at.is_(None))) or 0
