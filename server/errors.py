"""Errors services raise; the API turns each into an OperationOutcome with its status."""
from __future__ import annotations


class CarnetError(Exception):
    """A refusal the caller can read. `code` is the FHIR issue type."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.headers = headers or {}


class InvalidInput(CarnetError):
    status, code = 400, "invalid"


class Unauthorised(CarnetError):
    status, code = 401, "login"


class Forbidden(CarnetError):
    status, code = 403, "forbidden"


class NotFound(CarnetError):
    status, code = 404, "not-found"


class Gone(CarnetError):
    status, code = 410, "deleted"


class Conflict(CarnetError):
    status, code = 409, "conflict"


class VersionConflict(CarnetError):
    status, code = 412, "conflict"


class TooLarge(CarnetError):
    status, code = 413, "too-costly"


class UnsupportedMedia(CarnetError):
    status, code = 415, "not-supported"


class TooManyRequests(CarnetError):
    status, code = 429, "throttled"
