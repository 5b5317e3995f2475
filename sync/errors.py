"""What can go wrong while talking to the server, as values the app can show."""
from __future__ import annotations


class SyncError(Exception):
    """Base class; `message` is safe to show (no tokens, no health data)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InsecureServerUrl(SyncError):
    """Plain http to anything but this machine would expose the record on the network."""


class Offline(SyncError):
    """The server could not be reached (no network, DNS, refused, timed out)."""


class ServerUnavailable(SyncError):
    """The server answered 5xx or 429: worth retrying later."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class SessionExpired(SyncError):
    """The tokens are no longer accepted: the user must sign in again."""


class Refused(SyncError):
    """A 4xx the retry cannot fix (bad input, forbidden); carries the server's message."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class BadServerAnswer(SyncError):
    """The server's answer was not what the protocol promises; nothing was applied."""
