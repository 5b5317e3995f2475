"""Growing delays after repeated sign-in failures, per identifier.

The throttle is keyed by the identifier string (INS or RPPS, normalised), whether an
account holds it or not: an unknown identifier is throttled exactly like a real one,
so neither the 401 nor the 429 reveals that an account exists. Wrong passwords, wrong
provisional codes and wrong one-time codes all count; a completed sign-in resets it.

The price of this choice: someone who knows a person's identifier can delay that
person's sign-in by failing on purpose, by at most `throttle_max_seconds` at a time.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server import clock
from server.clock import as_utc
from server.config import Settings
from server.errors import TooManyRequests
from server.models import LoginThrottle
from server.services.secrets import digest

# A failure older than this no longer counts: the delays start again from nothing.
FORGET_AFTER = timedelta(hours=24)


def check(session: Session, identifier: str) -> None:
    """Raise TooManyRequests (429, Retry-After) while the identifier is throttled."""
    row = session.get(LoginThrottle, _key(identifier))
    now = clock.utcnow()
    if row is None or row.throttled_until is None or as_utc(row.throttled_until) <= now:
        return
    wait = math.ceil((as_utc(row.throttled_until) - now).total_seconds())
    raise TooManyRequests(
        f"Too many failed attempts. Try again in {wait} seconds "
        f"(after {as_utc(row.throttled_until):%H:%M:%S} UTC).",
        headers={"Retry-After": str(wait)},
    )


def record_failure(session: Session, settings: Settings, identifier: str) -> None:
    """Count one failure; from `throttle_after_failures` on, each one doubles the wait."""
    now = clock.utcnow()
    row = _row_for_update(session, _key(identifier), now)
    if as_utc(row.last_failure_at) < now - FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    delay = delay_after(settings, row.failures)
    row.throttled_until = now + timedelta(seconds=delay) if delay else None
    session.flush()


def reset(session: Session, identifier: str) -> None:
    row = session.get(LoginThrottle, _key(identifier))
    if row is not None:
        session.delete(row)


def delay_after(settings: Settings, failures: int) -> int:
    """Seconds to wait after `failures` consecutive failures (0 below the threshold)."""
    beyond = failures - settings.throttle_after_failures
    if beyond < 0:
        return 0
    return min(settings.throttle_max_seconds, settings.throttle_first_delay_seconds * 2 ** min(beyond, 20))


def purge_stale(session: Session, now: datetime) -> int:
    """Forget throttles nobody has failed on for a day (they would restart from zero anyway)."""
    rows = session.scalars(select(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER)).all()
    for row in rows:
        session.delete(row)
    return len(rows)


def _row_for_update(session: Session, key: str, now: datetime) -> LoginThrottle:
    select_row = select(LoginThrottle).where(LoginThrottle.key_digest == key).with_for_update()
    row = session.execute(select_row).scalar_one_or_none()
    if row is not None:
        return row
    try:
        # Two first failures at once would both insert: the loser reads the winner's row.
        with session.begin_nested():
            row = LoginThrottle(key_digest=key, failures=0, last_failure_at=now)
            session.add(row)
    except IntegrityError:
        row = session.execute(select_row).scalar_one()
    return row


def _key(identifier: str) -> str:
    return digest("throttle:" + identifier)
