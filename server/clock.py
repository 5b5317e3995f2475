"""One place for "now", in UTC, so tests and services agree on time zones."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: read them as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
